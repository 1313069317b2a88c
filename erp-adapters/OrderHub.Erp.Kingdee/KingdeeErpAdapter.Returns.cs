using System.Globalization;
using System.Text.Json.Nodes;
using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Returns (退货) as SAL_RETURNSTOCK (销售退货单): Save + Submit + Audit with OrderHub's return number in
/// <see cref="KingdeeOptions.ReturnReferenceField"/>, found again by it (an interrupted push is finished, as for orders).
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    // [published: a public SAL_RETURNSTOCK Save sample; public DTOs mark FSaleOrgId and FRetcustId 必填项] header FBillTypeID,
    // FDate, FSaleOrgId, FStockOrgId, FRetcustId (退货客户), FReturnReason (退货原因, assistant data), FHeadNote; sub-head
    // SubHeadEntity {FSettleCurrId, FSettleOrgId}; lines FEntity [{FMaterialId, FUnitID, FRealQty (实退数量), FTaxPrice,
    // FIsFree, FReturnType, FStockId, FStockStatusId, FOrderNo (订单单号, the source sales order)}].
    internal static readonly string[] ReturnHeaderKeys = ["FBillTypeID", "FDate", "FSaleOrgId", "FStockOrgId", "FRetcustId", "FHeadNote"];
    internal static readonly string[] ReturnSubHeadKeys = ["FSettleCurrId", "FSettleOrgId"];
    internal static readonly string[] ReturnEntryKeys =
        ["FMaterialId", "FUnitID", "FRealQty", "FTaxPrice", "FIsFree", "FReturnType", "FStockId", "FStockStatusId", "FOrderNo"];

    public async Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct)
    {
        if (!_o.WriteReturns) throw new ErpReturnsNotSupportedException(Name);
        var billNo = await FindAndCompleteAsync(ReturnStock, _o.ReturnReferenceField, returnNumber, "Return", ct).ConfigureAwait(false);
        return billNo is null ? null : new ErpReturnRef(billNo, returnNumber);
    }

    public async Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct)
    {
        if (!_o.WriteReturns) throw new ErpReturnsNotSupportedException(Name);
        if (r.Lines.Count == 0) throw new ErpRejectedException($"Return {r.ReturnNumber} has no lines.");
        var units = await BaseUnitsAsync(r.Lines.Select(l => l.ProductCode).Distinct().ToList(), ct).ConfigureAwait(false);
        var today = _time.GetUtcNow().ToOffset(_o.ServerUtcOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var entries = new JsonArray();
        foreach (var l in r.Lines)
        {
            var e = new JsonObject
            {
                ["FMaterialId"] = Num(l.ProductCode),
                ["FRealQty"] = l.Quantity,
                ["FTaxPrice"] = ErpMoney.ToYuan(l.UnitPriceFen),
                ["FIsFree"] = l.UnitPriceFen == 0,
                ["FReturnType"] = Num(ReturnTypeReturn),
                ["FStockStatusId"] = Num(StockStatusAvailable),
            };
            if (units.TryGetValue(l.ProductCode, out var unit)) e["FUnitID"] = Num(unit);
            if (r.WarehouseCode is { Length: > 0 } wh) e["FStockId"] = Num(wh);
            if (r.ErpOrderId is { Length: > 0 } so) e["FOrderNo"] = so;
            entries.Add(e);
        }
        var model = new JsonObject
        {
            ["FID"] = 0,
            ["FBillTypeID"] = new JsonObject { ["FNUMBER"] = _o.ReturnBillType },
            ["FDate"] = today,
            ["FSaleOrgId"] = Num(_o.OrgNumber),
            ["FStockOrgId"] = Num(_o.OrgNumber),
            ["FRetcustId"] = Num(r.CustomerCode),
        };
        if (_o.ReturnReasonNumber is { Length: > 0 } reason) model["FReturnReason"] = Num(reason);
        if (!string.Equals(_o.ReturnReferenceField, "FHeadNote", StringComparison.OrdinalIgnoreCase))
            model["FHeadNote"] = $"OrderHub 退货 {r.ReturnNumber}，订单 {r.OrderNumber}{(string.IsNullOrWhiteSpace(r.Reason) ? "" : "：" + r.Reason)}";
        model[_o.ReturnReferenceField] = r.ReturnNumber;
        model["SubHeadEntity"] = new JsonObject { ["FSettleCurrId"] = Num(_o.SettleCurrencyNumber), ["FSettleOrgId"] = Num(_o.OrgNumber) };
        model["FEntity"] = entries;

        var billNo = await SaveSubmitAuditAsync(ReturnStock, model, "Return", r.ReturnNumber, ct).ConfigureAwait(false);
        return new ErpReturnRef(billNo, r.ReturnNumber);
    }
}
