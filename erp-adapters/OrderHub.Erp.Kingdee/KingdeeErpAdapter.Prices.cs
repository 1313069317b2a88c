using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Prices from BD_SAL_PriceList (销售价目表). Price lines are the entity FEntity, the customers / customer types a list
/// is limited to are FEntity2 (FCustId / FCustTypeId, per FLimitCustomer '1' / '2'), its salesmen FEntity1 (FLimitSalesMan).
/// A line is live when the list is audited and enabled, today is within the list's FEffectiveDate..FExpiryDate and the
/// line's FEntryEffectiveDate..FEntryExpiryDate, the line is row-audited (FRowAuditStatus A) and not forbidden.
/// Prices OrderHub cannot use as they are — tax-exclusive lists (FIsIncludedTax false: OrderHub prices are what the
/// customer pays, sent back as FTaxPrice 含税单价), another currency, salesman-only lists, sub-fen prices — are reported as
/// data issues. A price that is not live is sent as removed unless another live line gives the same product, scope and tier.
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    internal static readonly string[] PriceFields =
        ["FID", "FNumber", "FCurrencyId.FNumber", "FDocumentStatus", "FForbidStatus", "FModifyDate", "FEffectiveDate", "FExpiryDate",
         "FIsIncludedTax", "FLimitCustomer", "FLimitSalesMan",
         "FEntity_FEntryID", "FMaterialId.FNumber", "FPrice", "FFromQty", "FEntryEffectiveDate", "FEntryExpiryDate", "FRowAuditStatus",
         "FEntryForbidStatus"];
    internal static readonly string[] PriceScopeFields = ["FID", "FEntity2_FEntryID", "FCustId.FNumber", "FCustTypeId.FNumber"];

    /// <summary>A list's validity dates take effect without the list being edited, so the window also runs over them.</summary>
    private static readonly DateField[] PriceDates =
    [
        new("FModifyDate"), new("FEffectiveDate"), new("FExpiryDate", TimeSpan.FromDays(-1)),
        new("FEntryEffectiveDate"), new("FEntryExpiryDate", TimeSpan.FromDays(-1)),
    ];

    private sealed record PriceLine(string List, string Product, long MinQty, long Fen, string Currency, bool Live,
        IReadOnlyList<(ErpPriceScope Scope, string? Code)> Targets, DateTimeOffset At);

    public async Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct)
    {
        var page = await PullWindowAsync(SalePriceList, PriceFields, "", PriceDates, "FEntity_FEntryID", numericKey: true, cursor, ct)
            .ConfigureAwait(false);
        var today = ServerNow().Date;
        var scopes = await PriceScopesAsync(page.Rows, ct).ConfigureAwait(false);

        var items = new List<ErpPrice>();
        foreach (var r in page.Rows)
        {
            if (ReadPriceLine(r, scopes, today, report: true) is not { } line) continue;
            foreach (var (scope, code) in line.Targets)
                items.Add(new ErpPrice(line.Product, scope, code, line.MinQty, line.Fen, line.Currency, false, line.At, Deleted: !line.Live));
        }
        items = await KeepLiveElsewhereAsync(items, today, ct).ConfigureAwait(false);
        // 客户跟踪价 (customer tracking price) is not pulled: K/3 Cloud has no standard bill-query form for it.
        return new ErpPage<ErpPrice>(items, page.Next, page.HasMore);
    }

    /// <summary>Base price per material from the configured base price list: its live line with the lowest tier.</summary>
    private async Task<Dictionary<string, (long Fen, string? Problem)>> BasePricesAsync(IReadOnlyList<string> materials, CancellationToken ct)
    {
        var result = new Dictionary<string, (long, string?)>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(_o.BasePriceListNumber) || materials.Count == 0) return result;
        var rows = await QueryInAsync(SalePriceList, PriceFields, "FMaterialId.FNumber", materials, numeric: false,
            $"FNumber = {Q(_o.BasePriceListNumber)}", "FEntity_FEntryID ASC", ct).ConfigureAwait(false);
        var today = ServerNow().Date;
        foreach (var g in rows.Where(r => NotLiveReason(r, today) is null && Blank(r.GetString("FMaterialId.FNumber")) is not null)
                              .GroupBy(r => Blank(r.GetString("FMaterialId.FNumber"))!))
        {
            var lowest = g.OrderBy(r => r.GetDecimal("FFromQty") ?? 0).First();
            result[g.Key] = UnusableReason(lowest) is { } why ? (0, $"base price list {_o.BasePriceListNumber}: {why}")
                : TryFen(lowest.GetDecimal("FPrice"), Feed.Prices, g.Key, out var fen) ? (fen, null)
                : (0, $"base price {lowest.GetString("FPrice")} in list {_o.BasePriceListNumber} is not a whole number of fen");
        }
        return result;
    }

    /// <summary>
    /// The one rule for a price line: null when the row cannot be used at all (reported when <paramref name="report"/>),
    /// else the line with its targets and whether it is live today.
    /// </summary>
    private PriceLine? ReadPriceLine(KingdeeRow r, IReadOnlyDictionary<string, ListScope> scopes, DateTime today, bool report)
    {
        var list = r.GetString("FNumber") ?? "";
        var product = Blank(r.GetString("FMaterialId.FNumber"));
        void Problem(string? key, string what) { if (report) Skip(Feed.Prices, key, $"price list {list}: {what}"); }
        if (product is null) { Problem(null, $"line {r.GetString("FEntity_FEntryID")} has no material code"); return null; }
        if (r.GetString("FLimitSalesMan") == "1")
        {
            Problem(product, "is limited to salesmen (FLimitSalesMan); OrderHub has no salesman price scope, so it is not used");
            return null;
        }
        if (!TryFen(r.GetDecimal("FPrice"), Feed.Prices, product, out var fen, report)) { Problem(product, $"price {r.GetString("FPrice")} is not a whole number of fen"); return null; }

        scopes.TryGetValue(r.GetString("FID") ?? "", out var scope);
        var limit = Blank(r.GetString("FLimitCustomer"));
        var targets = new List<(ErpPriceScope, string?)>();
        switch (limit)
        {
            case null or "0":
                if (_o.BasePriceListNumber is not { Length: > 0 } b || string.Equals(list, b, StringComparison.Ordinal))
                    targets.Add((ErpPriceScope.Base, null));
                break;
            case LimitToCustomers:
                targets.AddRange((scope?.Customers ?? []).Select(c => (ErpPriceScope.Customer, (string?)c)));
                break;
            case LimitToCustomerTypes:
                targets.AddRange((scope?.Types ?? []).Select(t => (ErpPriceScope.CustomerGroup, (string?)t)));
                break;
            default:
                Problem(product, $"FLimitCustomer '{limit}' is not a limit OrderHub knows (customers '1', customer types '2')");
                return null;
        }
        if (targets.Count == 0) return null;

        var live = NotLiveReason(r, today) is null;
        if (live && UnusableReason(r) is { } why)
        {
            if (report) Corrected(Feed.Prices, product, $"price list {list}: {why}; taken as removed");
            live = false;
        }
        var minQty = Math.Max(1, (long)decimal.Truncate(r.GetDecimal("FFromQty") ?? 0));
        var at = At(ChangeMoments(r).Where(m => m <= today.AddDays(1)).Max());
        return new PriceLine(list, product, minQty, fen, "CNY", live, targets, at);
    }

    /// <summary>When a line last changed or will change: its edit, and the days its list or line starts and stops being valid.</summary>
    private static IEnumerable<DateTime?> ChangeMoments(KingdeeRow r) =>
    [
        r.GetDate("FModifyDate"), r.GetDate("FEffectiveDate")?.Date, r.GetDate("FEntryEffectiveDate")?.Date,
        r.GetDate("FExpiryDate")?.Date.AddDays(1), r.GetDate("FEntryExpiryDate")?.Date.AddDays(1),
    ];

    /// <summary>Null when the line is live today; else why not (normal life of a price list, not a data problem).</summary>
    private static string? NotLiveReason(KingdeeRow r, DateTime today)
    {
        if (r.GetString("FDocumentStatus") != Audited) return "list not audited";
        if (r.GetString("FForbidStatus") != Enabled) return "list forbidden";
        if (r.GetDate("FEffectiveDate") is { } e && e.Date > today) return "list not yet effective";
        if (r.GetDate("FExpiryDate") is { } x && x.Date < today) return "list expired";
        if (r.GetDate("FEntryEffectiveDate") is { } le && le.Date > today) return "line not yet effective";
        if (r.GetDate("FEntryExpiryDate") is { } lx && lx.Date < today) return "line expired";
        if (r.GetString("FRowAuditStatus") != RowAudited) return "line not audited (FRowAuditStatus)";
        if (r.GetString("FEntryForbidStatus") == "B") return "line forbidden";
        return null;
    }

    /// <summary>Null when OrderHub can use the line's price as it is; else why not (a data issue).</summary>
    private static string? UnusableReason(KingdeeRow r)
    {
        if (!IsCny(r.GetString("FCurrencyId.FNumber"))) return $"currency {r.GetString("FCurrencyId.FNumber")} is not CNY (PRE001)";
        if (r.GetString("FIsIncludedTax") is { } tax && (tax.Equals("false", StringComparison.OrdinalIgnoreCase) || tax == "0"))
            return "prices exclude tax (FIsIncludedTax); OrderHub prices are tax-inclusive";
        return null;
    }

    private sealed record ListScope(List<string> Customers, List<string> Types);

    /// <summary>The customers and customer types (FEntity2) of the lists the rows belong to.</summary>
    private async Task<Dictionary<string, ListScope>> PriceScopesAsync(IReadOnlyList<KingdeeRow> rows, CancellationToken ct)
    {
        var limited = rows.Where(r => Blank(r.GetString("FLimitCustomer")) is LimitToCustomers or LimitToCustomerTypes)
            .Select(r => r.GetString("FID")!).Distinct().ToList();
        var scopes = new Dictionary<string, ListScope>();
        if (limited.Count == 0) return scopes;
        var scopeRows = await QueryInAsync(SalePriceList, PriceScopeFields, "FID", limited, numeric: true, "",
            "FID ASC,FEntity2_FEntryID ASC", ct).ConfigureAwait(false);
        foreach (var r in scopeRows)
        {
            var id = r.GetString("FID")!;
            if (!scopes.TryGetValue(id, out var s)) scopes[id] = s = new([], []);
            if (Blank(r.GetString("FCustId.FNumber")) is { } c && !s.Customers.Contains(c)) s.Customers.Add(c);
            if (Blank(r.GetString("FCustTypeId.FNumber")) is { } t && !s.Types.Contains(t)) s.Types.Add(t);
        }
        return scopes;
    }

    /// <summary>
    /// A removal must not take away a price another live line still gives (an expired list replaced by a new one):
    /// live prices win inside the page, and removals left over are checked against every live line of their products.
    /// </summary>
    private async Task<List<ErpPrice>> KeepLiveElsewhereAsync(List<ErpPrice> items, DateTime today, CancellationToken ct)
    {
        static (string, ErpPriceScope, string?, long) Key(ErpPrice p) => (p.ProductCode, p.Scope, p.ScopeCode, p.MinQty);
        var live = items.Where(p => !p.Deleted).GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var removed = items.Where(p => p.Deleted && !live.ContainsKey(Key(p))).GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        if (removed.Count > 0)
        {
            var rows = await QueryInAsync(SalePriceList, PriceFields, "FMaterialId.FNumber", removed.Keys.Select(k => k.Item1).ToList(),
                numeric: false, And($"FDocumentStatus = {Q(Audited)}", $"FForbidStatus = {Q(Enabled)}"), "FEntity_FEntryID ASC", ct).ConfigureAwait(false);
            var scopes = await PriceScopesAsync(rows, ct).ConfigureAwait(false);
            foreach (var r in rows)
            {
                if (ReadPriceLine(r, scopes, today, report: false) is not { Live: true } line) continue;
                foreach (var (scope, code) in line.Targets)
                {
                    var key = (line.Product, scope, code, line.MinQty);
                    if (removed.Remove(key, out var was)) live[key] = was with { PriceFen = line.Fen, Deleted = false };
                }
            }
        }
        return [.. live.Values, .. removed.Values];
    }
}
