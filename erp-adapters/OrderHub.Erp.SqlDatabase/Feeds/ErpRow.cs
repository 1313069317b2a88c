using System.Data.Common;
using System.Globalization;

namespace OrderHub.Erp.SqlDatabase.Feeds;

/// <summary>
/// One row of a configured query, read by column alias (case-insensitive), with lenient conversions for what ERP
/// databases hold (numbers as strings, 0/1 or 'Y'/'N' flags, local times without offset).
/// A column missing from the result set is a contract error (<see cref="ErpQueryContractException"/>);
/// an empty or unusable value in a row is a bad row (<see cref="BadErpRowException"/>).
/// </summary>
internal sealed class ErpRow
{
    private readonly Dictionary<string, object?> _values;
    private readonly string _query;
    private readonly TimeZoneInfo _zone;

    private ErpRow(Dictionary<string, object?> values, string query, TimeZoneInfo zone) => (_values, _query, _zone) = (values, query, zone);

    public static ErpRow Read(DbDataReader reader, string query, TimeZoneInfo zone)
    {
        var values = new Dictionary<string, object?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < reader.FieldCount; i++)
            values[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return new ErpRow(values, query, zone);
    }

    public bool Has(string column) => _values.ContainsKey(column);

    public object? Raw(string column) =>
        _values.TryGetValue(column, out var v) ? v
            : throw new ErpQueryContractException($"The {_query} query must return a column named {column} (see QUERIES.md).");

    /// <summary>The value, or null when the column is absent or NULL (for optional columns).</summary>
    public object? Optional(string column) => _values.GetValueOrDefault(column);

    public string? String(string column, bool required = false)
    {
        var v = required ? Raw(column) : Optional(column);
        var s = v switch { null => null, string x => x.Trim(), IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString()?.Trim() };
        if (string.IsNullOrEmpty(s)) return required ? throw new BadErpRowException($"{column} is empty") : null;
        return s;
    }

    public string Required(string column) => String(column, required: true)!;

    public decimal? Decimal(string column, bool required = false)
    {
        var v = required ? Raw(column) : Optional(column);
        if (v is null) return required ? throw new BadErpRowException($"{column} is empty") : null;
        try
        {
            return v switch
            {
                decimal d => d,
                double d => (decimal)d,
                float f => (decimal)f,
                string s => decimal.Parse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture),
                IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new BadErpRowException($"{column} '{v}' is not a number");
        }
    }

    /// <summary>A whole number; a fraction is a bad row (quantities and counts are whole in OrderHub).</summary>
    public long? Long(string column, bool required = false)
    {
        var d = Decimal(column, required);
        if (d is null) return null;
        if (d != decimal.Truncate(d.Value)) throw new BadErpRowException($"{column} {d} is not a whole number");
        return decimal.ToInt64(d.Value);
    }

    public bool Bool(string column, bool whenAbsent)
    {
        var v = Optional(column);
        return v switch
        {
            null => whenAbsent,
            bool b => b,
            string s => s.Trim().ToUpperInvariant() switch
            {
                "1" or "Y" or "YES" or "T" or "TRUE" or "是" or "启用" => true,
                "0" or "N" or "NO" or "F" or "FALSE" or "否" or "停用" or "" => false,
                _ => throw new BadErpRowException($"{column} '{s}' is not a yes/no value"),
            },
            IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture) != 0,
            _ => throw new BadErpRowException($"{column} '{v}' is not a yes/no value"),
        };
    }

    public DateTimeOffset Time(string column)
    {
        var v = Raw(column);
        return v switch
        {
            null => throw new BadErpRowException($"{column} is empty"),
            DateTimeOffset o => o,
            DateTime { Kind: DateTimeKind.Utc } u => new DateTimeOffset(u),
            DateTime local => new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone.GetUtcOffset(local)),
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var p) && HasOffset(s) => p,
            string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var p) =>
                new DateTimeOffset(p, _zone.GetUtcOffset(p)),
            _ => throw new BadErpRowException($"{column} '{v}' is not a date/time"),
        };
    }

    private static bool HasOffset(string s) => s.EndsWith('Z') || s.Length > 6 && (s[^6] is '+' or '-') && s[^3] == ':';

    /// <summary>
    /// An amount in fen from either <c>{name}Fen</c> (integer fen) or <c>{name}</c> (decimal yuan, converted exactly).
    /// </summary>
    public long Fen(string name)
    {
        if (Has(name + "Fen"))
            return Long(name + "Fen", required: true)!.Value;
        if (!Has(name))
            throw new ErpQueryContractException($"The {_query} query must return {name} (yuan) or {name}Fen (see QUERIES.md).");
        var yuan = Decimal(name, required: true)!.Value;
        return Yuan.ToFen(yuan) ?? throw new BadErpRowException($"{name} {yuan} yuan has digits below one fen");
    }

    /// <summary>The optional amount, 0 when absent or NULL.</summary>
    public long FenOrZero(string name) =>
        Optional(name + "Fen") is null && Optional(name) is null ? 0 : Fen(name);
}

/// <summary>A row that breaks OrderHub's rules; reported as an <see cref="Issues.ErpDataIssue"/> and skipped.</summary>
internal sealed class BadErpRowException(string problem) : Exception(problem);

/// <summary>Exact yuan → fen.</summary>
public static class Yuan
{
    /// <summary>Fen for <paramref name="yuan"/>, or null when it has digits below one fen (12.345).</summary>
    public static long? ToFen(decimal yuan)
    {
        var fen = yuan * 100m;
        return fen == decimal.Truncate(fen) ? decimal.ToInt64(fen) : null;
    }

    public static decimal FromFen(long fen) => fen / 100m;
}
