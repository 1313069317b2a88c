using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

/// <summary>One message to the ERP, with its order number.</summary>
public sealed class OutboxRow
{
    public long Id { get; init; }
    public string Topic { get; init; } = "";
    public long OrderId { get; init; }
    public string? OrderNo { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public long NextAttemptAtMs { get; init; }
    public string? LastError { get; init; }
    public long CreatedAtMs { get; init; }
    public long? SentAtMs { get; init; }
    public long? LeaseUntilMs { get; init; }
}

/// <summary>The back office's view of the outbox: rows by status, and a manual retry for parked (failed) rows.</summary>
public sealed class OutboxAdmin(Db db, TimeProvider clock)
{
    public static readonly string[] Statuses = OutboxStatus.All;

    // returns and receipts carry their own number as the payload (aggregate_id is the return's or payment's id)
    private const string Select = $"""
        SELECT x.id AS Id, x.topic AS Topic, x.aggregate_id AS OrderId, COALESCE(o.order_no, x.payload) AS OrderNo, x.status AS Status, x.attempts AS Attempts,
               x.next_attempt_at AS NextAttemptAtMs, x.last_error AS LastError, x.created_at AS CreatedAtMs, x.sent_at AS SentAtMs,
               x.lease_until AS LeaseUntilMs
        FROM outbox x LEFT JOIN orders o ON o.id = x.aggregate_id AND x.topic IN ('{Outbox.PushOrder}', '{Outbox.CancelOrder}')
        """;

    /// <param name="status">One of <see cref="Statuses"/>, or null for all.</param>
    public async Task<IReadOnlyList<OutboxRow>> ListAsync(string? status, int limit, CancellationToken ct = default)
    {
        if (status is not null && !Statuses.Contains(status))
            throw AppProblem.BadRequest($"未知状态 {status}", $"Unknown status {status}; use one of {string.Join(", ", Statuses)}");
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<OutboxRow>(
            $"{Select} WHERE (@status IS NULL OR x.status = @status) ORDER BY x.id DESC LIMIT @limit", new { status, limit = Math.Clamp(limit, 1, 500) });
        return rows.AsList();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var counts = (await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM outbox GROUP BY status"))
            .ToDictionary(x => x.Status, x => x.Count);
        return Statuses.ToDictionary(s => s, s => counts.GetValueOrDefault(s));
    }

    /// <summary>Puts a failed row back in the queue, due now, with its attempts (and so its backoff) reset.</summary>
    public async Task<OutboxRow> RetryAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var status = await c.ExecuteScalarAsync<string?>("SELECT status FROM outbox WHERE id = @id", new { id }, tx)
            ?? throw AppProblem.NotFound($"队列消息 {id} 不存在", $"Outbox message {id} not found");
        if (status != OutboxStatus.Failed)
            throw AppProblem.Conflict($"只有失败的消息可以重试，该消息为「{status}」", $"Only failed messages can be retried; this one is {status}",
                new Dictionary<string, object?> { ["status"] = status });
        await c.ExecuteAsync($"""
            UPDATE outbox SET status = '{OutboxStatus.Pending}', attempts = 0, next_attempt_at = @nowMs, lease_until = NULL WHERE id = @id AND status = '{OutboxStatus.Failed}'
            """, new { id, nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        var row = await c.QuerySingleAsync<OutboxRow>($"{Select} WHERE x.id = @id", new { id }, tx);
        await tx.CommitAsync(ct);
        return row;
    }
}
