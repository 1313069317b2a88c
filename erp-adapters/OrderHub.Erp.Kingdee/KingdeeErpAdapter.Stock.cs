using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Stock from STK_Inventory (即时库存). The form has no change date a pull could window on: no published query uses a
/// FUpdateTime field key, and the table column behind it is, in community SQL, the last *inbound* time (最后入库时间),
/// which an outbound does not move (issue #22). So the stock pull is a sweep: it pages through every inventory row of
/// the organisation in key order (FID), adds up each material/warehouse pair (one pair spans several rows: lots, stock
/// statuses, owners), and starts the next sweep <see cref="KingdeeOptions.StockSweepInterval"/> after the last ended.
/// Cursor: <c>v1|last sweep end||</c> between sweeps, <c>v1|last sweep end||FID</c> inside one.
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    internal static readonly string[] StockPageFields = ["FID", "FMaterialId.FNumber"];
    internal static readonly string[] StockFields = ["FID", "FMaterialId.FNumber", "FStockId.FNumber", "FBaseQty"];
    internal const string StockOrgKey = "FStockOrgId.FNumber";

    public async Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursorText, CancellationToken ct)
    {
        var cursor = SyncCursor.Parse(cursorText);
        var now = ServerNow();
        if (cursor.Key is null && cursor.From is { } lastEnd && now - lastEnd < _o.StockSweepInterval)
            return ErpPage<ErpStockLevel>.Empty(cursor.ToString()); // the last sweep is recent enough

        var org = OrgFilter(StockOrgKey);
        var page = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(Inventory, StockPageFields,
            And(org, cursor.Key is null ? "" : $"FID > {Q(cursor.Key)}"), "FID ASC", 0, _o.PageSize), ct).ConfigureAwait(false);

        foreach (var r in page.Where(r => Blank(r.GetString("FMaterialId.FNumber")) is null))
            Skip(Feed.Stock, null, $"inventory row FID {r.GetString("FID")} has no material code");
        var materials = page.Select(r => Blank(r.GetString("FMaterialId.FNumber"))).OfType<string>().Distinct().ToList();

        // Re-read every row of the page's materials, so OnHand is the pair's total even when its rows span pages. A material
        // is reported by the page holding its first row (lowest FID), so once per sweep.
        var items = new List<ErpStockLevel>();
        var rows = await QueryInAsync(Inventory, StockFields, "FMaterialId.FNumber", materials, numeric: false, org, "FID ASC", ct).ConfigureAwait(false);
        var firstOfPage = page.Count == 0 ? "" : page[0].GetString("FID") ?? "";
        var seenBefore = rows.GroupBy(r => Blank(r.GetString("FMaterialId.FNumber"))!)
            .Where(m => m.Any(r => string.Compare(r.GetString("FID"), firstOfPage, StringComparison.OrdinalIgnoreCase) < 0))
            .Select(m => m.Key).ToHashSet();
        foreach (var g in rows.Where(r => !seenBefore.Contains(Blank(r.GetString("FMaterialId.FNumber"))!))
                     .GroupBy(r => (Material: Blank(r.GetString("FMaterialId.FNumber"))!, Stock: Blank(r.GetString("FStockId.FNumber")))))
        {
            var key = $"{g.Key.Material}@{g.Key.Stock}";
            if (g.Key.Stock is null) { Skip(Feed.Stock, g.Key.Material, "inventory rows without a warehouse (FStockId)"); continue; }
            var qty = g.Sum(r => r.GetDecimal("FBaseQty") ?? 0);
            var onHand = (long)decimal.Truncate(qty);
            if (qty < 0) { Corrected(Feed.Stock, key, $"negative stock {qty} taken as 0"); onHand = 0; }
            else if (qty != onHand) Corrected(Feed.Stock, key, $"stock {qty} is not a whole number of base units; taken as {onHand}");
            items.Add(new ErpStockLevel(g.Key.Material, g.Key.Stock, onHand, At(now)));
        }

        if (page.Count < _o.PageSize)
            return new ErpPage<ErpStockLevel>(items, new SyncCursor(now, null, null).ToString(), false);
        return new ErpPage<ErpStockLevel>(items, new SyncCursor(cursor.From, null, page[^1].GetString("FID")).ToString(), true);
    }
}
