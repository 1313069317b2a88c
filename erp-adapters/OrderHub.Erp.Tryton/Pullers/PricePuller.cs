using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Prices. Base price = the template's <c>list_price</c> (feed key <c>b&lt;product id&gt;</c>).
/// Customer prices come from the party's <c>sale_price_list</c> (feed key <c>c&lt;party id&gt;</c>): one price per
/// price-list line that names a product; a line's <c>quantity</c> becomes <see cref="ErpPrice.MinQty"/>.
/// The price itself is what Tryton would charge (<c>product.product.sale_price_uom</c> evaluated with the
/// customer, price list and quantity in the context), so formulas such as <c>unit_price * 0.8</c> work.
/// A change to a customer's list, its lines, its assignment or to a listed product's template re-sends all of
/// that customer's prices. Limits: lines for a whole category or without product are not expanded, and a deleted
/// line is not reported as <see cref="ErpPrice.Deleted"/> (Tryton keeps no trace of it): consumers that need
/// removals should replace a customer's prices with each re-sent set, or resync fully.
/// </summary>
internal sealed class PricePuller
{
    private const string BasePrefix = "b", CustomerPrefix = "c";
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly TrytonOptions _options;
    private readonly IErpDataIssues _issues;
    private readonly ChangeFeed _feed;

