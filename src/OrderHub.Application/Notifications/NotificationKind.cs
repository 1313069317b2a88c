namespace OrderHub.Application.Notifications;

/// <summary>The kinds of message a store's users get, and what a person calls each (消息设置 lists them by these names).</summary>
public static class NotificationKind
{
    public const string ProxyOrderPlaced = "proxy_order_placed";
    public const string OrderApproved = "order_approved";
    public const string OrderRejected = "order_rejected";
    public const string OrderCancelled = "order_cancelled";
    public const string OrderShipped = "order_shipped";
    public const string StatementReady = "statement_ready";
    /// <summary>To the store's owners: a clerk's order waits for their approval (待店主审核).</summary>
    public const string OwnerApprovalNeeded = "owner_approval_needed";
    /// <summary>An order that pays before review waits for payment (待付款).</summary>
    public const string OrderAwaitsPayment = "order_awaits_payment";
    public const string RecurringOrderDraft = "recurring_order_draft";
    public const string RecurringOrderPlaced = "recurring_order_placed";
    public const string RecurringOrderFailed = "recurring_order_failed";
    /// <summary>补货提醒: products the store buys regularly are due (Insight/RestockService).</summary>
    public const string RestockDue = "restock_due";
    /// <summary>业务员群发消息: messages to many stores through the agent's WeChat Work (ChatCommerce/MassMessages); off = held back.</summary>
    public const string ChatMassMessage = "chat_mass_message";
    /// <summary>退货 (Returns/ReturnNotices): approved (send the goods back), rejected (with why), received (the counted quantities), refunded (credit and money back).</summary>
    public const string ReturnApproved = "return_approved";
    public const string ReturnRejected = "return_rejected";
    public const string ReturnReceived = "return_received";
    public const string ReturnRefunded = "return_refunded";

    public static readonly string[] All = [ProxyOrderPlaced, OrderApproved, OrderRejected, OrderCancelled, OrderShipped, StatementReady, OwnerApprovalNeeded, OrderAwaitsPayment,
        RecurringOrderDraft, RecurringOrderPlaced, RecurringOrderFailed, RestockDue, ChatMassMessage,
        ReturnApproved, ReturnRejected, ReturnReceived, ReturnRefunded];

    public static string Label(string kind) => kind switch
    {
        ProxyOrderPlaced => "业务员代下单",
        OrderApproved => "订单审核通过",
        OrderRejected => "订单被驳回",
        OrderCancelled => "订单已取消",
        OrderShipped => "订单已发货",
        StatementReady => "对账单已出",
        OwnerApprovalNeeded => "店员订单待店主审核",
        OrderAwaitsPayment => "订单待付款",
        RecurringOrderDraft => "定期订货待确认",
        RecurringOrderPlaced => "定期订货已下单",
        RecurringOrderFailed => "定期订货未能下单",
        RestockDue => "补货提醒",
        ChatMassMessage => "业务员群发消息",
        ReturnApproved => "退货审核通过",
        ReturnRejected => "退货被驳回",
        ReturnReceived => "退货已收货",
        ReturnRefunded => "退货已退款",
        _ => kind,
    };
}
