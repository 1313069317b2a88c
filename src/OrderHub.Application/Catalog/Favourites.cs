using Dapper;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;

namespace OrderHub.Application.Catalog;

/// <summary>
/// A store's favourites (收藏): products it marks to find again. Only what the store may see can be added (anything else
/// is "not found", as in the catalog), and the list shows each product as the catalog does, with today's prices and
/// stock, newest first; a favourite that has left the store's assortment or been discontinued is left out.
/// </summary>
public sealed class Favourites(Db db, CatalogService catalog, TimeProvider clock)
{
    /// <summary>False when the store cannot see the product. Adding twice keeps one favourite.</summary>
    public async Task<bool> AddAsync(CustomerContext customer, string sku, CancellationToken ct = default)
    {
        if (await catalog.GetAsync(customer, sku, ct) is not { } item) return false;
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO customer_favourites (customer_id, product_id, created_at) VALUES (@customerId, @productId, @now)
            ON CONFLICT (customer_id, product_id) DO NOTHING
            """, new { customerId = customer.CustomerId, productId = item.ProductId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return true;
    }

    /// <summary>Removes a favourite; removing one that is not there is not an error.</summary>
    public async Task RemoveAsync(CustomerContext customer, string sku, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            DELETE FROM customer_favourites WHERE customer_id = @customerId AND product_id IN (SELECT id FROM products WHERE sku = @sku)
            """, new { customerId = customer.CustomerId, sku }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<CatalogItem>> ListAsync(CustomerContext customer, CancellationToken ct = default)
    {
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
            ids = (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT product_id FROM customer_favourites WHERE customer_id = @customerId ORDER BY created_at DESC, product_id DESC LIMIT 500",
                new { customerId = customer.CustomerId }, cancellationToken: ct))).ToList();
        return await catalog.GetManyAsync(customer, ids, ct);
    }
}
