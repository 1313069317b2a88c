using System.Globalization;
using System.Text.Json.Nodes;
using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// <see cref="IErpAdapter"/> for Kingdee K/3 Cloud (金蝶云星空) over its WebAPI.
/// <para>Pulls read ExecuteBillQuery in change windows (see <see cref="SyncCursor"/> for the cursor format):
/// products BD_MATERIAL, stock STK_Inventory, prices BD_SAL_PriceList, customers BD_Customer, payments AR_RECEIVEBILL,
/// order status SAL_SaleOrder. Pushes are Save + Submit + Audit of SAL_SaleOrder with OrderHub's order number in
/// <see cref="KingdeeOptions.ExternalReferenceField"/>; <see cref="FindOrderAsync"/> looks that field up.</para>
/// <para>Field keys marked [published] appear in public Kingdee WebAPI material; [assumed] ones are our best reading
/// of the standard metadata and must be checked on the customer's data centre (QueryBusinessInfo lists them).</para>
/// </summary>
public sealed class KingdeeErpAdapter : IErpAdapter
{
    private readonly KingdeeWebApiClient _client;
    private readonly KingdeeOptions _o;
    private readonly TimeProvider _time;

    public KingdeeErpAdapter(KingdeeWebApiClient client, KingdeeOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _client = client;
        _o = options;
        _time = time ?? TimeProvider.System;
    }

    public string Name => "kingdee-k3cloud";

    // ================================================================= products

    // [published] BD_MATERIAL: FNumber, FName, FSpecification, FBaseUnitId.FNumber, FMaterialGroup, FForbidStatus,
    // FDocumentStatus, FModifyDate, FUseOrgId. [assumed] FMATERIALID as the row key (the form's primary key).
    private static readonly string[] MaterialFields =
        ["FMATERIALID", "FNumber", "FName", "FSpecification", "FBaseUnitId.FNumber", "FMaterialGroup.FName",
         "FForbidStatus", "FDocumentStatus", "FModifyDate"];

