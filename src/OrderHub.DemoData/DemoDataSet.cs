namespace OrderHub.DemoData;

/// <summary>A generated distributor, keyed by codes (not database ids) so it can be loaded into OrderHub or played by the demo ERP.</summary>
public sealed class DemoDataSet
{
    public List<DemoWarehouse> Warehouses { get; } = [];
    public List<DemoCategory> Categories { get; } = [];
    public List<DemoProduct> Products { get; } = [];
    public List<DemoGroup> Groups { get; } = [];
    public List<DemoAgent> Agents { get; } = [];
    public List<DemoCustomer> Customers { get; } = [];
    public List<DemoCustomerUser> CustomerUsers { get; } = [];
    public List<DemoStaff> Staff { get; } = [];
    public List<DemoPriceList> PriceLists { get; } = [];
    public List<DemoPriceListItem> PriceListItems { get; } = [];
    public List<DemoCustomerPrice> CustomerPrices { get; } = [];
    public List<DemoLastPrice> LastPrices { get; } = [];
    public List<DemoPromotion> Promotions { get; } = [];
    public List<DemoStock> Stock { get; } = [];
    public List<DemoAssortmentRule> AssortmentRules { get; } = [];
    /// <summary>Chains (连锁): a head office and its branch stores.</summary>
    public List<DemoChain> Chains { get; } = [];
}

public sealed record DemoWarehouse(string Code, string Name);
public sealed record DemoCategory(string Code, string Name, string? ParentCode, int SortOrder);
public sealed record DemoProduct(string Sku, string Name, string Spec, string Unit, int PackSize, int MinOrderQty, string Barcode,
    string Brand, string CategoryCode, long BasePriceFen, bool Active, string Description, IReadOnlyList<string> ImageUrls,
    IReadOnlyList<DemoUnit>? Units = null);
/// <summary>A larger unit of a demo product (箱 = <c>Factor</c> base units), with the ERP's price for one and its ERP code.</summary>
public sealed record DemoUnit(string Name, int Factor, long? PriceFen, string? ErpCode);
public sealed record DemoGroup(string Code, string Name, int SortOrder);
public sealed record DemoAgent(string Code, string Name, string Phone, string WeComUserId);
public sealed record DemoCustomer(string Code, string Name, string ContactName, string Phone, string Address, string Region,
    string GroupCode, string AgentCode, string WarehouseCode, long CreditLimitFen, long ReceivableFen);
public sealed record DemoCustomerUser(string CustomerCode, string Name, string Phone, string Role);
public sealed record DemoStaff(string Login, string Name, string Role);
public sealed record DemoPriceList(string Code, string Name, string GroupCode);
public sealed record DemoPriceListItem(string PriceListCode, string Sku, long MinQty, long PriceFen);
public sealed record DemoCustomerPrice(string CustomerCode, string Sku, string Source, long MinQty, long PriceFen);
public sealed record DemoLastPrice(string CustomerCode, string Sku, long PriceFen, long Quantity, long PaidAtMs);
public sealed record DemoPromotion(string Code, string Name, string Kind, string Target, string? TargetCode, long StartsAtMs, long EndsAtMs,
    long? BuyQty, long? FreeQty, long? ThresholdFen, long? DiscountFen, IReadOnlyList<(string Sku, long? SpecialPriceFen)> Items, string Description);
/// <summary>A chain (连锁) of the demo: the head office's store code and its branches' codes.</summary>
public sealed record DemoChain(string HeadOfficeCode, IReadOnlyList<string> BranchCodes);
public sealed record DemoStock(string Sku, string WarehouseCode, long OnHand);
/// <param name="GroupCode">Either a group or a customer is the target.</param>
public sealed record DemoAssortmentRule(string? GroupCode, string? CustomerCode, string? Sku, string? CategoryCode, string Effect);
