using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.CatalogAdmin;

public sealed class PriceListRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long? GroupId { get; init; }
    public string? GroupName { get; init; }
    public bool Active { get; init; }
    public long Items { get; init; }
}

public sealed class PriceListItemRow
{
    public long ProductId { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long BasePriceFen { get; init; }
    public long MinQty { get; init; }
    public long PriceFen { get; init; }
    public long UpdatedAtMs { get; init; }
}

/// <summary>Group price lists (价目表) with quantity tiers: list, read items, set or remove one tier.</summary>
public sealed class PriceListAdmin(Db db, TimeProvider clock)
{
    public async Task<IReadOnlyList<PriceListRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PriceListRow>("""
            SELECT l.id AS Id, l.code AS Code, l.name AS Name, l.customer_group_id AS GroupId, g.name AS GroupName, l.active AS Active,
                   (SELECT COUNT(*) FROM price_list_items i WHERE i.price_list_id = l.id) AS Items
            FROM price_lists l LEFT JOIN customer_groups g ON g.id = l.customer_group_id ORDER BY l.code
            """)).AsList();
    }

    public async Task<IReadOnlyList<PriceListItemRow>?> ItemsAsync(long listId, string? q, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM price_lists WHERE id = @listId", new { listId }) == 0) return null;
        return (await c.QueryAsync<PriceListItemRow>("""
            SELECT p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.base_price_fen AS BasePriceFen,
                   i.min_qty AS MinQty, i.price_fen AS PriceFen, i.updated_at AS UpdatedAtMs
            FROM price_list_items i JOIN products p ON p.id = i.product_id
            WHERE i.price_list_id = @listId AND (@q IS NULL OR p.search_text LIKE @q ESCAPE '\' OR LOWER(p.sku) LIKE @q ESCAPE '\')
            ORDER BY p.sku, i.min_qty LIMIT @limit
            """, new { listId, q = ProductAdmin.Like(q), limit = Math.Clamp(limit, 1, 500) })).AsList();
    }

    /// <summary>Sets the price of one tier (product, from quantity), adding the tier if it is new.</summary>
    public async Task SetItemAsync(long listId, string sku, long minQty, long priceFen, CancellationToken ct = default)
    {
        if (minQty < 1) throw AppProblem.BadRequest("起订数量至少为 1", "minQty must be at least 1");
        if (priceFen <= 0) throw AppProblem.BadRequest("价格必须大于 0", "The price must be above zero");
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM price_lists WHERE id = @listId", new { listId }, tx) == 0)
            throw AppProblem.NotFound("价目表不存在", "No such price list");
        var productId = await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku", new { sku = sku.Trim() }, tx)
            ?? throw AppProblem.BadRequest($"商品 {sku} 不存在", $"No product {sku}");
        await c.ExecuteAsync("""
            INSERT INTO price_list_items (price_list_id, product_id, min_qty, price_fen, updated_at) VALUES (@listId, @productId, @minQty, @priceFen, @now)
            ON CONFLICT (price_list_id, product_id, min_qty) DO UPDATE SET price_fen = excluded.price_fen, updated_at = excluded.updated_at
            """, new { listId, productId, minQty, priceFen, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
    }

    public async Task<bool> RemoveItemAsync(long listId, string sku, long minQty, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var removed = await c.ExecuteAsync("""
            DELETE FROM price_list_items WHERE price_list_id = @listId AND min_qty = @minQty
              AND product_id = (SELECT id FROM products WHERE sku = @sku)
            """, new { listId, sku, minQty }, tx) == 1;
        if (removed) await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        return removed;
    }
}
