using System.Globalization;
using System.Text.Json.Nodes;
using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>Where the adapter learns the OrderHub agent (业务员) of an order's store; null when the store has none.</summary>
public delegate ValueTask<string?> KingdeeOrderAgentLookup(ErpOrder order, CancellationToken ct);

/// <summary>
/// <see cref="IErpAdapter"/> for Kingdee K/3 Cloud (金蝶云星空) over its WebAPI.
/// <para>Pulls read ExecuteBillQuery in change windows (see <see cref="SyncCursor"/> for the cursor format):
/// products BD_MATERIAL, prices BD_SAL_PriceList (KingdeeErpAdapter.Prices.cs), customers BD_Customer, payments
/// AR_RECEIVEBILL; stock sweeps STK_Inventory, which has no change date (KingdeeErpAdapter.Stock.cs); order status reads
/// SAL_SaleOrder and the outbound documents SAL_OUTSTOCK / SAL_DELIVERYNOTICE (KingdeeErpAdapter.Status.cs). Pushes are
/// Save + Submit + Audit of SAL_SaleOrder with OrderHub's order number in <see cref="KingdeeOptions.ExternalReferenceField"/>.</para>
/// <para>Every field key used is listed in one place (KingdeeErpAdapter.Schema.cs) and <see cref="VerifySchemaAsync"/>
/// checks them against the data centre's own metadata, so a variant data centre fails loudly at go-live.</para>
/// <para>Bad rows never stop a feed: each is reported to <see cref="IErpDataIssues"/> and the rest of the page applies.</para>
/// </summary>
public sealed partial class KingdeeErpAdapter : IErpAdapter
{
    private readonly KingdeeWebApiClient _client;
    private readonly KingdeeOptions _o;
    private readonly TimeProvider _time;
    private readonly IErpDataIssues _issues;
    private readonly KingdeeOrderAgentLookup? _agentOf;

    /// <param name="issues">Where bad ERP rows are reported (OrderHub passes its sync issue collector). Null = not kept.</param>
    /// <param name="agentOf">The agent of an order's store (OrderHub: customers.agent_id → agents.code). Null = every order
    /// goes under <see cref="KingdeeOptions.SalerNumber"/>.</param>
    public KingdeeErpAdapter(KingdeeWebApiClient client, KingdeeOptions options, TimeProvider? time = null,
        IErpDataIssues? issues = null, KingdeeOrderAgentLookup? agentOf = null)
    {
        options.ThrowIfInvalid();
        _client = client;
        _o = options;
        _time = time ?? TimeProvider.System;
        _issues = issues ?? NoIssues.Instance;
        _agentOf = agentOf;
    }

    public string Name => "kingdee-k3cloud";

    // ================================================================= products

    // BD_MATERIAL: FNumber, FName, FSpecification, FBaseUnitId (sub-head SubHeadEntity), FMaterialGroup, FForbidStatus,
    // FDocumentStatus, FModifyDate, FUseOrgId; FMATERIALID is the form's primary key.
    internal static readonly string[] MaterialFields =
        ["FMATERIALID", "FNumber", "FName", "FSpecification", "FBaseUnitId.FNumber", "FMaterialGroup.FName",
         "FForbidStatus", "FDocumentStatus", "FModifyDate"];
    internal const string MaterialOrgKey = "FUseOrgId.FNumber";

