using OrderHub.Domain.People;

namespace OrderHub.Domain.Ordering;

/// <remarks><see cref="ApproveOwner"/>: the store owner lets a clerk's order through; <see cref="Paid"/>: full payment
/// arrived on an order that pays before review (done by the system, never by a person).</remarks>
public enum OrderAction { ApproveSales, ApproveFinance, Outbound, Ship, Receive, Reject, Cancel, ApproveOwner, Paid }

/// <summary>When an approved order is handed to the ERP.</summary>
public enum ErpPushPoint { Submit, SalesReview, FinanceReview }

public sealed class OrderFlowOptions
{
    /// <summary>业务审核 step on (true) or skipped.</summary>
    public bool SalesReview { get; set; } = true;
    /// <summary>财务审核 step on (true) or skipped.</summary>
    public bool FinanceReview { get; set; } = true;
    /// <summary>The approval after which the order is queued for the ERP. A switched-off step falls through to the next.</summary>
    public ErpPushPoint ErpPushAfter { get; set; } = ErpPushPoint.FinanceReview;
}

/// <summary>Who does what to an order, from which status, to which. Pure rules; the application enforces them atomically.</summary>
public static class OrderFlowRules
{
    public static string InitialStatus(OrderFlowOptions o) =>
        o.SalesReview ? OrderStatus.PendingSalesReview : o.FinanceReview ? OrderStatus.PendingFinanceReview : OrderStatus.PendingOutbound;

    /// <summary>Where a new order starts: waiting for the owner (a clerk's order above the threshold), else for payment
    /// (pay before review), else the first review step.</summary>
    public static string EntryStatus(OrderFlowOptions o, bool needsOwnerApproval, bool payFirst) =>
        needsOwnerApproval ? OrderStatus.PendingOwnerApproval : payFirst ? OrderStatus.PendingPayment : InitialStatus(o);

    /// <summary>The status an action leads to from <paramref name="from"/>, or null if the action is not possible there.
    /// <paramref name="payFirst"/>: the order pays before review (the owner's approval then leads to 待付款).</summary>
    public static string? Next(OrderFlowOptions o, string from, OrderAction action, bool payFirst = false) => (action, from) switch
    {
        (OrderAction.ApproveOwner, OrderStatus.PendingOwnerApproval) => payFirst ? OrderStatus.PendingPayment : InitialStatus(o),
        (OrderAction.Paid, OrderStatus.PendingPayment) => InitialStatus(o),
        (OrderAction.Reject, OrderStatus.PendingOwnerApproval) => OrderStatus.Rejected,
        (OrderAction.Cancel, OrderStatus.PendingOwnerApproval or OrderStatus.PendingPayment) => OrderStatus.Cancelled,
        (OrderAction.ApproveSales, OrderStatus.PendingSalesReview) => o.FinanceReview ? OrderStatus.PendingFinanceReview : OrderStatus.PendingOutbound,
        (OrderAction.ApproveFinance, OrderStatus.PendingFinanceReview) => OrderStatus.PendingOutbound,
        (OrderAction.Outbound, OrderStatus.PendingOutbound) => OrderStatus.PendingShipment,
        (OrderAction.Ship, OrderStatus.PendingOutbound or OrderStatus.PendingShipment) => OrderStatus.Shipped,
        (OrderAction.Receive, OrderStatus.Shipped) => OrderStatus.Received,
        (OrderAction.Reject, OrderStatus.PendingSalesReview or OrderStatus.PendingFinanceReview) => OrderStatus.Rejected,
        (OrderAction.Cancel, OrderStatus.PendingSalesReview or OrderStatus.PendingFinanceReview or OrderStatus.PendingOutbound) => OrderStatus.Cancelled,
        _ => null,
    };

