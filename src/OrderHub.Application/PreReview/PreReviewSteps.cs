using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Notifications;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.People;
using OrderHub.Settings;

namespace OrderHub.Application.PreReview;

/// <summary>Where a new order starts, and why.</summary>
public sealed record EntryDecision(bool NeedsOwnerApproval, bool PayFirst);

/// <summary>What decides where a new order starts: the store's owner-approval threshold and group, the placing user's role (null: none).</summary>
public sealed class EntryFacts
{
    public long? Threshold { get; init; }
    public string? GroupCode { get; init; }
    public string? Role { get; init; }
}

/// <summary>
/// The store's own steps before 业务审核 (issues #16, #17), in the same timeline as the reviews:
/// 待店主审核 (a clerk's order strictly above the store's threshold; proxy orders by agents never wait for the owner) and
/// 待付款 (pay before review, from <see cref="PaymentModeOptions"/>; proxy orders follow the store's mode). Full payment moves
/// a 待付款 order on to the first review step in the payment's own transaction ("系统" on the timeline); the scheduled
/// <see cref="ExpireUnpaidOrders"/> cancels what stays unpaid, releasing its stock. Money that arrives after the
/// cancellation is refunded by the WeChat Pay follow-up, as for any cancelled order.
/// </summary>
public sealed class PreReviewSteps(OrderFlowService flow)
{
    public static readonly Actor System = new("system", null, "系统");

    /// <param name="placedByUserId">The store user who submits; null for an agent's proxy order.</param>
    /// <param name="storeChoosesPayFirst">The store's choice at checkout when the mode is <see cref="PaymentMode.Either"/>.</param>
    public static async Task<EntryDecision> DecideAsync(DbConnection c, DbTransaction tx, PaymentModeOptions payments, CustomerContext customer, long? placedByUserId, long totalFen, bool? storeChoosesPayFirst)
    {
        await using var grid = await AddEntryFacts(new SqlBatch(), customer, placedByUserId).QueryMultipleAsync(c, tx);
        return Decide(await ReadEntryFactsAsync(grid), payments, totalFen, storeChoosesPayFirst);
    }

    /// <summary>What <see cref="Decide"/> needs — the store's threshold and group, the placing user's role — as one statement of a batch.</summary>
    public static SqlBatch AddEntryFacts(SqlBatch batch, CustomerContext customer, long? placedByUserId) =>
        batch.Add("""
            SELECT cu.owner_approval_above_fen AS Threshold, g.code AS GroupCode,
                   (SELECT u.role FROM customer_users u WHERE u.id = @uid AND u.customer_id = cu.id) AS Role
            FROM customers cu LEFT JOIN customer_groups g ON g.id = cu.group_id WHERE cu.id = @CustomerId
            """, new { customer.CustomerId, uid = placedByUserId });

    public static Task<EntryFacts> ReadEntryFactsAsync(SqlMapper.GridReader grid) => grid.ReadSingleAsync<EntryFacts>();

    /// <summary>Where the order starts: 待店主审核 for a clerk above the threshold (no placing user: no owner step), 待付款 by the payment mode.</summary>
    public static EntryDecision Decide(EntryFacts store, PaymentModeOptions payments, long totalFen, bool? storeChoosesPayFirst)
    {
        var needsOwner = store.Role is not null && StoreUserRole.NeedsOwnerApproval(store.Role, store.Threshold, totalFen);
        return new EntryDecision(needsOwner, payments.For(store.GroupCode).PaysFirst(storeChoosesPayFirst));
    }

    public static long PaymentDueAt(PaymentModeOptions payments, long nowMs) => nowMs + payments.UnpaidCancelMinutes * 60_000L;

    /// <summary>Tells the store's owners that a clerk's order waits for them.</summary>
    public static Task NotifyOwnersAsync(DbConnection c, DbTransaction tx, long customerId, long orderId, string orderNo, string clerkName, long totalFen, long nowMs) =>
        NotifyOwners(new SqlBatch(), customerId, orderId, orderNo, clerkName, totalFen, nowMs).ExecuteAsync(c, tx);

