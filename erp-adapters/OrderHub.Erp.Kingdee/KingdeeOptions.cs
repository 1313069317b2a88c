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

    /// <summary>
    /// Required. Sales organisation number (销售组织, e.g. <c>100</c>): sent as FSaleOrgId (must-input on SAL_SaleOrder) and
    /// FSettleOrgIds of pushed orders, and the organisation whose materials, customers and stock are pulled (FUseOrgId / FStockOrgId).
    /// </summary>
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
    /// <summary>
    /// Required. The default salesman (销售员) number sent as FSalerId, which is must-input on SAL_SaleOrder: used when the
    /// order's store has no agent in OrderHub. A store's agent is sent instead when there is one (see <see cref="SalesmanByAgent"/>).
    /// </summary>
    public string? SalerNumber { get; set; }
    /// <summary>
    /// OrderHub agent code → Kingdee salesman (销售员) number, for agents whose OrderHub code is not their Kingdee number.
    /// An agent not listed here is sent under its own code.
    /// </summary>
    public Dictionary<string, string> SalesmanByAgent { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Sales order line field for the shipping warehouse. Null = do not send the warehouse.</summary>
    public string? OrderLineWarehouseField { get; set; } = "FSOStockId";

    /// <summary>Number of the sale price list (BD_SAL_PriceList) whose prices are the base prices. Null = every price list not limited to customers is a base list.</summary>
    public string? BasePriceListNumber { get; set; }
    /// <summary>Optional custom BD_Customer field holding the credit limit (yuan). Null = 0.</summary>
    public string? CustomerCreditLimitField { get; set; }
    /// <summary>Optional custom BD_Customer field holding the receivable balance (yuan). Null = 0.</summary>
    public string? CustomerReceivableField { get; set; }
    /// <summary>Optional BD_MATERIAL field holding the unit cost (yuan per base unit) for gross profit, e.g. a custom 成本价 field. Null = no cost.</summary>
    public string? ProductCostField { get; set; }
    /// <summary>
    /// Units: a material whose sale unit (FSaleUnitId) is not its base unit gets that unit as a larger one, with the factor of
    /// its BD_UNITCONVERTRATE row (FConvertNumerator / FConvertDenominator base units per sale unit) [assumed keys]; orders
    /// in it go with FUnitID = the sale unit. False = products stay in base units.
    /// </summary>
    public bool SaleUnits { get; set; } = true;
    /// <summary>
    /// Chains: a BD_Customer field holding the head office's customer number (e.g. a custom F_ORH_HeadOffice, or the
    /// standard 对应集团客户 FGroupCustId.FNumber [assumed]); blank value = no head office. Null = chains are not imported.
    /// </summary>
    public string? CustomerHeadOfficeField { get; set; }

    /// <summary>
    /// STK_Inventory has no change date, so the stock pull sweeps the whole inventory (page by page) and starts the next
    /// sweep no sooner than this after the last one finished.
    /// </summary>
    public TimeSpan StockSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows per ExecuteBillQuery page. Kingdee caps Limit (2000 in older, 10000 in newer versions).</summary>
    public int PageSize { get; set; } = 500;
    /// <summary>Write receipts (AR_RECEIVEBILL) for money OrderHub took. False = they are listed for a person to post.</summary>
    public bool WriteReceipts { get; set; } = true;
    /// <summary>
    /// AR_RECEIVEBILL header text field that carries OrderHub's receipt number (WeChat Pay's out_trade_no, TR… for a transfer);
    /// the payments pull reads it back so the receipt is matched, not booked twice. Default <c>FREMARK</c> (备注), which then
    /// holds exactly the number; a custom field (F_xxx_OrderHubNo) is recommended.
    /// </summary>
    public string ReceiptReferenceField { get; set; } = "FREMARK";
    /// <summary>Receipt bill type number (单据类型) [assumed: SKDLX01_SYS = 销售业务收款单].</summary>
    public string ReceiptBillType { get; set; } = "SKDLX01_SYS";
    /// <summary>
    /// Settlement type (结算方式, FSETTLETYPEID) per payment method (<c>wechat</c>, <c>transfer</c>). The defaults are the preset
    /// 电汇 [assumed JSFS04_SYS]; set the data centre's own 微信 settlement type for <c>wechat</c>.
    /// </summary>
    public Dictionary<string, string> ReceiptSettleTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["wechat"] = "JSFS04_SYS", ["transfer"] = "JSFS04_SYS" };
    /// <summary>Our bank account (我方银行账号, FACCOUNTID) on receipts; null = not sent (set it when the settlement type needs one).</summary>
    public string? ReceiptAccountNumber { get; set; }

    /// <summary>
    /// Where the order's invoice title (发票抬头) goes on SAL_SaleOrder: part → header text field key. Parts: <c>Kind</c>
    /// (普票 / 专票), <c>Title</c>, <c>TaxNumber</c>, <c>BankName</c>, <c>BankAccount</c>, <c>Address</c>, <c>Phone</c>.
    /// Kingdee's published SAL_SaleOrder Save model has no invoice-title fields (the title lives on the customer and on
    /// the AR invoice), so these are custom text fields the distributor adds (扩展字段, e.g. F_ORH_InvoiceTitle) — or FNote-like
    /// fields of its own. Empty (default) = not sent. Parts not named are not sent.
    /// </summary>
    public Dictionary<string, string> InvoiceTitleFields { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public static readonly string[] InvoiceTitleParts = ["Kind", "Title", "TaxNumber", "BankName", "BankAccount", "Address", "Phone"];

    /// <summary>Write refunds (AR_REFUNDBILL 收款退款单) for money OrderHub paid back. False = they are listed for a person to post.</summary>
    public bool WriteRefunds { get; set; } = true;
    /// <summary>
    /// AR_REFUNDBILL header text field that carries OrderHub's refund number (WeChat Pay's out_refund_no, RF…). Default
    /// <c>FREMARK</c> (备注), which then holds exactly the number; a custom field (F_xxx_OrderHubNo) is recommended.
    /// </summary>
    public string RefundReferenceField { get; set; } = "FREMARK";
    /// <summary>Refund bill type number (单据类型) [assumed: SKTKDLX01_SYS = 销售业务退款单].</summary>
    public string RefundBillType { get; set; } = "SKTKDLX01_SYS";

    /// <summary>Write returns (SAL_RETURNSTOCK 销售退货单). False = returns are parked for a person to enter.</summary>
    public bool WriteReturns { get; set; } = true;
    /// <summary>
    /// SAL_RETURNSTOCK header text field that carries OrderHub's return number. Default <c>FHeadNote</c> (备注), which then
    /// holds exactly the number (the store's reason is not written); a custom field is recommended, and the reason then goes to FHeadNote.
    /// </summary>
    public string ReturnReferenceField { get; set; } = "FHeadNote";
    /// <summary>Sales return bill type number [published sample: XSTHD01_SYS = 标准销售退货单].</summary>
    public string ReturnBillType { get; set; } = "XSTHD01_SYS";
    /// <summary>Return reason (退货原因, FReturnReason, an assistant-data number) sent on every return; null = not sent.</summary>
    public string? ReturnReasonNumber { get; set; }

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

    /// <summary>
    /// An amount that is not a whole number of fen (Kingdee keeps 6–10 decimals): Round (default) half-up to the fen with a
    /// sync issue for the row; Refuse leaves the row out with a sync issue. Either way the rest of the page applies.
    /// </summary>
    public SubFenPolicy SubFenPrices { get; set; } = SubFenPolicy.Round;

    internal bool UsesAppSecret => !string.IsNullOrEmpty(AppId) && !string.IsNullOrEmpty(AppSecret);

    /// <summary>
    /// Every problem of these settings, in words a distributor's IT can act on; empty when they are usable. OrderHub runs it
    /// at start (ValidateOnStart); the client and adapter constructors refuse settings that have problems.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Need(string? value, string name, string what)
        {
            if (string.IsNullOrWhiteSpace(value)) problems.Add($"Erp:Kingdee:{name} is required: {what}.");
        }
        Need(ServerUrl, nameof(ServerUrl), "the K/3 Cloud site address, e.g. http://erp.example.cn/k3cloud/");
        if (!string.IsNullOrWhiteSpace(ServerUrl) && !Uri.TryCreate(ServerUrl, UriKind.Absolute, out _))
            problems.Add($"Erp:Kingdee:ServerUrl '{ServerUrl}' is not an absolute address.");
        Need(AcctId, nameof(AcctId), "the data centre id (账套ID)");
        Need(Username, nameof(Username), "the integration user");
        if (!UsesAppSecret && string.IsNullOrEmpty(Password))
            problems.Add("Erp:Kingdee needs AppId + AppSecret (third-party app login, 第三方系统登录授权) or Password.");
        Need(OrgNumber, nameof(OrgNumber), "the sales organisation number (销售组织), sent as FSaleOrgId, which Kingdee requires on every sales order");
        Need(SalerNumber, nameof(SalerNumber), "the default salesman number (销售员), sent as FSalerId, which Kingdee requires on every sales order, for stores without an agent");
        foreach (var (agent, saler) in SalesmanByAgent)
            if (string.IsNullOrWhiteSpace(saler)) problems.Add($"Erp:Kingdee:SalesmanByAgent:{agent} has no salesman number.");
        Need(ExternalReferenceField, nameof(ExternalReferenceField), "the sales order field that carries OrderHub's order number");
        Need(SaleOrderBillType, nameof(SaleOrderBillType), "the sales order bill type number (XSDD01_SYS = standard)");
        Need(SettleCurrencyNumber, nameof(SettleCurrencyNumber), "the settlement currency number (PRE001 = CNY)");
        if (WriteReceipts)
        {
            Need(ReceiptReferenceField, nameof(ReceiptReferenceField), "the receipt field that carries OrderHub's receipt number");
            Need(ReceiptBillType, nameof(ReceiptBillType), "the receipt bill type number");
            foreach (var method in new[] { "wechat", "transfer" })
                if (!ReceiptSettleTypes.TryGetValue(method, out var st) || string.IsNullOrWhiteSpace(st))
                    problems.Add($"Erp:Kingdee:ReceiptSettleTypes:{method} is required: the settlement type (结算方式) of {method} receipts.");
        }
        foreach (var (part, field) in InvoiceTitleFields)
        {
            if (!InvoiceTitleParts.Contains(part, StringComparer.OrdinalIgnoreCase))
                problems.Add($"Erp:Kingdee:InvoiceTitleFields:{part} is not a part of an invoice title; use {string.Join(", ", InvoiceTitleParts)}.");
            else if (string.IsNullOrWhiteSpace(field)) problems.Add($"Erp:Kingdee:InvoiceTitleFields:{part} names no field.");
        }
        if (WriteRefunds)
        {
            Need(RefundReferenceField, nameof(RefundReferenceField), "the refund field that carries OrderHub's refund number");
            Need(RefundBillType, nameof(RefundBillType), "the refund bill type number");
        }
        if (WriteReturns)
        {
            Need(ReturnReferenceField, nameof(ReturnReferenceField), "the sales return field that carries OrderHub's return number");
            Need(ReturnBillType, nameof(ReturnBillType), "the sales return bill type number (XSTHD01_SYS = standard)");
        }
        if (PageSize < 1 || PageSize > 10000) problems.Add("Erp:Kingdee:PageSize must be 1..10000.");
        if (Timeout <= TimeSpan.Zero) problems.Add("Erp:Kingdee:Timeout must be positive.");
        if (SafetyLag < TimeSpan.Zero) problems.Add("Erp:Kingdee:SafetyLag must not be negative.");
        if (StockSweepInterval < TimeSpan.Zero) problems.Add("Erp:Kingdee:StockSweepInterval must not be negative.");
        return problems;
    }

    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new ArgumentException("Kingdee settings are not usable: " + string.Join(" ", problems));
    }
}
