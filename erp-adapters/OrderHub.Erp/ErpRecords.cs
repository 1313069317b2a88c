namespace OrderHub.Erp;

/// <summary>A page of changes and the cursor to continue from. <c>HasMore</c> says whether to call again at once.</summary>
public sealed record ErpPage<T>(IReadOnlyList<T> Items, string? NextCursor, bool HasMore)
{
    public static ErpPage<T> Empty(string? cursor) => new([], cursor, false);
}

/// <param name="CostFen">The product's unit cost (成本价) in fen per base unit, for gross profit; null when the ERP gives none
/// (Tryton: the product's cost_price; Kingdee and SQL: the configured field or column). Rounded with <see cref="ErpMoney.CostToFen"/>.</param>
/// <param name="Units">The product's larger units (箱 = 24 瓶) where the ERP has them; null = none (or the adapter does not know units).</param>
public sealed record ErpProduct(
    string Code, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty,
    string? Barcode, string? Brand, IReadOnlyList<string> CategoryPath, long BasePriceFen,
    string Currency, bool Active, DateTimeOffset ChangedAt, IReadOnlyList<ErpProductUnit>? Units = null, long? CostFen = null);

/// <summary>A larger unit of a product: <paramref name="Factor"/> base units each.</summary>
/// <param name="PriceFen">The ERP's own price for one of this unit, when it has one; null = base price × factor.</param>
/// <param name="ErpCode">What the ERP calls the unit on a sales line (a UoM id or number); null = orders go in base units.</param>
public sealed record ErpProductUnit(string Name, int Factor, long? PriceFen = null, string? ErpCode = null);

public sealed record ErpStockLevel(string ProductCode, string WarehouseCode, long OnHand, DateTimeOffset ChangedAt);

public enum ErpPriceScope { Base, CustomerGroup, Customer }

/// <param name="ScopeCode">Customer group code or customer code; null for <see cref="ErpPriceScope.Base"/>.</param>
/// <param name="MinQty">Quantity tier start (1 = no tier).</param>
/// <param name="IsTrackingPrice">True for the ERP's last agreed price for this customer (客户跟踪价).</param>
/// <param name="Deleted">True when the ERP removed this price.</param>
/// <param name="ListName">The name of the ERP price list this price comes from (shown as 价目表 &lt;name&gt;), when it has one.</param>
public sealed record ErpPrice(
    string ProductCode, ErpPriceScope Scope, string? ScopeCode, long MinQty, long PriceFen,
    string Currency, bool IsTrackingPrice, DateTimeOffset ChangedAt, bool Deleted = false, string? ListName = null);

/// <param name="WarehouseCode">The warehouse that serves this store, where the ERP records one; null = OrderHub's default rule.</param>
/// <param name="HeadOfficeCode">The code of the customer's head office (总部) when it is a chain branch (连锁分店): null = the
/// adapter has no chain information (OrderHub keeps what it has); "" = the ERP says the store has no head office.</param>
public sealed record ErpCustomer(
    string Code, string Name, string? Contact, string? Phone, string? Address, string? GroupCode,
    long CreditLimitFen, long ReceivableFen, bool Active, DateTimeOffset ChangedAt, string? WarehouseCode = null,
    string? HeadOfficeCode = null)
{
    /// <summary>The value of <paramref name="HeadOfficeCode"/> that says "no head office" (the adapter knows chains).</summary>
    public const string NoHeadOffice = "";
}

/// <param name="Reference">The ERP's own number of the receipt (收款单号); booked once per reference.</param>
/// <param name="SourceReference">OrderHub's receipt number when the ERP document carries one (a receipt OrderHub pushed, or
/// one a person posted with the payment's number): the payment is then already in the ledger and is linked, not booked again.</param>
public sealed record ErpPayment(string Reference, string CustomerCode, long AmountFen, DateTimeOffset PaidAt, string? Note, string? SourceReference = null);

/// <param name="Unit">The ERP's code of the unit <paramref name="Quantity"/> and <paramref name="UnitPriceFen"/> count in
/// (<see cref="ErpProductUnit.ErpCode"/>); null = the product's base unit.</param>
public sealed record ErpOrderLine(string ProductCode, long Quantity, long UnitPriceFen, string? Unit = null);

/// <param name="OrderNumber">OrderHub's order number; the ERP document carries it as its external reference.</param>
/// <param name="AgentCode">The code of the store's agent (业务员), for ERPs that record a salesman on the order.</param>
/// <param name="Invoice">The invoice title (发票抬头) the store chose for the order, as copied onto it; null = none chosen.</param>
public sealed record ErpOrder(
    string OrderNumber, string CustomerCode, string? WarehouseCode, IReadOnlyList<ErpOrderLine> Lines,
    string? DeliveryAddress, string? Note, string? AgentCode = null, ErpInvoiceTitle? Invoice = null);

/// <summary>
/// An order's invoice title (发票抬头). <paramref name="Kind"/> is <c>normal</c> (普票, 增值税普通发票) or <c>special</c> (专票,
/// 增值税专用发票, which needs the tax number, bank, account, address and phone).
/// </summary>
public sealed record ErpInvoiceTitle(string Kind, string Title, string? TaxNumber, string? BankName, string? BankAccount, string? Address, string? Phone)
{
    public const string Normal = "normal";
    public const string Special = "special";

    /// <summary>普票 / 专票.</summary>
    public string KindText => Kind == Special ? "专票" : "普票";

    /// <summary>One line for a text field: "发票：专票 抬头 税号 … 开户行 … 账号 … 地址 … 电话 …" (blank parts left out).</summary>
    public string Describe()
    {
        var parts = new List<string> { $"发票：{KindText} {Title}" };
        if (!string.IsNullOrWhiteSpace(TaxNumber)) parts.Add("税号 " + TaxNumber);
        if (!string.IsNullOrWhiteSpace(BankName)) parts.Add("开户行 " + BankName);
        if (!string.IsNullOrWhiteSpace(BankAccount)) parts.Add("账号 " + BankAccount);
        if (!string.IsNullOrWhiteSpace(Address)) parts.Add("地址 " + Address);
        if (!string.IsNullOrWhiteSpace(Phone)) parts.Add("电话 " + Phone);
        return string.Join(" ", parts);
    }
}

/// <param name="Warnings">What the ERP noticed while taking the order (e.g. a unit price other than its own price list's);
/// the push records each as a sync issue. Null when there was nothing.</param>
public sealed record ErpOrderRef(string ErpOrderId, string OrderNumber, IReadOnlyList<string>? Warnings = null);

public enum ErpOrderState { Confirmed, Picked, Shipped, Delivered, Cancelled }

public sealed record ErpOrderStatusChange(
    string OrderNumber, string ErpOrderId, ErpOrderState State, DateTimeOffset ChangedAt, string? Detail);

/// <summary>The ERP cannot be reached or timed out; the call may be retried later.</summary>
public sealed class ErpUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The ERP refused the document for good (unknown customer, closed product…); retrying will not help.</summary>
public class ErpRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The ERP has the order but the push could not bring it to the state the flow needs (a confirmation warning, an ERP error
/// on confirm…): the order is not sent. <see cref="ErpState"/> is the ERP document's state (e.g. quotation). A later push finds
/// the document and resumes from that state.
/// </summary>
public sealed class ErpOrderIncompleteException(string message, string erpOrderId, string erpState, Exception? inner = null)
    : ErpRejectedException(message, inner)
{
    public string ErpOrderId { get; } = erpOrderId;
    public string ErpState { get; } = erpState;
}
