using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.CatalogAdmin;

public sealed class AdminProductRow
{
    public long Id { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long PackSize { get; init; }
    public long MinOrderQty { get; init; }
    public string? Brand { get; init; }
    public string? Barcode { get; init; }
    public string? CategoryName { get; init; }
    public long BasePriceFen { get; init; }
    public bool Active { get; init; }
    public long OnHand { get; init; }
    public long Reserved { get; init; }
    /// <summary>The image staff uploaded (<see cref="ProductImages"/>): its stored file and thumbnail names.</summary>
    public string? ImageFile { get; init; }
    public string? ImageThumb { get; init; }
}

public sealed class AdminStockRow
{
    public long ProductId { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long PackSize { get; init; }
    public long WarehouseId { get; init; }
    public string WarehouseName { get; init; } = "";
    public long OnHand { get; init; }
    public long Reserved { get; init; }
    public long UpdatedAtMs { get; init; }
}

public sealed class NamedRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed class CategoryRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long? ParentId { get; init; }
    public string Path { get; init; } = "";
}

/// <summary>Products and stock as the back office sees them (every product, every warehouse), and the lookups the catalog pages need.</summary>
public sealed class ProductAdmin(Db db)
{
    internal static string? Like(string? q) =>
        SqlText.Contains(q);

    /// <summary>Keyset paging by SKU.</summary>
    public async Task<(IReadOnlyList<AdminProductRow> Items, string? Next)> ListAsync(string? q, long? categoryId, string? after, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var path = categoryId is { } cid ? await c.ExecuteScalarAsync<string?>("SELECT path FROM categories WHERE id = @cid", new { cid }) : null;
        if (categoryId is not null && path is null) return ([], null);
        var rows = (await c.QueryAsync<AdminProductRow>("""
            SELECT p.id AS Id, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize, p.min_order_qty AS MinOrderQty,
                   p.brand AS Brand, p.barcode AS Barcode, cat.name AS CategoryName, p.base_price_fen AS BasePriceFen, p.active AS Active,
                   COALESCE((SELECT SUM(s.on_hand) FROM stock s WHERE s.product_id = p.id), 0) AS OnHand,
                   COALESCE((SELECT SUM(s.reserved) FROM stock s WHERE s.product_id = p.id), 0) AS Reserved,
                   m.file_name AS ImageFile, m.thumb_name AS ImageThumb
            FROM products p LEFT JOIN categories cat ON cat.id = p.category_id LEFT JOIN media m ON m.id = p.image_id
            WHERE (@q IS NULL OR p.search_text LIKE @q ESCAPE '\' OR LOWER(p.sku) LIKE @q ESCAPE '\')
              AND (@path IS NULL OR p.category_path LIKE @path || '%')
              AND (@after IS NULL OR p.sku > @after)
            ORDER BY p.sku LIMIT @take
            """, new { q = Like(q), path, after, take = limit + 1 })).AsList();
        var next = rows.Count > limit ? rows[limit - 1].Sku : null;
        return (rows.Take(limit).ToList(), next);
    }

    public async Task<(IReadOnlyList<AdminStockRow> Items, string? Next)> StockAsync(string? q, long? warehouseId, bool lowOnly, string? after, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // "Low": less than two packs available.
        var rows = (await c.QueryAsync<AdminStockRow>("""
            SELECT p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize,
                   w.id AS WarehouseId, w.name AS WarehouseName, s.on_hand AS OnHand, s.reserved AS Reserved, s.updated_at AS UpdatedAtMs
            FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
            WHERE (@q IS NULL OR p.search_text LIKE @q ESCAPE '\' OR LOWER(p.sku) LIKE @q ESCAPE '\')
              AND (@warehouseId IS NULL OR s.warehouse_id = @warehouseId)
              AND (@lowOnly = FALSE OR s.on_hand - s.reserved < 2 * p.pack_size)
              AND (@after IS NULL OR p.sku > @after)
            ORDER BY p.sku, w.id LIMIT @take
            """, new { q = Like(q), warehouseId, lowOnly, after, take = limit + 1 })).AsList();
        // Page on whole products so one product's warehouses stay together.
        if (rows.Count <= limit) return (rows, null);
        var cut = rows[limit].Sku;
        var page = rows.Take(limit).Where(r => r.Sku != cut).ToList();
        if (page.Count == 0) page = rows.Take(limit).ToList();
        return (page, page[^1].Sku);
    }

    public async Task<IReadOnlyList<NamedRow>> WarehousesAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<NamedRow>("SELECT id AS Id, code AS Code, name AS Name FROM warehouses ORDER BY id")).AsList();
    }

    public async Task<IReadOnlyList<NamedRow>> GroupsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<NamedRow>("SELECT id AS Id, code AS Code, name AS Name FROM customer_groups ORDER BY sort_order, id")).AsList();
    }

    public async Task<IReadOnlyList<CategoryRow>> CategoriesAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CategoryRow>(
            "SELECT id AS Id, code AS Code, name AS Name, parent_id AS ParentId, path AS Path FROM categories ORDER BY path, sort_order")).AsList();
    }
}
