using OrderHub.Domain.Catalog;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Pricing;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Stock;
using OrderHub.Domain.Promotions;

namespace OrderHub.Application.Catalog;

/// <summary>The catalog as one customer sees it: only its assortment, its prices and their sources, its warehouse's stock.</summary>
public sealed class CatalogService(Db db, PriceResolver resolver, CatalogOptions options, TimeProvider clock, OrderHub.Application.Media.ImageStore? images = null)
{
    private const string Columns = """
        p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize,
        p.min_order_qty AS MinOrderQty, p.barcode AS Barcode, p.brand AS Brand, p.category_id AS CategoryId,
        p.image_urls AS ImageUrls, m.file_name AS ImageFile, p.description AS Description, p.base_price_fen AS BasePriceFen,
        p.selling_points AS SellingPoints, p.tags AS Tags, p.is_new AS IsNew, p.is_hot AS IsHot,
        COALESCE(s.on_hand, 0) AS OnHand, COALESCE(s.reserved, 0) AS Reserved
        FROM products p LEFT JOIN stock s ON s.product_id = p.id AND s.warehouse_id = @warehouseId
        LEFT JOIN media m ON m.id = p.image_id
        """;

    /// <summary>This node's copy of products, categories, assortment, price lists and promotions (see <see cref="CatalogSnapshot"/>).</summary>
    private readonly CatalogCache _cache = new(db);

    /// <summary>
    /// A page of the products this customer may see (see <see cref="CatalogSnapshot.Page"/> for the orders and the search).
    /// The page is chosen and priced from the snapshot; stock, the customer's own prices and last paid prices are read live
    /// in one round trip, together with the catalog version: if the snapshot turns out older, it is reloaded and the page
    /// built again. A search first reads which products this store has bought (one more small query), to rank them higher.
    /// </summary>
    public async Task<CatalogPage> ListAsync(CustomerContext customer, CatalogFilter filter, CancellationToken ct = default)
    {
        var snapshot = await _cache.GetAsync(ct: ct);
        var bought = SearchQuery.Parse(filter.Search) is null ? null : await BoughtAsync(customer, ct);
        for (var attempt = 0; ; attempt++)
        {
            var chosen = snapshot.Page(customer, filter, bought);
            var (items, version) = await ReadLiveAsync(snapshot, customer, chosen?.Items.Select(p => p.Id).ToList() ?? [], ct);
            if (version <= snapshot.Version || attempt >= 2) return new CatalogPage(items, chosen?.Next, chosen?.Facets);
            snapshot = await _cache.GetAsync(version, ct);
        }
    }

