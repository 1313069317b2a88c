using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>What one push run did.</summary>
public sealed record PushRunResult(int Sent, int Retrying, int Parked, int Skipped);

/// <summary>
/// Sends the outbox to the ERP. For each due <c>erp.push_order</c> row it claims (<see cref="OutboxLease"/>): builds the
/// order, asks the ERP whether it already has it (<see cref="IErpAdapter.FindOrderAsync"/>) and pushes only when not — so a
/// retry, a crash or a timeout after the ERP committed never makes a second ERP order — then stores the ERP order id and
/// marks the row sent. ERP unavailable: the row waits with exponential backoff (capped) and nothing is lost. ERP refuses:
/// the row is parked as failed with the ERP's message and a timeline event, and the rows behind it go on.
/// An order the ERP has but could not bring to the state the flow needs (<see cref="ErpOrderIncompleteException"/>) is parked too,
/// and recorded as a sync issue; ERP warnings on a sent order (<see cref="ErpOrderRef.Warnings"/>) become sync issues.
/// <c>erp.cancel_order</c> rows cannot be sent (the port has no cancel): they become an issue for a person.
/// </summary>
public sealed partial class OrderPushService(
    Db db, IErpAdapter erp, OutboxLease lease, ErpOrderBuilder builder, SyncStateStore state, OrderPushOptions options, TimeProvider clock)
{
    public const string PushedAction = "erp_pushed";
    public const string RejectedAction = "erp_rejected";
    public const string CancelNeedsPersonAction = "erp_cancel_needed";

    public async Task<PushRunResult> PushDueAsync(CancellationToken ct = default)
    {
        int sent = 0, retrying = 0, parked = 0, skipped = 0;
        foreach (var id in await lease.DueAsync(Math.Max(1, options.BatchSize), Now(), ct))
        {
            var row = await lease.TryClaimAsync(id, Now(), TimeSpan.FromSeconds(options.LeaseSeconds), ct);
            if (row is null) { skipped++; continue; }
            switch (await SendAsync(row, ct))
            {
                case Outcome.Sent: sent++; break;
                case Outcome.Retry: retrying++; break;
                case Outcome.Parked: parked++; break;
                default: skipped++; break;
            }
        }
        return new PushRunResult(sent, retrying, parked, skipped);
    }

    private enum Outcome { Sent, Retry, Parked, Skipped }

    private async Task<Outcome> SendAsync(OutboxClaim row, CancellationToken ct)
    {
        if (row.Topic == Outbox.CancelOrder) return await CancelNeedsPersonAsync(row, ct);
        if (row.Topic == Outbox.PushReturn) return await PushReturnAsync(row, ct);
        if (row.Topic == Outbox.PushReceipt) return await PushReceiptAsync(row, ct);
        if (row.Topic == Outbox.PushRefund) return await PushRefundAsync(row, ct);
        if (row.Topic != Outbox.PushOrder) return await ParkAsync(row, null, $"未知主题 {row.Topic} / Unknown topic", ct);

        var order = await builder.BuildAsync(row.AggregateId, ct);
        if (order is null) return await ParkAsync(row, null, "订单不存在 / Order not found", ct);
        if (order.Status is OrderStatus.Cancelled or OrderStatus.Rejected)
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Cancelled}', lease_until = NULL WHERE {OutboxLease.HeldByMe}", row);
            return Outcome.Skipped;
        }
        try
        {
            var existing = await erp.FindOrderAsync(order.Order.OrderNumber, ct);
            var erpOrder = existing ?? await erp.PushOrderAsync(order.Order, ct);
            await SentAsync(row, order, erpOrder, existing is not null, ct);
            return Outcome.Sent;
        }
        catch (ErpOrderIncompleteException e)
        {
            // The ERP has the document but it did not reach the state the flow needs: not sent, and a person must look.
            var message = $"ERP 单据 {e.ErpOrderId} 停在 {e.ErpState}，未完成推送 / ERP order {e.ErpOrderId} stuck in state {e.ErpState}: {e.Message}";
            return await ParkAsync(row, order.OrderId, message, ct,
                new ErpDataIssue(SyncFeed.OrderPush, order.Order.OrderNumber, Shorten(message), RowSkipped: true));
        }
        catch (ErpRejectedException e)
        {
            return await ParkAsync(row, order.OrderId, $"ERP 拒收 / ERP rejected: {e.Message}", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // ERP down, a timeout, or anything unexpected: the order may or may not be in the ERP; the next attempt looks first.
            await RetryLaterAsync(row, ErpFailure.Describe(e), ct);
            return Outcome.Retry;
        }
    }

    private async Task SentAsync(OutboxClaim row, OrderForErp order, ErpOrderRef erpOrder, bool foundExisting, CancellationToken ct)
    {
        var nowMs = Now();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var held = await c.ExecuteAsync($"""
            UPDATE outbox SET status = '{OutboxStatus.Sent}', sent_at = @nowMs, lease_until = NULL, last_error = NULL WHERE {OutboxLease.HeldByMe}
            """, new { row.Id, row.LeaseUntil, nowMs }, tx);
        await c.ExecuteAsync("UPDATE orders SET erp_order_id = @ErpOrderId WHERE id = @OrderId", new { erpOrder.ErpOrderId, order.OrderId }, tx);
        await OrderJournal.AddEventAsync(c, tx, order.OrderId, Actor.Erp(erp.Name), PushedAction, null, null,
            $"已推送 ERP，ERP 单号 {erpOrder.ErpOrderId}{(foundExisting ? "（ERP 中已有，未重复下单）" : "")}", nowMs);
        if (erpOrder.Warnings is { Count: > 0 } warnings)
            await state.AddIssuesAsync(c, tx, warnings.Select(w => new ErpDataIssue(SyncFeed.OrderPush, order.Order.OrderNumber, Shorten(w), RowSkipped: false)).ToList(), nowMs);
        if (held == 0 && await StatusAsync(c, tx, row.Id) == "cancelled")
            // The order was cancelled in OrderHub while it was on its way: the ERP has it now, so someone must cancel it there.
            await Outbox.EnqueueAsync(c, tx, Outbox.CancelOrder, order.OrderId, order.Order.OrderNumber, nowMs);
        await tx.CommitAsync(ct);
    }

    private async Task RetryLaterAsync(OutboxClaim row, string error, CancellationToken ct)
    {
        var nowMs = Now();
        var next = nowMs + (long)options.BackoffFor(row.Attempts).TotalMilliseconds;
        await using var c = await db.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync($"""
            UPDATE outbox SET status = '{OutboxStatus.Pending}', lease_until = NULL, next_attempt_at = @next, last_error = @error WHERE {OutboxLease.HeldByMe}
            """, new { row.Id, row.LeaseUntil, next, error = Shorten(error) });
    }

    private async Task<Outcome> ParkAsync(OutboxClaim row, long? orderId, string error, CancellationToken ct, ErpDataIssue? issue = null)
    {
        var nowMs = Now();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Failed}', lease_until = NULL, last_error = @error WHERE {OutboxLease.HeldByMe}",
            new { row.Id, row.LeaseUntil, error = Shorten(error) }, tx);
        if (orderId is { } id)
            await OrderJournal.AddEventAsync(c, tx, id, Actor.Erp(erp.Name), RejectedAction, null, null, Shorten(error), nowMs);
        if (issue is not null) await state.AddIssuesAsync(c, tx, [issue], nowMs);
        await tx.CommitAsync(ct);
        return Outcome.Parked;
    }

    private async Task<Outcome> CancelNeedsPersonAsync(OutboxClaim row, CancellationToken ct)
    {
        var nowMs = Now();
        var orderNo = row.Payload;
        await using var c = await db.OpenAsync(ct);
        var erpId = await c.ExecuteScalarAsync<string?>("SELECT erp_order_id FROM orders WHERE id = @AggregateId", row);
        var message = $"订单 {orderNo} 已在 OrderHub 取消，但 ERP 中已有该单{(erpId is null ? "" : $"（{erpId}）")}，ERP 接口不支持取消：请在 ERP 中手工作废 / " +
                      $"Order {orderNo} was cancelled in OrderHub but is already in the ERP, whose port has no cancel: cancel it in the ERP by hand";
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Failed}', lease_until = NULL, last_error = @message WHERE {OutboxLease.HeldByMe}",
                new { row.Id, row.LeaseUntil, message }, tx);
            await OrderJournal.AddEventAsync(c, tx, row.AggregateId, Actor.System, CancelNeedsPersonAction, null, null, "ERP 中需人工作废此单", nowMs);
            await state.AddIssuesAsync(c, tx, [new ErpDataIssue(SyncFeed.OrderPush, orderNo, message, RowSkipped: true)], nowMs);
            await tx.CommitAsync(ct);
        }
        return Outcome.Parked;
    }

    private static Task<string?> StatusAsync(DbConnection c, DbTransaction tx, long id) =>
        c.ExecuteScalarAsync<string?>("SELECT status FROM outbox WHERE id = @id", new { id }, tx);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
    private static string Shorten(string s) => s.Length <= 1000 ? s : s[..1000];
}