    /// <summary>Whether a role may take the action at all (ignoring status).</summary>
    public static bool RoleMayEver(Role role, OrderAction action) => action switch
    {
        OrderAction.ApproveSales => role is Role.Clerk or Role.Admin,
        OrderAction.ApproveFinance => role is Role.Finance or Role.Admin,
        OrderAction.Outbound or OrderAction.Ship => role is Role.Warehouse or Role.Admin or Role.Erp,
        OrderAction.Receive => role is Role.Customer or Role.Admin or Role.Erp,
        OrderAction.Reject => role is Role.Customer or Role.Clerk or Role.Finance or Role.Admin or Role.Erp,
        OrderAction.ApproveOwner => role is Role.Customer,
        OrderAction.Paid => role is Role.Erp,
        OrderAction.Cancel => role is Role.Customer or Role.Agent or Role.Clerk or Role.Admin or Role.Erp,
        _ => false,
    };

    /// <summary>Whether a role may take the action from this status: a clerk rejects at sales review, finance at finance review;
    /// customers and agents cancel only while the order is in review.</summary>
    public static bool RoleMay(Role role, OrderAction action, string from) => RoleMayEver(role, action) && (action, role) switch
    {
        (OrderAction.Reject, Role.Clerk) => from == OrderStatus.PendingSalesReview,
        (OrderAction.Reject, Role.Finance) => from == OrderStatus.PendingFinanceReview,
        (OrderAction.Reject, Role.Customer) => from == OrderStatus.PendingOwnerApproval,
        (OrderAction.Cancel, Role.Customer or Role.Agent) => OrderStatus.InReview(from) || OrderStatus.BeforeReview(from),
        _ => true,
    };

    /// <summary>Whether a new order goes to the ERP at once: pushing at submit, or the approval it would wait for is switched off.</summary>
    public static bool QueuesAtSubmit(OrderFlowOptions o) => o.ErpPushAfter switch
    {
        ErpPushPoint.Submit => true,
        ErpPushPoint.SalesReview => !o.SalesReview,
        _ => !o.SalesReview && !o.FinanceReview,
    };

    /// <summary>Whether moving <paramref name="from"/> → <paramref name="to"/> completes the approval after which the ERP gets the order.</summary>
    public static bool QueuesForErp(OrderFlowOptions o, string from, string to)
    {
        // Leaving the store's own steps (owner approval, payment) for the first review step is, for the ERP, the submit.
        if (OrderStatus.BeforeReview(from))
            return !OrderStatus.BeforeReview(to) && to is not (OrderStatus.Rejected or OrderStatus.Cancelled) && QueuesAtSubmit(o);
        var leavesReview = to is OrderStatus.PendingOutbound or OrderStatus.PendingShipment or OrderStatus.Shipped;
        return o.ErpPushAfter switch
        {
            ErpPushPoint.SalesReview => from == OrderStatus.PendingSalesReview && to != OrderStatus.Rejected && to != OrderStatus.Cancelled,
            ErpPushPoint.FinanceReview => leavesReview && from is OrderStatus.PendingFinanceReview or OrderStatus.PendingSalesReview,
            _ => false,
        };
    }

    public static string ActionLabel(OrderAction a) => a switch
    {
        OrderAction.ApproveSales => "业务审核通过",
        OrderAction.ApproveFinance => "财务审核通过",
        OrderAction.Outbound => "出库",
        OrderAction.Ship => "发货",
        OrderAction.Receive => "确认收货",
        OrderAction.Reject => "驳回",
        OrderAction.Cancel => "取消",
        OrderAction.ApproveOwner => "店主审核通过",
        OrderAction.Paid => "已付款",
        _ => a.ToString(),
    };

    public static string ActionName(OrderAction a) => a switch
    {
        OrderAction.ApproveSales => "approve_sales",
        OrderAction.ApproveFinance => "approve_finance",
        OrderAction.Outbound => "outbound",
        OrderAction.Ship => "ship",
        OrderAction.Receive => "receive",
        OrderAction.Reject => "reject",
        OrderAction.ApproveOwner => "approve_owner",
        OrderAction.Paid => "paid",
        _ => "cancel",
    };
}
