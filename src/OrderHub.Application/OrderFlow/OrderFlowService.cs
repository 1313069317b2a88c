using OrderHub.Application.Chains;
using OrderHub.Application.Notifications;
using OrderHub.Domain.People;
using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Application.Sync;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;

namespace OrderHub.Application.OrderFlow;

/// <summary>Whose order the caller may touch: a store's own (customer; a chain's head office also its branches'), an agent's stores, or any (staff, ERP).</summary>
public sealed record OrderScope(long? CustomerId, long? AgentId)
{
    public static readonly OrderScope Any = new(null, null);

    /// <summary>
    /// The one SQL rule for "an order of this store": its own, or a branch's when the store is the branch's head office.
    /// Needs orders as <c>o</c> and their customer as <c>cu</c>; <paramref name="param"/> names the store's id (null: any).
    /// </summary>
    public static string StoreSql(string param) => $"(@{param} IS NULL OR o.customer_id = @{param} OR cu.parent_customer_id = @{param})";
    public static OrderScope OfCustomer(long id) => new(id, null);
    public static OrderScope OfAgent(long id) => new(null, id);
}

/// <param name="Role">customer, agent, clerk, finance, warehouse, admin or erp.</param>
/// <param name="FinanceOverride">Finance approves an order past the credit limit on purpose.</param>
public sealed record OrderActionRequest(long OrderId, OrderAction Action, Actor Actor, Role Role, OrderScope Scope, string? Reason = null, bool FinanceOverride = false);

/// <summary>
/// Moves orders along 订单流转. Each move is one transaction: role and status are checked, the status changes with a
/// conditional update (so two people acting at once cannot both win), and its consequences happen with it:
/// reservations released on reject/cancel, stock and the customer's ledger booked on shipping, the ERP outbox filled
/// at the configured approval, the timeline written and the store notified.
/// </summary>
public sealed class OrderFlowService(Db db, OrderFlowOptions flow, TimeProvider clock, PreReview.PaymentModeOptions? payments = null, ChainOptions? chains = null)
{
    public async Task<string> ActAsync(OrderActionRequest r, CancellationToken ct = default)
    {
        var label = OrderFlowRules.ActionLabel(r.Action);
        if (!OrderFlowRules.RoleMayEver(r.Role, r.Action))
            throw AppProblem.Forbidden($"您的角色不能执行「{label}」", $"Your role may not {OrderFlowRules.ActionName(r.Action)} orders");
        var reason = r.Reason?.Trim();
        if (r.Action == OrderAction.Reject && string.IsNullOrEmpty(reason))
            throw AppProblem.BadRequest("驳回须填写原因", "A rejection needs a reason");
        if (reason is { Length: > 200 }) throw AppProblem.BadRequest("原因不能超过 200 字", "The reason must be at most 200 characters");

        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var next = await ActInAsync(c, tx, r);
        await tx.CommitAsync(ct);
        return next;
    }

