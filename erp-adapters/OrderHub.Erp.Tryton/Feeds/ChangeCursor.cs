using System.Globalization;

namespace OrderHub.Erp.Tryton.Feeds;

/// <summary>
/// The opaque cursor every pull hands out. Two forms, both plain text:
/// <list type="bullet">
/// <item><c>v1|&lt;at&gt;|&lt;key&gt;</c> (incremental): every change up to and including (at, key) was delivered.
/// <c>at</c> is a Tryton change time (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffff</c>); <c>key</c> names the entity
/// (a product id, <c>c12</c> for customer 12, …) and breaks ties between records changed in the same transaction,
/// which Tryton stamps with the same time. An empty key means nothing at <c>at</c> was delivered yet.</item>
/// <item><c>v1full|&lt;floor&gt;|&lt;key&gt;</c>: a full resync in progress, delivered up to <c>key</c> in key order;
/// <c>floor</c> is the latest change time seen when it started. Once done the cursor becomes incremental
/// from just after <c>floor</c>.</item>
/// </list>
/// A change time is <c>write_date</c>, or <c>create_date</c> for a record never written.
/// </summary>
public sealed record ChangeCursor(bool FullResync, DateTime At, string Key)
{
    private const string Format = "yyyy-MM-ddTHH:mm:ss.ffffff";

    public static ChangeCursor Incremental(DateTime at, string key) => new(false, at, key);

    /// <summary>The position just after everything changed at or before <paramref name="at"/> (Tryton keeps microseconds).</summary>
    public static ChangeCursor After(DateTime at) => new(false, at.AddTicks(10), "");

    public static ChangeCursor Full(DateTime floor, string key) => new(true, floor, key);

    public static ChangeCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split('|');
        if (parts.Length != 3 || parts[0] is not ("v1" or "v1full")
            || !DateTime.TryParseExact(parts[1], Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            throw new ArgumentException($"Not a Tryton cursor: '{text}'.", nameof(text));
        return new ChangeCursor(parts[0] == "v1full", DateTime.SpecifyKind(at, DateTimeKind.Utc), parts[2]);
    }

    public override string ToString() =>
        $"{(FullResync ? "v1full" : "v1")}|{At.ToString(Format, CultureInfo.InvariantCulture)}|{Key}";

    /// <summary>True when a change of <paramref name="key"/> at <paramref name="at"/> comes after this incremental cursor.</summary>
    public bool IsBefore(DateTime at, string key) =>
        at > At || (at == At && string.CompareOrdinal(key, Key) > 0);
}
