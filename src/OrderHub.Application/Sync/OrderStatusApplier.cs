using OrderHub.Domain.People;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP order states → OrderHub's order flow, as role <c>erp</c>: Confirmed → a timeline event "ERP 已确认" (and the ERP
/// order id); Picked → 出库 (Outbound); Shipped → 发货 (Ship, also straight from pending_outbound: reservations end,
/// on-hand drops, the ledger is debited); Delivered → 收货; Cancelled → 取消. An order already at or past the state is left
/// alone, so a page pulled twice changes nothing. Each move is its own transaction (<see cref="OrderFlowService"/>);
/// the cursor moves after the page.
/// </summary>
public sealed class OrderStatusApplier(Db db, OrderFlowService flow, string erpName, TimeProvider clock) : IPageApplier<ErpOrderStatusChange>
{
    public const string ConfirmedAction = "erp_confirmed";
    public const string ConfirmedNote = "ERP 已确认";

    private static readonly string[] Open = [OrderStatus.PendingOutbound, OrderStatus.PendingShipment];

    public string Feed => SyncFeed.OrderStatus;
    public DateTimeOffset? ChangedAt(ErpOrderStatusChange item) => item.ChangedAt;

    public async Task<long> ApplyAsync(IReadOnlyList<ErpOrderStatusChange> items, PageFinish finish, CancellationToken ct)
    {
        var issues = new PageIssues(Feed);
        long changed = 0;
        foreach (var change in items)
        {
            try
            {
                changed += await ApplyOneAsync(change, issues, ct);
            }
            catch (AppProblem p) when (p.Status == 409)
            {
                // Someone moved the order at the same moment: look again (it may now be at the state already).
                try { changed += await ApplyOneAsync(change, issues, ct); }
                catch (AppProblem again) { issues.Skip(change.OrderNumber, $"ERP 状态 {change.State} 无法应用 / ERP state {change.State} not applied: {again.Message}"); }
            }
            catch (AppProblem p)
            {
                issues.Skip(change.OrderNumber, $"ERP 状态 {change.State} 无法应用 / ERP state {change.State} not applied: {p.Message}");
            }
        }
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await finish(c, tx, issues.All);
        await tx.CommitAsync(ct);
        return changed;
    }

    private async Task<long> ApplyOneAsync(ErpOrderStatusChange change, PageIssues issues, CancellationToken ct)
    {
        var order = await FindAsync(change.OrderNumber, ct);
        if (order is null && await OrderHub.Application.Returns.ReturnErpStatus.ApplyAsync(db, change, ct) is { } returnChanged)
            return returnChanged;
        if (order is null)
        {
            issues.Skip(change.OrderNumber, $"ERP 报告的订单 {change.OrderNumber} 在 OrderHub 中不存在 / Unknown order {change.OrderNumber}");
            return 0;
        }
        long changed = await RememberErpIdAsync(order, change.ErpOrderId, ct);
        var detail = Shorten(change.Detail);
        switch (change.State)
        {
            case ErpOrderState.Confirmed:
                return changed + await ConfirmedEventAsync(order.Id, change.ErpOrderId, ct);
            case ErpOrderState.Picked when order.Status == OrderStatus.PendingOutbound:
                return changed + await ActAsync(order.Id, OrderAction.Outbound, detail, ct);
            case ErpOrderState.Picked when order.Status is OrderStatus.PendingShipment or OrderStatus.Shipped or OrderStatus.Received:
                return changed;
            case ErpOrderState.Shipped when Open.Contains(order.Status):
                return changed + await ActAsync(order.Id, OrderAction.Ship, detail, ct);
            case ErpOrderState.Shipped when order.Status is OrderStatus.Shipped or OrderStatus.Received:
                return changed;
            case ErpOrderState.Delivered when Open.Contains(order.Status):
                return changed + await ActAsync(order.Id, OrderAction.Ship, detail, ct) + await ActAsync(order.Id, OrderAction.Receive, detail, ct);
            case ErpOrderState.Delivered when order.Status == OrderStatus.Shipped:
                return changed + await ActAsync(order.Id, OrderAction.Receive, detail, ct);
            case ErpOrderState.Delivered when order.Status == OrderStatus.Received:
                return changed;
            case ErpOrderState.Cancelled when order.Status is OrderStatus.Cancelled or OrderStatus.Rejected:
                return changed;
            case ErpOrderState.Cancelled when OrderFlowRules.Next(new OrderFlowOptions(), order.Status, OrderAction.Cancel) is not null:
                return changed + await ActAsync(order.Id, OrderAction.Cancel, detail is null ? "ERP 已取消" : $"ERP 已取消：{detail}", ct);
            default:
                issues.Skip(change.OrderNumber,
                    $"ERP 状态 {change.State} 与 OrderHub 状态「{OrderStatus.Label(order.Status)}」不符，需人工处理 / ERP state {change.State} does not fit OrderHub status {order.Status}; needs a person");
                return changed;
        }
    }

    private async Task<long> ActAsync(long orderId, OrderAction action, string? reason, CancellationToken ct)
    {
        await flow.ActAsync(new OrderActionRequest(orderId, action, Actor.Erp(erpName), Role.Erp, OrderScope.Any, reason), ct);
        return 1;
    }

    private async Task<long> ConfirmedEventAsync(long orderId, string erpOrderId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var seen = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @orderId AND action = @ConfirmedAction",
            new { orderId, ConfirmedAction }, tx);
        if (seen > 0) return 0;
        await OrderJournal.AddEventAsync(c, tx, orderId, Actor.Erp(erpName), ConfirmedAction, null, null, $"{ConfirmedNote}（{erpOrderId}）",
            clock.GetUtcNow().ToUnixTimeMilliseconds());
        await tx.CommitAsync(ct);
        return 1;
    }

    private async Task<long> RememberErpIdAsync(OrderRow order, string erpOrderId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(erpOrderId) || order.ErpOrderId == erpOrderId) return 0;
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE orders SET erp_order_id = @erpOrderId WHERE id = @Id", new { erpOrderId, order.Id });
    }

    private async Task<OrderRow?> FindAsync(string orderNo, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<OrderRow>(
            "SELECT id AS Id, status AS Status, erp_order_id AS ErpOrderId FROM orders WHERE order_no = @orderNo", new { orderNo });
    }

    private static string? Shorten(string? s) => s is null || s.Length <= 180 ? s : s[..180];

    private sealed class OrderRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public string? ErpOrderId { get; init; }
    }
}
