using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Status of orders that came from OrderHub. Shipments are read from the outbound documents themselves, by their own
/// approve date, not from a date on the order (nothing shows that an outbound posting touches the order's dates):
/// <list type="number">
/// <item>phase 0: SAL_SaleOrder rows carrying an OrderHub number whose FModifyDate, FApproveDate, FCloseDate or
///   FCancelDate falls in the window (audit, close, void);</item>
/// <item>phase 1: audited SAL_OUTSTOCK lines (FEntity) approved in the window, linked to the order by FSoorDerno
///   (订单单号) and FSOEntryId (the order line), with FRealQty (实发数量);</item>
/// <item>phase 2: audited SAL_DELIVERYNOTICE lines approved in the window, linked by FSOEntryId.</item>
/// </list>
/// Each order touched in a phase is then mapped from its header and all its audited outbound and notice lines:
/// FCancelStatus B (作废) → Cancelled; not audited (FDocumentStatus ≠ C) → nothing; every line out-stocked → Shipped;
/// closed (FCloseStatus B) after some outbound → Shipped, without → Cancelled; some outbound → Picked; a delivery
/// notice → Picked; else Confirmed. Delivered is never reported: K/3 Cloud has no standard sign-off on the sales order.
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    private static readonly DateField[] OrderDates = [new("FModifyDate"), new("FApproveDate"), new("FCloseDate"), new("FCancelDate")];
    internal static readonly string[] OrderStateFields =
        ["FID", "FBillNo", "FDocumentStatus", "FCloseStatus", "FCancelStatus", "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate",
         "FSaleOrderEntry_FEntryID", "FQty"];
    internal static readonly string[] OutStockFields = ["FEntity_FEntryID", "FSoorDerno", "FSOEntryId", "FRealQty", "FApproveDate"];
    internal static readonly string[] DeliveryNoticeFields = ["FEntity_FEntryID", "FSOEntryId", "FQty", "FApproveDate"];
    internal static readonly string[] OutboundFilterKeys = ["FDocumentStatus", "FCancelStatus", "FSaleOrgId.FNumber"];
    private const int LastStatusPhase = 2;

    public async Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursorText, CancellationToken ct)
    {
        var cursor = SyncCursor.Parse(cursorText);
        var reference = _o.ExternalReferenceField;
        var outbound = And($"FDocumentStatus = {Q(Audited)}", $"FCancelStatus = {Q("A")}", OrgFilter(OrderOrgKey));
        WindowPage page;
        var billNos = new List<string>();
        switch (cursor.Phase)
        {
            case 0:
                page = await PullWindowAsync(SaleOrder, ["FID", "FBillNo"], And($"{reference} <> ''", OrgFilter(OrderOrgKey)),
                    OrderDates, "FID", numericKey: true, cursor, ct).ConfigureAwait(false);
                billNos.AddRange(page.Rows.Select(r => r.GetString("FBillNo")).OfType<string>());
                break;
            case 1:
                page = await PullWindowAsync(OutStock, OutStockFields, outbound, [new("FApproveDate")],
                    "FEntity_FEntryID", numericKey: true, cursor, ct).ConfigureAwait(false);
                billNos.AddRange(page.Rows.Select(r => Blank(r.GetString("FSoorDerno"))).OfType<string>());
                billNos.AddRange(await BillNosOfLinesAsync(page.Rows.Where(r => Blank(r.GetString("FSoorDerno")) is null), ct).ConfigureAwait(false));
                break;
            default:
                page = await PullWindowAsync(DeliveryNotice, DeliveryNoticeFields, outbound, [new("FApproveDate")],
                    "FEntity_FEntryID", numericKey: true, cursor, ct).ConfigureAwait(false);
                billNos.AddRange(await BillNosOfLinesAsync(page.Rows, ct).ConfigureAwait(false));
                break;
        }

        var items = await OrderStatesAsync(billNos.Distinct().ToList(), ct).ConfigureAwait(false);
        if (page.HasMore || cursor.Phase >= LastStatusPhase)
            return new ErpPage<ErpOrderStatusChange>(items, page.Next, page.HasMore);
        // This phase has read its window: the next phase reads the same window.
        var next = new SyncCursor(cursor.From, page.To, null, cursor.Phase + 1);
        return new ErpPage<ErpOrderStatusChange>(items, next.ToString(), true);
    }

    /// <summary>The sales order numbers of outbound / notice lines, through their FSOEntryId.</summary>
    private async Task<List<string>> BillNosOfLinesAsync(IEnumerable<KingdeeRow> lines, CancellationToken ct)
    {
        var entryIds = lines.Select(r => Blank(r.GetString("FSOEntryId"))).OfType<string>().Where(IsNumeric).Distinct().ToList();
        if (entryIds.Count == 0) return [];
        var rows = await QueryInAsync(SaleOrder, ["FBillNo", "FSaleOrderEntry_FEntryID"], "FSaleOrderEntry_FEntryID", entryIds, numeric: true,
            OrgFilter(OrderOrgKey), "FSaleOrderEntry_FEntryID ASC", ct).ConfigureAwait(false);
        return rows.Select(r => r.GetString("FBillNo")).OfType<string>().Distinct().ToList();
    }

    private async Task<List<ErpOrderStatusChange>> OrderStatesAsync(IReadOnlyList<string> billNos, CancellationToken ct)
    {
        if (billNos.Count == 0) return [];
        var reference = _o.ExternalReferenceField;
        var lines = await QueryInAsync(SaleOrder, [.. OrderStateFields, reference], "FBillNo", billNos, numeric: false,
            And($"{reference} <> ''", OrgFilter(OrderOrgKey)), "FID ASC,FSaleOrderEntry_FEntryID ASC", ct).ConfigureAwait(false);
        var entryIds = lines.Select(l => Blank(l.GetString("FSaleOrderEntry_FEntryID"))).OfType<string>().Where(IsNumeric).Distinct().ToList();
        var audited = And($"FDocumentStatus = {Q(Audited)}", $"FCancelStatus = {Q("A")}");
        var outs = entryIds.Count == 0 ? [] : await QueryInAsync(OutStock, OutStockFields, "FSOEntryId", entryIds, numeric: true,
            audited, "FEntity_FEntryID ASC", ct).ConfigureAwait(false);
        var notices = entryIds.Count == 0 ? [] : await QueryInAsync(DeliveryNotice, DeliveryNoticeFields, "FSOEntryId", entryIds, numeric: true,
            audited, "FEntity_FEntryID ASC", ct).ConfigureAwait(false);
        var outByLine = outs.ToLookup(r => r.GetString("FSOEntryId") ?? "");
        var noticeByLine = notices.ToLookup(r => r.GetString("FSOEntryId") ?? "");

        var items = new List<ErpOrderStatusChange>();
        foreach (var order in lines.GroupBy(l => l.GetString("FID") ?? ""))
        {
            var header = order.First();
            var orderLines = order.Where(l => Blank(l.GetString("FSaleOrderEntry_FEntryID")) is not null)
                .Select(l =>
                {
                    var id = l.GetString("FSaleOrderEntry_FEntryID")!;
                    return new OrderLineProgress(l.GetDecimal("FQty") ?? 0,
                        outByLine[id].Sum(o => o.GetDecimal("FRealQty") ?? 0), noticeByLine[id].Sum(n => n.GetDecimal("FQty") ?? 0));
                }).ToList();
            if (MapState(header, orderLines) is not { } state) continue;
            var ids = orderLines.Count == 0 ? [] : order.Select(l => l.GetString("FSaleOrderEntry_FEntryID") ?? "").ToList();
            var changedAt = new[] { "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate" }.Select(header.GetDate)
                .Concat(ids.SelectMany(id => outByLine[id].Concat(noticeByLine[id])).Select(r => r.GetDate("FApproveDate")))
                .Max();
            items.Add(new ErpOrderStatusChange(header.GetString(reference)!, header.GetString("FBillNo")!, state.State, At(changedAt), state.Detail));
        }
        return items;
    }

    /// <summary>One sales order line: ordered quantity, audited outbound quantity, audited delivery-notice quantity.</summary>
    internal sealed record OrderLineProgress(decimal Ordered, decimal Out, decimal Notified);

    internal static (ErpOrderState State, string? Detail)? MapState(KingdeeRow header, IReadOnlyList<OrderLineProgress> lines)
    {
        if (header.GetString("FCancelStatus") == Voided) return (ErpOrderState.Cancelled, "voided (作废)");
        if (header.GetString("FDocumentStatus") != Audited) return null;
        var qty = lines.Sum(l => l.Ordered);
        var outQty = lines.Sum(l => l.Out);
        var notified = lines.Sum(l => l.Notified);
        var closed = header.GetString("FCloseStatus") == Closed;

        if (lines.Count > 0 && lines.All(l => l.Out >= l.Ordered) && outQty > 0)
            return (ErpOrderState.Shipped, closed ? "fully out-stocked, closed" : "fully out-stocked");
        if (closed) return outQty > 0 ? (ErpOrderState.Shipped, $"closed after partial outbound {outQty}/{qty}") : (ErpOrderState.Cancelled, "closed without outbound (关闭)");
        if (outQty > 0) return (ErpOrderState.Picked, $"partial outbound {outQty}/{qty}");
        if (notified > 0) return (ErpOrderState.Picked, $"delivery notice {notified}/{qty}");
        return (ErpOrderState.Confirmed, "audited (已审核)");
    }

    private static bool IsNumeric(string s) => long.TryParse(s, out _);
}
