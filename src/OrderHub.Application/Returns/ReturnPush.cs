using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Returns;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// The outbox's <c>erp.push_return</c> rows (written when a return is approved, in the same transaction): like an order,
/// the return is looked up in the ERP by its number first (<see cref="IErpAdapter.FindReturnAsync"/>) and created only when
/// absent, so it reaches the ERP once. An adapter that cannot write returns (<see cref="ErpReturnsNotSupportedException"/>)
/// or an ERP that refuses parks the row as failed, on the return's timeline and as a sync issue: a person enters it in the
/// ERP. A return withdrawn before it left is not sent.
/// </summary>
public sealed partial class OrderPushService
{
    private sealed class ReturnForErp
    {
        public long Id { get; init; }
        public string ReturnNo { get; init; } = "";
        public string Status { get; init; } = "";
        public string OrderNo { get; init; } = "";
        public string? ErpOrderId { get; init; }
        public string CustomerCode { get; init; } = "";
        public string? WarehouseCode { get; init; }
        public string Reason { get; init; } = "";
    }

    private async Task<Outcome> PushReturnAsync(OutboxClaim row, CancellationToken ct)
    {
        ReturnForErp? r;
        List<ErpReturnLine> lines;
        await using (var c = await db.OpenAsync(ct))
        {
            r = await c.QuerySingleOrDefaultAsync<ReturnForErp>("""
                SELECT r.id AS Id, r.return_no AS ReturnNo, r.status AS Status, o.order_no AS OrderNo, o.erp_order_id AS ErpOrderId,
                       cu.code AS CustomerCode, w.code AS WarehouseCode, r.reason AS Reason
                FROM return_requests r JOIN orders o ON o.id = r.order_id JOIN customers cu ON cu.id = r.customer_id
                LEFT JOIN warehouses w ON w.id = o.warehouse_id WHERE r.id = @AggregateId
                """, row);
            lines = (await c.QueryAsync<(string Sku, long Quantity, long Price)>("""
                SELECT ol.sku, COALESCE(rl.received_quantity, rl.quantity), ol.unit_price_fen
                FROM return_lines rl JOIN order_lines ol ON ol.id = rl.order_line_id WHERE rl.return_id = @AggregateId ORDER BY ol.line_no
                """, row)).Select(l => new ErpReturnLine(l.Sku, l.Quantity, l.Price)).Where(l => l.Quantity > 0).ToList();
        }
        if (r is null) return await ParkAsync(row, null, "退货单不存在 / Return not found", ct);
        if (r.Status is ReturnStatus.Cancelled or ReturnStatus.Rejected || lines.Count == 0)
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Cancelled}', lease_until = NULL WHERE {OutboxLease.HeldByMe}", row);
            return Outcome.Skipped;
        }
        try
        {
            var existing = await erp.FindReturnAsync(r.ReturnNo, ct);
            var pushed = existing ?? await erp.PushReturnAsync(new ErpReturn(r.ReturnNo, r.OrderNo, r.ErpOrderId, r.CustomerCode, r.WarehouseCode, lines, r.Reason), ct);
            var nowMs = Now();
            await using var c = await db.OpenAsync(ct);
            await using var tx = await db.BeginWriteAsync(c, ct);
            await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Sent}', sent_at = @nowMs, lease_until = NULL, last_error = NULL WHERE {OutboxLease.HeldByMe}",
                new { row.Id, row.LeaseUntil, nowMs }, tx);
            await c.ExecuteAsync("UPDATE return_requests SET erp_return_id = @ErpReturnId WHERE id = @Id", new { pushed.ErpReturnId, r.Id }, tx);
            await ReturnService.AddEventAsync(c, tx, r.Id, Actor.Erp(erp.Name), PushedAction, null, null,
                $"已推送 ERP，ERP 单号 {pushed.ErpReturnId}{(existing is not null ? "（ERP 中已有，未重复建单）" : "")}", nowMs);
            await tx.CommitAsync(ct);
            return Outcome.Sent;
        }
        catch (ErpRejectedException e)
        {
            var message = e is ErpReturnsNotSupportedException ? $"退货 {r.ReturnNo}：{e.Message}" : $"退货 {r.ReturnNo} ERP 拒收 / ERP rejected return {r.ReturnNo}: {e.Message}";
            var nowMs = Now();
            await using var c = await db.OpenAsync(ct);
            await using var tx = await db.BeginWriteAsync(c, ct);
            await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Failed}', lease_until = NULL, last_error = @error WHERE {OutboxLease.HeldByMe}",
                new { row.Id, row.LeaseUntil, error = Shorten(message) }, tx);
            await ReturnService.AddEventAsync(c, tx, r.Id, Actor.Erp(erp.Name), RejectedAction, null, null, Shorten(message), nowMs);
            await state.AddIssuesAsync(c, tx, [new ErpDataIssue(SyncFeed.OrderPush, r.ReturnNo, Shorten(message), RowSkipped: true)], nowMs);
            await tx.CommitAsync(ct);
            return Outcome.Parked;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RetryLaterAsync(row, ErpFailure.Describe(e), ct);
            return Outcome.Retry;
        }
    }
}