    public async Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct)
    {
        var page = await PullWindowAsync(Material, MaterialFields, OrgFilter("FUseOrgId.FNumber"), ["FModifyDate"],
            "FMATERIALID", numericKey: true, cursor, ct).ConfigureAwait(false);

        var basePrices = await BasePricesAsync(page.Rows.Select(r => r.GetString("FNumber")!).Distinct().ToList(), ct).ConfigureAwait(false);
        var items = page.Rows.Select(r =>
        {
            var code = r.GetString("FNumber")!;
            var group = r.GetString("FMaterialGroup.FName");
            return new ErpProduct(
                Code: code,
                Name: r.GetString("FName") ?? code,
                Spec: Blank(r.GetString("FSpecification")),
                Unit: r.GetString("FBaseUnitId.FNumber") ?? "",
                PackSize: 1,        // no standard field; pack sizes live in unit conversions
                MinOrderQty: 1,     // no standard field
                Barcode: null,      // not read: the barcode master (BD_BarCodeMainFile) is a separate form
                Brand: null,        // no standard field
                CategoryPath: string.IsNullOrWhiteSpace(group) ? [] : [group],
                BasePriceFen: basePrices.TryGetValue(code, out var fen) ? fen : 0,
                Currency: "CNY",
                Active: r.GetString("FForbidStatus") == Enabled && r.GetString("FDocumentStatus") == Audited,
                ChangedAt: At(r.GetDate("FModifyDate")));
        }).ToList();
        return new ErpPage<ErpProduct>(items, page.Next, page.HasMore);
    }

    /// <summary>Base price per material from the configured base price list (lowest quantity tier, audited, enabled).</summary>
    private async Task<Dictionary<string, long>> BasePricesAsync(IReadOnlyList<string> materials, CancellationToken ct)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(_o.BasePriceListNumber) || materials.Count == 0) return result;
        var rows = await QueryAllAsync(new KingdeeBillQuery(SalePriceList,
            ["FMaterialId.FNumber", "FPrice", "FFromQty", "FEntryForbidStatus"],
            And($"FNumber = {Q(_o.BasePriceListNumber)}", $"FDocumentStatus = {Q(Audited)}", $"FForbidStatus = {Q(Enabled)}",
                In("FMaterialId.FNumber", materials)),
            "FPriceListEntry_FEntryID ASC"), ct).ConfigureAwait(false);
        foreach (var g in rows.Where(r => r.GetString("FEntryForbidStatus") != "B").GroupBy(r => r.GetString("FMaterialId.FNumber")!))
        {
            var lowest = g.OrderBy(r => r.GetDecimal("FFromQty") ?? 0).First();
            result[g.Key] = Money.ToFen(lowest.GetDecimal("FPrice") ?? 0);
        }
        return result;
    }

    // ================================================================= stock

    // [published] STK_Inventory: FMaterialId.FNumber, FStockId.FNumber, FStockOrgId, FBaseQty (base-unit quantity).
    // [assumed] FID as the row key and FUpdateTime as the row's change time.
    public async Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct)
    {
        var org = OrgFilter("FStockOrgId.FNumber");
        var page = await PullWindowAsync(Inventory, ["FID", "FMaterialId.FNumber", "FUpdateTime"], org, ["FUpdateTime"],
            "FID", numericKey: false, cursor, ct).ConfigureAwait(false);

        // One material/warehouse pair spans several rows (lots, stock statuses, owners): re-read every row of the
        // materials that changed and add them up, so OnHand is the pair's total, not one row's.
        var materials = page.Rows.Select(r => r.GetString("FMaterialId.FNumber")!).Distinct().ToList();
        var items = new List<ErpStockLevel>();
        if (materials.Count > 0)
        {
            var rows = await QueryAllAsync(new KingdeeBillQuery(Inventory,
                ["FID", "FMaterialId.FNumber", "FStockId.FNumber", "FBaseQty", "FUpdateTime"],
                And(org, In("FMaterialId.FNumber", materials)), "FID ASC"), ct).ConfigureAwait(false);
            foreach (var g in rows.GroupBy(r => (Material: r.GetString("FMaterialId.FNumber")!, Stock: r.GetString("FStockId.FNumber") ?? "")))
            {
                var qty = g.Sum(r => r.GetDecimal("FBaseQty") ?? 0);
                items.Add(new ErpStockLevel(g.Key.Material, g.Key.Stock, (long)decimal.Truncate(qty),
                    At(g.Max(r => r.GetDate("FUpdateTime")))));
            }
        }
        return new ErpPage<ErpStockLevel>(items, page.Next, page.HasMore);
    }

    // ================================================================= prices

    // [published] BD_SAL_PriceList: FNumber, FCurrencyId, FDocumentStatus, FForbidStatus, FModifyDate; entry fields
    // FMaterialId, FPrice, FEntryForbidStatus, FRowAuditStatus; customer scope FCustID. Entry ids are queried as
    // {EntryKey}_FEntryID. [assumed] entry key FPriceListEntry, tier start FFromQty, customer-type scope FCustTypeID.
    private static readonly string[] PriceFields =
        ["FID", "FNumber", "FCurrencyId.FNumber", "FDocumentStatus", "FForbidStatus", "FModifyDate",
         "FPriceListEntry_FEntryID", "FMaterialId.FNumber", "FPrice", "FFromQty", "FEntryForbidStatus"];

    public async Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct)
    {
        var page = await PullWindowAsync(SalePriceList, PriceFields, "", ["FModifyDate"],
            "FPriceListEntry_FEntryID", numericKey: true, cursor, ct).ConfigureAwait(false);

        var listIds = page.Rows.Select(r => r.GetString("FID")!).Distinct().ToList();
        var scopes = new Dictionary<string, (List<string> Customers, List<string> Groups)>();
        if (listIds.Count > 0)
        {
            var scopeRows = await QueryAllAsync(new KingdeeBillQuery(SalePriceList,
                ["FID", "FCustID.FNumber", "FCustTypeID.FNumber"], In("FID", listIds, numeric: true), "FID ASC"), ct).ConfigureAwait(false);
            foreach (var r in scopeRows)
            {
                var id = r.GetString("FID")!;
                if (!scopes.TryGetValue(id, out var s)) scopes[id] = s = ([], []);
                if (Blank(r.GetString("FCustID.FNumber")) is { } c && !s.Customers.Contains(c)) s.Customers.Add(c);
                if (Blank(r.GetString("FCustTypeID.FNumber")) is { } t && !s.Groups.Contains(t)) s.Groups.Add(t);
            }
        }

        var items = new List<ErpPrice>();
        foreach (var r in page.Rows)
        {
            var listNo = r.GetString("FNumber");
            var live = r.GetString("FDocumentStatus") == Audited && r.GetString("FForbidStatus") == Enabled
                       && r.GetString("FEntryForbidStatus") != "B";
            var product = r.GetString("FMaterialId.FNumber")!;
            var minQty = Math.Max(1, (long)decimal.Truncate(r.GetDecimal("FFromQty") ?? 0));
            var fen = Money.ToFen(r.GetDecimal("FPrice") ?? 0);
            var currency = CurrencyCode(r.GetString("FCurrencyId.FNumber"));
            var at = At(r.GetDate("FModifyDate"));
            scopes.TryGetValue(r.GetString("FID")!, out var scope);
            var isBase = _o.BasePriceListNumber is { Length: > 0 } b
                ? string.Equals(listNo, b, StringComparison.Ordinal)
                : (scope.Customers?.Count ?? 0) == 0 && (scope.Groups?.Count ?? 0) == 0;

            if (isBase) items.Add(new ErpPrice(product, ErpPriceScope.Base, null, minQty, fen, currency, false, at, !live));
            foreach (var g in scope.Groups ?? [])
                items.Add(new ErpPrice(product, ErpPriceScope.CustomerGroup, g, minQty, fen, currency, false, at, !live));
            foreach (var c in scope.Customers ?? [])
                items.Add(new ErpPrice(product, ErpPriceScope.Customer, c, minQty, fen, currency, false, at, !live));
        }
        // 客户跟踪价 (customer tracking price) is not pulled: K/3 Cloud has no standard bill-query form for it.
        return new ErpPage<ErpPrice>(items, page.Next, page.HasMore);
    }

    // ================================================================= customers

    // [published] BD_Customer: FNumber, FName, FModifyDate, FForbidStatus, FDocumentStatus, FUseOrgId.
    // [assumed] FCUSTID (key), FTEL, FADDRESS, FCustTypeId (客户类别 → group).
    public async Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct)
    {
        var fields = new List<string> { "FCUSTID", "FNumber", "FName", "FTEL", "FADDRESS", "FCustTypeId.FNumber", "FForbidStatus", "FDocumentStatus", "FModifyDate" };
        if (!string.IsNullOrEmpty(_o.CustomerCreditLimitField)) fields.Add(_o.CustomerCreditLimitField);
        if (!string.IsNullOrEmpty(_o.CustomerReceivableField)) fields.Add(_o.CustomerReceivableField);

        var page = await PullWindowAsync(Customer, fields, OrgFilter("FUseOrgId.FNumber"), ["FModifyDate"],
            "FCUSTID", numericKey: true, cursor, ct).ConfigureAwait(false);
        var items = page.Rows.Select(r => new ErpCustomer(
            Code: r.GetString("FNumber")!,
            Name: r.GetString("FName") ?? "",
            Contact: null, // contacts are a separate form (BD_CommonContact)
            Phone: Blank(r.GetString("FTEL")),
            Address: Blank(r.GetString("FADDRESS")),
            GroupCode: Blank(r.GetString("FCustTypeId.FNumber")),
            CreditLimitFen: _o.CustomerCreditLimitField is { Length: > 0 } cf ? Money.ToFen(r.GetDecimal(cf) ?? 0) : 0,
            ReceivableFen: _o.CustomerReceivableField is { Length: > 0 } rf ? Money.ToFen(r.GetDecimal(rf) ?? 0) : 0,
            Active: r.GetString("FForbidStatus") == Enabled && r.GetString("FDocumentStatus") == Audited,
            ChangedAt: At(r.GetDate("FModifyDate")))).ToList();
        return new ErpPage<ErpCustomer>(items, page.Next, page.HasMore);
    }

    // ================================================================= payments

    // [published] AR_RECEIVEBILL (收款单): FBillNo, FDate, FDocumentStatus, FCONTACTUNIT / FCONTACTUNITTYPE (往来单位),
    // FREALRECAMOUNTFOR (实收金额), FApproveDate. Only audited bills whose contact unit is a customer are reported;
    // the window runs over FApproveDate, so a bill appears once, when it is audited. [assumed] FREMARK as the note.
    public async Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct)
    {
        var page = await PullWindowAsync(ReceiveBill,
            ["FID", "FBillNo", "FDate", "FCONTACTUNIT.FNumber", "FREALRECAMOUNTFOR", "FREMARK", "FApproveDate"],
            And($"FDocumentStatus = {Q(Audited)}", $"FCONTACTUNITTYPE = {Q(Customer)}"), ["FApproveDate"],
            "FID", numericKey: true, cursor, ct).ConfigureAwait(false);
        var items = page.Rows.Select(r => new ErpPayment(
            Reference: r.GetString("FBillNo")!,
            CustomerCode: r.GetString("FCONTACTUNIT.FNumber") ?? "",
            AmountFen: Money.ToFen(r.GetDecimal("FREALRECAMOUNTFOR") ?? 0),
            PaidAt: At(r.GetDate("FDate")),
            Note: Blank(r.GetString("FREMARK")))).ToList();
        return new ErpPage<ErpPayment>(items, page.Next, page.HasMore);
    }

    // ================================================================= orders

    public async Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct)
    {
        var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(SaleOrder,
            ["FID", "FBillNo", "FDocumentStatus"],
            And($"{_o.ExternalReferenceField} = {Q(orderNumber)}", OrgFilter("FSaleOrgId.FNumber")),
            "FID ASC", 0, 10), ct).ConfigureAwait(false);
        if (rows.Count == 0) return null;

        var row = rows[0];
        var billNo = row.GetString("FBillNo")!;
        var status = row.GetString("FDocumentStatus");
        if (_o.CompleteInterruptedPushOnFind && status is "A" or "D")
        {
            // Saved (A 创建 / D 重新审核) but never submitted: the push was cut off after Save. Finish it.
            await SubmitAndAuditAsync(orderNumber, billNo, ct).ConfigureAwait(false);
        }
        return new ErpOrderRef(billNo, orderNumber);
    }

    public async Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct)
    {
        if (order.Lines.Count == 0) throw new ErpRejectedException($"Order {order.OrderNumber} has no lines.");
        var units = await BaseUnitsAsync(order.Lines.Select(l => l.ProductCode).Distinct().ToList(), ct).ConfigureAwait(false);
        var model = BuildSaleOrderModel(order, units);

        var saved = await _client.SaveAsync(SaleOrder, model, ct).ConfigureAwait(false);
        var billNo = saved.SuccessEntities.FirstOrDefault()?.Number;
        if (string.IsNullOrEmpty(billNo))
            throw new ErpUnavailableException($"Kingdee saved order {order.OrderNumber} but returned no bill number.");

        await SubmitAndAuditAsync(order.OrderNumber, billNo, ct).ConfigureAwait(false);
        return new ErpOrderRef(billNo, order.OrderNumber);
    }

    private async Task SubmitAndAuditAsync(string orderNumber, string billNo, CancellationToken ct)
    {
        try
        {
            await _client.SubmitAsync(SaleOrder, [billNo], ct).ConfigureAwait(false);
            await _client.AuditAsync(SaleOrder, [billNo], ct).ConfigureAwait(false);
        }
        catch (ErpRejectedException e)
        {
            throw new ErpRejectedException($"Order {orderNumber} was saved in Kingdee as {billNo}, but it was not submitted/audited. {e.Message}", e);
        }
    }

    private async Task<Dictionary<string, string>> BaseUnitsAsync(IReadOnlyList<string> materials, CancellationToken ct)
    {
        var rows = await QueryAllAsync(new KingdeeBillQuery(Material, ["FNumber", "FBaseUnitId.FNumber"],
            And(In("FNumber", materials), OrgFilter("FUseOrgId.FNumber")), "FNumber ASC"), ct).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in rows)
            if (r.GetString("FBaseUnitId.FNumber") is { Length: > 0 } u) result.TryAdd(r.GetString("FNumber")!, u);
        return result;
    }

    /// <summary>
    /// [published] SAL_SaleOrder Save model: FBillTypeID, FDate, FSaleOrgId, FCustId, FSalerId, FReceiveAddress, FNote,
    /// FSaleOrderFinance{FSettleCurrId, FIsIncludedTax}, FSaleOrderEntry[{FMaterialId, FUnitID, FQty, FTaxPrice
    /// (含税单价), FIsFree, FDeliveryDate, FSettleOrgIds}]. Base data are referenced as {"FNumber": code}.
    /// Quantities are sent in the material's base unit because the port's quantities are.
    /// </summary>
    private JsonObject BuildSaleOrderModel(ErpOrder order, IReadOnlyDictionary<string, string> baseUnits)
    {
        var today = _time.GetUtcNow().ToOffset(_o.ServerUtcOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var entries = new JsonArray();
        foreach (var line in order.Lines)
        {
            var e = new JsonObject
            {
                ["FMaterialId"] = Num(line.ProductCode),
                ["FQty"] = line.Quantity,
                ["FTaxPrice"] = Money.ToYuan(line.UnitPriceFen),
                ["FIsFree"] = line.UnitPriceFen == 0,
                ["FDeliveryDate"] = today,
            };
            if (baseUnits.TryGetValue(line.ProductCode, out var unit)) e["FUnitID"] = Num(unit);
            if (_o.OrgNumber.Length > 0) e["FSettleOrgIds"] = Num(_o.OrgNumber);
            if (order.WarehouseCode is { Length: > 0 } wh && _o.OrderLineWarehouseField is { Length: > 0 } whField) e[whField] = Num(wh);
            entries.Add(e);
        }

        var model = new JsonObject
        {
            ["FID"] = 0,
            ["FBillTypeID"] = new JsonObject { ["FNUMBER"] = _o.SaleOrderBillType },
            ["FDate"] = today,
            ["FCustId"] = Num(order.CustomerCode),
        };
        if (_o.OrgNumber.Length > 0) model["FSaleOrgId"] = Num(_o.OrgNumber);
        if (_o.SalerNumber is { Length: > 0 } saler) model["FSalerId"] = Num(saler);
        if (order.DeliveryAddress is { Length: > 0 } addr) model["FReceiveAddress"] = addr;
        if (order.Note is { Length: > 0 } note && !string.Equals(_o.ExternalReferenceField, "FNote", StringComparison.OrdinalIgnoreCase))
            model["FNote"] = note;
        model[_o.ExternalReferenceField] = order.OrderNumber;
        model["FSaleOrderFinance"] = new JsonObject
        {
            ["FSettleCurrId"] = Num(_o.SettleCurrencyNumber),
            ["FIsIncludedTax"] = true,
        };
        model["FSaleOrderEntry"] = entries;
        return model;
    }

    // ================================================================= order status

    /// <summary>
    /// Orders carrying an OrderHub number whose FModifyDate, FApproveDate, FCloseDate or FCancelDate falls in the window.
    /// Mapping (sources: SAL_SaleOrder FDocumentStatus/FCloseStatus/FCancelStatus and the entry quantities
    /// FBaseUnitQty, FBaseDeliQty 发货通知数量, FBaseStockOutQty 累计出库数量, all [published] field keys):
    /// <list type="bullet">
    /// <item>FCancelStatus = B (作废) → Cancelled.</item>
    /// <item>FDocumentStatus ≠ C → nothing yet (not confirmed).</item>
    /// <item>all base quantity out-stocked → Shipped.</item>
    /// <item>FCloseStatus = B (关闭) with some out-stock → Shipped ("closed after partial outbound");
    ///       with none → Cancelled ("closed without outbound").</item>
    /// <item>delivery notice issued or partial out-stock → Picked.</item>
    /// <item>otherwise (audited) → Confirmed.</item>
    /// </list>
    /// Delivered is never reported: K/3 Cloud has no standard sign-off field on the sales order.
    /// Out-stock write-back may not touch the order's own dates; Kingdee business-closes a fully out-stocked order
    /// (FCloseDate), which is what makes a full shipment show up here [assumed: default close-on-outbound setting].
    /// </summary>
    public async Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct)
    {
        var reference = _o.ExternalReferenceField;
        var page = await PullWindowAsync(SaleOrder,
            ["FID", "FBillNo", reference, "FDocumentStatus", "FCloseStatus", "FCancelStatus", "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate"],
            And($"{reference} <> ''", OrgFilter("FSaleOrgId.FNumber")),
            ["FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate"],
            "FID", numericKey: true, cursor, ct).ConfigureAwait(false);

        var ids = page.Rows.Select(r => r.GetString("FID")!).Distinct().ToList();
        var lines = ids.Count == 0 ? [] : await QueryAllAsync(new KingdeeBillQuery(SaleOrder,
            ["FID", "FSaleOrderEntry_FEntryID", "FBaseUnitQty", "FBaseDeliQty", "FBaseStockOutQty"],
            In("FID", ids, numeric: true), "FID ASC,FSaleOrderEntry_FEntryID ASC"), ct).ConfigureAwait(false);
        var byOrder = lines.GroupBy(l => l.GetString("FID")!).ToDictionary(g => g.Key, g => g.ToList());

        var items = new List<ErpOrderStatusChange>();
        foreach (var r in page.Rows)
        {
            byOrder.TryGetValue(r.GetString("FID")!, out var orderLines);
            var state = MapState(r, orderLines ?? []);
            if (state is null) continue;
            var changedAt = new[] { "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate" }.Max(f => r.GetDate(f));
            items.Add(new ErpOrderStatusChange(r.GetString(reference)!, r.GetString("FBillNo")!, state.Value.State, At(changedAt), state.Value.Detail));
        }
        return new ErpPage<ErpOrderStatusChange>(items, page.Next, page.HasMore);
    }

    internal static (ErpOrderState State, string? Detail)? MapState(KingdeeRow header, IReadOnlyList<KingdeeRow> lines)
    {
        if (header.GetString("FCancelStatus") == Voided) return (ErpOrderState.Cancelled, "voided (作废)");
        if (header.GetString("FDocumentStatus") != Audited) return null;
        var qty = lines.Sum(l => l.GetDecimal("FBaseUnitQty") ?? 0);
        var notified = lines.Sum(l => l.GetDecimal("FBaseDeliQty") ?? 0);
        var outQty = lines.Sum(l => l.GetDecimal("FBaseStockOutQty") ?? 0);
        var closed = header.GetString("FCloseStatus") == Closed;

        if (qty > 0 && outQty >= qty) return (ErpOrderState.Shipped, closed ? "fully out-stocked, closed" : "fully out-stocked");
        if (closed) return outQty > 0 ? (ErpOrderState.Shipped, $"closed after partial outbound {outQty}/{qty}") : (ErpOrderState.Cancelled, "closed without outbound (关闭)");
        if (outQty > 0) return (ErpOrderState.Picked, $"partial outbound {outQty}/{qty}");
        if (notified > 0) return (ErpOrderState.Picked, $"delivery notice {notified}/{qty}");
        return (ErpOrderState.Confirmed, "audited (已审核)");
    }

    // ================================================================= windowed, keyset paging

    private sealed record WindowPage(IReadOnlyList<KingdeeRow> Rows, string Next, bool HasMore);

    private async Task<WindowPage> PullWindowAsync(string formId, IReadOnlyList<string> fields, string baseFilter,
        IReadOnlyList<string> dateFields, string keyField, bool numericKey, string? cursorText, CancellationToken ct)
    {
        var cursor = SyncCursor.Parse(cursorText);
        var to = cursor.To ?? WindowEnd();
        if (cursor.From is { } f && to <= f)
            return new WindowPage([], cursor.ToString(), false); // nothing can have changed yet

        string window = cursor.From is { } from
            ? string.Join(" OR ", dateFields.Select(d => $"({d} > {SyncCursor.Literal(from)} AND {d} <= {SyncCursor.Literal(to)})"))
            : $"{dateFields[0]} <= {SyncCursor.Literal(to)}";
        var keyFilter = cursor.Key is null ? "" : $"{keyField} > {(numericKey ? NumericLiteral(cursor.Key) : Q(cursor.Key))}";

        var queryFields = fields.Contains(keyField, StringComparer.OrdinalIgnoreCase) ? fields : [.. fields, keyField];
        var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(formId, queryFields,
            And(baseFilter, window, keyFilter), $"{keyField} ASC", 0, _o.PageSize), ct).ConfigureAwait(false);

        if (rows.Count < _o.PageSize)
            return new WindowPage(rows, new SyncCursor(to, null, null).ToString(), false);
        var lastKey = rows[^1].GetString(keyField);
        return new WindowPage(rows, new SyncCursor(cursor.From, to, lastKey).ToString(), true);
    }

    private DateTime WindowEnd()
    {
        var now = _time.GetUtcNow().ToOffset(_o.ServerUtcOffset).DateTime - _o.SafetyLag;
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

    // ================================================================= helpers

    private DateTimeOffset At(DateTime? serverLocal) =>
        serverLocal is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), _o.ServerUtcOffset) : DateTimeOffset.UnixEpoch;

    private string OrgFilter(string field) => _o.OrgNumber.Length == 0 ? "" : $"{field} = {Q(_o.OrgNumber)}";

    private static JsonObject Num(string number) => new() { ["FNumber"] = number };

    /// <summary>Kingdee filter string literal: single quotes, embedded quotes doubled.</summary>
    internal static string Q(string value) => "'" + value.Replace("'", "''") + "'";

    private static string NumericLiteral(string s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"Cursor key '{s}' is not numeric.");

    internal static string In(string field, IReadOnlyCollection<string> values, bool numeric = false) =>
        values.Count == 0 ? "1 = 0" : $"{field} IN ({string.Join(",", values.Select(v => numeric ? NumericLiteral(v) : Q(v)))})";

    internal static string And(params string[] parts)
    {
        var used = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return used.Count switch { 0 => "", 1 => used[0], _ => string.Join(" AND ", used.Select(p => $"({p})")) };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>PRE001 is the preset number of 人民币 (CNY) in K/3 Cloud; other currency numbers are passed through.</summary>
    private static string CurrencyCode(string? number) => number is null or "" or "PRE001" ? "CNY" : number;
}