    /// <summary>As <see cref="ActAsync"/>, inside the caller's write transaction (the payment that completes a 待付款 order
    /// moves it in the same transaction that books the money).</summary>
    public async Task<string> ActInAsync(DbConnection c, DbTransaction tx, OrderActionRequest r)
    {
        var label = OrderFlowRules.ActionLabel(r.Action);
        if (!OrderFlowRules.RoleMayEver(r.Role, r.Action))
            throw AppProblem.Forbidden($"您的角色不能执行「{label}」", $"Your role may not {OrderFlowRules.ActionName(r.Action)} orders");
        var reason = r.Reason?.Trim();
        var o = await c.QuerySingleOrDefaultAsync<OrderRow>($"""
            SELECT o.id AS Id, o.order_no AS OrderNo, o.status AS Status, o.customer_id AS CustomerId, cu.agent_id AS CustomerAgentId,
                   o.total_fen AS TotalFen, o.erp_queued AS ErpQueued, o.warehouse_id AS WarehouseId, o.pay_first AS PayFirst
            FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE o.id = @OrderId AND {OrderScope.StoreSql("scopeCustomer")}
            """, new { r.OrderId, scopeCustomer = r.Scope.CustomerId }, tx);
        if (o is null || (r.Scope.AgentId is { } aid && o.CustomerAgentId != aid))
            throw AppProblem.NotFound("订单不存在", "Order not found");

        var next = OrderFlowRules.Next(flow, o.Status, r.Action, o.PayFirst)
            ?? throw AppProblem.Conflict($"订单 {o.OrderNo} 当前为「{OrderStatus.Label(o.Status)}」，不能「{label}」",
                $"Order {o.OrderNo} is {o.Status}; {OrderFlowRules.ActionName(r.Action)} is not possible now",
                new Dictionary<string, object?> { ["orderStatus"] = o.Status });
        // The role may do this at another step (checked above). Before the role's step (finance and an order still in
        // sales review) it is not the role's turn: 403. After it, the order has moved on: a state conflict (409), as when a
        // reject loses the race to an approval (issue #21).
        if (!OrderFlowRules.RoleMay(r.Role, r.Action, o.Status) && r.Role == Role.Finance && o.Status == OrderStatus.PendingSalesReview)
            throw AppProblem.Forbidden($"订单处于「{OrderStatus.Label(o.Status)}」时，您的角色不能「{label}」",
                $"Your role may not {OrderFlowRules.ActionName(r.Action)} an order that is {o.Status}");
        if (!OrderFlowRules.RoleMay(r.Role, r.Action, o.Status))
            throw AppProblem.Conflict($"订单处于「{OrderStatus.Label(o.Status)}」时，您的角色不能「{label}」",
                $"Your role may not {OrderFlowRules.ActionName(r.Action)} an order that is {o.Status}",
                new Dictionary<string, object?> { ["orderStatus"] = o.Status });

        // The store's own approval (待店主审核) is its owner's: a clerk of the store may not approve or reject it.
        if (r.Role == Role.Customer && r.Action is OrderAction.ApproveOwner or OrderAction.Reject
            && !await PreReview.StoreUsers.IsOwnerAsync(c, tx, r.Actor.Id ?? -1, o.CustomerId))
            throw AppProblem.Forbidden("只有店主可以审核店员的订单", "Only the store owner may approve or reject a clerk's order");

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var note = reason;
        var overridden = false;
        if (r.Action == OrderAction.ApproveFinance)
        {
            var exposure = await CreditCheck.ExposureAsync(c, tx, o.CustomerId, o.Id, chains?.CreditAt ?? ChainLevel.Branch);
            if (o.TotalFen > exposure.AvailableFen)
            {
                if (!r.FinanceOverride)
                    throw AppProblem.Conflict(
                        $"超出信用额度：额度 {Money.Format(exposure.CreditLimitFen)}，欠款 {Money.Format(exposure.BalanceFen)}，其他未发货订单 {Money.Format(exposure.OpenOrdersFen)}，本单 {Money.Format(o.TotalFen)}。如确认放行请使用特批",
                        "The order exceeds the customer's credit limit; approve with override to let it through",
                        new Dictionary<string, object?> { ["creditLimitFen"] = exposure.CreditLimitFen, ["balanceFen"] = exposure.BalanceFen, ["openOrdersFen"] = exposure.OpenOrdersFen, ["orderTotalFen"] = o.TotalFen, ["needsOverride"] = true });
                overridden = true;
                note = string.IsNullOrEmpty(note) ? "超出信用额度，财务特批" : $"超出信用额度，财务特批：{note}";
            }
        }

        var changed = await c.ExecuteAsync("""
            UPDATE orders SET status = @next, version = version + 1, updated_at = @now,
                reject_reason = CASE WHEN @next = 'rejected' THEN @reason ELSE reject_reason END,
                cancel_reason = CASE WHEN @next = 'cancelled' THEN @reason ELSE cancel_reason END,
                finance_override = CASE WHEN @overridden THEN TRUE ELSE finance_override END,
                shipped_at = CASE WHEN @next = 'shipped' THEN @now ELSE shipped_at END,
                received_at = CASE WHEN @next = 'received' THEN @now ELSE received_at END,
                payment_due_at = CASE WHEN @next = 'pending_payment' THEN @paymentDue ELSE payment_due_at END
            WHERE id = @id AND status = @from
            """, new { next, now, reason, overridden, id = o.Id, from = o.Status, paymentDue = now + flowPaymentDueMs() }, tx);
        if (changed == 0)
            throw AppProblem.Conflict($"订单 {o.OrderNo} 刚刚已被他人处理，请刷新", $"Order {o.OrderNo} was just changed by someone else; reload it");

        await ConsequencesAsync(c, tx, o, r, next, now);
        await OrderJournal.AddEventAsync(c, tx, o.Id, r.Actor, OrderFlowRules.ActionName(r.Action), o.Status, next, note, now);
        return next;
    }

    private readonly PreReview.PaymentModeOptions paymentModes = payments ?? new();

    private long flowPaymentDueMs() => paymentModes.UnpaidCancelMinutes * 60_000L;

