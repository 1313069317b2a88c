using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.People;

namespace OrderHub.Application.OrderFlow;

/// <summary>What happened to one order of a batch. <c>Ok</c> false: <c>Message</c> says why (中文 / English).</summary>
public sealed class BatchItemResult
{
    public long OrderId { get; init; }
    public string? OrderNo { get; init; }
    public bool Ok { get; init; }
    public string? Status { get; init; }
    public string? StatusLabel => Status is null ? null : OrderStatus.Label(Status);
    /// <summary>"中文 / English" when refused.</summary>
    public string? Message { get; init; }
    public string? MessageZh => Message?.Split(" / ")[0];
}

public sealed record BatchResult(long BatchId, string Action, int Succeeded, int Failed, bool Replayed, IReadOnlyList<BatchItemResult> Items);

/// <summary>
/// Batch approve and batch ship (批量审核 / 批量出库 / 批量发货): each order goes through <see cref="OrderFlowService"/> on its
/// own, with its own checks (role, status, a race with a colleague) and its own transaction, so one refused order never
/// holds back the others. The request's idempotency key names the batch: a retry answers the stored per-order results
/// instead of acting again; a batch interrupted half-way (the host stopped) resumes with the orders it had not reached
/// when the same key is sent again after <see cref="StaleAfter"/>.
/// </summary>
public sealed class BatchOrderActions(Db db, OrderFlowService flow, TimeProvider clock)
{
    public const int MaxOrders = 200;
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>The batch actions, by the name the API uses.</summary>
    public static readonly IReadOnlyDictionary<string, OrderAction> Actions = new Dictionary<string, OrderAction>
    {
        ["approve-sales"] = OrderAction.ApproveSales,
        ["approve-finance"] = OrderAction.ApproveFinance,
        ["outbound"] = OrderAction.Outbound,
        ["ship"] = OrderAction.Ship,
    };

    public async Task<BatchResult> RunAsync(string actionName, IReadOnlyList<long> orderIds, Actor actor, Role role, string idempotencyKey, CancellationToken ct = default)
    {
        if (!Actions.TryGetValue(actionName, out var action))
            throw AppProblem.BadRequest($"不支持批量操作 {actionName}", $"Unknown batch action '{actionName}'");
        if (orderIds.Count is 0 or > MaxOrders)
            throw AppProblem.BadRequest($"请选择 1 到 {MaxOrders} 个订单", $"Choose between 1 and {MaxOrders} orders");
        if (orderIds.Distinct().Count() != orderIds.Count)
            throw AppProblem.BadRequest("订单重复", "An order appears twice");
        if (!OrderFlowRules.RoleMayEver(role, action))
            throw AppProblem.Forbidden($"您的角色不能执行「{OrderFlowRules.ActionLabel(action)}」", $"Your role may not {OrderFlowRules.ActionName(action)} orders");

        var scope = $"order-batch:{actor.Kind}:{actor.Id}";
        var hash = Idempotency.Hash(actionName, string.Join(',', orderIds));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long batchId;
        var replayed = false;
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await db.BeginWriteAsync(c, ct);
            if (await Idempotency.LockAndFindAsync(c, tx, scope, idempotencyKey, hash) is { } existing)
            {
                batchId = existing;
                replayed = true;
                var b = await c.QuerySingleAsync<(long UpdatedAt, long? FinishedAt)>("SELECT updated_at, finished_at FROM order_batches WHERE id = @batchId", new { batchId }, tx);
                if (b.FinishedAt is null)
                {
                    // Another request is still working on it, or it stopped half-way: resume only when it has gone quiet.
                    if (now - b.UpdatedAt < (long)StaleAfter.TotalMilliseconds)
                        throw AppProblem.Conflict("该批量操作仍在处理中，请稍后用同一请求重试", "This batch is still running; retry the same request in a moment");
                    await c.ExecuteAsync("UPDATE order_batches SET updated_at = @now WHERE id = @batchId", new { now, batchId }, tx);
                }
                await tx.CommitAsync(ct);
            }
            else
            {
                batchId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO order_batches (staff_id, action, order_count, created_at, updated_at) VALUES (@staffId, @actionName, @n, @now, @now) RETURNING id
                    """, new { staffId = actor.Id ?? 0, actionName, n = orderIds.Count, now }, tx);
                await c.ExecuteAsync("INSERT INTO order_batch_items (batch_id, seq, order_id) VALUES (@batchId, @seq, @orderId)",
                    orderIds.Select((id, i) => new { batchId, seq = i, orderId = id }), tx);
                if (!await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, batchId, now))
                    throw AppProblem.Conflict("该批量操作仍在处理中，请稍后用同一请求重试", "This batch is still running; retry the same request in a moment");
                await tx.CommitAsync(ct);
            }
        }

        await RunPendingAsync(batchId, action, actor, role, ct);
        return await ReadAsync(batchId, actionName, replayed, ct);
    }

    private async Task RunPendingAsync(long batchId, OrderAction action, Actor actor, Role role, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var pending = (await c.QueryAsync<(int Seq, long OrderId)>(
            "SELECT seq, order_id FROM order_batch_items WHERE batch_id = @batchId AND ok IS NULL ORDER BY seq", new { batchId })).ToList();
        foreach (var (seq, orderId) in pending)
        {
            bool ok;
            string? message = null;
            try
            {
                await flow.ActAsync(new OrderActionRequest(orderId, action, actor, role, OrderScope.Any), ct);
                ok = true;
            }
            catch (AppProblem p)
            {
                ok = false;
                message = $"{p.Zh} / {p.En}";
            }
            var found = await c.QuerySingleOrDefaultAsync<(string OrderNo, string Status)?>("SELECT order_no, status FROM orders WHERE id = @orderId", new { orderId });
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await Write(c, "UPDATE order_batch_items SET ok = @ok, order_no = @no, status = @status, message = @message, done_at = @now WHERE batch_id = @batchId AND seq = @seq",
                new { ok, no = found?.OrderNo, status = found?.Status, message, now, batchId, seq }, ct);
            await Write(c, "UPDATE order_batches SET updated_at = @now WHERE id = @batchId", new { now, batchId }, ct);
        }
        await Write(c, "UPDATE order_batches SET finished_at = @now WHERE id = @batchId AND finished_at IS NULL",
            new { now = clock.GetUtcNow().ToUnixTimeMilliseconds(), batchId }, ct);
    }

    private async Task Write(DbConnection c, string sql, object args, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(c, ct);
        await c.ExecuteAsync(sql, args, tx);
        await tx.CommitAsync(ct);
    }

    private async Task<BatchResult> ReadAsync(long batchId, string actionName, bool replayed, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var items = (await c.QueryAsync<BatchItemResult>("""
            SELECT order_id AS OrderId, order_no AS OrderNo, COALESCE(ok, FALSE) AS Ok, status AS Status, message AS Message
            FROM order_batch_items WHERE batch_id = @batchId ORDER BY seq
            """, new { batchId })).ToList();
        return new BatchResult(batchId, actionName, items.Count(i => i.Ok), items.Count(i => !i.Ok), replayed, items);
    }
}
