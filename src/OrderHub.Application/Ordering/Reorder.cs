using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;

namespace OrderHub.Application.Ordering;

public sealed record ReorderedItem(string Sku, string Name, long Quantity, long OldUnitPriceFen, long NewUnitPriceFen)
{
    public bool PriceChanged => OldUnitPriceFen != NewUnitPriceFen;
}

public sealed record ReorderResult(IReadOnlyList<ReorderedItem> Added, IReadOnlyList<UnavailableItem> Dropped, IReadOnlyList<ReorderedItem> QuantityAdjusted);

/// <summary>
/// "再来一单": copies a past order's lines into the cart at today's prices. Items no longer in the store's assortment
/// (discontinued, denied) are dropped and reported; a quantity that no longer fits a changed pack size or MOQ is rounded up and reported.
/// </summary>
public sealed class Reorder(Db db, OrderQuoter quoter, TimeProvider clock)
{
    /// <summary>The pricer the copied lines go through (order templates price a saved cart with it too).</summary>
    public OrderQuoter Quoter => quoter;

    public async Task<ReorderResult> CopyToCartAsync(CartOwner owner, CustomerContext customer, string orderNo, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var orderId = await c.ExecuteScalarAsync<long?>("SELECT id FROM orders WHERE order_no = @orderNo AND customer_id = @customerId",
            new { orderNo, customerId = customer.CustomerId }, tx) ?? throw AppProblem.NotFound("订单不存在", "Order not found");
        var old = (await c.QueryAsync<PastLine>(
            "SELECT product_id AS ProductId, sku AS Sku, name AS Name, quantity AS Quantity, unit_price_fen AS UnitPriceFen, order_unit AS Unit FROM order_lines WHERE order_id = @orderId AND is_gift = FALSE ORDER BY line_no",
            new { orderId }, tx)).ToList();
        var result = await CopyLinesAsync(c, tx, owner, customer, old, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>A line to copy: what was ordered (or saved in a template) and at what price then.</summary>
    /// <param name="Quantity">In base units.</param>
    /// <param name="Unit">The unit the line was ordered (or saved) in; null = the base unit.</param>
    public sealed record PastLine(long ProductId, string Sku, string Name, long Quantity, long UnitPriceFen, string? Unit = null);

    /// <summary>
    /// The one path that puts past lines (an order's, an order template's) into a cart at today's prices, in the caller's
    /// transaction: drops what the store may no longer buy, rounds quantities to the pack size and MOQ, reports both.
    /// Each line keeps the unit it was ordered in (2 箱 comes back as 2 箱) while the product still has that unit and the
    /// quantity is whole units of it; otherwise it is shown in the base unit.
    /// </summary>
    public async Task<ReorderResult> CopyLinesAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, CartOwner owner, CustomerContext customer,
        IReadOnlyList<PastLine> old, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var quote = await quoter.QuoteAsync(c, customer, old.Select(l => (l.ProductId, l.Quantity)).ToList(), now, tx);
        var byProduct = quote.PaidLines.ToDictionary(l => l.ProductId);
        var baseUnits = (await c.QueryAsync<(long Id, string Unit)>($"SELECT id, unit FROM products WHERE {db.Dialect.InList("id", "ids")}",
            new { ids = old.Select(l => l.ProductId).Distinct().ToArray() }, tx)).ToList();
        var units = await Catalog.ProductUnits.LoadAsync(c, db.Dialect, baseUnits, tx);

        var added = new List<ReorderedItem>();
        var adjusted = new List<ReorderedItem>();
        var dropped = new List<UnavailableItem>();
        foreach (var line in old)
        {
            if (!byProduct.TryGetValue(line.ProductId, out var q))
            {
                dropped.Add(new UnavailableItem(line.Sku, line.Name, "商品已下架或不在您的可订范围 / no longer available"));
                continue;
            }
            var qty = q.Problem == QuantityProblem.None ? line.Quantity : QuantityRules.RoundUp(line.Quantity, q.PackSize, q.MinOrderQty);
            if (QuantityRules.Check(qty, q.PackSize, q.MinOrderQty) != QuantityProblem.None)
            {
                dropped.Add(new UnavailableItem(line.Sku, line.Name, "数量无法满足箱规或起订量 / quantity cannot meet pack size or MOQ"));
                continue;
            }
            var newPrice = qty == line.Quantity ? q.Price.UnitPriceFen : (await quoter.QuoteAsync(c, customer, [(line.ProductId, qty)], now, tx)).Lines[0].Price.UnitPriceFen;
            var item = new ReorderedItem(line.Sku, line.Name, qty, line.UnitPriceFen, newPrice);
            (qty == line.Quantity ? added : adjusted).Add(item);
            var unit = units.TryGetValue(line.ProductId, out var its) && UnitConversion.Find(its, line.Unit) is { IsBase: false } chosen
                       && qty % chosen.Factor == 0 ? chosen.Name : null;
            await c.ExecuteAsync("""
                INSERT INTO cart_items (owner_kind, owner_id, customer_id, product_id, quantity, unit, added_at, updated_at)
                VALUES (@Kind, @Id, @customerId, @productId, @qty, @unit, @now, @now)
                ON CONFLICT (owner_kind, owner_id, customer_id, product_id)
                DO UPDATE SET quantity = cart_items.quantity + excluded.quantity, unit = excluded.unit, updated_at = excluded.updated_at
                """, new { owner.Kind, owner.Id, customerId = customer.CustomerId, productId = line.ProductId, qty, unit, now }, tx);
        }
        return new ReorderResult(added, dropped, adjusted);
    }
}
