using System.Globalization;
using System.Text.Json;

namespace OrderHub.Erp.Kingdee;

/// <summary>One row of an ExecuteBillQuery answer: values in the order of the FieldKeys asked for.</summary>
public sealed class KingdeeRow
{
    private readonly IReadOnlyDictionary<string, int> _index;
    private readonly JsonElement[] _values;

    internal KingdeeRow(IReadOnlyDictionary<string, int> index, JsonElement[] values)
    {
        _index = index;
        _values = values;
    }

    public JsonElement this[string fieldKey] =>
        _index.TryGetValue(fieldKey, out var i) && i < _values.Length
            ? _values[i]
            : throw new KeyNotFoundException($"Field '{fieldKey}' was not asked for in FieldKeys.");

    public string? GetString(string key)
    {
        var v = this[key];
        return v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => v.GetString(),
            _ => v.GetRawText(),
        };
    }

    /// <summary>Exact decimal (JSON number or numeric string); null when empty.</summary>
    public decimal? GetDecimal(string key)
    {
        var v = this[key];
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDecimal(),
            JsonValueKind.String when decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    /// <summary>Kingdee dates come as server-local text without offset, e.g. 2025-01-09T12:00:45.053.</summary>
    public DateTime? GetDate(string key)
    {
        var s = GetString(key);
        if (string.IsNullOrWhiteSpace(s)) return null;
        return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var d)
            ? DateTime.SpecifyKind(d, DateTimeKind.Unspecified)
            : null;
    }
}
