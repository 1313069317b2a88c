using OrderHub.Domain.Catalog;
using System.Data.Common;
using Dapper;
using System.Text.Json;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;
using OrderHub.Application.Pricing;
using OrderHub.Domain.Promotions;

namespace OrderHub.Application.Catalog;

/// <summary>
/// One node's in-memory copy of the catalog's slow-changing half, as of one <see cref="CatalogVersion"/>: the active
/// products in SKU order with what lists and assortment need (id, SKU, category path, brand, search text), the category
/// paths, the assortment rules, the group price lists and the promotions with their items. A catalog page is chosen and
/// priced from it without a query; only stock, the store's own prices and its last paid prices are read per request.
/// Immutable once loaded; a newer version replaces it whole (<see cref="CatalogCache"/>).
/// </summary>
public sealed class CatalogSnapshot
{
    public long Version { get; }
    private readonly ProductEntry[] _bySku;
    private readonly Dictionary<string, int> _skuIndex;
    private readonly Dictionary<long, ProductEntry> _byId;
    private readonly Dictionary<long, string> _categoryPaths;
    private readonly RuleRow[] _rules;
    /// <summary>Per customer group, its price-list rows sorted by product, then list (lists in id order): flat arrays, no object per row.</summary>
    private readonly Dictionary<long, GroupTier[]> _groupTiers;
    private readonly string[] _listNames;
    private readonly PromotionEntry[] _promotions;
    /// <summary>The active products in the 推荐 order: the staff's sort position first, then 热销, then 新品, then SKU.</summary>
    private readonly ProductEntry[] _recommended;
    private readonly Dictionary<long, string> _categoryNames;
    /// <summary>Per customer group, per product: how many stores of the group have ordered it (as of this snapshot's load).</summary>
    private readonly Dictionary<long, Dictionary<long, int>> _groupBuyers;

    private CatalogSnapshot(long version, ProductEntry[] bySku, Dictionary<long, string> categoryPaths, RuleRow[] rules,
        Dictionary<long, GroupTier[]> groupTiers, string[] listNames, PromotionEntry[] promotions,
        Dictionary<long, string> categoryNames, Dictionary<long, Dictionary<long, int>> groupBuyers, StringPool strings)
    {
        Strings = strings;
        _categoryNames = categoryNames;
        _groupBuyers = groupBuyers;
        _recommended = bySku.ToArray();
        Array.Sort(_recommended, Recommended);
        Version = version;
        _bySku = bySku;
        _skuIndex = new Dictionary<string, int>(bySku.Length, StringComparer.Ordinal);
        for (var i = 0; i < bySku.Length; i++) _skuIndex[bySku[i].Sku] = i;
        _byId = bySku.ToDictionary(p => p.Id);
        _categoryPaths = categoryPaths;
        _rules = rules;
        _groupTiers = groupTiers;
        _listNames = listNames;
        _promotions = promotions;
    }

    public int ProductCount => _bySku.Length;

    /// <summary>The repeated values of this snapshot, shared by its products and by the display halves kept on them.</summary>
    public StringPool Strings { get; }

