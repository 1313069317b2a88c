using System.Globalization;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// The opaque cursor of every pull: a closed time window over the ERP's change date plus a keyset position inside it.
/// Text form: <c>v1|from|to|key</c>, dates as ERP server-local <c>yyyy-MM-ddTHH:mm:ss.fff</c>, for example
/// <c>v1|2025-01-09T12:00:45.053|2025-01-10T08:00:00.000|100345</c>. Empty <c>from</c> = from the beginning;
/// empty <c>to</c> = the window is not opened yet (the next call opens (from, now − lag]); empty <c>key</c> = from
/// the window's first row.
/// <para>
/// Why a window and a key rather than "date &gt; last date" with StartRow paging: rows are read in key order inside a
/// window whose end is fixed, so a row edited while we page simply leaves the window (its new date is after the end,
/// so the next window reads it) and nothing shifts under us. StartRow offsets would skip a row every time an earlier
/// row left the result set, and a bare "date &gt; last seen" loses rows sharing the last date across a page end.
/// </para>
/// </summary>
/// <para>A pull that reads several forms in one window (order status: sales orders, then outbound documents, then
/// delivery notices) adds the phase it is in: <c>v2|from|to|key|phase</c>. Phase 0 is written as v1.</para>
internal sealed record SyncCursor(DateTime? From, DateTime? To, string? Key, int Phase = 0)
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff";

    public static SyncCursor Start => new(null, null, null);

    public static SyncCursor Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Start;
        var parts = text.Split('|');
        var ok = (parts.Length == 4 && parts[0] == "v1") || (parts.Length == 5 && parts[0] == "v2" && int.TryParse(parts[4], out _));
        if (!ok) throw new ArgumentException($"Not a Kingdee cursor: '{text}'.", nameof(text));
        return new SyncCursor(ParseDate(parts[1]), ParseDate(parts[2]), parts[3].Length == 0 ? null : parts[3],
            parts.Length == 5 ? int.Parse(parts[4], CultureInfo.InvariantCulture) : 0);
    }

    public override string ToString() => Phase == 0
        ? $"v1|{FormatDate(From)}|{FormatDate(To)}|{Key}"
        : $"v2|{FormatDate(From)}|{FormatDate(To)}|{Key}|{Phase.ToString(CultureInfo.InvariantCulture)}";

    public static string FormatDate(DateTime? d) => d?.ToString(Format, CultureInfo.InvariantCulture) ?? "";

    /// <summary>A Kingdee filter literal for a date (the same text form Kingdee returns).</summary>
    public static string Literal(DateTime d) => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "'";

    private static DateTime? ParseDate(string s) =>
        s.Length == 0 ? null : DateTime.ParseExact(s, Format, CultureInfo.InvariantCulture, DateTimeStyles.None);
}
