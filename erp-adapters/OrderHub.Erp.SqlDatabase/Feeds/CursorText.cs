using System.Globalization;

namespace OrderHub.Erp.SqlDatabase.Feeds;

/// <summary>
/// Turns a row's <c>CursorValue</c> into the text OrderHub stores and passes back as <c>@cursor</c>:
/// date/times as ISO 8601 with 7 fraction digits (an offset only when the value has one), rowversion/binary as
/// <c>0x…</c> hex, numbers in invariant culture, text as it is.
/// </summary>
internal static class CursorText
{
    public static string From(object? value, string query) => value switch
    {
        null => throw new ErpQueryContractException($"The {query} query returned a row whose CursorValue is NULL."),
        string s => s,
        DateTime { Kind: DateTimeKind.Utc } u => u.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
        byte[] b => "0x" + Convert.ToHexString(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