    /// <summary>
    /// Reads the snapshot. The version is read first: a change committed meanwhile only makes it look older, never newer.
    /// Repeated strings (category paths, brands, specs, tags, pinyin; <see cref="StringPool"/>) are shared, and price-list rows are kept as structs: at the
    /// large benchmark size (100k products, 340k price-list rows) this keeps the snapshot to tens of megabytes.
    /// </summary>
    public static async Task<CatalogSnapshot> LoadAsync(DbConnection c, CancellationToken ct = default)
    {
        var version = await c.ExecuteScalarAsync<long>(new CommandDefinition(CatalogVersion.Select, cancellationToken: ct));
        var pool = new StringPool();
        var categoryRows = (await c.QueryAsync<(long Id, string Name, long? ParentId, string Path)>(new CommandDefinition(
            "SELECT id, name, parent_id, path FROM categories", cancellationToken: ct))).ToDictionary(x => x.Id);
        var categories = categoryRows.ToDictionary(x => x.Key, x => x.Value.Path);
        var categoryNames = categoryRows.ToDictionary(x => x.Key, x => x.Value.Name);
        // A category's searchable text: its name, then its ancestors' ("纯牛奶/乳制品").
        var categoryText = categoryRows.ToDictionary(x => x.Key, x =>
        {
            var names = new List<string>();
            for (long? id = x.Key; id is { } i && categoryRows.TryGetValue(i, out var row) && names.Count < 16; id = row.ParentId) names.Add(row.Name);
            return string.Join('/', names);
        });
        // The large reads below stream from the reader (Dapper's unbuffered form) instead of filling a list first.
        var entries = new List<ProductEntry>();
        await foreach (var r in c.QueryUnbufferedAsync<ProductRow>("""
            SELECT id AS Id, sku AS Sku, name AS Name, spec AS Spec, barcode AS Barcode, brand AS Brand, category_id AS CategoryId,
                   category_path AS CategoryPath, tags AS Tags, sort_order AS SortOrder, is_new AS IsNew, is_hot AS IsHot
            FROM products WHERE active = TRUE
            """).WithCancellation(ct))
        {
            var leaf = r.CategoryId is { } cid ? categoryNames.GetValueOrDefault(cid, "") : "";
            var tags = JsonSerializer.Deserialize<string[]>(r.Tags) ?? [];
            entries.Add(new ProductEntry
            {
                Id = r.Id, Sku = r.Sku, CategoryId = r.CategoryId, CategoryPath = pool.Share(r.CategoryPath), Brand = pool.ShareOrNull(r.Brand),
                SortOrder = r.SortOrder, IsNew = r.IsNew, IsHot = r.IsHot,
                Search = SearchFields.Of(r.Name, r.Sku, r.Barcode, r.Brand, r.Spec,
                    r.CategoryId is { } id ? categoryText.GetValueOrDefault(id, "") : "", leaf, tags, pool),
            });
        }
        var products = entries.ToArray();
        Array.Sort(products, (a, b) => string.CompareOrdinal(a.Sku, b.Sku));
        var groupBuyers = new Dictionary<long, Dictionary<long, int>>();
        await foreach (var (groupId, productId, stores) in c.QueryUnbufferedAsync<(long, long, long)>($"""
            SELECT cu.group_id, l.product_id, COUNT(DISTINCT o.customer_id)
            FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers cu ON cu.id = o.customer_id
            WHERE cu.group_id IS NOT NULL AND l.is_gift = FALSE AND {OrderStatusSql.CountsAsRevenue("o")}
            GROUP BY cu.group_id, l.product_id
            """).WithCancellation(ct))
        {
            if (!groupBuyers.TryGetValue(groupId, out var counts)) groupBuyers[groupId] = counts = [];
            counts[productId] = (int)stores;
        }
        var rules = (await c.QueryAsync<RuleRow>(new CommandDefinition("""
            SELECT customer_group_id AS GroupId, customer_id AS CustomerId, product_id AS ProductId, category_path AS CategoryPath, effect AS Effect
            FROM assortment_rules
            """, cancellationToken: ct))).ToArray();
        var lists = (await c.QueryAsync<(long Id, long GroupId, string Name)>(new CommandDefinition(
            "SELECT id, customer_group_id, name FROM price_lists WHERE active = TRUE AND customer_group_id IS NOT NULL ORDER BY id", cancellationToken: ct))).ToList();
        var listIndex = lists.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i);
        // Each group's rows go straight into an array of its counted size, streamed from the reader: a growing list and its
        // copies left tens of megabytes of dead arrays in the large-object heap at every load (100k products, 340k rows).
        var counted = (await c.QueryAsync<(long GroupId, long Rows)>(new CommandDefinition("""
            SELECT l.customer_group_id, COUNT(*) FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id
            WHERE l.active = TRUE AND l.customer_group_id IS NOT NULL GROUP BY l.customer_group_id
            """, cancellationToken: ct))).ToDictionary(x => x.GroupId, x => x.Rows);
        var rowsByGroup = lists.Select(l => l.GroupId).Distinct().ToDictionary(g => g, g => (Rows: new GroupTier[counted.GetValueOrDefault(g)], Filled: 0));
        await foreach (var (listId, productId, minQty, priceFen) in c.QueryUnbufferedAsync<(long, long, long, long)>("""
            SELECT i.price_list_id, i.product_id, i.min_qty, i.price_fen
            FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id
            WHERE l.active = TRUE AND l.customer_group_id IS NOT NULL
            """).WithCancellation(ct))
        {
            var index = listIndex[listId];
            ref var group = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(rowsByGroup, lists[index].GroupId);
            // Rows added between the count and this read (the catalog version then says the snapshot is older) still fit.
            if (group.Filled == group.Rows.Length) Array.Resize(ref group.Rows, Math.Max(16, group.Rows.Length * 2));
            group.Rows[group.Filled++] = new GroupTier(productId, index, minQty, priceFen);
        }
        var groupTiers = rowsByGroup.ToDictionary(kv => kv.Key, kv =>
        {
            var (rows, filled) = kv.Value;
            if (filled < rows.Length) Array.Resize(ref rows, filled);
            Array.Sort(rows, (a, b) => a.ProductId != b.ProductId ? a.ProductId.CompareTo(b.ProductId)
                : a.List != b.List ? a.List.CompareTo(b.List) : a.MinQty.CompareTo(b.MinQty));
            return rows;
        });
        var promotions = (await c.QueryAsync<PromotionEntry>(new CommandDefinition("""
            SELECT id AS Id, kind AS Kind, name AS Name, target AS Target, target_group_id AS TargetGroupId, target_customer_id AS TargetCustomerId,
                   starts_at AS StartsAt, ends_at AS EndsAt, buy_qty AS BuyQty, free_qty AS FreeQty, threshold_fen AS ThresholdFen, discount_fen AS DiscountFen,
                   unit AS Unit
            FROM promotions WHERE active = TRUE
            """, cancellationToken: ct))).ToDictionary(p => p.Id);
        foreach (var (promotionId, productId, special) in await c.QueryAsync<(long, long, long?)>(new CommandDefinition(
                     "SELECT i.promotion_id, i.product_id, i.special_price_fen FROM promotion_items i JOIN promotions p ON p.id = i.promotion_id WHERE p.active = TRUE",
                     cancellationToken: ct)))
            promotions[promotionId].Items[productId] = special;
        return new CatalogSnapshot(version, products, categories, rules, groupTiers, lists.Select(l => l.Name).ToArray(), promotions.Values.OrderBy(p => p.Id).ToArray(),
            categoryNames, groupBuyers, pool);
    }

    /// <summary>The 推荐 order: a sort position set by staff (smaller first), then 热销, then 新品, then SKU.</summary>
    private static int Recommended(ProductEntry a, ProductEntry b)
    {
        if (a.SortOrder != b.SortOrder)
            return a.SortOrder is null ? 1 : b.SortOrder is null ? -1 : a.SortOrder.Value.CompareTo(b.SortOrder.Value);
        if (a.IsHot != b.IsHot) return a.IsHot ? -1 : 1;
        if (a.IsNew != b.IsNew) return a.IsNew ? -1 : 1;
        return string.CompareOrdinal(a.Sku, b.Sku);
    }

    /// <summary>
    /// One page of a list as this customer's assortment allows, at most <see cref="CatalogFilter.Limit"/> products, and the
    /// cursor of the next page (null on the last). Without a search: SKU order after <see cref="CatalogFilter.After"/> (a SKU),
    /// or the 推荐 order (<see cref="CatalogSort.Recommended"/>; the cursor is a position, "@40"). With a search: every
    /// matching product ranked by <see cref="ProductSearch"/> (and, when it finds few, <see cref="TypoSearch"/>'s near matches after them), ties broken by this store's own purchases
    /// (<paramref name="bought"/>), then by how many stores of its group buy the product, then the 推荐 order; the first
    /// page also counts the matches per category and brand (each facet ignoring its own filter). Null when the category
    /// filter names no category.
    /// </summary>
    public SnapshotPage? Page(CustomerContext customer, CatalogFilter filter, IReadOnlySet<long>? bought = null)
    {
        string? categoryPath = null;
        if (filter.CategoryId is { } categoryId && !_categoryPaths.TryGetValue(categoryId, out categoryPath)) return null;
        var brand = string.IsNullOrWhiteSpace(filter.Brand) ? null : filter.Brand.Trim();
        var view = ViewFor(customer);
        var take = filter.Limit;
        bool InCategory(ProductEntry p) => categoryPath is null || p.CategoryPath.StartsWith(categoryPath, StringComparison.Ordinal);
        bool OfBrand(ProductEntry p) => brand is null || p.Brand == brand;

        if (SearchQuery.Parse(filter.Search) is not { } query)
        {
            var recommended = filter.Sort == CatalogSort.Recommended;
            var order = recommended ? _recommended : _bySku;
            var start = recommended ? Position(filter.After) : string.IsNullOrEmpty(filter.After) ? 0 : FirstAfter(filter.After);
            var result = new List<ProductEntry>(Math.Min(take + 1, 128));
            var i = start;
            for (; i < order.Length && result.Count <= take; i++)
            {
                var p = order[i];
                if (InCategory(p) && OfBrand(p) && view.Visible(p)) result.Add(p);
            }
            if (result.Count <= take) return new SnapshotPage(result, null, null);
            result.RemoveAt(take);
            // The next page starts after the last product shown: its SKU, or its position in the 推荐 order.
            return new SnapshotPage(result, recommended ? "@" + (Array.IndexOf(order, result[^1], start) + 1) : result[^1].Sku, null);
        }

        var groupBuyers = customer.GroupId is { } g ? _groupBuyers.GetValueOrDefault(g) : null;
        var first = string.IsNullOrEmpty(filter.After);
        var matches = new List<(ProductEntry P, double Score)>();
        Dictionary<long, int>? categoryCounts = first ? [] : null;
        Dictionary<string, int>? brandCounts = first ? new(StringComparer.Ordinal) : null;
        // The exact search; when it finds only a few products (whatever the filters), the typo-tolerant pass adds products
        // that match within an edit or two, all scored below the exact ones (TypoSearch).
        var found = 0;
        void Collect(Func<SearchFields, SearchQuery, double> scorer)
        {
            foreach (var p in _bySku)
            {
                var score = scorer(p.Search, query);
                if (score <= 0 || !view.Visible(p)) continue;
                found++;
                var inCategory = InCategory(p);
                var ofBrand = OfBrand(p);
                if (first)
                {
                    if (ofBrand && p.CategoryId is { } cid) categoryCounts![cid] = categoryCounts.GetValueOrDefault(cid) + 1;
                    if (inCategory && p.Brand is { } b) brandCounts![b] = brandCounts.GetValueOrDefault(b) + 1;
                }
                if (inCategory && ofBrand) matches.Add((p, score));
            }
        }
        Collect(ProductSearch.Score);
        if (found < TypoSearch.FewMatches && TypoSearch.Applies(query))
            Collect((f, q) => ProductSearch.Score(f, q) > 0 ? 0 : TypoSearch.Score(f, q));
        matches.Sort((x, y) =>
        {
            var c = y.Score.CompareTo(x.Score);
            if (c != 0) return c;
            if (bought is not null && (c = bought.Contains(y.P.Id).CompareTo(bought.Contains(x.P.Id))) != 0) return c;
            if (groupBuyers is not null && (c = groupBuyers.GetValueOrDefault(y.P.Id).CompareTo(groupBuyers.GetValueOrDefault(x.P.Id))) != 0) return c;
            return Recommended(x.P, y.P);
        });
        var from = Math.Min(Position(filter.After), matches.Count);
        var page = matches.Skip(from).Take(take).Select(m => m.P).ToList();
        var facets = first
            ? new CatalogFacets(
                categoryCounts!.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
                    .Select(kv => new CategoryFacet(kv.Key, _categoryNames.GetValueOrDefault(kv.Key, ""), kv.Value)).ToList(),
                brandCounts!.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => new BrandCount(kv.Key, kv.Value)).ToList(),
                matches.Count)
            : null;
        return new SnapshotPage(page, from + take < matches.Count ? "@" + (from + take) : null, facets);
    }

    /// <summary>A position cursor ("@40") as a number; anything else starts at 0.</summary>
    private static int Position(string? after) =>
        after is ['@', .. var n] && int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : 0;

    /// <summary>One product by SKU if this customer may see it.</summary>
    public ProductEntry? Find(CustomerContext customer, string sku) =>
        _skuIndex.TryGetValue(sku, out var i) && ViewFor(customer).Visible(_bySku[i]) ? _bySku[i] : null;

    /// <summary>The products of these ids this customer may see, in the given order.</summary>
    public List<ProductEntry> FindMany(CustomerContext customer, IEnumerable<long> ids)
    {
        var view = ViewFor(customer);
        return ids.Distinct().Select(id => _byId.GetValueOrDefault(id)).Where(p => p is not null && view.Visible(p)).ToList()!;
    }

    /// <summary>This customer's price candidates that the snapshot holds: its group's price-list rows and the promotions live now for it.</summary>
    internal (Func<long, IEnumerable<CustomerPriceBook.TierRow>> GroupTiers, Func<long, IEnumerable<CustomerPriceBook.PromoRow>> ItemPromotions,
        IReadOnlyList<CustomerPriceBook.PromoRow> StoreWide) PricingFor(CustomerContext customer, long nowMs)
    {
        var tiers = customer.GroupId is { } g && _groupTiers.TryGetValue(g, out var rows) ? rows : null;
        // Loops rather than LINQ: the item lookup runs for every product of every catalog page (issue #19).
        var live = new List<PromotionEntry>();
        var storeWide = new List<CustomerPriceBook.PromoRow>();
        foreach (var p in _promotions)
        {
            if (!p.LiveFor(customer, nowMs)) continue;
            live.Add(p);
            if (p.Kind == PromotionKind.SpendSave && p.Items.Count == 0) storeWide.Add(p.Row(0, null));
        }
        IEnumerable<CustomerPriceBook.PromoRow> ItemPromotions(long id)
        {
            List<CustomerPriceBook.PromoRow>? found = null;
            foreach (var p in live)
                if (p.Items.TryGetValue(id, out var special)) (found ??= []).Add(p.Row(id, special));
            return found ?? (IEnumerable<CustomerPriceBook.PromoRow>)[];
        }
        return (id => tiers is null ? [] : TiersOf(tiers, id), ItemPromotions, storeWide);
    }

    /// <summary>
    /// The promotions live now for this customer (by the same rule as pricing, <c>PromotionEntry.LiveFor</c>), each with
    /// the products it covers that the customer may see; one whose products are all outside its assortment is left out.
    /// A 满减 without items covers the whole store.
    /// </summary>
    public IReadOnlyList<LivePromotion> LivePromotionsFor(CustomerContext customer, long nowMs)
    {
        var view = ViewFor(customer);
        var result = new List<LivePromotion>();
        foreach (var p in _promotions.Where(p => p.LiveFor(customer, nowMs)))
        {
            var items = p.Items.Where(kv => _byId.TryGetValue(kv.Key, out var e) && view.Visible(e))
                .OrderBy(kv => _byId[kv.Key].Sku, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();
            var storeWide = p.Kind == PromotionKind.SpendSave && p.Items.Count == 0;
            if (!storeWide && items.Count == 0) continue;
            result.Add(new LivePromotion(p.Id, p.Kind, p.Name, p.StartsAt, p.EndsAt, p.BuyQty, p.FreeQty, p.ThresholdFen, p.DiscountFen, storeWide, items));
        }
        return result;
    }

    /// <summary>The price-list rows of one product, lists in id order, as the pricing code reads them.</summary>
    private IReadOnlyList<CustomerPriceBook.TierRow> TiersOf(GroupTier[] rows, long productId)
    {
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (rows[mid].ProductId < productId) lo = mid + 1; else hi = mid;
        }
        if (lo == rows.Length || rows[lo].ProductId != productId) return [];
        var result = new List<CustomerPriceBook.TierRow>();
        for (var i = lo; i < rows.Length && rows[i].ProductId == productId; i++)
            result.Add(new CustomerPriceBook.TierRow { ProductId = productId, Source = _listNames[rows[i].List], MinQty = rows[i].MinQty, PriceFen = rows[i].PriceFen });
        return result;
    }

    private int FirstAfter(string after)
    {
        int lo = 0, hi = _bySku.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_bySku[mid].Sku, after) <= 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private AssortmentView ViewFor(CustomerContext customer) => new(
        _rules.Where(r => r.CustomerId == customer.CustomerId).ToArray(),
        customer.GroupId is { } g ? _rules.Where(r => r.GroupId == g).ToArray() : []);

    /// <summary>A promotion live for a customer and the visible products it covers (product id → special price).</summary>
    public sealed record LivePromotion(long Id, string Kind, string Name, long StartsAtMs, long EndsAtMs, long? BuyQty, long? FreeQty,
        long? ThresholdFen, long? DiscountFen, bool StoreWide, IReadOnlyList<(long ProductId, long? SpecialPriceFen)> Items);

    /// <summary>The list fields of an active product.</summary>
    public sealed class ProductEntry
    {
        public long Id { get; init; }
        public string Sku { get; init; } = "";
        public long? CategoryId { get; init; }
        public string CategoryPath { get; init; } = "/";
        public string? Brand { get; init; }
        public int? SortOrder { get; init; }
        public bool IsNew { get; init; }
        public bool IsHot { get; init; }
        public SearchFields Search { get; init; } = new();

        private ProductDisplay? _display;

        /// <summary>
        /// The product's display half once a page has read it under this snapshot's version (<see cref="CatalogService"/>);
        /// null until then. Kept here, it lives exactly as long as the snapshot it is true for.
        /// </summary>
        public ProductDisplay? Display
        {
            get => Volatile.Read(ref _display);
            internal set => Volatile.Write(ref _display, value);
        }
    }

    /// <summary>A page chosen from the snapshot: products, the next page's cursor, and the facets of a search's first page.</summary>
    public sealed record SnapshotPage(List<ProductEntry> Items, string? Next, CatalogFacets? Facets);

    private sealed class ProductRow
    {
        public long Id { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Spec { get; init; }
        public string? Barcode { get; init; }
        public string? Brand { get; init; }
        public long? CategoryId { get; init; }
        public string CategoryPath { get; init; } = "/";
        public string Tags { get; init; } = "[]";
        public int? SortOrder { get; init; }
        public bool IsNew { get; init; }
        public bool IsHot { get; init; }
    }

    /// <summary>
    /// <see cref="Assortment.VisibleTo"/> evaluated in memory, with the same rules: a customer deny hides; a customer
    /// allow shows; otherwise a group deny hides, and a group that has allow rules sees only what they allow.
    /// (Ordering still checks the SQL form inside its transaction; a test keeps the two in agreement.)
    /// </summary>
    private readonly struct AssortmentView(RuleRow[] customerRules, RuleRow[] groupRules)
    {
        public bool Visible(ProductEntry p)
        {
            if (customerRules.Length == 0 && groupRules.Length == 0) return true;
            if (Any(customerRules, AssortmentEffect.Deny, p)) return false;
            if (Any(customerRules, AssortmentEffect.Allow, p)) return true;
            if (Any(groupRules, AssortmentEffect.Deny, p)) return false;
            return !groupRules.Any(r => r.Effect == AssortmentEffect.Allow) || Any(groupRules, AssortmentEffect.Allow, p);
        }

        private static bool Any(RuleRow[] rules, string effect, ProductEntry p)
        {
            foreach (var r in rules)
                if (r.Effect == effect && (r.ProductId == p.Id || (r.CategoryPath is not null && p.CategoryPath.StartsWith(r.CategoryPath, StringComparison.Ordinal))))
                    return true;
            return false;
        }
    }

    private sealed class RuleRow
    {
        public long? GroupId { get; init; }
        public long? CustomerId { get; init; }
        public long? ProductId { get; init; }
        public string? CategoryPath { get; init; }
        public string Effect { get; init; } = "";
    }

    /// <summary>One price-list row: <c>List</c> indexes the snapshot's list names (lists in id order).</summary>
    private readonly record struct GroupTier(long ProductId, int List, long MinQty, long PriceFen);

    private sealed class PromotionEntry
    {
        public long Id { get; init; }
        public string? Unit { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string Target { get; init; } = PromotionTarget.All;
        public long? TargetGroupId { get; init; }
        public long? TargetCustomerId { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
        public long? BuyQty { get; init; }
        public long? FreeQty { get; init; }
        public long? ThresholdFen { get; init; }
        public long? DiscountFen { get; init; }
        /// <summary>Product id → special price (null for kinds without one).</summary>
        public Dictionary<long, long?> Items { get; } = [];

        public bool LiveFor(CustomerContext c, long nowMs) =>
            PromotionTarget.Reaches(Target, TargetGroupId, TargetCustomerId, StartsAt, EndsAt, c.CustomerId, c.GroupId, nowMs);

        public CustomerPriceBook.PromoRow Row(long productId, long? specialPriceFen) => new()
        {
            ProductId = productId, PromotionId = Id, Kind = Kind, Name = Name, SpecialPriceFen = specialPriceFen, BuyQty = BuyQty, FreeQty = FreeQty,
            ThresholdFen = ThresholdFen, DiscountFen = DiscountFen, StartsAt = StartsAt, EndsAt = EndsAt, Unit = Unit,
        };
    }
}
