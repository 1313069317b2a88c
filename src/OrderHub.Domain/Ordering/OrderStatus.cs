namespace OrderHub.Domain.Ordering;

/// <summary>
/// 订单流转: 提交 → (待店主审核) → (待付款) → 待业务审核 → 待财务审核 → 待出库 → 待发货 (已出库) → 已发货 → 已收货; or 已驳回 / 已取消.
/// Each status names what the order is waiting for.
/// </summary>
public static class OrderStatus
{
    /// <summary>A clerk's order above the store's threshold waits for the store owner (before 业务审核).</summary>
    public const string PendingOwnerApproval = "pending_owner_approval";
    /// <summary>Pay before review: the order waits for full payment (before 业务审核).</summary>
    public const string PendingPayment = "pending_payment";
    public const string PendingSalesReview = "pending_sales_review";
    public const string PendingFinanceReview = "pending_finance_review";
    public const string PendingOutbound = "pending_outbound";
    public const string PendingShipment = "pending_shipment";
    public const string Shipped = "shipped";
    public const string Received = "received";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";

    public static readonly string[] All =
        [PendingOwnerApproval, PendingPayment, PendingSalesReview, PendingFinanceReview, PendingOutbound, PendingShipment, Shipped, Received, Rejected, Cancelled];

    public static bool IsKnown(string s) => All.Contains(s);

    /// <summary>Statuses whose goods are still reserved in OrderHub's stock (not yet shipped, not ended).</summary>
    public static readonly string[] Reserving = [PendingOwnerApproval, PendingPayment, PendingSalesReview, PendingFinanceReview, PendingOutbound, PendingShipment];

    public static bool InReview(string s) => s is PendingSalesReview or PendingFinanceReview;

    /// <summary>The steps before 业务审核 (the store's own: owner approval, payment first).</summary>
    public static bool BeforeReview(string s) => s is PendingOwnerApproval or PendingPayment;

    public static string Label(string s) => s switch
    {
        PendingOwnerApproval => "待店主审核",
        PendingPayment => "待付款",
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
