using System.Text;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Pricing;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Stock;

namespace OrderHub.Application.Catalog;

/// <summary>The catalog as one customer sees it: only its assortment, its prices and their sources, its warehouse's stock.</summary>
public sealed class CatalogService(Db db, PriceResolver resolver, CatalogOptions options, TimeProvider clock)
{
    private const string Columns = """
        p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize,
        p.min_order_qty AS MinOrderQty, p.barcode AS Barcode, p.brand AS Brand, p.category_id AS CategoryId,
        p.image_urls AS ImageUrls, p.description AS Description, p.base_price_fen AS BasePriceFen,
        COALESCE(s.on_hand, 0) AS OnHand, COALESCE(s.reserved, 0) AS Reserved
        FROM products p LEFT JOIN stock s ON s.product_id = p.id AND s.warehouse_id = @warehouseId
        """;

    public async Task<CatalogPage> ListAsync(CustomerContext customer, CatalogFilter filter, CancellationToken ct = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} WHERE {Assortment.VisibleTo}");
        var args = new DynamicParameters(new { customerId = customer.CustomerId, groupId = customer.GroupId, warehouseId = customer.WarehouseId });
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            sql.Append(@" AND p.search_text LIKE @search ESCAPE '\'");
            args.Add("search", "%" + EscapeLike(filter.Search.Trim().ToLowerInvariant()) + "%");
        }
        await using var c = await db.OpenAsync(ct);
        if (filter.CategoryId is { } categoryId)
        {
            var path = await c.QuerySingleOrDefaultAsync<string>("SELECT path FROM categories WHERE id = @categoryId", new { categoryId });
            if (path is null) return new CatalogPage([], null);
            sql.Append(" AND p.category_path LIKE @categoryPath");
            args.Add("categoryPath", path + "%");
        }
        if (!string.IsNullOrWhiteSpace(filter.Brand)) { sql.Append(" AND p.brand = @brand"); args.Add("brand", filter.Brand.Trim()); }
        if (!string.IsNullOrEmpty(filter.After)) { sql.Append(" AND p.sku > @after"); args.Add("after", filter.After); }
        sql.Append(" ORDER BY p.sku LIMIT @limit");
        args.Add("limit", filter.Limit + 1);

        var rows = (await c.QueryAsync<ProductRow>(sql.ToString(), args)).ToList();
        var more = rows.Count > filter.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var items = await PriceAsync(c, customer, rows);
        return new CatalogPage(items, more ? rows[^1].Sku : null);
    }

    /// <summary>One product by SKU, or null when it is unknown or outside this customer's assortment (callers answer 404 either way).</summary>
    public async Task<CatalogItem?> GetAsync(CustomerContext customer, string sku, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ProductRow>(
            $"SELECT {Columns} WHERE p.sku = @sku AND {Assortment.VisibleTo}",
            new { sku, customerId = customer.CustomerId, groupId = customer.GroupId, warehouseId = customer.WarehouseId });
        if (row is null) return null;
        return (await PriceAsync(c, customer, [row]))[0];
    }

    /// <summary>Several products by id as this customer sees them (those outside its assortment are left out), in the given order.</summary>
    public async Task<IReadOnlyList<CatalogItem>> GetManyAsync(CustomerContext customer, IReadOnlyList<long> productIds, CancellationToken ct = default)
    {
        if (productIds.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<ProductRow>(
            $"SELECT {Columns} WHERE {db.Dialect.InList("p.id", "ids")} AND {Assortment.VisibleTo}",
            new { ids = productIds.ToArray(), customerId = customer.CustomerId, groupId = customer.GroupId, warehouseId = customer.WarehouseId })).ToList();
        var order = productIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return await PriceAsync(c, customer, rows.OrderBy(r => order[r.ProductId]).ToList());
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

    private async Task<List<CatalogItem>> PriceAsync(System.Data.Common.DbConnection c, CustomerContext customer, List<ProductRow> rows)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var book = await CustomerPriceBook.LoadAsync(c, db.Dialect, customer, rows.Select(r => (r.ProductId, r.BasePriceFen)).ToList(), now);
        var exact = string.Equals(options.StockDisplay, "Exact", StringComparison.OrdinalIgnoreCase);
        return rows.Select(r =>
        {
            var pricing = book[r.ProductId];
            var available = StockDisplay.Available(r.OnHand, r.Reserved);
            var level = StockDisplay.Level(available, r.PackSize, options.LowStockPacks);
            var tiers = pricing.Inputs.CustomerPrices.Count > 0 ? pricing.Inputs.CustomerPrices : pricing.Inputs.GroupTiers;
            var price = resolver.Resolve(pricing.Inputs, DisplayQuantity(r.PackSize, r.MinOrderQty), now);
            // A special price is shown as a badge only where it is the price charged; other kinds (买赠, 满减) always show.
            var badges = pricing.Badges.Where(b => b.Kind != "special_price" || b.PromotionId == price.PromotionId).ToList();
            return new CatalogItem(r.ProductId, r.Sku, r.Name, r.Spec, r.Unit, r.PackSize, r.MinOrderQty, r.Barcode, r.Brand, r.CategoryId,
                JsonSerializer.Deserialize<List<string>>(r.ImageUrls) ?? [],
                price, r.BasePriceFen, tiers.OrderBy(t => t.MinQty).ToList(), badges,
                new StockInfo(exact ? available : null, level.ToString(), StockDisplay.LevelText(level)),
                pricing.LastPaid, r.Description);
        }).ToList();
    }

    /// <summary>The smallest quantity a customer can order: the MOQ rounded up to whole packs.</summary>
    public static long DisplayQuantity(int packSize, int minOrderQty)
    {
        var pack = Math.Max(1, packSize);
        var min = Math.Max(pack, minOrderQty);
        return (min + pack - 1) / pack * pack;
    }

    private static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

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
        public string? Description { get; init; }
        public long BasePriceFen { get; init; }
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
