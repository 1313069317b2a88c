using OrderHub.Erp.SqlDatabase.Mapping;

namespace OrderHub.Erp.SqlDatabase.Feeds;

/// <summary>Reads a page of a feed and maps its rows; bad rows are reported to the issue sink instead of the page.</summary>
internal sealed class FeedPuller(ChangeFeedReader reader, IErpDataIssues issues)
{
    public async Task<ErpPage<T>> PullAsync<T>(string? sql, RowMapper<T> mapper, string? cursor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sql)) return ErpPage<T>.Empty(cursor);
        var page = await reader.ReadAsync(mapper.Feed, sql, cursor, ct);
        var items = new List<T>(page.Rows.Count);
        foreach (var row in page.Rows)
        {
            var key = mapper.Key(row);
            try
            {
                items.Add(mapper.Map(row, problem => issues.Report(new ErpDataIssue(mapper.Feed, key, problem, RowSkipped: false))));
            }
            catch (BadErpRowException bad)
            {
                issues.Report(new ErpDataIssue(mapper.Feed, key, bad.Message, RowSkipped: true));
            }
        }
        return new ErpPage<T>(items, page.NextCursor, page.HasMore);
    }
}
