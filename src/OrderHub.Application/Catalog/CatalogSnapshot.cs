using OrderHub.Domain.Catalog;
using System.Data.Common;
using Dapper;
using OrderHub.Application.Customers;
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

    private CatalogSnapshot(long version, ProductEntry[] bySku, Dictionary<long, string> categoryPaths, RuleRow[] rules,
        Dictionary<long, GroupTier[]> groupTiers, string[] listNames, PromotionEntry[] promotions)
    {
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

    /// <summary>
    /// Reads the snapshot. The version is read first: a change committed meanwhile only makes it look older, never newer.
    /// Repeated strings (category paths, brands, list names) are shared, and price-list rows are kept as structs: at the
    /// large benchmark size (100k products, 340k price-list rows) this keeps the snapshot to tens of megabytes.
    /// </summary>
    public static async Task<CatalogSnapshot> LoadAsync(DbConnection c, CancellationToken ct = default)
    {
        var version = await c.ExecuteScalarAsync<long>(new CommandDefinition(CatalogVersion.Select, cancellationToken: ct));
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        string Shared(string s) => pool.TryGetValue(s, out var x) ? x : pool[s] = s;
        var products = (await c.QueryAsync<(long Id, string Sku, string CategoryPath, string? Brand, string SearchText)>(new CommandDefinition(
            "SELECT id, sku, category_path, brand, search_text FROM products WHERE active = TRUE", cancellationToken: ct)))
            .Select(r => new ProductEntry { Id = r.Id, Sku = r.Sku, CategoryPath = Shared(r.CategoryPath), Brand = r.Brand is null ? null : Shared(r.Brand), SearchText = r.SearchText })
            .ToArray();
        Array.Sort(products, (a, b) => string.CompareOrdinal(a.Sku, b.Sku));
        var categories = (await c.QueryAsync<(long Id, string Path)>(new CommandDefinition("SELECT id, path FROM categories", cancellationToken: ct)))
            .ToDictionary(x => x.Id, x => x.Path);
        var rules = (await c.QueryAsync<RuleRow>(new CommandDefinition("""
            SELECT customer_group_id AS GroupId, customer_id AS CustomerId, product_id AS ProductId, category_path AS CategoryPath, effect AS Effect
            FROM assortment_rules
            """, cancellationToken: ct))).ToArray();
        var lists = (await c.QueryAsync<(long Id, long GroupId, string Name)>(new CommandDefinition(
            "SELECT id, customer_group_id, name FROM price_lists WHERE active = TRUE AND customer_group_id IS NOT NULL ORDER BY id", cancellationToken: ct))).ToList();
        var listIndex = lists.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var rowsByGroup = lists.Select(l => l.GroupId).Distinct().ToDictionary(g => g, _ => new List<GroupTier>());
        foreach (var (listId, productId, minQty, priceFen) in await c.QueryAsync<(long, long, long, long)>(new CommandDefinition("""
            SELECT i.price_list_id, i.product_id, i.min_qty, i.price_fen
            FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id
            WHERE l.active = TRUE AND l.customer_group_id IS NOT NULL
            """, cancellationToken: ct)))
        {
            var index = listIndex[listId];
            rowsByGroup[lists[index].GroupId].Add(new GroupTier(productId, index, minQty, priceFen));
        }
        var groupTiers = rowsByGroup.ToDictionary(kv => kv.Key, kv =>
        {
            var rows = kv.Value.ToArray();
            Array.Sort(rows, (a, b) => a.ProductId != b.ProductId ? a.ProductId.CompareTo(b.ProductId)
                : a.List != b.List ? a.List.CompareTo(b.List) : a.MinQty.CompareTo(b.MinQty));
            return rows;
        });
        var promotions = (await c.QueryAsync<PromotionEntry>(new CommandDefinition("""
            SELECT id AS Id, kind AS Kind, name AS Name, target AS Target, target_group_id AS TargetGroupId, target_customer_id AS TargetCustomerId,
                   starts_at AS StartsAt, ends_at AS EndsAt, buy_qty AS BuyQty, free_qty AS FreeQty, threshold_fen AS ThresholdFen, discount_fen AS DiscountFen
            FROM promotions WHERE active = TRUE
            """, cancellationToken: ct))).ToDictionary(p => p.Id);
        foreach (var (promotionId, productId, special) in await c.QueryAsync<(long, long, long?)>(new CommandDefinition(
                     "SELECT i.promotion_id, i.product_id, i.special_price_fen FROM promotion_items i JOIN promotions p ON p.id = i.promotion_id WHERE p.active = TRUE",
                     cancellationToken: ct)))
            promotions[promotionId].Items[productId] = special;
        return new CatalogSnapshot(version, products, categories, rules, groupTiers, lists.Select(l => l.Name).ToArray(), promotions.Values.OrderBy(p => p.Id).ToArray());
    }

    /// <summary>
    /// The next products of a list as this customer's assortment allows, in SKU order after <see cref="CatalogFilter.After"/>,
    /// at most <paramref name="take"/>. Null when the category filter names no category.
    /// </summary>
    public List<ProductEntry>? Select(CustomerContext customer, CatalogFilter filter, int take)
    {
        string? categoryPath = null;
        if (filter.CategoryId is { } categoryId && !_categoryPaths.TryGetValue(categoryId, out categoryPath)) return null;
        var search = string.IsNullOrWhiteSpace(filter.Search) ? null : filter.Search.Trim().ToLowerInvariant();
        var brand = string.IsNullOrWhiteSpace(filter.Brand) ? null : filter.Brand.Trim();
        var view = ViewFor(customer);
        var result = new List<ProductEntry>(Math.Min(take, 128));
        for (var i = string.IsNullOrEmpty(filter.After) ? 0 : FirstAfter(filter.After); i < _bySku.Length && result.Count < take; i++)
        {
            var p = _bySku[i];
            if (categoryPath is not null && !p.CategoryPath.StartsWith(categoryPath, StringComparison.Ordinal)) continue;
            if (brand is not null && p.Brand != brand) continue;
            if (search is not null && !p.SearchText.Contains(search, StringComparison.Ordinal)) continue;
            if (view.Visible(p)) result.Add(p);
        }
        return result;
    }

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
        var live = _promotions.Where(p => p.LiveFor(customer, nowMs)).ToArray();
        var storeWide = live.Where(p => p.Kind == PromotionKind.SpendSave && p.Items.Count == 0).Select(p => p.Row(0, null)).ToList();
        return (
            id => tiers is null ? [] : TiersOf(tiers, id),
            id => live.Where(p => p.Items.ContainsKey(id)).Select(p => p.Row(id, p.Items[id])),
            storeWide);
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
    private List<CustomerPriceBook.TierRow> TiersOf(GroupTier[] rows, long productId)
    {
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (rows[mid].ProductId < productId) lo = mid + 1; else hi = mid;
        }
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
        public string CategoryPath { get; init; } = "/";
        public string? Brand { get; init; }
        public string SearchText { get; init; } = "";
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
            ThresholdFen = ThresholdFen, DiscountFen = DiscountFen, StartsAt = StartsAt, EndsAt = EndsAt,
        };
    }
}