    /// <summary>The same, as one statement of a batch (the order submit sends its writes together).</summary>
    public static SqlBatch NotifyOwners(SqlBatch batch, long customerId, long orderId, string orderNo, string clerkName, long totalFen, long nowMs) =>
        batch.Add($"""
            INSERT INTO notifications (customer_user_id, customer_id, order_id, kind, title, body, created_at)
            SELECT id, customer_id, @orderId, @kind, @title, @body, @nowMs FROM customer_users
            WHERE customer_id = @customerId AND active = TRUE AND role = '{StoreUserRole.Owner}'
            """, new
        {
            customerId, orderId, kind = NotificationKind.OwnerApprovalNeeded, title = "店员订单待您审核",
            body = $"店员 {clerkName} 提交了订单 {orderNo}，金额 {Money.Format(totalFen)}，请在订单列表审核。", nowMs,
        });

    /// <summary>
    /// Called by the payments code inside the transaction that booked money on an order: a 待付款 order now paid in full goes
    /// to the first review step. Anything else (not pay-first, still short, already moved, cancelled) is left as it is.
    /// </summary>
    public async Task<bool> OnPaymentBookedAsync(DbConnection c, DbTransaction tx, long orderId)
    {
        var o = await c.QuerySingleOrDefaultAsync<(string Status, long TotalFen, long PaidFen)?>("""
            SELECT o.status, o.total_fen,
                   CAST((SELECT COALESCE(SUM(p.amount_fen - p.refunded_fen), 0) FROM payments p WHERE p.order_id = o.id AND p.status = 'paid') AS BIGINT)
            FROM orders o WHERE o.id = @orderId
            """, new { orderId }, tx);
        if (o is not { Status: OrderStatus.PendingPayment } || o.Value.PaidFen < o.Value.TotalFen) return false;
        await flow.ActInAsync(c, tx, new OrderActionRequest(orderId, OrderAction.Paid, System, Role.Erp, OrderScope.Any, $"已付清 {Money.Format(o.Value.PaidFen)}"));
        return true;
    }
}

/// <summary>Cancels 待付款 orders past their due time (Payments:UnpaidCancelMinutes), releasing their reservation; one order a
/// transaction, each a conditional move, so a payment that lands at the same moment either wins (the order goes to review)
/// or finds the order cancelled (and the follow-up refunds it).</summary>
public sealed class ExpireUnpaidOrders(Db db, OrderFlowService flow, TimeProvider clock, ILogger<ExpireUnpaidOrders> logger) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        List<long> due;
        await using (var c = await db.OpenAsync(ct))
            due = (await c.QueryAsync<long>($"SELECT id FROM orders WHERE status = '{OrderStatus.PendingPayment}' AND payment_due_at < @now ORDER BY id LIMIT 500",
                new { now })).AsList();
        foreach (var id in due)
        {
            try
            {
                await flow.ActAsync(new OrderActionRequest(id, OrderAction.Cancel, PreReviewSteps.System, Role.Erp, OrderScope.Any, "超时未付款，系统自动取消"), ct);
            }
            catch (AppProblem p) when (p.Status == 409)
            {
                logger.LogInformation("Unpaid order {OrderId} moved on before its expiry: {Detail}", id, p.Message);
            }
        }
    }
}

public static class PreReviewServices
{
    /// <summary>Store users' roles and the owner's approval, pay before review and the expiry of unpaid orders. Settings <c>Payments</c>.</summary>
    public static IServiceCollection AddPreReview(this IServiceCollection services)
    {
        services.AddSettings<PaymentModeOptions>("Payments");
        services.TryAddSingleton<StoreUsers>();
        services.TryAddSingleton<PreReviewSteps>();
        if (!services.Any(d => d.ServiceType == typeof(ExpireUnpaidOrders)))
            services.AddScheduledWork<ExpireUnpaidOrders>("expire-unpaid-orders", "ExpireUnpaidOrders", JobSchedule.Every(60));
        return services;
    }
}
