namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Connection and mapping settings for one Kingdee K/3 Cloud (金蝶云星空) data centre.
/// Give either <see cref="AppId"/> + <see cref="AppSecret"/> (third-party app login, LoginByAppSecret)
/// or <see cref="Password"/> (user login, ValidateUser).
/// </summary>
public sealed class KingdeeOptions
{
    /// <summary>Base address of the K/3 Cloud site, e.g. <c>http://erp.example.cn/k3cloud/</c>. A trailing slash is added if missing.</summary>
    public string ServerUrl { get; set; } = "";
    /// <summary>Data centre id (账套ID / acctID).</summary>
    public string AcctId { get; set; } = "";
    /// <summary>The integration user (集成用户).</summary>
    public string Username { get; set; } = "";
    public string? AppId { get; set; }
    public string? AppSecret { get; set; }
    public string? Password { get; set; }
    /// <summary>Language id: 2052 = simplified Chinese, 3076 = traditional, 1033 = English.</summary>
    public int Lcid { get; set; } = 2052;

    /// <summary>Sales / use organisation number (FSaleOrgId / FUseOrgId / FStockOrgId). Empty = no organisation filter.</summary>
    public string OrgNumber { get; set; } = "";

    /// <summary>
    /// SAL_SaleOrder header text field that carries OrderHub's order number. Recommended: a custom
    /// text field (F_xxx_OrderHubNo). Default <c>FNote</c> (备注) exists in every data centre; when it is
    /// used, the order's own note is not written, because the field must hold exactly the order number.
    /// </summary>
    public string ExternalReferenceField { get; set; } = "FNote";

    /// <summary>Sales order bill type number (单据类型). XSDD01_SYS = standard sales order.</summary>
    public string SaleOrderBillType { get; set; } = "XSDD01_SYS";
    /// <summary>Settlement currency number for pushed orders. PRE001 is the preset number of CNY (人民币).</summary>
    public string SettleCurrencyNumber { get; set; } = "PRE001";
    /// <summary>Optional salesman number (FSalerId); some data centres make it mandatory.</summary>
    public string? SalerNumber { get; set; }
    /// <summary>Sales order line field for the shipping warehouse. Null = do not send the warehouse.</summary>
    public string? OrderLineWarehouseField { get; set; } = "FSOStockId";

    /// <summary>Number of the sale price list (BD_SAL_PriceList) whose prices are the base prices. Null = every price list not limited to customers is a base list.</summary>
    public string? BasePriceListNumber { get; set; }
    /// <summary>Optional custom BD_Customer field holding the credit limit (yuan). Null = 0.</summary>
    public string? CustomerCreditLimitField { get; set; }
    /// <summary>Optional custom BD_Customer field holding the receivable balance (yuan). Null = 0.</summary>
    public string? CustomerReceivableField { get; set; }

    /// <summary>Rows per ExecuteBillQuery page. Kingdee caps Limit (2000 in older, 10000 in newer versions).</summary>
    public int PageSize { get; set; } = 500;
    /// <summary>Time allowed for one HTTP call, login included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How far behind "now" a change window closes. Kingdee dates are written by the ERP server's clock and
    /// by transactions that may commit late; rows newer than now − lag are left for the next window.
    /// </summary>
    public TimeSpan SafetyLag { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>UTC offset of the ERP server's local time (Kingdee returns dates without offset). China: +08:00.</summary>
    public TimeSpan ServerUtcOffset { get; set; } = TimeSpan.FromHours(8);
    /// <summary>
    /// When <see cref="IErpAdapter.FindOrderAsync"/> finds an order that was saved but never submitted/audited
    /// (a push interrupted after Save), finish it with Submit + Audit so the retry ends in the same state as a clean push.
    /// </summary>
    public bool CompleteInterruptedPushOnFind { get; set; } = true;

    internal bool UsesAppSecret => !string.IsNullOrEmpty(AppId) && !string.IsNullOrEmpty(AppSecret);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServerUrl)) throw new ArgumentException("KingdeeOptions.ServerUrl is required.");
        if (string.IsNullOrWhiteSpace(AcctId)) throw new ArgumentException("KingdeeOptions.AcctId is required.");
        if (string.IsNullOrWhiteSpace(Username)) throw new ArgumentException("KingdeeOptions.Username is required.");
        if (!UsesAppSecret && string.IsNullOrEmpty(Password))
            throw new ArgumentException("KingdeeOptions needs AppId + AppSecret or Password.");
        if (PageSize < 1 || PageSize > 10000) throw new ArgumentException("KingdeeOptions.PageSize must be 1..10000.");
        if (string.IsNullOrWhiteSpace(ExternalReferenceField)) throw new ArgumentException("KingdeeOptions.ExternalReferenceField is required.");
    }
}
