using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

/// <summary>One outbox row claimed by this sender until <see cref="LeaseUntil"/>.</summary>
public sealed class OutboxClaim
{
    public long Id { get; init; }
    public string Topic { get; init; } = "";
    public long AggregateId { get; init; }
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
    public long LeaseUntil { get; init; }
}

/// <summary>
/// Claims outbox rows so that two senders (two nodes, or a job and a manual run) never send the same row at once:
/// a conditional UPDATE moves a due row to <c>sending</c> with a lease. A sender that dies leaves the row <c>sending</c>;
/// once the lease has passed it is due again, and the next sender looks the order up in the ERP before pushing.
/// Every outcome update is conditional on still holding the lease.
/// </summary>
public sealed class OutboxLease(Db db)
{
    private const string Due = $"((status = '{OutboxStatus.Pending}' AND next_attempt_at <= @nowMs) OR (status = '{OutboxStatus.Sending}' AND lease_until < @nowMs))";

    public async Task<IReadOnlyList<long>> DueAsync(int limit, long nowMs, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var ids = await c.QueryAsync<long>($"SELECT id FROM outbox WHERE {Due} ORDER BY next_attempt_at, id LIMIT @limit", new { nowMs, limit });
        return ids.AsList();
    }

    /// <returns>The claimed row, or null when another sender took it first or it is no longer due.</returns>
    public async Task<OutboxClaim?> TryClaimAsync(long id, long nowMs, TimeSpan lease, CancellationToken ct)
    {
        var leaseUntil = nowMs + (long)lease.TotalMilliseconds;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var claimed = await c.ExecuteAsync($"""
            UPDATE outbox SET status = '{OutboxStatus.Sending}', lease_until = @leaseUntil, attempts = attempts + 1 WHERE id = @id AND {Due}
            """, new { id, nowMs, leaseUntil }, tx);
        OutboxClaim? row = null;
        if (claimed == 1)
            row = await c.QuerySingleAsync<OutboxClaim>("""
                SELECT id AS Id, topic AS Topic, aggregate_id AS AggregateId, payload AS Payload, attempts AS Attempts, lease_until AS LeaseUntil
                FROM outbox WHERE id = @id
                """, new { id }, tx);
        await tx.CommitAsync(ct);
        return row;
    }

    public const string HeldByMe = $"id = @Id AND status = '{OutboxStatus.Sending}' AND lease_until = @LeaseUntil";
}