    /// <summary>The products this store has paid for (its last paid prices).</summary>
    private async Task<HashSet<long>> BoughtAsync(CustomerContext customer, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>(new CommandDefinition("SELECT product_id FROM customer_last_prices WHERE customer_id = @customerId",
            new { customerId = customer.CustomerId }, cancellationToken: ct))).ToHashSet();
    }

    /// <summary>One product by SKU, or null when it is unknown or outside this customer's assortment (callers answer 404 either way).</summary>
    public async Task<CatalogItem?> GetAsync(CustomerContext customer, string sku, CancellationToken ct = default)
    {
        var snapshot = await _cache.GetAsync(ct: ct);
        for (var attempt = 0; ; attempt++)
        {
            var found = snapshot.Find(customer, sku);
            var (items, version) = await ReadLiveAsync(snapshot, customer, found is null ? [] : [found.Id], ct);
            if (version <= snapshot.Version || attempt >= 2) return items.Count == 0 ? null : items[0];
            snapshot = await _cache.GetAsync(version, ct);
        }
    }

    /// <summary>Several products by id as this customer sees them (those outside its assortment are left out), in the given order.</summary>
    public async Task<IReadOnlyList<CatalogItem>> GetManyAsync(CustomerContext customer, IReadOnlyList<long> productIds, CancellationToken ct = default)
    {
        if (productIds.Count == 0) return [];
        var snapshot = await _cache.GetAsync(ct: ct);
        for (var attempt = 0; ; attempt++)
        {
            var (items, version) = await ReadLiveAsync(snapshot, customer, snapshot.FindMany(customer, productIds).Select(p => p.Id).ToList(), ct);
            if (version <= snapshot.Version || attempt >= 2) return items;
            snapshot = await _cache.GetAsync(version, ct);
        }
    }

    public const int MaxPromotedProducts = 20;

    /// <summary>The promotions live now for this store, soonest ending first, with the products they cover as it sees them.</summary>
    public async Task<IReadOnlyList<StorePromotion>> PromotionsAsync(CustomerContext customer, CancellationToken ct = default)
    {
        var snapshot = await _cache.GetAsync(ct: ct);
        var live = snapshot.LivePromotionsFor(customer, clock.GetUtcNow().ToUnixTimeMilliseconds()).OrderBy(p => p.EndsAtMs).ThenBy(p => p.Id).ToList();
        var shown = live.SelectMany(p => p.Items.Take(MaxPromotedProducts).Select(i => i.ProductId)).Distinct().ToList();
        var items = (await GetManyAsync(customer, shown, ct)).ToDictionary(i => i.ProductId);
        return live.Select(p =>
        {
            var products = p.Items.Take(MaxPromotedProducts).Where(i => items.ContainsKey(i.ProductId))
                .Select(i => new PromotedProduct(items[i.ProductId], i.SpecialPriceFen)).ToList();
            // 特价 of one product names its price; of several, the lowest ("特价 低至 ¥2.26"), each product carrying its own.
            var lowest = p.Items.Where(i => i.SpecialPriceFen is not null).Select(i => i.SpecialPriceFen!.Value).DefaultIfEmpty().Min();
            var badge = p.Kind == PromotionKind.SpecialPrice && p.Items.Count > 1 ? $"特价 低至 {OrderHub.Domain.Money.Format(lowest)}"
                : PromotionKind.Badge(p.Kind, p.Items.Count == 1 ? p.Items[0].SpecialPriceFen : null, p.BuyQty, p.FreeQty, p.ThresholdFen, p.DiscountFen);
            return new StorePromotion(p.Id, p.Kind, PromotionKind.Label(p.Kind), p.Name, badge, p.StartsAtMs, p.EndsAtMs, p.StoreWide, p.Items.Count, products);
        }).ToList();
    }

    public async Task<IReadOnlyList<CategoryNode>> CategoriesAsync(CustomerContext customer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var cats = (await c.QueryAsync<CategoryRow>("SELECT id AS Id, code AS Code, name AS Name, parent_id AS ParentId, path AS Path FROM categories ORDER BY sort_order, id")).ToList();
        var counts = (await c.QueryAsync<(long CategoryId, long Count)>(
            $"SELECT p.category_id, COUNT(*) FROM products p WHERE p.category_id IS NOT NULL AND {Assortment.VisibleTo} GROUP BY p.category_id",
            new { customerId = customer.CustomerId, groupId = customer.GroupId })).ToDictionary(x => x.CategoryId, x => x.Count);
        // A category counts the visible products of its whole subtree; empty branches are left out.
        var total = cats.ToDictionary(x => x.Id, x => cats.Where(d => d.Path.StartsWith(x.Path, StringComparison.Ordinal)).Sum(d => counts.GetValueOrDefault(d.Id)));
        List<CategoryNode> Build(long? parent) => cats.Where(x => x.ParentId == parent && total[x.Id] > 0)
            .Select(x => new CategoryNode(x.Id, x.Code, x.Name, x.ParentId, (int)total[x.Id], Build(x.Id))).ToList();
        return Build(null);
    }

    public async Task<IReadOnlyList<BrandCount>> BrandsAsync(CustomerContext customer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Brand, long Count)>(
                $"SELECT p.brand, COUNT(*) FROM products p WHERE p.brand IS NOT NULL AND {Assortment.VisibleTo} GROUP BY p.brand ORDER BY COUNT(*) DESC, p.brand",
                new { customerId = customer.CustomerId, groupId = customer.GroupId }))
            .Select(x => new BrandCount(x.Brand, (int)x.Count)).ToList();
    }

    /// <summary>
    /// One round trip for what changes by the minute or belongs to this customer: the products' rows with this warehouse's
    /// stock, the customer's own prices, its last paid prices, and, last, the catalog version. Read last, the version
    /// covers everything before it: a change that committed in time for those reads has moved it.
    /// </summary>
    private async Task<(List<CatalogItem> Items, long Version)> ReadLiveAsync(CatalogSnapshot snapshot, CustomerContext customer, List<long> ids, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        if (ids.Count == 0) return ([], await c.ExecuteScalarAsync<long>(new CommandDefinition(CatalogVersion.Select, cancellationToken: ct)));
        var pricing = customer.ForPricing(); // a chain branch may be priced as its head office (Chains:PriceFrom)
        var args = new { ids = ids.ToArray(), customerId = pricing.CustomerId, warehouseId = customer.WarehouseId };
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition($"""
            SELECT {Columns} WHERE {db.Dialect.InList("p.id", "ids")};
            SELECT product_id AS ProductId, source AS Source, min_qty AS MinQty, price_fen AS PriceFen, list_name AS ListName FROM customer_prices
            WHERE customer_id = @customerId AND {db.Dialect.InList("product_id", "ids")};
            SELECT product_id AS ProductId, price_fen AS PriceFen, quantity AS Quantity, paid_at AS PaidAt FROM customer_last_prices
            WHERE customer_id = @customerId AND {db.Dialect.InList("product_id", "ids")};
            SELECT {ProductUnits.Columns} FROM product_units WHERE {db.Dialect.InList("product_id", "ids")};
            {CatalogVersion.Select}
            """, args, cancellationToken: ct));
        var rows = (await grid.ReadAsync<ProductRow>()).ToDictionary(r => r.ProductId);
        var customerPrices = (await grid.ReadAsync<CustomerPriceBook.TierRow>()).ToLookup(r => r.ProductId);
        var lastPaid = (await grid.ReadAsync<CustomerPriceBook.LastRow>()).ToDictionary(r => r.ProductId);
        var unitRows = await grid.ReadAsync<ProductUnits.Row>();
        var version = await grid.ReadSingleAsync<long>();

        var ordered = ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (groupTiers, itemPromotions, storeWide) = snapshot.PricingFor(pricing, now);
        var book = CustomerPriceBook.Assemble(ordered.Select(r => (r.ProductId, r.BasePriceFen)).ToList(), customerPrices, groupTiers, itemPromotions, storeWide, lastPaid);
        var units = ProductUnits.Assemble(ordered.Select(r => (r.ProductId, r.Unit)), unitRows);
        return (ordered.Select(r => Item(r, book[r.ProductId], units[r.ProductId], now)).ToList(), version);
    }

    private CatalogItem Item(ProductRow r, ProductPricing pricing, IReadOnlyList<ProductUnit> units, long now)
    {
        var exact = options.StockDisplay == StockDisplayMode.Exact;
        var available = StockDisplay.Available(r.OnHand, r.Reserved);
        var level = StockDisplay.Level(available, r.PackSize, options.LowStockPacks);
        var tiers = pricing.Inputs.CustomerPrices.Count > 0 ? pricing.Inputs.CustomerPrices : pricing.Inputs.GroupTiers;
        var price = resolver.Resolve(pricing.Inputs, DisplayQuantity(r.PackSize, r.MinOrderQty), now);
        // A special price is shown as a badge only where it is the price charged; other kinds (买赠, 满减) always show.
        var badges = pricing.Badges.Where(b => b.Kind != PromotionKind.SpecialPrice || b.PromotionId == price.PromotionId).ToList();
        return new CatalogItem(r.ProductId, r.Sku, r.Name, r.Spec, r.Unit, r.PackSize, r.MinOrderQty, r.Barcode, r.Brand, r.CategoryId,
            ImageUrls(r),
            price, r.BasePriceFen, tiers.OrderBy(t => t.MinQty).ToList(), badges,
            new StockInfo(exact ? available : null, level.ToString(), StockDisplay.LevelText(level)),
            pricing.LastPaid, r.Description, Texts(r.SellingPoints), Texts(r.Tags), r.IsNew, r.IsHot,
            units.Select(u => UnitOffer(r, pricing, u, now)).ToList());
    }

    /// <summary>One unit as a store can order it: its price at the smallest valid quantity in it, pack size and MOQ in it.</summary>
    private CatalogUnit UnitOffer(ProductRow r, ProductPricing pricing, ProductUnit u, long now)
    {
        var (pack, moq) = (UnitConversion.PackSizeIn(r.PackSize, u), UnitConversion.MinOrderQtyIn(r.MinOrderQty, u));
        var smallest = UnitConversion.ToBase(DisplayQuantity(pack, moq), u);
        return new CatalogUnit(u.Name, u.Factor, u.IsBase, UnitConversion.PricePerUnit(resolver.Resolve(pricing.Inputs, smallest, now), u), pack, moq);
    }

    /// <summary>The image staff uploaded (first), then the ERP's image URLs.</summary>
    private List<string> ImageUrls(ProductRow r)
    {
        var urls = JsonSerializer.Deserialize<List<string>>(r.ImageUrls) ?? [];
        if (r.ImageFile is not null) urls.Insert(0, images?.UrlOf(r.ImageFile) ?? OrderHub.Application.Media.ImageStore.RoutePrefix + r.ImageFile);
        return urls;
    }

    private static IReadOnlyList<string> Texts(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    /// <summary>The smallest quantity a customer can order: the MOQ rounded up to whole packs.</summary>
    public static long DisplayQuantity(int packSize, int minOrderQty)
    {
        var pack = Math.Max(1, packSize);
        var min = Math.Max(pack, minOrderQty);
        return (min + pack - 1) / pack * pack;
    }

    private sealed class ProductRow
    {
        public long ProductId { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Spec { get; init; }
        public string Unit { get; init; } = "";
        public int PackSize { get; init; }
        public int MinOrderQty { get; init; }
        public string? Barcode { get; init; }
        public string? Brand { get; init; }
        public long? CategoryId { get; init; }
        public string ImageUrls { get; init; } = "[]";
        public string? ImageFile { get; init; }
        public string? Description { get; init; }
        public long BasePriceFen { get; init; }
        public string SellingPoints { get; init; } = "[]";
        public string Tags { get; init; } = "[]";
        public bool IsNew { get; init; }
        public bool IsHot { get; init; }
        public long OnHand { get; init; }
        public long Reserved { get; init; }
    }

    private sealed class CategoryRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long? ParentId { get; init; }
        public string Path { get; init; } = "";
    }
}