    public async Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct)
    {
        var materialFields = string.IsNullOrEmpty(_o.ProductCostField) ? MaterialFields : [.. MaterialFields, _o.ProductCostField];
        if (_o.SaleUnits) materialFields = [.. materialFields, SaleUnitField];
        var page = await PullWindowAsync(Material, materialFields, OrgFilter(MaterialOrgKey), [new("FModifyDate")],
            "FMATERIALID", numericKey: true, cursor, ct).ConfigureAwait(false);

        var codes = page.Rows.Select(r => Blank(r.GetString("FNumber"))).OfType<string>().Distinct().ToList();
        var basePrices = await BasePricesAsync(codes, ct).ConfigureAwait(false);
        var saleUnits = _o.SaleUnits ? await SaleUnitsAsync(page.Rows, ct).ConfigureAwait(false) : null;
        var items = new List<ErpProduct>();
        foreach (var r in page.Rows)
        {
            var code = Blank(r.GetString("FNumber"));
            if (code is null) { Skip(Feed.Products, null, $"material FMATERIALID {r.GetString("FMATERIALID")} has no code (FNumber)"); continue; }
            var unit = Blank(r.GetString("FBaseUnitId.FNumber"));
            if (unit is null) { Skip(Feed.Products, code, "has no base unit (FBaseUnitId)"); continue; }
            long baseFen = 0;
            if (basePrices.TryGetValue(code, out var bp))
            {
                if (bp.Problem is { } problem) { Skip(Feed.Products, code, problem); continue; }
                baseFen = bp.Fen;
            }
            var group = r.GetString("FMaterialGroup.FName");
            items.Add(new ErpProduct(
                Code: code,
                Name: Blank(r.GetString("FName")) ?? code,
                Spec: Blank(r.GetString("FSpecification")),
                Unit: unit,
                PackSize: 1,        // no standard field; pack sizes live in unit conversions
                MinOrderQty: 1,     // no standard field
                Barcode: null,      // not read: the barcode master (BD_BarCodeMainFile) is a separate form
                Brand: null,        // no standard field
                CategoryPath: string.IsNullOrWhiteSpace(group) ? [] : [group],
                BasePriceFen: baseFen,
                Currency: "CNY",
                Active: r.GetString("FForbidStatus") == Enabled && r.GetString("FDocumentStatus") == Audited,
                ChangedAt: At(r.GetDate("FModifyDate")),
                CostFen: _o.ProductCostField is { Length: > 0 } costField ? ErpMoney.CostToFen(r.GetDecimal(costField)) : null,
                Units: saleUnits is null ? null : saleUnits.TryGetValue(code, out var su) ? [su] : []));
        }
        return new ErpPage<ErpProduct>(items, page.Next, page.HasMore);
    }

    // BD_MATERIAL sub-head SubHeadEntity1 (销售): FSaleUnitId. BD_UNITCONVERTRATE: FMaterialId, FCurrentUnitId, FDestUnitId,
    // FConvertNumerator, FConvertDenominator (1 current = numerator/denominator dest) [assumed keys].
    internal const string SaleUnitField = "FSaleUnitId.FNumber";
    internal static readonly string[] UnitConvertFields =
        ["FMaterialId.FNumber", "FCurrentUnitId.FNumber", "FDestUnitId.FNumber", "FConvertNumerator", "FConvertDenominator", "FForbidStatus"];

    /// <summary>
    /// Material number → its sale unit as a larger unit (code = the unit's number, as FUnitID takes it), for materials sold in a
    /// unit other than their base unit. No conversion to the base unit, or one that is not a whole number ≥ 2, is reported
    /// and the material is sold in base units. The price is left to base × factor (Kingdee price lists are per their FUnitID).
    /// </summary>
    private async Task<Dictionary<string, ErpProductUnit>> SaleUnitsAsync(IReadOnlyList<KingdeeRow> materials, CancellationToken ct)
    {
        var result = new Dictionary<string, ErpProductUnit>(StringComparer.Ordinal);
        var wanted = materials
            .Select(r => (Code: Blank(r.GetString("FNumber")), Base: Blank(r.GetString("FBaseUnitId.FNumber")), Sale: Blank(r.GetString(SaleUnitField))))
            .Where(m => m.Code is not null && m.Base is not null && m.Sale is not null && !string.Equals(m.Base, m.Sale, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (wanted.Count == 0) return result;
        var rates = await QueryInAsync(UnitConvertRate, UnitConvertFields, "FMaterialId.FNumber", wanted.Select(m => m.Code!).ToList(),
            numeric: false, "", "FMaterialId.FNumber ASC", ct).ConfigureAwait(false);
        foreach (var (code, baseUnit, sale) in wanted)
        {
            var rate = rates.FirstOrDefault(r => r.GetString("FMaterialId.FNumber") == code && r.GetString("FForbidStatus") != "B"
                && string.Equals(r.GetString("FCurrentUnitId.FNumber"), sale, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.GetString("FDestUnitId.FNumber"), baseUnit, StringComparison.OrdinalIgnoreCase));
            var numerator = rate?.GetDecimal("FConvertNumerator") ?? 0m;
            var denominator = rate?.GetDecimal("FConvertDenominator") ?? 0m;
            var factor = denominator > 0 ? numerator / denominator : 0m;
            if (factor < 2 || factor != decimal.Truncate(factor) || factor > int.MaxValue)
            {
                _issues.Report(new ErpDataIssue(Feed.Products, code,
                    rate is null ? $"销售单位 {sale} 没有到基本单位 {baseUnit} 的换算，按基本单位销售 / sale unit {sale} has no conversion to base unit {baseUnit} ({UnitConvertRate}); sold in base units"
                                 : $"销售单位 {sale} = {factor:0.######} {baseUnit}，不是整数倍，按基本单位销售 / sale unit {sale} is {factor:0.######} {baseUnit}, not a whole number; sold in base units",
                    RowSkipped: false));
                continue;
            }
            result[code!] = new ErpProductUnit(sale!, (int)factor, null, sale);
        }
        return result;
    }

    // ================================================================= customers

    // BD_Customer: FNumber, FName, FModifyDate, FForbidStatus, FDocumentStatus, FUseOrgId, FCUSTID (key), FTEL, FADDRESS,
    // FCustTypeId (客户类别 → group). Credit limit and receivable come from optional custom fields.
    internal static readonly string[] CustomerFields =
        ["FCUSTID", "FNumber", "FName", "FTEL", "FADDRESS", "FCustTypeId.FNumber", "FForbidStatus", "FDocumentStatus", "FModifyDate"];
    internal const string CustomerOrgKey = "FUseOrgId.FNumber";

    public async Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct)
    {
        var fields = CustomerFields.ToList();
        if (!string.IsNullOrEmpty(_o.CustomerCreditLimitField)) fields.Add(_o.CustomerCreditLimitField);
        if (!string.IsNullOrEmpty(_o.CustomerReceivableField)) fields.Add(_o.CustomerReceivableField);
        if (!string.IsNullOrEmpty(_o.CustomerHeadOfficeField)) fields.Add(_o.CustomerHeadOfficeField);

        var page = await PullWindowAsync(Customer, fields, OrgFilter(CustomerOrgKey), [new("FModifyDate")],
            "FCUSTID", numericKey: true, cursor, ct).ConfigureAwait(false);
        var items = new List<ErpCustomer>();
        foreach (var r in page.Rows)
        {
            var code = Blank(r.GetString("FNumber"));
            if (code is null) { Skip(Feed.Customers, null, $"customer FCUSTID {r.GetString("FCUSTID")} has no code (FNumber)"); continue; }
            long credit = 0, receivable = 0;
            if (_o.CustomerCreditLimitField is { Length: > 0 } cf && !TryFen(r.GetDecimal(cf), Feed.Customers, code, out credit))
            { Skip(Feed.Customers, code, $"credit limit {r.GetString(cf)} ({cf}) is not a whole number of fen"); continue; }
            if (_o.CustomerReceivableField is { Length: > 0 } rf && !TryFen(r.GetDecimal(rf), Feed.Customers, code, out receivable))
            { Skip(Feed.Customers, code, $"receivable {r.GetString(rf)} ({rf}) is not a whole number of fen"); continue; }
            items.Add(new ErpCustomer(
                Code: code,
                Name: Blank(r.GetString("FName")) ?? code,
                Contact: null, // contacts are a separate form (BD_CommonContact)
                Phone: Blank(r.GetString("FTEL")),
                Address: Blank(r.GetString("FADDRESS")),
                GroupCode: Blank(r.GetString("FCustTypeId.FNumber")),
                CreditLimitFen: credit,
                ReceivableFen: receivable,
                Active: r.GetString("FForbidStatus") == Enabled && r.GetString("FDocumentStatus") == Audited,
                ChangedAt: At(r.GetDate("FModifyDate")),
                HeadOfficeCode: _o.CustomerHeadOfficeField is { Length: > 0 } hf ? Blank(r.GetString(hf)) ?? ErpCustomer.NoHeadOffice : null));
        }
        return new ErpPage<ErpCustomer>(items, page.Next, page.HasMore);
    }

    // ================================================================= payments

    // AR_RECEIVEBILL (收款单): FBillNo, FDate, FDocumentStatus, FCONTACTUNIT / FCONTACTUNITTYPE (往来单位), FCURRENCYID,
    // FREALRECAMOUNTFOR (实收金额), FApproveDate, FREMARK. Only audited bills whose contact unit is a customer are reported;
    // the window runs over FApproveDate, so a bill appears once, when it is audited.
    internal static readonly string[] PaymentFields =
        ["FID", "FBillNo", "FDate", "FCONTACTUNIT.FNumber", "FCURRENCYID.FNumber", "FREALRECAMOUNTFOR", "FREMARK", "FApproveDate"];
    internal static readonly string[] PaymentFilterKeys = ["FDocumentStatus", "FCONTACTUNITTYPE"];

    public async Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct)
    {
        var paymentFields = PaymentFields.Contains(_o.ReceiptReferenceField, StringComparer.OrdinalIgnoreCase) ? PaymentFields : [.. PaymentFields, _o.ReceiptReferenceField];
        var page = await PullWindowAsync(ReceiveBill, paymentFields,
            And($"FDocumentStatus = {Q(Audited)}", $"FCONTACTUNITTYPE = {Q(Customer)}"), [new("FApproveDate")],
            "FID", numericKey: true, cursor, ct).ConfigureAwait(false);
        var items = new List<ErpPayment>();
        foreach (var r in page.Rows)
        {
            var billNo = Blank(r.GetString("FBillNo"));
            if (billNo is null) { Skip(Feed.Payments, null, $"receive bill FID {r.GetString("FID")} has no number (FBillNo)"); continue; }
            var customer = Blank(r.GetString("FCONTACTUNIT.FNumber"));
            if (customer is null) { Skip(Feed.Payments, billNo, "has no customer code (FCONTACTUNIT)"); continue; }
            if (!IsCny(r.GetString("FCURRENCYID.FNumber")))
            { Skip(Feed.Payments, billNo, $"is in currency {r.GetString("FCURRENCYID.FNumber")}, not CNY (PRE001)"); continue; }
            if (!TryFen(r.GetDecimal("FREALRECAMOUNTFOR"), Feed.Payments, billNo, out var fen))
            { Skip(Feed.Payments, billNo, $"amount {r.GetString("FREALRECAMOUNTFOR")} is not a whole number of fen"); continue; }
            // the receipt number OrderHub wrote (or a person typed) in ReceiptReferenceField: the payment it is, not new money
            items.Add(new ErpPayment(billNo, customer, fen, At(r.GetDate("FDate")), Blank(r.GetString("FREMARK")),
                SourceReference: Blank(r.GetString(_o.ReceiptReferenceField))));
        }
        return new ErpPage<ErpPayment>(items, page.Next, page.HasMore);
    }

    // ================================================================= orders

    internal static readonly string[] FindOrderFields = ["FID", "FBillNo", "FDocumentStatus"];
    internal const string OrderOrgKey = "FSaleOrgId.FNumber";

    /// <summary>
    /// Finds the order by OrderHub's number. When <see cref="KingdeeOptions.CompleteInterruptedPushOnFind"/> is on, an order
    /// a push left half-way is finished, so the retry ends as a clean push would: saved (A 创建) or re-opened (D 重新审核)
    /// → Submit + Audit; submitted but not audited (B 审核中) → Audit.
    /// </summary>
    public async Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct)
    {
        var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(SaleOrder, FindOrderFields,
            And($"{_o.ExternalReferenceField} = {Q(orderNumber)}", OrgFilter(OrderOrgKey)),
            "FID ASC", 0, 10), ct).ConfigureAwait(false);
        if (rows.Count == 0) return null;

        var row = rows[0];
        var billNo = row.GetString("FBillNo")!;
        if (_o.CompleteInterruptedPushOnFind)
        {
            switch (row.GetString("FDocumentStatus"))
            {
                case Created or ReAudit:
                    await SubmitAndAuditAsync(orderNumber, billNo, submit: true, ct).ConfigureAwait(false);
                    break;
                case Submitted:
                    await SubmitAndAuditAsync(orderNumber, billNo, submit: false, ct).ConfigureAwait(false);
                    break;
            }
        }
        return new ErpOrderRef(billNo, orderNumber);
    }

    public Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct) => PushOrderAsync(order, agentCode: order.AgentCode, ct);

    /// <summary>Creates the sales order with the given agent's salesman (null = look it up, else the default salesman).</summary>
    public async Task<ErpOrderRef> PushOrderAsync(ErpOrder order, string? agentCode, CancellationToken ct)
    {
        if (order.Lines.Count == 0) throw new ErpRejectedException($"Order {order.OrderNumber} has no lines.");
        agentCode ??= _agentOf is null ? null : await _agentOf(order, ct).ConfigureAwait(false);
        var units = await BaseUnitsAsync(order.Lines.Select(l => l.ProductCode).Distinct().ToList(), ct).ConfigureAwait(false);
        var model = BuildSaleOrderModel(order, SalesmanFor(agentCode), units);

        var saved = await _client.SaveAsync(SaleOrder, model, ct).ConfigureAwait(false);
        var billNo = saved.SuccessEntities.FirstOrDefault()?.Number;
        if (string.IsNullOrEmpty(billNo))
            throw new ErpUnavailableException($"Kingdee saved order {order.OrderNumber} but returned no bill number.");

        await SubmitAndAuditAsync(order.OrderNumber, billNo, submit: true, ct).ConfigureAwait(false);
        return new ErpOrderRef(billNo, order.OrderNumber);
    }

    /// <summary>The salesman (销售员) number for FSalerId: the agent's mapping, else the agent's own code, else the default.</summary>
    internal string SalesmanFor(string? agentCode)
    {
        if (Blank(agentCode) is not { } agent) return _o.SalerNumber!;
        return _o.SalesmanByAgent.TryGetValue(agent, out var mapped) && Blank(mapped) is { } m ? m : agent;
    }

    private async Task SubmitAndAuditAsync(string orderNumber, string billNo, bool submit, CancellationToken ct)
    {
        try
        {
            if (submit) await _client.SubmitAsync(SaleOrder, [billNo], ct).ConfigureAwait(false);
            await _client.AuditAsync(SaleOrder, [billNo], ct).ConfigureAwait(false);
        }
        catch (ErpRejectedException e)
        {
            throw new ErpRejectedException($"Order {orderNumber} was saved in Kingdee as {billNo}, but it was not {(submit ? "submitted/audited" : "audited")}. {e.Message}", e);
        }
    }

    private async Task<Dictionary<string, string>> BaseUnitsAsync(IReadOnlyList<string> materials, CancellationToken ct)
    {
        var rows = await QueryAllAsync(new KingdeeBillQuery(Material, ["FNumber", "FBaseUnitId.FNumber"],
            And(In("FNumber", materials), OrgFilter(MaterialOrgKey)), "FNumber ASC"), ct).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in rows)
            if (r.GetString("FBaseUnitId.FNumber") is { Length: > 0 } u) result.TryAdd(r.GetString("FNumber")!, u);
        return result;
    }

    // [published] SAL_SaleOrder Save model: FBillTypeID, FDate, FSaleOrgId, FCustId, FSalerId, FReceiveAddress, FNote,
    // FSaleOrderFinance{FSettleCurrId, FIsIncludedTax}, FSaleOrderEntry[{FMaterialId, FUnitID, FQty, FTaxPrice (含税单价),
    // FIsFree, FDeliveryDate, FSettleOrgIds}]. Base data are referenced as {"FNumber": code}.
    internal static readonly string[] SaveHeaderKeys = ["FBillTypeID", "FDate", "FSaleOrgId", "FCustId", "FSalerId", "FReceiveAddress", "FNote"];
    internal static readonly string[] SaveFinanceKeys = ["FSettleCurrId", "FIsIncludedTax"];
    internal static readonly string[] SaveEntryKeys = ["FMaterialId", "FUnitID", "FQty", "FTaxPrice", "FIsFree", "FDeliveryDate", "FSettleOrgIds"];

    /// <summary>
    /// The Save model. FSaleOrgId and FSalerId are always sent: both are must-input on SAL_SaleOrder (issue #22).
    /// Quantities are in the line's unit: the sale unit when the line names one (FUnitID = it), else the base unit.
    /// </summary>
    private JsonObject BuildSaleOrderModel(ErpOrder order, string salesman, IReadOnlyDictionary<string, string> baseUnits)
    {
        var today = _time.GetUtcNow().ToOffset(_o.ServerUtcOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var entries = new JsonArray();
        foreach (var line in order.Lines)
        {
            var e = new JsonObject
            {
                ["FMaterialId"] = Num(line.ProductCode),
                ["FQty"] = line.Quantity,
                ["FTaxPrice"] = ErpMoney.ToYuan(line.UnitPriceFen),
                ["FIsFree"] = line.UnitPriceFen == 0,
                ["FDeliveryDate"] = today,
                ["FSettleOrgIds"] = Num(_o.OrgNumber),
            };
            // A line in the material's sale unit (its number from the product feed) goes in it; Kingdee converts to base units.
            if (line.Unit is { Length: > 0 } saleUnit) e["FUnitID"] = Num(saleUnit);
            else if (baseUnits.TryGetValue(line.ProductCode, out var unit)) e["FUnitID"] = Num(unit);
            if (order.WarehouseCode is { Length: > 0 } wh && _o.OrderLineWarehouseField is { Length: > 0 } whField) e[whField] = Num(wh);
            entries.Add(e);
        }

        var model = new JsonObject
        {
            ["FID"] = 0,
            ["FBillTypeID"] = new JsonObject { ["FNUMBER"] = _o.SaleOrderBillType },
            ["FDate"] = today,
            ["FSaleOrgId"] = Num(_o.OrgNumber),
            ["FCustId"] = Num(order.CustomerCode),
            ["FSalerId"] = Num(salesman),
        };
        if (order.DeliveryAddress is { Length: > 0 } addr) model["FReceiveAddress"] = addr;
        if (order.Note is { Length: > 0 } note && !string.Equals(_o.ExternalReferenceField, "FNote", StringComparison.OrdinalIgnoreCase))
            model["FNote"] = note;
        model[_o.ExternalReferenceField] = order.OrderNumber;
        if (order.Invoice is { } invoice)
            foreach (var (field, value) in InvoiceTitleValues(invoice))
                model[field] = value;
        model["FSaleOrderFinance"] = new JsonObject
        {
            ["FSettleCurrId"] = Num(_o.SettleCurrencyNumber),
            ["FIsIncludedTax"] = true,
        };
        model["FSaleOrderEntry"] = entries;
        return model;
    }

    // ================================================================= windowed, keyset paging

    /// <summary>A date field a window runs over; <paramref name="Shift"/> moves the window for dates whose effect starts
    /// later (an expiry date 2025-03-10 takes effect at 2025-03-11 00:00, so it is read with a shift of −1 day).</summary>
    private readonly record struct DateField(string Field, TimeSpan Shift = default);

    private sealed record WindowPage(IReadOnlyList<KingdeeRow> Rows, string Next, bool HasMore, DateTime To);

    private async Task<WindowPage> PullWindowAsync(string formId, IReadOnlyList<string> fields, string baseFilter,
        IReadOnlyList<DateField> dateFields, string keyField, bool numericKey, string? cursorText, CancellationToken ct)
        => await PullWindowAsync(formId, fields, baseFilter, dateFields, keyField, numericKey, SyncCursor.Parse(cursorText), ct).ConfigureAwait(false);

    private async Task<WindowPage> PullWindowAsync(string formId, IReadOnlyList<string> fields, string baseFilter,
        IReadOnlyList<DateField> dateFields, string keyField, bool numericKey, SyncCursor cursor, CancellationToken ct)
    {
        var to = cursor.To ?? WindowEnd();
        if (cursor.From is { } f && to <= f)
            return new WindowPage([], cursor.ToString(), false, to); // nothing can have changed yet

        string window = cursor.From is { } from
            ? string.Join(" OR ", dateFields.Select(d =>
                $"({d.Field} > {SyncCursor.Literal(from + d.Shift)} AND {d.Field} <= {SyncCursor.Literal(to + d.Shift)})"))
            : $"{dateFields[0].Field} <= {SyncCursor.Literal(to)}";
        var keyFilter = cursor.Key is null ? "" : $"{keyField} > {(numericKey ? NumericLiteral(cursor.Key) : Q(cursor.Key))}";

        var queryFields = fields.Contains(keyField, StringComparer.OrdinalIgnoreCase) ? fields : [.. fields, keyField];
        var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(formId, queryFields,
            And(baseFilter, window, keyFilter), $"{keyField} ASC", 0, _o.PageSize), ct).ConfigureAwait(false);

        if (rows.Count < _o.PageSize)
            return new WindowPage(rows, new SyncCursor(to, null, null).ToString(), false, to);
        var lastKey = rows[^1].GetString(keyField);
        return new WindowPage(rows, (cursor with { To = to, Key = lastKey }).ToString(), true, to);
    }

    /// <summary>ERP server-local now − safety lag, to the millisecond.</summary>
    private DateTime WindowEnd() => ServerNow() - _o.SafetyLag;

    private DateTime ServerNow()
    {
        var now = _time.GetUtcNow().ToOffset(_o.ServerUtcOffset).DateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);
    }

    /// <summary>Reads a short-lived, bounded result fully with StartRow/Limit paging.</summary>
    private async Task<List<KingdeeRow>> QueryAllAsync(KingdeeBillQuery query, CancellationToken ct)
    {
        var all = new List<KingdeeRow>();
        for (var start = 0; ; start += _o.PageSize)
        {
            var rows = await _client.ExecuteBillQueryAsync(query with { StartRow = start, Limit = _o.PageSize }, ct).ConfigureAwait(false);
            all.AddRange(rows);
            if (rows.Count < _o.PageSize) return all;
        }
    }

    /// <summary>Reads rows whose <paramref name="field"/> is one of many values, a bounded IN list at a time.</summary>
    private async Task<List<KingdeeRow>> QueryInAsync(string formId, IReadOnlyList<string> fields, string field, IReadOnlyCollection<string> values,
        bool numeric, string filter, string order, CancellationToken ct)
    {
        var all = new List<KingdeeRow>();
        foreach (var chunk in values.Distinct().Chunk(200))
            all.AddRange(await QueryAllAsync(new KingdeeBillQuery(formId, fields, And(filter, In(field, chunk, numeric)), order), ct).ConfigureAwait(false));
        return all;
    }

    // ================================================================= data issues

    /// <summary>Feed names as <see cref="ErpDataIssue.Feed"/> documents them.</summary>
    private static class Feed
    {
        public const string Products = "Products", Stock = "Stock", Prices = "Prices", Customers = "Customers",
            Payments = "Payments", OrderStatus = "OrderStatus";
    }

    private void Skip(string feed, string? key, string problem) => _issues.Report(new ErpDataIssue(feed, key, problem, RowSkipped: true));

    private void Corrected(string feed, string? key, string problem) => _issues.Report(new ErpDataIssue(feed, key, problem, RowSkipped: false));

    private sealed class NoIssues : IErpDataIssues
    {
        public static readonly NoIssues Instance = new();
        public void Report(ErpDataIssue issue) { }
    }

    // ================================================================= helpers

    /// <summary>
    /// Yuan → fen through the port's one conversion (<see cref="ErpMoney"/>): false when the row must be left out (an amount
    /// out of range, or sub-fen with <see cref="KingdeeOptions.SubFenPrices"/> = Refuse; the caller reports it); a rounded
    /// amount is taken and reported here as a corrected row when <paramref name="report"/>.
    /// </summary>
    private bool TryFen(decimal? yuan, string feed, string? key, out long fen, bool report = true)
    {
        fen = 0;
        var y = yuan ?? 0m;
        if (y * 100m > long.MaxValue || y * 100m < long.MinValue) return false;
        if (ErpMoney.ToFen(y, _o.SubFenPrices, out var problem) is not { } f) return false;
        if (problem is not null && report) Corrected(feed, key, problem);
        fen = f;
        return true;
    }

    private DateTimeOffset At(DateTime? serverLocal) =>
        serverLocal is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), _o.ServerUtcOffset) : DateTimeOffset.UnixEpoch;

    private string OrgFilter(string field) => $"{field} = {Q(_o.OrgNumber)}";

    private static JsonObject Num(string number) => new() { ["FNumber"] = number };

    /// <summary>Kingdee filter string literal: single quotes, embedded quotes doubled.</summary>
    internal static string Q(string value) => "'" + value.Replace("'", "''") + "'";

    private static string NumericLiteral(string s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"Key '{s}' is not numeric.");

    internal static string In(string field, IReadOnlyCollection<string> values, bool numeric = false) =>
        values.Count == 0 ? "1 = 0" : $"{field} IN ({string.Join(",", values.Select(v => numeric ? NumericLiteral(v) : Q(v)))})";

    internal static string And(params string[] parts)
    {
        var used = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return used.Count switch { 0 => "", 1 => used[0], _ => string.Join(" AND ", used.Select(p => $"({p})")) };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>PRE001 is the preset number of 人民币 (CNY) in K/3 Cloud; blank is taken as the data centre's CNY default.</summary>
    /// <summary>PRE001 is the preset number of 人民币 in every data centre; otherwise the port's one currency rule.</summary>
    private static bool IsCny(string? currencyNumber) => currencyNumber == "PRE001" || ErpMoney.IsCny(currencyNumber);

    /// <summary>The invoice title's parts under the fields <see cref="KingdeeOptions.InvoiceTitleFields"/> names (blank parts left out).</summary>
    internal IEnumerable<(string Field, string Value)> InvoiceTitleValues(ErpInvoiceTitle invoice)
    {
        foreach (var (part, field) in _o.InvoiceTitleFields)
        {
            var value = part.ToLowerInvariant() switch
            {
                "kind" => invoice.KindText,
                "title" => invoice.Title,
                "taxnumber" => invoice.TaxNumber,
                "bankname" => invoice.BankName,
                "bankaccount" => invoice.BankAccount,
                "address" => invoice.Address,
                "phone" => invoice.Phone,
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(value) && !string.IsNullOrWhiteSpace(field)) yield return (field, value);
        }
    }
}
