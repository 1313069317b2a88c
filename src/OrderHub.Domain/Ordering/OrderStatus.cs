namespace OrderHub.Domain.Ordering;

/// <summary>
/// 订单流转: 提交 → 待业务审核 → 待财务审核 → 待出库 → 待发货 (已出库) → 已发货 → 已收货; or 已驳回 / 已取消.
/// Each status names what the order is waiting for.
/// </summary>
public static class OrderStatus
{
    public const string PendingSalesReview = "pending_sales_review";
    public const string PendingFinanceReview = "pending_finance_review";
    public const string PendingOutbound = "pending_outbound";
    public const string PendingShipment = "pending_shipment";
    public const string Shipped = "shipped";
    public const string Received = "received";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";

    public static readonly string[] All =
        [PendingSalesReview, PendingFinanceReview, PendingOutbound, PendingShipment, Shipped, Received, Rejected, Cancelled];

    public static bool IsKnown(string s) => All.Contains(s);

    /// <summary>Statuses whose goods are still reserved in OrderHub's stock (not yet shipped, not ended).</summary>
    public static readonly string[] Reserving = [PendingSalesReview, PendingFinanceReview, PendingOutbound, PendingShipment];

    public static bool InReview(string s) => s is PendingSalesReview or PendingFinanceReview;

    public static string Label(string s) => s switch
    {
        PendingSalesReview => "待业务审核",
        PendingFinanceReview => "待财务审核",
        PendingOutbound => "待出库",
        PendingShipment => "待发货",
        Shipped => "已发货",
        Received => "已收货",
        Rejected => "已驳回",
        Cancelled => "已取消",
        _ => s,
    };
}
