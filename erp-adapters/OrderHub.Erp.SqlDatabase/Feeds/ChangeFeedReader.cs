using System.Data.Common;
using Dapper;
using OrderHub.Erp.SqlDatabase.Database;

namespace OrderHub.Erp.SqlDatabase.Feeds;

/// <summary>The rows of one page and the cursor after them.</summary>
internal sealed record FeedPage(IReadOnlyList<ErpRow> Rows, string? NextCursor, bool HasMore);

/// <summary>
/// Runs a configured change query with <c>@cursor</c> (null on a full pull) and <c>@limit</c>; the query returns rows
/// with <c>CursorValue &gt; @cursor</c> ordered by <c>CursorValue</c>. The next cursor is the last row's CursorValue.
/// <para>
/// Change times are not unique: several rows may share one. When a page is full, the rows sharing the last value may
/// go on past it, so they are left for the next page (which starts after the value before them). When a whole page
/// shares one value, the limit is doubled until it no longer does.
/// </para>
/// </summary>
internal sealed class ChangeFeedReader(ErpDatabase db, TimeZoneInfo zone, int pageSize, IErpDataIssues issues)
{
    private const int MaxGrowth = 64;

    public async Task<FeedPage> ReadAsync(string feed, string sql, string? cursor, CancellationToken ct)
    {
        var limit = Math.Max(1, pageSize);
        while (true)
        {
            var rows = await QueryAsync(feed, sql, cursor, limit, ct);
            if (rows.Count < limit)
                return new(rows.Select(r => r.Row).ToList(), rows.Count == 0 ? cursor : rows[^1].Cursor, false);

            var last = rows[^1].Cursor;
            var keep = rows.FindLastIndex(r => r.Cursor != last) + 1;
            if (keep > 0)
                return new(rows.Take(keep).Select(r => r.Row).ToList(), rows[keep - 1].Cursor, true);
            if (limit >= pageSize * MaxGrowth)
            {
                issues.Report(new ErpDataIssue(feed, null,
                    $"more than {limit} rows share CursorValue {last}; rows after them with the same value may be missed — use a finer cursor column", false));
                return new(rows.Select(r => r.Row).ToList(), last, true);
            }
            limit *= 2;
        }
    }

    private Task<List<(ErpRow Row, string Cursor)>> QueryAsync(string feed, string sql, string? cursor, int limit, CancellationToken ct) =>
        db.RunAsync(feed, isWrite: false, async connection =>
        {
            var rows = new List<(ErpRow, string)>();
            await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(db.Command(sql, new { cursor, limit }, null, ct));
            while (await reader.ReadAsync(ct))
            {
                var row = ErpRow.Read(reader, feed, zone);
                rows.Add((row, CursorText.From(row.Raw("CursorValue"), feed)));
            }
            return rows;
        }, ct);
}
