using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>The tables of migration 0004: each feed's cursor, lease and health (<c>sync_feeds</c>) and the recorded issues (<c>sync_issues</c>).</summary>
public sealed class SyncStateStore(Db db, ErpSyncOptions options)
{
    /// <summary>Takes the feed for one run, unless another run holds it. Returns the cursor to continue from, or <c>Busy</c>.</summary>
    public async Task<(bool Busy, string? Cursor)> TryStartAsync(string feed, long nowMs, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await c.ExecuteAsync("INSERT INTO sync_feeds (feed) VALUES (@feed) ON CONFLICT (feed) DO NOTHING", new { feed }, tx);
        var taken = await c.ExecuteAsync("""
            UPDATE sync_feeds SET lease_until = @leaseUntil, last_started_at = @nowMs
            WHERE feed = @feed AND (lease_until IS NULL OR lease_until < @nowMs)
            """, new { feed, nowMs, leaseUntil = nowMs + options.FeedLeaseSeconds * 1000L }, tx);
        var cursor = await c.ExecuteScalarAsync<string?>("SELECT feed_cursor FROM sync_feeds WHERE feed = @feed", new { feed }, tx);
        await tx.CommitAsync(ct);
        return (taken == 0, cursor);
    }

    /// <summary>Moves the cursor past a page; called inside the page's transaction, so the page and its cursor commit together.</summary>
    public Task SaveCursorAsync(DbConnection c, DbTransaction tx, string feed, string? cursor, long? newestChangeMs) =>
        c.ExecuteAsync("""
            UPDATE sync_feeds SET feed_cursor = @cursor,
                newest_change_at = CASE WHEN @newest IS NULL THEN newest_change_at
                                        WHEN newest_change_at IS NULL OR newest_change_at < @newest THEN @newest
                                        ELSE newest_change_at END
            WHERE feed = @feed
            """, new { feed, cursor, newest = newestChangeMs }, tx);

    public async Task FinishAsync(string feed, long nowMs, long rowsChanged, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("""
            UPDATE sync_feeds SET lease_until = NULL, last_finished_at = @nowMs, last_succeeded_at = @nowMs,
                last_rows_changed = @rowsChanged, consecutive_failures = 0, last_error = NULL
            WHERE feed = @feed
            """, new { feed, nowMs, rowsChanged });
    }

    public async Task FailAsync(string feed, long nowMs, long rowsChanged, string error, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("""
            UPDATE sync_feeds SET lease_until = NULL, last_finished_at = @nowMs, last_rows_changed = @rowsChanged,
                consecutive_failures = consecutive_failures + 1, last_error = @error, last_error_at = @nowMs
            WHERE feed = @feed
            """, new { feed, nowMs, rowsChanged, error = Shorten(error, 1000) });
    }

    /// <summary>The first of <paramref name="feeds"/> that has never finished a run successfully, or null.</summary>
    public async Task<string?> FirstNeverSucceededAsync(IReadOnlyList<string> feeds, CancellationToken ct)
    {
        if (feeds.Count == 0) return null;
        await using var c = await db.OpenAsync(ct);
        var done = (await c.QueryAsync<string>($"SELECT feed FROM sync_feeds WHERE last_succeeded_at IS NOT NULL AND {db.Dialect.InList("feed", "feeds")}",
            new { feeds = feeds.ToArray() })).ToHashSet();
        return feeds.FirstOrDefault(f => !done.Contains(f));
    }

    /// <summary>Forgets the cursors, so the next pull of each feed starts from the beginning (a full resync).</summary>
    public async Task ResetCursorsAsync(IReadOnlyList<string> feeds, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        foreach (var feed in feeds)
        {
            await c.ExecuteAsync("INSERT INTO sync_feeds (feed) VALUES (@feed) ON CONFLICT (feed) DO NOTHING", new { feed }, tx);
            await c.ExecuteAsync("UPDATE sync_feeds SET feed_cursor = NULL WHERE feed = @feed", new { feed }, tx);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Records issues (in the caller's transaction) and keeps only the newest <see cref="ErpSyncOptions.IssuesKept"/>.</summary>
    public async Task AddIssuesAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<ErpDataIssue> issues, long nowMs)
    {
        if (issues.Count == 0) return;
        await c.ExecuteAsync("""
            INSERT INTO sync_issues (feed, item_key, problem, row_skipped, occurred_at) VALUES (@Feed, @Key, @Problem, @RowSkipped, @nowMs)
            """, issues.Select(i => new { i.Feed, Key = Shorten(i.Key, 200), Problem = Shorten(i.Problem, 1000), i.RowSkipped, nowMs }), tx);
        await c.ExecuteAsync("""
            DELETE FROM sync_issues WHERE id <= (SELECT id FROM sync_issues ORDER BY id DESC LIMIT 1 OFFSET @kept)
            """, new { kept = Math.Max(1, options.IssuesKept) }, tx);
    }

    public async Task AddIssuesAsync(IReadOnlyCollection<ErpDataIssue> issues, long nowMs, CancellationToken ct)
    {
        if (issues.Count == 0) return;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await AddIssuesAsync(c, tx, issues, nowMs);
        await tx.CommitAsync(ct);
    }

    private static string? Shorten(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
