using OrderHub.Application.OrderFlow;
using OrderHub.Domain.Ordering;
using OrderHub.Application.Ordering;
using OrderHub.Application.Sync;
using OrderHub.Testing;
using OrderHub.Tests.Ordering;

namespace OrderHub.Tests.Units;

/// <summary>
/// Ordering in units (瓶 and 箱 = 24 瓶) on both databases, on one product added to the hand-computable catalog:
/// U-001 可乐, base unit 瓶, pack 6, MOQ 12, base price 3.46 (the ERP's 3.4567 rounded half-up), 箱 of 24 at the ERP's
/// case price 82.96 (3.4567 × 24 = 82.9608). C2 has no price of its own for it, so the base price applies.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class UnitOrderingTests(string kind)
{
    private OrderingWorld _w = null!;

    [SetUp]
    public async Task NewWorld()
    {
        _w = await OrderingWorld.CreateAsync(kind);
        var now = OrderingWorld.Start.ToUnixTimeMilliseconds();
        await _w.Exec("""
            INSERT INTO products (sku, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_id, category_path, base_price_fen, active, search_text, updated_at)
            SELECT 'U-001', '可乐', '330ml', '瓶', 6, 12, NULL, brand, category_id, category_path, 346, TRUE, 'u-001 可乐', updated_at FROM products WHERE sku = 'W-001'
            """);
        await _w.Exec("""
            INSERT INTO product_units (product_id, unit, factor, price_fen, erp_code, updated_at)
            SELECT id, '箱', 24, 8296, 'CASE24', @now FROM products WHERE sku = 'U-001'
            """, new { now });
        await _w.Exec("""
            INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at)
            SELECT p.id, w.id, 500, 0, @now FROM products p, warehouses w WHERE p.sku = 'U-001' AND w.code = 'W1'
            """, new { now });
    }

    private Task<(CartOwner Owner, Application.Customers.CustomerContext Customer, Application.Common.Actor Actor)> C2() => _w.StoreUser("C2");

    private async Task<SubmitResult> Submit(string customer = "C2")
    {
        var (owner, c, actor) = await _w.StoreUser(customer);
        return await _w.Placement.SubmitAsync(new SubmitOrder(owner, c, actor, null, await _w.AddressOf(c), null, Guid.NewGuid().ToString()));
    }

    [Test]
    public async Task A_store_orders_two_cases_at_the_case_price_and_stock_is_reserved_in_bottles()
    {
        var (owner, customer, _) = await C2();
        await _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱");
        var line = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That((line.Unit, line.Quantity, line.Price.UnitPriceFen, line.AmountFen), Is.EqualTo(("箱", 2L, 8296L, 16_592L)), "2 × 82.96");
            Assert.That((line.BaseUnit, line.BaseQuantity, line.UnitFactor), Is.EqualTo(("瓶", 48L, 24)));
            Assert.That((line.PackSize, line.MinOrderQty), Is.EqualTo((1, 1)), "pack 6 瓶 and MOQ 12 瓶 are both within one case");
            Assert.That(line.Units.Select(u => u.Name), Is.EqualTo(new[] { "瓶", "箱" }));
        });

        var result = await Submit();
        var order = (await _w.Queries.GetAsync(OrderScope.Any, result.OrderId, null))!;
        var ordered = order.Lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That((ordered.Unit, ordered.Quantity, ordered.UnitPriceFen, ordered.AmountFen), Is.EqualTo(("箱", 2L, 8296L, 16_592L)));
            Assert.That((ordered.BaseUnit, ordered.BaseQuantity, ordered.UnitFactor), Is.EqualTo(("瓶", 48L, 24)));
            Assert.That(order.Summary.TotalFen, Is.EqualTo(16_592));
        });
        Assert.That(await _w.Reserved("U-001"), Is.EqualTo(48), "stock and reservations count bottles");

        // The ERP gets the order in its own unit (the 箱's ERP code), at the case price.
        var erp = (await new ErpOrderBuilder(_w.Db).BuildAsync(result.OrderId, default))!.Order.Lines.Single();
        Assert.That((erp.ProductCode, erp.Quantity, erp.UnitPriceFen, erp.Unit), Is.EqualTo(("U-001", 2L, 8296L, "CASE24")));

        // Shipping lowers on-hand by 48 bottles and ends the reservation.
        foreach (var (role, action) in new[] { ("clerk", OrderAction.ApproveSales), ("finance", OrderAction.ApproveFinance), ("warehouse", OrderAction.Outbound), ("warehouse", OrderAction.Ship) })
            await _w.ActAs(role, result.OrderId, action);
        Assert.That((await _w.OnHand("U-001"), await _w.Reserved("U-001")), Is.EqualTo((452L, 0L)));
    }

    [Test]
    public async Task Without_an_erp_case_price_a_case_costs_the_bottle_price_times_24_and_agreed_prices_apply_per_case()
    {
        await _w.Exec("UPDATE product_units SET price_fen = NULL, erp_code = NULL");
        var (owner, customer, _) = await C2();
        await _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱");
        var line = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single();
        Assert.That((line.Price.UnitPriceFen, line.AmountFen), Is.EqualTo((8304L, 16_608L)), "3.46 × 24 = 83.04; × 2 = 166.08");

        // C1's agreed price 3.30 a bottle: a case is 79.20 whatever the case list price.
        await _w.Exec("UPDATE product_units SET price_fen = 8296");
        await _w.Exec("INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at) SELECT c.id, p.id, 'contract', 1, 330, 0 FROM customers c, products p WHERE c.code = 'C1' AND p.sku = 'U-001'");
        var (o1, c1, _) = await _w.StoreUser("C1");
        await _w.Carts.AddAsync(o1, c1, "U-001", 3, unit: "箱");
        var agreed = (await _w.Carts.GetAsync(o1, c1)).Quote.Lines.Single();
        Assert.That((agreed.Price.UnitPriceFen, agreed.Price.Source.ToString(), agreed.AmountFen), Is.EqualTo((7920L, "CustomerPrice", 23_760L)), "3.30 × 24 = 79.20; × 3 = 237.60");

        // Without its ERP code the case line reaches the ERP in bottles at the rounded bottle price: 79.20 / 24 = 3.30.
        await _w.Exec("UPDATE product_units SET erp_code = NULL");
        var result = await Submit("C1");
        var erp = (await new ErpOrderBuilder(_w.Db).BuildAsync(result.OrderId, default))!.Order.Lines.Single();
        Assert.That((erp.Quantity, erp.UnitPriceFen, erp.Unit), Is.EqualTo((72L, 330L, (string?)null)));
    }

    [Test]
    public async Task Pack_size_and_minimum_speak_in_the_unit_shown()
    {
        await _w.Exec("UPDATE products SET pack_size = 36, min_order_qty = 50 WHERE sku = 'U-001'");
        var (owner, customer, _) = await C2();
        // In cases: pack 36 瓶 → 3 箱 (72 瓶); MOQ 50 瓶 → 3 箱.
        var problem = await Refused.With(400, () => _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱"));
        Assert.That(problem.Zh, Does.Contain("3箱"));
        Assert.That(problem.En, Does.Contain("3 箱"));
        await _w.Carts.AddAsync(owner, customer, "U-001", 3, unit: "箱");
        var line = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single();
        Assert.That((line.Unit, line.Quantity, line.PackSize, line.MinOrderQty, line.BaseQuantity), Is.EqualTo(("箱", 3L, 3, 3, 72L)));

        // 36 more bottles make 108: not whole cases, so the line is shown in bottles (pack 36, MOQ 50 again).
        await _w.Carts.AddAsync(owner, customer, "U-001", 36);
        line = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single();
        Assert.That((line.Unit, line.Quantity, line.PackSize, line.MinOrderQty, line.AmountFen), Is.EqualTo(("瓶", 108L, 36, 50, 108L * 346)));

        await Refused.With(400, () => _w.Carts.SetAsync(owner, customer, "U-001", 1, unit: "托"));
    }

    [Test]
    public async Task Gifts_are_whole_units_of_the_rule()
    {
        var now = OrderingWorld.Start.ToUnixTimeMilliseconds();
        async Task Promo(string code, long buy, long free, string? unit)
        {
            await _w.Exec("""
                INSERT INTO promotions (code, name, kind, target, starts_at, ends_at, buy_qty, free_qty, active, created_at, unit)
                VALUES (@code, @code, 'buy_get', 'all', @from, @to, @buy, @free, TRUE, 0, @unit)
                """, new { code, from = now - 1000, to = now + 86_400_000, buy, free, unit });
            await _w.Exec("INSERT INTO promotion_items (promotion_id, product_id) SELECT pr.id, p.id FROM promotions pr, products p WHERE pr.code = @code AND p.sku = 'U-001'", new { code });
        }
        // 买12瓶赠1瓶 alone: 2 cases (48 bottles) give 4 loose bottles — a case is broken.
        await Promo("BOTTLES", 12, 1, null);
        var (owner, customer, _) = await C2();
        await _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱");
        var gift = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single(l => l.IsGift);
        Assert.That((gift.Unit, gift.Quantity, gift.BaseQuantity, gift.AmountFen), Is.EqualTo(("瓶", 4L, 4L, 0L)));

        // With 买2箱赠1箱 as well, 5 cases (120 bottles): the case rule gives 2 whole cases (48 bottles) against 10 bottles.
        await Promo("CASES", 2, 1, "箱");
        await _w.Carts.SetAsync(owner, customer, "U-001", 5, unit: "箱");
        gift = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single(l => l.IsGift);
        Assert.That((gift.Unit, gift.Quantity, gift.BaseQuantity), Is.EqualTo(("箱", 2L, 48L)));

        var result = await Submit();
        Assert.That(await _w.Reserved("U-001"), Is.EqualTo(168), "5 cases bought + 2 free = 7 × 24 bottles");
        var order = (await _w.Queries.GetAsync(OrderScope.Any, result.OrderId, null))!;
        Assert.That(order.Summary.TotalFen, Is.EqualTo(5 * 8296), "gifts cost nothing");
        var erp = (await new ErpOrderBuilder(_w.Db).BuildAsync(result.OrderId, default))!.Order.Lines;
        Assert.That(erp.Select(l => (l.Quantity, l.UnitPriceFen, l.Unit)), Is.EqualTo(new[] { (5L, 8296L, (string?)"CASE24"), (2L, 0L, "CASE24") }));
    }

    [Test]
    public async Task Short_stock_is_counted_in_bottles()
    {
        await _w.Exec("UPDATE stock SET on_hand = 47 WHERE product_id = (SELECT id FROM products WHERE sku = 'U-001')");
        var (owner, customer, _) = await C2();
        await _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱");
        var shortage = (await _w.Carts.GetAsync(owner, customer)).Quote.Shortages.Single();
        Assert.That((shortage.Requested, shortage.Available), Is.EqualTo((48L, 47L)));
        await Refused.With(409, () => Submit());
        Assert.That(await _w.Reserved("U-001"), Is.EqualTo(0));
    }

    [Test]
    public async Task Reorder_puts_a_case_line_back_in_cases_and_a_bottle_line_in_bottles()
    {
        // C2 orders 2 箱 of U-001 (82.96 each) and 12 瓶 of W-001; 再来一单 brings back 2 箱, not 48 瓶.
        var (owner, customer, _) = await C2();
        await _w.Carts.AddAsync(owner, customer, "U-001", 2, unit: "箱");
        await _w.Carts.AddAsync(owner, customer, "W-001", 24);
        var result = await Submit();
        var orderNo = await _w.Scalar<string>("SELECT order_no FROM orders WHERE id = @OrderId", result);
        Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines, Is.Empty, "placing the order emptied the cart");

        var copied = await _w.Reorder.CopyToCartAsync(owner, customer, orderNo);
        Assert.That(copied.Added.Select(a => (a.Sku, a.Quantity)), Is.EquivalentTo(new[] { ("U-001", 48L), ("W-001", 24L) }), "quantities in base units");
        var lines = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Where(l => !l.IsGift).ToDictionary(l => l.Sku);
        Assert.Multiple(() =>
        {
            Assert.That((lines["U-001"].Unit, lines["U-001"].Quantity, lines["U-001"].Price.UnitPriceFen, lines["U-001"].AmountFen),
                Is.EqualTo(("箱", 2L, 8296L, 16_592L)), "2 箱 at the case price again");
            Assert.That((lines["W-001"].Unit, lines["W-001"].Quantity), Is.EqualTo((lines["W-001"].BaseUnit, 24L)));
        });

        // A unit the product no longer has: the line comes back in bottles (48 瓶), at 3.46 each.
        await _w.Carts.RemoveAsync(owner, customer, "U-001");
        await _w.Carts.RemoveAsync(owner, customer, "W-001");
        await _w.Exec("DELETE FROM product_units");
        await _w.Reorder.CopyToCartAsync(owner, customer, orderNo);
        var bottles = (await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single(l => l.Sku == "U-001");
        Assert.That((bottles.Unit, bottles.Quantity, bottles.AmountFen), Is.EqualTo(("瓶", 48L, 48L * 346)));
    }
}
