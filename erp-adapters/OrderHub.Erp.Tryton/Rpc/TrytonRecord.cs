using System.Globalization;

namespace OrderHub.Erp.Tryton.Rpc;

/// <summary>One record as returned by <c>read</c>/<c>search_read</c>, with typed getters.</summary>
/// <remarks>
/// Tryton sends Many2One values as the bare id (or null), x2many values as a list of ids,
/// and an empty Char sometimes as null, sometimes as "".
/// </remarks>
public sealed class TrytonRecord(IReadOnlyDictionary<string, object?> values)
{
    public IReadOnlyDictionary<string, object?> Values { get; } = values;

    public int Id => Int("id");

    public bool Has(string field) => Values.ContainsKey(field);

    public object? Raw(string field) =>
        Values.TryGetValue(field, out var v) ? v : throw new KeyNotFoundException($"Field '{field}' was not read.");

    public int Int(string field) => IntOrNull(field) ?? throw new InvalidOperationException($"Field '{field}' is empty.");

    public int? IntOrNull(string field) => Raw(field) switch
    {
        null or false => null,
        long l => checked((int)l),
        double d => (int)d,
        var other => throw new InvalidCastException($"Field '{field}' is a {other.GetType().Name}, not an id."),
    };

    public string? String(string field) => Raw(field) switch
    {
        null or false => null,
        string s => s.Length == 0 ? null : s,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    /// <summary>SQLite-backed servers send booleans as 0/1.</summary>
    public bool Bool(string field) => Raw(field) switch
    {
        bool b => b,
        long l => l != 0,
        _ => false,
    };

    public decimal? DecimalOrNull(string field) => Raw(field) switch
    {
        null or false => null,
        decimal m => m,
        long l => l,
        double d => (decimal)d,
        var other => throw new InvalidCastException($"Field '{field}' is a {other.GetType().Name}, not a number."),
    };

    public double Double(string field) => (double)(DecimalOrNull(field) ?? 0m);

    public DateTime? DateTimeOrNull(string field) => Raw(field) as DateTime?;

    public IReadOnlyList<int> Ids(string field) => Raw(field) switch
    {
        null or false => [],
        List<object?> list => list.Select(x => checked((int)(long)x!)).ToList(),
        var other => throw new InvalidCastException($"Field '{field}' is a {other.GetType().Name}, not a list of ids."),
    };

    /// <summary>When the record last changed: <c>write_date</c>, or <c>create_date</c> for a record never written.</summary>
    public DateTime ChangedAt =>
        DateTimeOrNull("write_date") ?? DateTimeOrNull("create_date")
        ?? throw new InvalidOperationException("Read create_date and write_date to know when a record changed.");
}
