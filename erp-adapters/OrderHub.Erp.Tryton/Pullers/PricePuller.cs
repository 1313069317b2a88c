using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Prices, from two change feeds behind one cursor (<c>p2#&lt;base cursor&gt;#&lt;store cursor&gt;</c>):
/// <list type="bullet">
/// <item>Base price = the template's <c>list_price</c>, per product with a code (feed key: the product id).</item>
/// <item>Store prices: for every store (see <see cref="TrytonCustomerRule"/>) with a <c>sale_price_list</c>, the price
/// Tryton itself computes for each salable product with a code — <c>product.product.sale_price_uom</c> read with
/// {price_list, customer, quantity} in the context — so every kind of line counts: a product line, a category line, a
/// line for all products, a formula such as <c>unit_price * 0.9</c>. Quantity tiers come from the list's line quantities
/// (a line applies from its quantity up): the price at quantity 1 is sent for every product, a higher tier only where the
/// price changes. Prices are rounded as a sale line rounds them (4 decimals, half-even), then to fen by
/// <see cref="ErpMoney"/>. Each price carries the list's name (<see cref="ErpPrice.ListName"/>). Feed key: the party id.
/// A change to a list, its lines, a party's list, or any product or template re-sends the stores concerned.</item>
/// </list>
/// Tryton 6.0's price-list lines match on product, category and quantity only, never on the party, so the prices of a list
/// are computed once per page and shared by the stores on it (read in batches of <see cref="ReadBatch"/> products).
/// A store page holds about <c>PageSize × 20</c> prices. Limit: a removed tier or list is not sent as
/// <see cref="ErpPrice.Deleted"/> (Tryton keeps no trace); consumers should replace a store's prices with each re-sent set,
/// or resync fully.
/// </summary>
internal sealed class PricePuller
{
    private const int ReadBatch = 500;
    private const string CursorPrefix = "p2";
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly TrytonOptions _options;
    private readonly IErpDataIssues _issues;
    private readonly TrytonCustomerRule _rule;
    private readonly ChangeFeed _baseFeed;
    private readonly ChangeSource[] _storeSources;

    public PricePuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options, IErpDataIssues issues, TrytonCustomerRule rule)
    {
        (_rpc, _masterData, _options, _issues, _rule) = (rpc, masterData, options, issues, rule);
        _baseFeed = new ChangeFeed(rpc, BaseKeysAsync,
        [
            new ChangeSource("product.product", [], [], ChangeFeed.KeyFromField("id")),
            new ChangeSource("product.template", [], ["products"], (t, _) =>
                Task.FromResult(t.SelectMany(r => r.Ids("products").Select(p => (p.ToString(), r.ChangedAt))))),
        ], options.PageSize);
        _storeSources =
        [
            new ChangeSource("party.party", [D("code", "!=", null)], [], ChangeFeed.KeyFromField("id"), IncludeInactive: true),
            new ChangeSource("product.price_list", [], [], (r, ct) => StoresOfListsAsync(r, x => x.Id, ct)),
            new ChangeSource("product.price_list.line", [], ["price_list"], (r, ct) => StoresOfListsAsync(r, x => x.Int("price_list"), ct)),
            // A list price, a new product or a code moves formula prices and the set of products: every store on a list.
            new ChangeSource("product.template", [], [], AllStoresAsync),
            new ChangeSource("product.product", [], [], AllStoresAsync),
        ];
    }

    public async Task<ErpPage<ErpPrice>> PullAsync(string? cursor, CancellationToken ct)
    {
        var (baseCursor, storeCursor) = Split(cursor);
        var currency = await _masterData.CurrencyCodeAsync(ct);
        var basePage = await _baseFeed.NextAsync(baseCursor, ct);
        var items = new List<ErpPrice>(await BasePricesAsync(basePage.Keys, currency, ct));
        if (basePage.HasMore) return new ErpPage<ErpPrice>(items, Join(basePage.NextCursor, storeCursor), true);

        var products = await SalableProductsAsync(ct);
        var storesPerPage = Math.Max(1, _options.PageSize * 20 / Math.Max(1, products.Count));
        var storePage = await new ChangeFeed(_rpc, StoreKeysAsync, _storeSources, storesPerPage).NextAsync(storeCursor, ct);
        items.AddRange(await StorePricesAsync(storePage.Keys, products, currency, ct));
        return new ErpPage<ErpPrice>(items, Join(basePage.NextCursor, storePage.NextCursor), storePage.HasMore);
    }

    private async Task<IEnumerable<ErpPrice>> BasePricesAsync(IReadOnlyList<ChangedKey> keys, string currency, CancellationToken ct)
    {
        var changed = keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
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

    private async Task<IEnumerable<ErpPrice>> StorePricesAsync(IReadOnlyList<ChangedKey> keys, IReadOnlyDictionary<int, string> products,
        string currency, CancellationToken ct)
    {
        var changed = keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var stores = await _rule.StoresAmongAsync(changed.Keys, ct);
        var parties = (await _rpc.ReadAsync("party.party", stores, ["code", "sale_price_list", "create_date", "write_date"], ct, ChangeFeed.InactiveToo))
            .Where(p => p.IntOrNull("sale_price_list") is not null)
            .ToList();
        var items = new List<ErpPrice>();
        foreach (var onList in parties.GroupBy(p => p.Int("sale_price_list")))
        {
            var list = (await _rpc.ReadAsync("product.price_list", [onList.Key], ["name", "lines"], ct, ChangeFeed.InactiveToo)).Single();
            var listName = list.String("name") ?? $"#{list.Id}";
            var tiers = await TiersAsync(list.Ids("lines"), ct);
            var prices = await ListPricesAsync(onList.Key, listName, onList.First().Id, tiers, products, ct);
            foreach (var party in onList)
            {
                var at = new DateTimeOffset(ChangeFeed.Latest(changed[party.Id], party.ChangedAt), TimeSpan.Zero);
                items.AddRange(prices.Select(p => new ErpPrice(p.Code, ErpPriceScope.Customer, party.String("code"), p.MinQty, p.Fen,
                    currency, false, at, ListName: listName)));
            }
        }
        return items;
    }

    /// <summary>Tier starts of a list: 1, and every line quantity above 1 (rounded up: OrderHub quantities are whole).</summary>
    private async Task<List<long>> TiersAsync(IReadOnlyList<int> lines, CancellationToken ct)
    {
        var quantities = (await _rpc.ReadAsync("product.price_list.line", lines, ["quantity"], ct))
            .Select(l => l.DecimalOrNull("quantity") is { } q ? (long)Math.Ceiling(q) : 1L);
        return quantities.Append(1L).Where(q => q >= 1).Distinct().Order().ToList();
    }

    /// <summary>The list's price of every product at every tier, as Tryton computes it; a higher tier only where the price changes.</summary>
    private async Task<List<(string Code, long MinQty, long Fen)>> ListPricesAsync(int priceList, string listName, int customer,
        IReadOnlyList<long> tiers, IReadOnlyDictionary<int, string> products, CancellationToken ct)
    {
        var result = new List<(string, long, long)>();
        var previous = new Dictionary<int, long>();
        foreach (var tier in tiers)
        {
            var context = new Dictionary<string, object?> { ["price_list"] = priceList, ["customer"] = customer, ["quantity"] = (double)tier };
            foreach (var (id, price) in await SalePricesAsync(products.Keys.ToList(), context, listName, products, ct))
            {
                // A sale line rounds the computed price to 4 decimals (Tryton's round_price: half-even).
                var rounded = decimal.Round(price, 4, MidpointRounding.ToEven);
                if (Fen(rounded, products[id], $"价目表 {listName} from {tier}") is not { } fen) continue;
                if (previous.TryGetValue(id, out var lower) && lower == fen) continue;
                previous[id] = fen;
                result.Add((products[id], tier, fen));
            }
        }
        return result;
    }

    /// <summary><c>sale_price_uom</c> in batches; a batch Tryton fails to compute (a broken formula) is retried product by product.</summary>
    private async Task<List<(int Id, decimal Price)>> SalePricesAsync(List<int> ids, Dictionary<string, object?> context, string listName,
        IReadOnlyDictionary<int, string> products, CancellationToken ct)
    {
        var result = new List<(int, decimal)>();
        foreach (var batch in ids.Chunk(ReadBatch))
        {
            try
            {
                result.AddRange((await _rpc.ReadAsync("product.product", batch, ["sale_price_uom"], ct, context))
                    .Where(r => r.DecimalOrNull("sale_price_uom") is not null).Select(r => (r.Id, r.DecimalOrNull("sale_price_uom")!.Value)));
            }
            catch (ErpRejectedException) when (batch.Length > 1)
            {
                foreach (var id in batch) result.AddRange(await SalePricesAsync([id], context, listName, products, ct));
            }
            catch (ErpRejectedException e)
            {
                _issues.Report(new ErpDataIssue("Prices", products[batch[0]], $"价目表 {listName}: Tryton cannot compute the price: {e.Message}", RowSkipped: true));
            }
        }
        return result;
    }

    /// <summary>Active salable products with a code: id → code.</summary>
    private async Task<Dictionary<int, string>> SalableProductsAsync(CancellationToken ct) =>
        (await _rpc.SearchReadAsync("product.product", [D("code", "!=", null), D("template.salable", "=", true)], ["code"], ct))
            .ToDictionary(r => r.Id, r => r.String("code")!);

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

    private async Task<IEnumerable<string>> BaseKeysAsync(CancellationToken ct) =>
        (await _rpc.SearchAsync("product.product", [D("code", "!=", null)], ct)).Select(id => id.ToString());

    /// <summary>Stores (by the customer rule) that have a sale price list.</summary>
    private async Task<IEnumerable<string>> StoreKeysAsync(CancellationToken ct)
    {
        // party.party.sale_price_list (the per-company values) is not served over RPC: search through the One2Many.
        var withList = await _rpc.SearchAsync("party.party", [D("sale_price_lists.sale_price_list", "!=", null)], ct, context: ChangeFeed.InactiveToo);
        return (await _rule.StoresAmongAsync(withList, ct)).Select(id => id.ToString());
    }

    private async Task<IEnumerable<(string, DateTime)>> AllStoresAsync(IReadOnlyList<TrytonRecord> records, CancellationToken ct)
    {
        var at = records.Max(r => r.ChangedAt);
        return (await StoreKeysAsync(ct)).Select(k => (k, at));
    }

    private async Task<IEnumerable<(string, DateTime)>> StoresOfListsAsync(IReadOnlyList<TrytonRecord> records, Func<TrytonRecord, int> listOf,
        CancellationToken ct)
    {
        var listChanged = records.GroupBy(listOf).ToDictionary(g => g.Key, g => g.Max(r => r.ChangedAt));
        var parties = await _rpc.SearchAsync("party.party", [D("sale_price_lists.sale_price_list", "in", listChanged.Keys.ToList())], ct,
            context: ChangeFeed.InactiveToo);
        // Reading the field back with the company in the context keeps this company's value.
        var rows = await _rpc.ReadAsync("party.party", parties, ["sale_price_list"], ct, ChangeFeed.InactiveToo);
        return rows.Where(r => r.IntOrNull("sale_price_list") is { } list && listChanged.ContainsKey(list))
            .Select(r => (r.Id.ToString(), listChanged[r.Int("sale_price_list")]));
    }

    private static (string? Base, string? Stores) Split(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return (null, null);
        var parts = cursor.Split('#');
        // Anything else (a cursor of an older version) starts a full resync.
        if (parts.Length != 3 || parts[0] != CursorPrefix) return (null, null);
        return (NullIfEmpty(parts[1]), NullIfEmpty(parts[2]));
    }

    private static string Join(string? baseCursor, string? storeCursor) => $"{CursorPrefix}#{baseCursor}#{storeCursor}";
    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
