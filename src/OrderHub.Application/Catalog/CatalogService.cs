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
    /// <summary>The display half of a product (<see cref="ProductDisplay"/>), read once per product and snapshot.</summary>
    private const string DisplayColumns = """
        p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize,
        p.min_order_qty AS MinOrderQty, p.barcode AS Barcode, p.brand AS Brand, p.category_id AS CategoryId,
        p.image_urls AS ImageUrls, m.file_name AS ImageFile, p.description AS Description, p.base_price_fen AS BasePriceFen,
        p.selling_points AS SellingPoints, p.tags AS Tags, p.is_new AS IsNew, p.is_hot AS IsHot
        FROM products p LEFT JOIN media m ON m.id = p.image_id
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
            var (items, version) = await ReadLiveAsync(snapshot, customer, chosen?.Items ?? [], ct);
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
            var (items, version) = await ReadLiveAsync(snapshot, customer, found is null ? [] : [found], ct);
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
            var (items, version) = await ReadLiveAsync(snapshot, customer, snapshot.FindMany(customer, productIds), ct);
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
    /// One round trip for what changes by the minute or belongs to this customer: this warehouse's stock, the customer's own
    /// prices, its last paid prices, and, last, the catalog version — plus the display half (<see cref="ProductDisplay"/>) of
    /// the products this snapshot has not shown yet. Read last, the version covers everything before it: a change that
    /// committed in time for those reads has moved it. Display halves read under the snapshot's own version are kept on its
    /// entries, so the next page of the same products reads only the live half.
    /// </summary>
    private async Task<(List<CatalogItem> Items, long Version)> ReadLiveAsync(CatalogSnapshot snapshot, CustomerContext customer,
        IReadOnlyList<CatalogSnapshot.ProductEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            await using var vc = await db.OpenAsync(ct);
            return ([], await vc.ExecuteScalarAsync<long>(new CommandDefinition(CatalogVersion.Select, cancellationToken: ct)));
        }
        var pricing = customer.ForPricing(); // a chain branch may be priced as its head office (Chains:PriceFrom)
        var ids = new long[entries.Count];
        var missing = new List<long>();
        for (var i = 0; i < entries.Count; i++)
        {
            ids[i] = entries[i].Id;
            if (entries[i].Display is null) missing.Add(entries[i].Id);
        }
        var idList = IdList(ids); // the JSON array on SQLite: made once, for whichever path reads
        Dictionary<long, ProductDisplay>? read = null;
        // Every display half kept already (the usual page): on SQLite, the live half through a command prepared once per connection.
        var live = missing.Count == 0
            ? await _prepared.TryReadAsync(LiveSql, [("customerId", pricing.CustomerId), ("warehouseId", customer.WarehouseId), ("ids", idList)], ReadLive, ct)
            : null;
        if (live is null)
        {
            await using var c = await db.OpenAsync(ct);
            var args = new DynamicParameters();
            args.Add("customerId", pricing.CustomerId);
            args.Add("warehouseId", customer.WarehouseId);
            args.Add("ids", idList);
            if (missing.Count > 0) args.Add("missing", IdList(missing.ToArray()));
            var displaySql = missing.Count == 0 ? "" : $"""
                SELECT {DisplayColumns} WHERE {IdIn("p.id", "missing")};
                SELECT {ProductUnits.Columns} FROM product_units WHERE {IdIn("product_id", "missing")};
                """;
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(displaySql + LiveSql, args, cancellationToken: ct));
            if (missing.Count > 0)
            {
                var rows = (await grid.ReadAsync<ProductRow>()).ToList();
                var units = ProductUnits.Assemble(rows.Select(r => (r.ProductId, r.Unit)), await grid.ReadAsync<ProductUnits.Row>());
                var byId = entries.Where(e => e.Display is null).ToDictionary(e => e.Id);
                read = rows.ToDictionary(r => r.ProductId, r => Display(r, units[r.ProductId], byId.GetValueOrDefault(r.ProductId), snapshot.Strings));
            }
            live = new LiveRows(
                (await grid.ReadAsync<StockRow>()).ToDictionary(r => r.ProductId),
                (await grid.ReadAsync<CustomerPriceBook.TierRow>()).ToLookup(r => r.ProductId),
                (await grid.ReadAsync<CustomerPriceBook.LastRow>()).ToDictionary(r => r.ProductId),
                await grid.ReadSingleAsync<long>());
        }
        var (stock, customerPrices, lastPaid, version) = live;

        // What was read under the snapshot's own version is true for it: keep it there (a newer version means a rebuild).
        var keep = version == snapshot.Version;
        var displays = new List<ProductDisplay>(entries.Count);
        foreach (var e in entries)
        {
            var d = e.Display;
            if (d is null && read is not null && read.TryGetValue(e.Id, out d) && keep) e.Display = d;
            if (d is not null) displays.Add(d);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (groupTiers, itemPromotions, storeWide) = snapshot.PricingFor(pricing, now);
        var book = CustomerPriceBook.Assemble(displays.Select(d => (d.ProductId, d.BasePriceFen)).ToList(), customerPrices, groupTiers, itemPromotions, storeWide, lastPaid);
        var items = new List<CatalogItem>(displays.Count);
        foreach (var d in displays)
        {
            var s = stock.GetValueOrDefault(d.ProductId);
            items.Add(Item(d, s?.OnHand ?? 0, s?.Reserved ?? 0, book[d.ProductId], now));
        }
        return (items, version);
    }

    /// <summary>The live half of a page, then the catalog version (read last, it covers what was read before it).</summary>
    private string LiveSql => field ??= $"""
        SELECT product_id AS ProductId, on_hand AS OnHand, reserved AS Reserved FROM stock
        WHERE warehouse_id = @warehouseId AND {IdIn("product_id", "ids")};
        SELECT product_id AS ProductId, source AS Source, min_qty AS MinQty, price_fen AS PriceFen, list_name AS ListName FROM customer_prices
        WHERE customer_id = @customerId AND {IdIn("product_id", "ids")};
        SELECT product_id AS ProductId, price_fen AS PriceFen, quantity AS Quantity, paid_at AS PaidAt FROM customer_last_prices
        WHERE customer_id = @customerId AND {IdIn("product_id", "ids")};
        {CatalogVersion.Select}
        """;

    /// <summary>SQLite's prepared form of <see cref="LiveSql"/> (a few connections; see <see cref="PreparedSqlite"/>).</summary>
    private readonly PreparedSqlite _prepared = new(db, Math.Max(4, 4 * Environment.ProcessorCount));

    private sealed record LiveRows(Dictionary<long, StockRow> Stock, ILookup<long, CustomerPriceBook.TierRow> CustomerPrices,
        Dictionary<long, CustomerPriceBook.LastRow> LastPaid, long Version);

    /// <summary>
    /// <see cref="LiveSql"/>'s four result sets read by column position, in <see cref="LiveSql"/>'s column order (Dapper's
    /// row parsers for a bare reader are built anew on every call — a dynamic method each, three per page).
    /// </summary>
    private static LiveRows ReadLive(Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        var stock = new Dictionary<long, StockRow>();
        while (r.Read()) stock[r.GetInt64(0)] = new StockRow { ProductId = r.GetInt64(0), OnHand = r.GetInt64(1), Reserved = r.GetInt64(2) };
        r.NextResult();
        var tiers = new List<CustomerPriceBook.TierRow>();
        while (r.Read())
            tiers.Add(new CustomerPriceBook.TierRow
            {
                ProductId = r.GetInt64(0), Source = r.GetString(1), MinQty = r.GetInt64(2), PriceFen = r.GetInt64(3), ListName = r.IsDBNull(4) ? null : r.GetString(4),
            });
        r.NextResult();
        var lastPaid = new Dictionary<long, CustomerPriceBook.LastRow>();
        while (r.Read())
            lastPaid[r.GetInt64(0)] = new CustomerPriceBook.LastRow { ProductId = r.GetInt64(0), PriceFen = r.GetInt64(1), Quantity = r.GetInt64(2), PaidAt = r.GetInt64(3) };
        r.NextResult();
        if (!r.Read()) throw new InvalidOperationException("catalog_version has no row");
        return new LiveRows(stock, tiers.ToLookup(x => x.ProductId), lastPaid, r.GetInt64(0));
    }

    /// <summary>
    /// "column is one of the ids": one parameter whatever the count — a JSON array read by <c>json_each</c> on SQLite (the
    /// statement's text and its single binding stay the same for every page), an array on PostgreSQL.
    /// </summary>
    private string IdIn(string column, string param) =>
        db.Dialect == SqlDialect.Postgres ? $"{column} = ANY(@{param})" : $"{column} IN (SELECT value FROM json_each(@{param}))";

    private object IdList(long[] ids) => db.Dialect == SqlDialect.Postgres ? ids : JsonSerializer.Serialize(ids);

    /// <summary>
    /// A product's display half as it is kept on the snapshot: values it shares with the snapshot's entry (SKU, name,
    /// barcode) and values that repeat across products (spec, unit, brand, units, tags; <see cref="StringPool"/>) are one
    /// copy each, lists are exact arrays, an empty list is the one empty array.
    /// </summary>
    private static ProductDisplay Display(ProductRow r, IReadOnlyList<ProductUnit> units, CatalogSnapshot.ProductEntry? entry, StringPool pool)
    {
        static string Same(string value, string? kept) => kept is not null && string.Equals(value, kept, StringComparison.Ordinal) ? kept : value;
        var search = entry?.Search;
        return new ProductDisplay(
            r.ProductId, Same(r.Sku, entry?.Sku), Same(r.Name, search?.Name), pool.ShareOrNull(r.Spec), pool.Share(r.Unit), r.PackSize, r.MinOrderQty,
            r.Barcode is null ? null : Same(r.Barcode, search?.Barcode), pool.ShareOrNull(r.Brand), r.CategoryId,
            Texts(r.ImageUrls), r.ImageFile, r.BasePriceFen, r.Description,
            pool.ShareAll(Texts(r.SellingPoints)), pool.ShareAll(Texts(r.Tags)), r.IsNew, r.IsHot, pool.ShareUnits(units));
    }

    private CatalogItem Item(ProductDisplay r, long onHand, long reserved, ProductPricing pricing, long now)
    {
        var exact = options.StockDisplay == StockDisplayMode.Exact;
        var available = StockDisplay.Available(onHand, reserved);
        var level = StockDisplay.Level(available, r.PackSize, options.LowStockPacks);
        var tiers = pricing.Inputs.CustomerPrices.Count > 0 ? pricing.Inputs.CustomerPrices : pricing.Inputs.GroupTiers;
        var price = resolver.Resolve(pricing.Inputs, DisplayQuantity(r.PackSize, r.MinOrderQty), now);
        // A special price is shown as a badge only where it is the price charged; other kinds (买赠, 满减) always show.
        var badges = ShownBadges(pricing.Badges, price.PromotionId);
        var units = new List<CatalogUnit>(r.Units.Count);
        foreach (var u in r.Units) units.Add(UnitOffer(r, pricing, u, now));
        return new CatalogItem(r.ProductId, r.Sku, r.Name, r.Spec, r.Unit, r.PackSize, r.MinOrderQty, r.Barcode, r.Brand, r.CategoryId,
            ImageUrls(r),
            price, r.BasePriceFen, ByMinQty(tiers), badges,
            new StockInfo(exact ? available : null, level.ToString(), StockDisplay.LevelText(level)),
            pricing.LastPaid, r.Description, r.SellingPoints, r.Tags, r.IsNew, r.IsHot, units)
        {
            Display = r,
        };
    }

    /// <summary>The badges minus special prices other than the one charged; the same list when nothing is left out.</summary>
    private static IReadOnlyList<PromotionBadge> ShownBadges(IReadOnlyList<PromotionBadge> badges, long? chargedPromotionId)
    {
        static bool Shown(PromotionBadge b, long? charged) => b.Kind != PromotionKind.SpecialPrice || b.PromotionId == charged;
        var all = true;
        for (var i = 0; i < badges.Count && all; i++) all = Shown(badges[i], chargedPromotionId);
        if (all) return badges;
        var shown = new List<PromotionBadge>(badges.Count);
        for (var i = 0; i < badges.Count; i++)
            if (Shown(badges[i], chargedPromotionId)) shown.Add(badges[i]);
        return shown;
    }

    /// <summary>Tiers by starting quantity (stable); the same list when already in order.</summary>
    private static IReadOnlyList<PriceTier> ByMinQty(IReadOnlyList<PriceTier> tiers)
    {
        var sorted = true;
        for (var i = 1; i < tiers.Count && sorted; i++) sorted = tiers[i - 1].MinQty <= tiers[i].MinQty;
        return sorted ? tiers : tiers.OrderBy(t => t.MinQty).ToList();
    }

    /// <summary>One unit as a store can order it: its price at the smallest valid quantity in it, pack size and MOQ in it.</summary>
    private CatalogUnit UnitOffer(ProductDisplay r, ProductPricing pricing, ProductUnit u, long now)
    {
        var (pack, moq) = (UnitConversion.PackSizeIn(r.PackSize, u), UnitConversion.MinOrderQtyIn(r.MinOrderQty, u));
        var smallest = UnitConversion.ToBase(DisplayQuantity(pack, moq), u);
        return new CatalogUnit(u.Name, u.Factor, u.IsBase, UnitConversion.PricePerUnit(resolver.Resolve(pricing.Inputs, smallest, now), u), pack, moq);
    }

    /// <summary>The image staff uploaded (first, at this request's address or Media:PublicBaseUrl), then the ERP's image URLs.</summary>
    private IReadOnlyList<string> ImageUrls(ProductDisplay r)
    {
        if (r.ImageFile is null) return r.ErpImageUrls;
        var urls = new List<string>(r.ErpImageUrls.Count + 1) { images?.UrlOf(r.ImageFile) ?? OrderHub.Application.Media.ImageStore.RoutePrefix + r.ImageFile };
        urls.AddRange(r.ErpImageUrls);
        return urls;
    }

    /// <summary>A JSON array of strings as an exact array (the empty one shared).</summary>
    private static IReadOnlyList<string> Texts(string json) => json is "[]" or "" ? [] : JsonSerializer.Deserialize<string[]>(json) is { Length: > 0 } a ? a : [];

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
    }

    private sealed class StockRow
    {
        public long ProductId { get; init; }
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
