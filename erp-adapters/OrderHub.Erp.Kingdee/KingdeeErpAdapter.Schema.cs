using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// The start-up check: every form and field key the adapter uses, checked against the data centre's own metadata
/// (QueryBusinessInfo). Kingdee refuses a query naming a key a form does not have (MsgCode 9 "字段不存在") and a variant
/// data centre (another version, an industry edition, a renamed custom field) may lack a key we use; this finds it at
/// go-live, with the key and what it is used for, instead of a pull failing later.
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    /// <summary>One key a feature uses: a query field key, or (<paramref name="IsEntity"/>) an entity a Save model fills.</summary>
    internal sealed record KeyUse(string FormId, string Key, string Use, bool IsEntity = false);

    /// <summary>Every key the adapter sends, built from the same lists the pulls and the push use.</summary>
    internal IEnumerable<KeyUse> KeysInUse()
    {
        foreach (var k in MaterialFields.Append(MaterialOrgKey)) yield return new(Material, k, "product pull");
        foreach (var k in StockFields.Concat(StockPageFields).Append(StockOrgKey)) yield return new(Inventory, k, "stock pull");
        foreach (var k in PriceFields.Concat(PriceScopeFields)) yield return new(SalePriceList, k, "price pull");
        foreach (var k in CustomerFields.Append(CustomerOrgKey)) yield return new(Customer, k, "customer pull");
        if (_o.CustomerCreditLimitField is { Length: > 0 } cf) yield return new(Customer, cf, "customer credit limit (CustomerCreditLimitField)");
        if (_o.CustomerReceivableField is { Length: > 0 } rf) yield return new(Customer, rf, "customer receivable (CustomerReceivableField)");
        if (_o.CustomerHeadOfficeField is { Length: > 0 } hf) yield return new(Customer, hf, "customer head office (CustomerHeadOfficeField)");
        if (_o.SaleUnits)
        {
            yield return new(Material, SaleUnitField, "sale units (SaleUnits)");
            foreach (var k in UnitConvertFields) yield return new(UnitConvertRate, k, "sale unit conversion (SaleUnits)");
        }
        foreach (var k in PaymentFields.Concat(PaymentFilterKeys)) yield return new(ReceiveBill, k, "payment pull");

        yield return new(SaleOrder, _o.ExternalReferenceField, "OrderHub's order number (ExternalReferenceField)");
        foreach (var k in FindOrderFields.Concat(OrderStateFields).Append(OrderOrgKey)) yield return new(SaleOrder, k, "order find and status");
        foreach (var k in SaveHeaderKeys) yield return new(SaleOrder, k, "order push (Save)");
        foreach (var k in SaveFinanceKeys) yield return new(SaleOrder, k, "order push (Save, FSaleOrderFinance)");
        foreach (var k in SaveEntryKeys) yield return new(SaleOrder, k, "order push (Save, FSaleOrderEntry)");
        yield return new(SaleOrder, "FSaleOrderFinance", "order push (Save)", IsEntity: true);
        yield return new(SaleOrder, "FSaleOrderEntry", "order push (Save)", IsEntity: true);
        if (_o.OrderLineWarehouseField is { Length: > 0 } wh) yield return new(SaleOrder, wh, "order line warehouse (OrderLineWarehouseField)");
        foreach (var (part, field) in _o.InvoiceTitleFields) yield return new(SaleOrder, field, $"order invoice title {part} (InvoiceTitleFields)");

        foreach (var k in OutStockFields.Concat(OutboundFilterKeys)) yield return new(OutStock, k, "order status (outbound)");
        foreach (var k in DeliveryNoticeFields.Concat(OutboundFilterKeys)) yield return new(DeliveryNotice, k, "order status (delivery notice)");

        if (_o.WriteReceipts)
        {
            yield return new(ReceiveBill, _o.ReceiptReferenceField, "OrderHub's receipt number (ReceiptReferenceField)");
            foreach (var k in FindReceiptFields) yield return new(ReceiveBill, k, "receipt find");
            foreach (var k in ReceiptHeaderKeys) yield return new(ReceiveBill, k, "receipt push (Save)");
            foreach (var k in ReceiptEntryKeys) yield return new(ReceiveBill, k, $"receipt push (Save, {ReceiptEntry})");
            if (_o.ReceiptAccountNumber is { Length: > 0 }) yield return new(ReceiveBill, "FACCOUNTID", "receipt bank account (ReceiptAccountNumber)");
            yield return new(ReceiveBill, ReceiptEntry, "receipt push (Save)", IsEntity: true);
        }
        if (_o.WriteRefunds)
        {
            yield return new(RefundBill, _o.RefundReferenceField, "OrderHub's refund number (RefundReferenceField)");
            foreach (var k in FindReceiptFields) yield return new(RefundBill, k, "refund find");
            foreach (var k in RefundHeaderKeys) yield return new(RefundBill, k, "refund push (Save)");
            foreach (var k in RefundEntryKeys) yield return new(RefundBill, k, $"refund push (Save, {RefundEntry})");
            if (_o.ReceiptAccountNumber is { Length: > 0 }) yield return new(RefundBill, "FACCOUNTID", "refund bank account (ReceiptAccountNumber)");
            yield return new(RefundBill, RefundEntry, "refund push (Save)", IsEntity: true);
        }
        if (_o.WriteReturns)
        {
            yield return new(ReturnStock, _o.ReturnReferenceField, "OrderHub's return number (ReturnReferenceField)");
            foreach (var k in FindReceiptFields) yield return new(ReturnStock, k, "return find");
            foreach (var k in ReturnHeaderKeys) yield return new(ReturnStock, k, "return push (Save)");
            if (_o.ReturnReasonNumber is { Length: > 0 }) yield return new(ReturnStock, "FReturnReason", "return reason (ReturnReasonNumber)");
            foreach (var k in ReturnSubHeadKeys) yield return new(ReturnStock, k, "return push (Save, SubHeadEntity)");
            foreach (var k in ReturnEntryKeys) yield return new(ReturnStock, k, "return push (Save, FEntity)");
            yield return new(ReturnStock, "SubHeadEntity", "return push (Save)", IsEntity: true);
            yield return new(ReturnStock, "FEntity", "return push (Save)", IsEntity: true);
        }
    }

    /// <summary>
    /// Logs in and checks every form and field key the adapter uses against this data centre's metadata. Returns the
    /// problems, each naming the form, the key and what uses it; empty when everything is there. Never throws for a
    /// problem it can describe (a refused login or an unreachable server is reported too).
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifySchemaAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var form in KeysInUse().GroupBy(u => u.FormId))
        {
            KingdeeFormMetadata meta;
            try { meta = await _client.QueryBusinessInfoAsync(form.Key, ct).ConfigureAwait(false); }
            catch (ErpRejectedException e) { problems.Add($"{form.Key}: the data centre does not answer its metadata: {e.Message}"); continue; }
            catch (ErpUnavailableException e) { problems.Add($"Kingdee cannot be checked: {e.Message}"); return problems; }

            foreach (var key in form.GroupBy(u => u.Key, StringComparer.OrdinalIgnoreCase))
            {
                var use = key.First();
                var known = use.IsEntity ? meta.HasEntity(use.Key) : meta.Knows(use.Key);
                if (known) continue;
                var uses = string.Join(", ", key.Select(u => u.Use).Distinct());
                problems.Add(use.IsEntity
                    ? $"{form.Key}: entity {use.Key} is not in this data centre's metadata (used by: {uses})."
                    : $"{form.Key}: field key {use.Key} is not in this data centre's metadata (used by: {uses}); Kingdee would refuse it (MsgCode 9, 字段不存在).");
            }
        }
        if (problems.Count == 0 && _o.BasePriceListNumber is { Length: > 0 } baseList)
        {
            var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(SalePriceList, ["FID", "FDocumentStatus", "FForbidStatus"],
                $"FNumber = {Q(baseList)}", "FID ASC", 0, 1), ct).ConfigureAwait(false);
            if (rows.Count == 0)
                problems.Add($"BD_SAL_PriceList: the base price list {baseList} (BasePriceListNumber) does not exist; products would have no base price.");
            else if (rows[0].GetString("FDocumentStatus") != Audited || rows[0].GetString("FForbidStatus") != Enabled)
                problems.Add($"BD_SAL_PriceList: the base price list {baseList} (BasePriceListNumber) is not audited or is forbidden; its prices are not used.");
        }
        return problems;
    }
}
