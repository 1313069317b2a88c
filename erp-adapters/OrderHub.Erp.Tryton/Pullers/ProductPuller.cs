using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Products: <c>product.product</c> (code, active) with its <c>product.template</c> (name, unit, list price, categories).
/// Feed key: the product id. Changes of the product or its template count; renaming a category does not.
/// Units: the base unit is the template's <c>default_uom</c>; a <c>sale_uom</c> of the same <c>product.uom</c> category that
/// is a whole number (≥ 2) of base units (<c>factor</c> ratio, e.g. 箱 with factor 24 in the Units category) becomes the
/// product's larger unit, coded by its uom id (sales lines are pushed in it), priced at list price × factor — what a Tryton
/// sale line in that uom charges before any price list (Tryton 6.0 price lists compute per default uom, then convert).
/// </summary>
internal sealed class ProductPuller
{
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly TrytonOptions _options;
    private readonly IErpDataIssues _issues;
    private readonly ChangeFeed _feed;

    public ProductPuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options, IErpDataIssues issues)
    {
        (_rpc, _masterData, _options, _issues) = (rpc, masterData, options, issues);
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("product.product", [], [], ChangeFeed.KeyFromField("id"), IncludeInactive: true),
            new ChangeSource("product.template", [], ["products"], ProductsOfTemplates, IncludeInactive: true),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpProduct>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var changedAt = page.Keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var products = await _rpc.ReadAsync("product.product", changedAt.Keys,
            ["code", "template", "active", "description", "cost_price", "create_date", "write_date"], ct, ChangeFeed.InactiveToo);
        var templates = (await _rpc.ReadAsync("product.template", products.Select(p => p.Int("template")).Distinct().ToList(),
                ["name", "default_uom", "sale_uom", "list_price", "categories", "active", "create_date", "write_date"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(t => t.Id);
        var uoms = (await _rpc.ReadAsync("product.uom",
                templates.Values.SelectMany(t => new[] { t.Int("default_uom"), t.IntOrNull("sale_uom") ?? 0 }).Where(id => id != 0).Distinct().ToList(),
                ["rec_name", "factor", "category"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(r => r.Id);
        var categories = await NamesAsync("product.category", templates.Values.SelectMany(t => t.Ids("categories")), ct);
        var currency = await _masterData.CurrencyCodeAsync(ct);

        var items = new List<ErpProduct>();
        foreach (var product in products)
        {
            var template = templates[product.Int("template")];
            if (product.String("code") is not { } code)
            {
                // OrderHub keys products by code: a product without one cannot be sold through OrderHub. Say so.
                if (product.Bool("active") && template.Bool("active"))
                    _issues.Report(new ErpDataIssue("Products", null,
                        $"商品「{template.String("name")}」（Tryton product.product {product.Id}）没有编码，未同步 / product '{template.String("name")}' (id {product.Id}) has no code; give it one in Tryton",
                        RowSkipped: true));
                continue;
            }
            var firstCategory = template.Ids("categories").FirstOrDefault();
            var at = ChangeFeed.Latest(changedAt[product.Id], product.ChangedAt, template.ChangedAt);
            long basePriceFen;
            try { basePriceFen = ErpMoney.ToFen(template.DecimalOrNull("list_price") ?? 0m, _options.SubFenPrices, _issues, "Products", code, "list price"); }
            catch (ErpRowRefusedException refused) { _issues.Report(new ErpDataIssue("Products", code, refused.Message, RowSkipped: true)); continue; }
            items.Add(new ErpProduct(
                Code: code,
                Name: template.String("name") ?? code,
                Spec: product.String("description"),
                Unit: uoms[template.Int("default_uom")].String("rec_name") ?? "",
                PackSize: 1,
                MinOrderQty: 1,
                Barcode: null,
                Brand: null,
                // A category's rec_name is its full path, "Parent / Child".
                CategoryPath: firstCategory == 0 ? [] : categories[firstCategory].Split(" / "),
                BasePriceFen: basePriceFen,
                Currency: currency,
                Active: product.Bool("active") && template.Bool("active"),
                ChangedAt: new DateTimeOffset(at, TimeSpan.Zero),
                // cost_price is company-dependent (product.cost_price); the preferences' company in the context selects it.
                CostFen: ErpMoney.CostToFen(product.DecimalOrNull("cost_price")),
                Units: SaleUnit(code, template, uoms, template.DecimalOrNull("list_price") ?? 0m)));
        }
        return new ErpPage<ErpProduct>(items, page.NextCursor, page.HasMore);
    }

    /// <summary>
    /// The template's sale uom as a larger unit, or none (an empty list: the product is sold in its base unit, and a unit
    /// OrderHub had from an earlier pull goes). A sale uom OrderHub cannot take — another category, smaller than the base
    /// unit, not a whole number of it — is reported and the product is sold in base units.
    /// </summary>
    private IReadOnlyList<ErpProductUnit> SaleUnit(string code, TrytonRecord template, Dictionary<int, TrytonRecord> uoms, decimal listPrice)
    {
        var baseUom = uoms[template.Int("default_uom")];
        if (template.IntOrNull("sale_uom") is not { } saleId || saleId == baseUom.Id || !uoms.TryGetValue(saleId, out var sale)) return [];
        var name = sale.String("rec_name") ?? "";
        var ratio = (decimal)sale.Double("factor") / (decimal)baseUom.Double("factor");
        var factor = decimal.Round(ratio, 0);
        string? problem = sale.Int("category") != baseUom.Int("category") ? "is in another uom category than the base unit"
            : factor < 2 ? "is not larger than the base unit"
            : Math.Abs(ratio - factor) > 0.0001m || factor > int.MaxValue ? $"is {ratio:0.######} base units, not a whole number"
            : null;
        if (problem is not null)
        {
            _issues.Report(new ErpDataIssue("Products", code,
                $"销售单位 {name} 无法换算为基本单位 {baseUom.String("rec_name")} 的整数倍，按基本单位销售 / sale uom {name} {problem}; the product is sold in its base unit",
                RowSkipped: false));
            return [];
        }
        var price = ErpMoney.ToFen(listPrice * factor, SubFenPolicy.Round, out _);
        return [new ErpProductUnit(name, (int)factor, price, saleId.ToString())];
    }

    /// <summary>Every product, those without a code too (each is reported as a skipped row).</summary>
    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct) =>
        (await _rpc.SearchAsync("product.product", [], ct, context: ChangeFeed.InactiveToo))
            .Select(id => id.ToString());

    private static Task<IEnumerable<(string, DateTime)>> ProductsOfTemplates(IReadOnlyList<TrytonRecord> templates, CancellationToken _) =>
        Task.FromResult(templates.SelectMany(t => t.Ids("products").Select(p => (p.ToString(), t.ChangedAt))));

    private async Task<Dictionary<int, string>> NamesAsync(string model, IEnumerable<int> ids, CancellationToken ct) =>
        (await _rpc.ReadAsync(model, ids.Distinct().ToList(), ["rec_name"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(r => r.Id, r => r.String("rec_name") ?? "");
}