    public PricePuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options, IErpDataIssues issues)
    {
        (_rpc, _masterData, _options, _issues) = (rpc, masterData, options, issues);
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("product.product", [], [], ChangeFeed.KeyFromField("id", BasePrefix)),
            new ChangeSource("product.template", [], ["products"], TemplatesChangedAsync),
            new ChangeSource("product.price_list", [], [], (r, ct) => CustomersOfListsAsync(r, r => r.Id, ct)),
            new ChangeSource("product.price_list.line", [], ["price_list"], (r, ct) => CustomersOfListsAsync(r, r => r.Int("price_list"), ct)),
            new ChangeSource("party.party", [D("code", "!=", null)], [], ChangeFeed.KeyFromField("id", CustomerPrefix)),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpPrice>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var currency = await _masterData.CurrencyCodeAsync(ct);
        var items = new List<ErpPrice>();
        items.AddRange(await BasePricesAsync(KeysWith(page, BasePrefix), currency, ct));
        items.AddRange(await CustomerPricesAsync(KeysWith(page, CustomerPrefix), currency, ct));
        return new ErpPage<ErpPrice>(items, page.NextCursor, page.HasMore);
    }

    private async Task<IEnumerable<ErpPrice>> BasePricesAsync(Dictionary<int, DateTime?> changed, string currency, CancellationToken ct)
    {
        var products = await _rpc.ReadAsync("product.product", changed.Keys, ["code", "template", "create_date", "write_date"], ct);
        var templates = (await _rpc.ReadAsync("product.template", products.Select(p => p.Int("template")).Distinct().ToList(),
            ["list_price", "create_date", "write_date"], ct)).ToDictionary(t => t.Id);
        var items = new List<ErpPrice>();
        foreach (var p in products.Where(p => p.String("code") is not null))
        {
            var template = templates[p.Int("template")];
            var code = p.String("code")!;
            var at = ChangeFeed.Latest(changed[p.Id], p.ChangedAt, template.ChangedAt);
            if (Fen(template.DecimalOrNull("list_price") ?? 0m, code, "list price") is { } fen)
                items.Add(new ErpPrice(code, ErpPriceScope.Base, null, 1, fen, currency, false, new DateTimeOffset(at, TimeSpan.Zero)));
        }
        return items;
    }

    private async Task<IEnumerable<ErpPrice>> CustomerPricesAsync(Dictionary<int, DateTime?> changed, string currency, CancellationToken ct)
    {
        var items = new List<ErpPrice>();
        var parties = await _rpc.ReadAsync("party.party", changed.Keys,
            ["code", "sale_price_list", "create_date", "write_date"], ct, ChangeFeed.InactiveToo);
        foreach (var party in parties.Where(p => p.String("code") is not null && p.IntOrNull("sale_price_list") is not null))
        {
            var priceList = party.Int("sale_price_list");
            var lines = await _rpc.SearchReadAsync("product.price_list.line",
                [D("price_list", "=", priceList), D("product", "!=", null)], ["product", "quantity"], ct);
            var at = new DateTimeOffset(ChangeFeed.Latest(changed[party.Id], party.ChangedAt), TimeSpan.Zero);
            foreach (var tier in lines.GroupBy(l => Math.Max(1L, (long)Math.Ceiling(l.Double("quantity")))))
            {
                var context = new Dictionary<string, object?>
                {
                    ["price_list"] = priceList, ["customer"] = party.Id, ["quantity"] = (double)tier.Key,
                };
                var prices = await _rpc.ReadAsync("product.product", tier.Select(l => l.Int("product")).Distinct().ToList(),
                    ["code", "sale_price_uom"], ct, context);
                foreach (var p in prices.Where(p => p.String("code") is not null))
                    if (Fen(p.DecimalOrNull("sale_price_uom") ?? 0m, p.String("code")!, $"price for {party.String("code")} from {tier.Key}") is { } fen)
                        items.Add(new ErpPrice(p.String("code")!, ErpPriceScope.Customer, party.String("code"), tier.Key, fen, currency, false, at));
            }
        }
        return items;
    }

    /// <summary>The price in fen after the sub-fen policy, or null when the row is refused (reported as a skipped row).</summary>
    private long? Fen(decimal yuan, string productCode, string what)
    {
        try { return ErpMoney.ToFen(yuan, _options.SubFenPrices, _issues, "Prices", productCode, what); }
        catch (ErpRowRefusedException refused)
        {
            _issues.Report(new ErpDataIssue("Prices", productCode, refused.Message, RowSkipped: true));
            return null;
        }
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct)
    {
        var products = await _rpc.SearchAsync("product.product", [D("code", "!=", null)], ct);
        var parties = await _rpc.SearchAsync("party.party", [D("code", "!=", null)], ct);
        return products.Select(id => BasePrefix + id).Concat(parties.Select(id => CustomerPrefix + id));
    }

    /// <summary>A template change moves its products' base prices and, through formulas, the prices of customers listing them.</summary>
    private async Task<IEnumerable<(string, DateTime)>> TemplatesChangedAsync(IReadOnlyList<TrytonRecord> templates, CancellationToken ct)
    {
        var keys = templates.SelectMany(t => t.Ids("products").Select(p => (BasePrefix + p, t.ChangedAt))).ToList();
        var byProduct = templates.SelectMany(t => t.Ids("products").Select(p => (Product: p, t.ChangedAt)))
            .ToDictionary(x => x.Product, x => x.ChangedAt);
        var lines = await _rpc.SearchReadAsync("product.price_list.line",
            [D("product", "in", byProduct.Keys.ToList())], ["product", "price_list"], ct);
        var listChanged = lines.GroupBy(l => l.Int("price_list"))
            .ToDictionary(g => g.Key, g => g.Max(l => byProduct[l.Int("product")]));
        foreach (var (party, list) in await PartiesUsingAsync(listChanged.Keys, ct))
            keys.Add((CustomerPrefix + party, listChanged[list]));
        return keys;
    }

    private async Task<IEnumerable<(string, DateTime)>> CustomersOfListsAsync(
        IReadOnlyList<TrytonRecord> records, Func<TrytonRecord, int> listOf, CancellationToken ct)
    {
        var listChanged = records.GroupBy(listOf).ToDictionary(g => g.Key, g => g.Max(r => r.ChangedAt));
        return (await PartiesUsingAsync(listChanged.Keys, ct)).Select(x => (CustomerPrefix + x.Party, listChanged[x.List]));
    }

    /// <summary>(party, price list) for parties whose sale price list (a per-company value) is one of <paramref name="lists"/>.</summary>
    private async Task<IEnumerable<(int Party, int List)>> PartiesUsingAsync(IEnumerable<int> lists, CancellationToken ct)
    {
        var ids = lists.ToHashSet();
        if (ids.Count == 0) return [];
        // party.sale_price_list has no searcher; its per-company rows (party.party.sale_price_list) can be searched
        // through the One2Many. Reading the field back with the company in the context keeps this company's value.
        var parties = await _rpc.SearchAsync("party.party", [D("sale_price_lists.sale_price_list", "in", ids.ToList())], ct);
        var rows = await _rpc.ReadAsync("party.party", parties, ["sale_price_list"], ct);
        return rows.Where(r => r.IntOrNull("sale_price_list") is { } list && ids.Contains(list))
            .Select(r => (r.Id, r.Int("sale_price_list")));
    }

    private static Dictionary<int, DateTime?> KeysWith(ChangeFeed.Page page, string prefix) =>
        page.Keys.Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(k => int.Parse(k.Key[prefix.Length..]), k => k.At);
}