    private async Task ConsequencesAsync(DbConnection c, DbTransaction tx, OrderRow o, OrderActionRequest r, string next, long now)
    {
        var lines = (await c.QueryAsync<(long ProductId, long Quantity)>(
            "SELECT product_id, SUM(quantity) FROM order_lines WHERE order_id = @Id GROUP BY product_id ORDER BY product_id", new { o.Id }, tx)).ToList();
        switch (next)
        {
            case OrderStatus.Rejected or OrderStatus.Cancelled:
                foreach (var (productId, qty) in lines)
                    await c.ExecuteAsync("""
                        UPDATE stock SET reserved = CASE WHEN reserved >= @qty THEN reserved - @qty ELSE 0 END, updated_at = @now
                        WHERE product_id = @productId AND warehouse_id = @WarehouseId
                        """, new { qty, productId, o.WarehouseId, now }, tx);
                if (o.ErpQueued)
                {
                    // Not sent yet: it never leaves. Already in the ERP: ask the ERP to cancel it too.
                    var unsent = await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Cancelled}' WHERE topic = @t AND aggregate_id = @Id AND status <> '{OutboxStatus.Sent}'",
                        new { t = Outbox.PushOrder, o.Id }, tx);
                    if (unsent == 0 && r.Role != Role.Erp)
                        await Outbox.EnqueueAsync(c, tx, Outbox.CancelOrder, o.Id, o.OrderNo, now);
                }
                if (next == OrderStatus.Rejected)
                    await OrderJournal.NotifyStoreAsync(c, tx, o.CustomerId, o.Id, NotificationKind.OrderRejected, "订单被驳回", $"订单 {o.OrderNo} 被驳回：{r.Reason}", now);
                else if (r.Role is not (Role.Customer))
                    await OrderJournal.NotifyStoreAsync(c, tx, o.CustomerId, o.Id, NotificationKind.OrderCancelled, "订单已取消", $"订单 {o.OrderNo} 已取消{(string.IsNullOrEmpty(r.Reason) ? "" : "：" + r.Reason)}", now);
                break;

            case OrderStatus.Shipped:
                // The goods left: the reservation ends and on-hand drops (the ERP's next stock sync confirms it);
                // the customer now owes the order total.
                foreach (var (productId, qty) in lines)
                    await c.ExecuteAsync("""
                        UPDATE stock SET reserved = CASE WHEN reserved >= @qty THEN reserved - @qty ELSE 0 END,
                                         on_hand = CASE WHEN on_hand >= @qty THEN on_hand - @qty ELSE 0 END, updated_at = @now
                        WHERE product_id = @productId AND warehouse_id = @WarehouseId
                        """, new { qty, productId, o.WarehouseId, now }, tx);
                // Gross profit is per line as shipped: each line keeps the product's unit cost of this moment (Insight/GrossProfitReport).
                await c.ExecuteAsync("UPDATE order_lines SET unit_cost_fen = (SELECT p.cost_fen FROM products p WHERE p.id = order_lines.product_id) WHERE order_id = @Id",
                    new { o.Id }, tx);
                await c.ExecuteAsync("""
                    INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, order_id, reference, note, created_by, created_at)
                    VALUES (@CustomerId, 'order', @TotalFen, @now, @Id, @OrderNo, '订单发货', @by, @now)
                    """, new { o.CustomerId, o.TotalFen, now, o.Id, o.OrderNo, by = r.Actor.Name }, tx);
                await OrderJournal.NotifyStoreAsync(c, tx, o.CustomerId, o.Id, NotificationKind.OrderShipped, "订单已发货", $"订单 {o.OrderNo} 已发货，请注意查收。", now);
                break;

            case OrderStatus.PendingPayment when r.Action is OrderAction.ApproveOwner:
                await OrderJournal.NotifyStoreAsync(c, tx, o.CustomerId, o.Id, NotificationKind.OrderAwaitsPayment, "订单待付款",
                    $"订单 {o.OrderNo} 店主已审核，请在 {paymentModes.UnpaidCancelMinutes} 分钟内付款 {Money.Format(o.TotalFen)}，逾期自动取消。", now);
                break;

            case OrderStatus.PendingOutbound when r.Action is OrderAction.ApproveSales or OrderAction.ApproveFinance:
                await OrderJournal.NotifyStoreAsync(c, tx, o.CustomerId, o.Id, NotificationKind.OrderApproved, "订单已审核通过", $"订单 {o.OrderNo} 已审核通过，等待出库。", now);
                break;
        }
        if (!o.ErpQueued && OrderFlowRules.QueuesForErp(flow, o.Status, next))
        {
            await Outbox.EnqueueAsync(c, tx, Outbox.PushOrder, o.Id, o.OrderNo, now);
            await c.ExecuteAsync("UPDATE orders SET erp_queued = TRUE WHERE id = @Id", new { o.Id }, tx);
        }
    }

    private sealed class OrderRow
    {
        public long Id { get; init; }
        public string OrderNo { get; init; } = "";
        public string Status { get; init; } = "";
        public long CustomerId { get; init; }
        public long? CustomerAgentId { get; init; }
        public long TotalFen { get; init; }
        public bool ErpQueued { get; init; }
        public long WarehouseId { get; init; }
        public bool PayFirst { get; init; }
    }
}
