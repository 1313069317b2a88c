using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;

namespace OrderHub.Application.Ordering;

/// <summary>Whose cart: a customer user's own ('user'), or an agent's proxy cart for one of its stores ('agent').</summary>
public sealed record CartOwner(string Kind, long Id)
{
    public static CartOwner User(long customerUserId) => new("user", customerUserId);
    public static CartOwner Agent(long agentId) => new("agent", agentId);
}

public sealed record UnavailableItem(string Sku, string Name, string Reason);

/// <summary>The cart priced now, with 买赠 gifts, 满减 discount, and what can no longer be bought.</summary>
public sealed record CartView(Quote Quote, IReadOnlyList<UnavailableItem> Unavailable);

public sealed class CartService(Db db, OrderQuoter quoter, TimeProvider clock)
{
    private const int MaxLines = 200;

    public async Task<CartView> GetAsync(CartOwner owner, CustomerContext customer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var items = (await c.QueryAsync<WantedLine>(
            "SELECT product_id AS ProductId, quantity AS BaseQuantity, unit AS Unit FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId ORDER BY added_at, product_id",
            new { owner.Kind, owner.Id, customerId = customer.CustomerId })).ToList();
        var quote = await quoter.QuoteAsync(c, customer, items, clock.GetUtcNow().ToUnixTimeMilliseconds());
        var unavailable = quote.UnavailableProductIds.Count == 0 ? [] : (await c.QueryAsync<(string Sku, string Name)>(
                $"SELECT sku, name FROM products WHERE {db.Dialect.InList("id", "ids")} ORDER BY sku", new { ids = quote.UnavailableProductIds.ToArray() }))
            .Select(p => new UnavailableItem(p.Sku, p.Name, "商品已下架或不在您的可订范围 / no longer available")).ToList();
        return new CartView(quote, unavailable);
    }

    /// <summary>
    /// Adds to the quantity already in the cart, counted in <paramref name="unit"/> (null = the base unit); the line is then
    /// shown in that unit (or in the base unit when the total is not whole units). The result must respect pack size and MOQ.
    /// <paramref name="shareCode"/> is kept with the item while <paramref name="shareAgentId"/> credits it (chat cards, issue #20).
    /// </summary>
    public Task AddAsync(CartOwner owner, CustomerContext customer, string sku, long quantity, long? shareAgentId = null, CancellationToken ct = default,
        string? unit = null, string? shareCode = null) =>
        ChangeAsync(owner, customer, sku, quantity, add: true, shareAgentId, unit, ct, shareCode);

    /// <summary>Sets the quantity of an item in <paramref name="unit"/> (null = the base unit), creating the line if needed.</summary>
    public Task SetAsync(CartOwner owner, CustomerContext customer, string sku, long quantity, CancellationToken ct = default, string? unit = null) =>
        ChangeAsync(owner, customer, sku, quantity, add: false, null, unit, ct, null);

    public async Task<bool> RemoveAsync(CartOwner owner, CustomerContext customer, string sku, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("""
            DELETE FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId
              AND product_id = (SELECT id FROM products WHERE sku = @sku)
            """, new { owner.Kind, owner.Id, customerId = customer.CustomerId, sku }) > 0;
    }

    public async Task ClearAsync(CartOwner owner, CustomerContext customer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId",
            new { owner.Kind, owner.Id, customerId = customer.CustomerId });
    }

    private async Task ChangeAsync(CartOwner owner, CustomerContext customer, string sku, long quantity, bool add, long? shareAgentId, string? unitName, CancellationToken ct, string? shareCode)
    {
        if (quantity <= 0) throw AppProblem.BadRequest($"{sku} 的数量必须大于 0", $"Quantity of {sku} must be greater than 0");
        if (quantity > QuantityRules.MaxPerLine)
            throw AppProblem.BadRequest($"{sku} 的数量过大", $"The quantity of {sku} is too large", new Dictionary<string, object?> { ["sku"] = sku });
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var p = await c.QuerySingleOrDefaultAsync<(long Id, int PackSize, int MinOrderQty, string Unit)?>(
            $"SELECT p.id, p.pack_size, p.min_order_qty, p.unit FROM products p WHERE p.sku = @sku AND {Assortment.VisibleTo}",
            new { sku, customerId = customer.CustomerId, groupId = customer.GroupId }, tx)
            ?? throw AppProblem.NotFound($"商品 {sku} 不存在", $"Product {sku} not found");
        var units = (await ProductUnits.LoadAsync(c, db.Dialect, [(p.Id, p.Unit)], tx))[p.Id];
        var chosen = UnitConversion.Find(units, unitName)
            ?? throw AppProblem.BadRequest($"{sku} 没有单位 {unitName}，可选：{string.Join("、", units.Select(u => u.Name))}",
                $"{sku} has no unit {unitName}; its units are {string.Join(", ", units.Select(u => u.Name))}",
                new Dictionary<string, object?> { ["sku"] = sku, ["unit"] = unitName });
        var key = new { owner.Kind, owner.Id, customerId = customer.CustomerId, productId = p.Id };
        var existing = await c.ExecuteScalarAsync<long?>(
            "SELECT quantity FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId AND product_id = @productId", key, tx);
        var targetBase = add ? (existing ?? 0) + UnitConversion.ToBase(quantity, chosen) : UnitConversion.ToBase(quantity, chosen);
        // Pack size and MOQ speak in the unit the line is shown in.
        var (shown, shownQty) = UnitConversion.Shown(targetBase, chosen, units[0]);
        var (pack, moq) = (UnitConversion.PackSizeIn(p.PackSize, shown), UnitConversion.MinOrderQtyIn(p.MinOrderQty, shown));
        var problem = QuantityRules.Check(shownQty, pack, moq);
        if (problem != QuantityProblem.None)
        {
            var unitText = shown.IsBase ? null : shown.Name;
            var (zh, en) = QuantityRules.Message(problem, sku, pack, moq, unitText);
            throw AppProblem.BadRequest(zh, en, new Dictionary<string, object?> { ["sku"] = sku, ["packSize"] = pack, ["minOrderQty"] = moq, ["unit"] = shown.Name });
        }
        if (existing is null && await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId", key, tx) >= MaxLines)
            throw AppProblem.BadRequest($"购物车最多 {MaxLines} 种商品", $"A cart holds at most {MaxLines} items");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await c.ExecuteAsync("""
            INSERT INTO cart_items (owner_kind, owner_id, customer_id, product_id, quantity, unit, share_agent_id, share_code, added_at, updated_at)
            VALUES (@Kind, @Id, @customerId, @productId, @targetBase, @unit, @shareAgentId, @shareCode, @now, @now)
            ON CONFLICT (owner_kind, owner_id, customer_id, product_id)
            DO UPDATE SET quantity = excluded.quantity, unit = excluded.unit, updated_at = excluded.updated_at,
                          share_agent_id = COALESCE(excluded.share_agent_id, cart_items.share_agent_id),
                          share_code = CASE WHEN excluded.share_agent_id IS NULL THEN cart_items.share_code ELSE excluded.share_code END
            """, new { owner.Kind, owner.Id, customerId = customer.CustomerId, productId = p.Id, targetBase, unit = chosen.IsBase ? null : chosen.Name, shareAgentId, shareCode = shareAgentId is null ? null : shareCode, now }, tx);
        await tx.CommitAsync(ct);
    }
}
