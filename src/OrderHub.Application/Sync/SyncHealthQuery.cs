using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

/// <param name="LagSeconds">Now minus the newest ERP change seen by this feed; null before the first change.</param>
public sealed record FeedHealth(
    string Feed, long? LastStartedAtMs, long? LastFinishedAtMs, long? LastSucceededAtMs, long RowsChanged, double? LagSeconds,
    int ConsecutiveFailures, string? LastError, long? LastErrorAtMs, bool Running);

/// <summary>A recorded sync issue. <c>RowSkipped</c>: left out (true) or taken after a correction (false).</summary>
public sealed class SyncIssueRow
{
    public long Id { get; init; }
    public string Feed { get; init; } = "";
    public string? Key { get; init; }
    public string Problem { get; init; } = "";
    public bool RowSkipped { get; init; }
    public long OccurredAtMs { get; init; }
}

public sealed record SyncHealth(
    string Adapter, IReadOnlyList<FeedHealth> Feeds, IReadOnlyDictionary<string, long> Outbox, IReadOnlyList<SyncIssueRow> RecentIssues);

/// <summary>How the ERP bridge is doing: per feed, the outbox by status, and the latest data issues.</summary>
public sealed class SyncHealthQuery(Db db, OutboxAdmin outbox, TimeProvider clock)
{
    public async Task<SyncHealth> GetAsync(string adapterName, int issues = 50, CancellationToken ct = default)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<FeedRow>("""
            SELECT feed AS Feed, lease_until AS LeaseUntil, last_started_at AS LastStartedAt, last_finished_at AS LastFinishedAt,
                   last_succeeded_at AS LastSucceededAt, last_rows_changed AS LastRowsChanged, newest_change_at AS NewestChangeAt,
                   consecutive_failures AS ConsecutiveFailures, last_error AS LastError, last_error_at AS LastErrorAt
            FROM sync_feeds
            """)).ToDictionary(r => r.Feed);
        var feeds = SyncFeed.Pulls.Select(f => rows.TryGetValue(f, out var r)
            ? new FeedHealth(f, r.LastStartedAt, r.LastFinishedAt, r.LastSucceededAt, r.LastRowsChanged,
                r.NewestChangeAt is { } n ? Math.Max(0, nowMs - n) / 1000.0 : null, r.ConsecutiveFailures, r.LastError, r.LastErrorAt,
                r.LeaseUntil is { } l && l > nowMs)
            : new FeedHealth(f, null, null, null, 0, null, 0, null, null, false)).ToList();
        var recent = (await c.QueryAsync<SyncIssueRow>("""
            SELECT id AS Id, feed AS Feed, item_key AS Key, problem AS Problem, row_skipped AS RowSkipped, occurred_at AS OccurredAtMs
            FROM sync_issues ORDER BY id DESC LIMIT @issues
            """, new { issues = Math.Clamp(issues, 1, 500) })).AsList();
        return new SyncHealth(adapterName, feeds, await outbox.CountsAsync(ct), recent);
    }

    private sealed class FeedRow
    {
        public string Feed { get; init; } = "";
        public long? LeaseUntil { get; init; }
        public long? LastStartedAt { get; init; }
        public long? LastFinishedAt { get; init; }
        public long? LastSucceededAt { get; init; }
        public long LastRowsChanged { get; init; }
        public long? NewestChangeAt { get; init; }
        public int ConsecutiveFailures { get; init; }
        public string? LastError { get; init; }
        public long? LastErrorAt { get; init; }
    }
}
