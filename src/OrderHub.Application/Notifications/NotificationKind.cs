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
    /// <summary>补货提醒: products the store buys regularly are due (Insight/RestockService).</summary>
    public const string RestockDue = "restock_due";

    public static readonly string[] All = [ProxyOrderPlaced, OrderApproved, OrderRejected, OrderCancelled, OrderShipped, StatementReady, RestockDue];

    public static string Label(string kind) => kind switch
    {
        ProxyOrderPlaced => "业务员代下单",
        OrderApproved => "订单审核通过",
        OrderRejected => "订单被驳回",
        OrderCancelled => "订单已取消",
        OrderShipped => "订单已发货",
        StatementReady => "对账单已出",
        RestockDue => "补货提醒",
        _ => kind,
    };
}
