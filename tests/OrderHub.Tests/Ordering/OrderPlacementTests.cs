using OrderHub.Application.Common;
using OrderHub.Application.Ordering;
using OrderHub.Testing;

namespace OrderHub.Tests.Ordering;

/// <summary>Carts and order submission on both databases: validation, server-side pricing, promotions, stock, idempotency.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class OrderPlacementTests(string kind)
{
    private OrderingWorld _w = null!;

    [SetUp] public async Task NewWorld() => _w = await OrderingWorld.CreateAsync(kind);

    [Test]
    public async Task Cart_quantities_must_respect_pack_size_and_minimum()
    {
        var (owner, customer, _) = await _w.StoreUser("C2");
        await Refused.With(400, () => _w.Carts.AddAsync(owner, customer, "W-002", 24));   // MOQ 48
        await Refused.With(400, () => _w.Carts.AddAsync(owner, customer, "W-002", 50));   // not a multiple of 24
        await Refused.With(400, () => _w.Carts.AddAsync(owner, customer, "W-002", 0));
        await Refused.With(400, () => _w.Carts.AddAsync(owner, customer, "W-002", -48));
        await _w.Carts.AddAsync(owner, customer, "W-002", 48);
        await _w.Carts.AddAsync(owner, customer, "W-002", 24);                            // 72 in all: fine
        var cart = await _w.Carts.GetAsync(owner, customer);
        Assert.That(cart.Quote.Lines.Single().Quantity, Is.EqualTo(72));
        await _w.Carts.SetAsync(owner, customer, "W-002", 96);
        Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single().Quantity, Is.EqualTo(96));
    }

    [Test]
    public async Task Items_outside_the_assortment_cannot_enter_the_cart()
    {
        var (owner, customer, _) = await _w.StoreUser("C3");
        await Refused.With(404, () => _w.Carts.AddAsync(owner, customer, "B-001", 12));
        await Refused.With(404, () => _w.Carts.AddAsync(owner, customer, "W-003", 24)); // inactive
        await Refused.With(404, () => _w.Carts.AddAsync(owner, customer, "NOPE", 24));
        Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines, Is.Empty);
    }

    [Test]
    public async Task The_server_prices_every_line_with_tiers_gifts_and_spend_discount()
    {
        var result = await _w.OrderAsync("C2", ("W-001", 240), ("B-002", 12));
        var order = (await _w.Queries.GetAsync(Application.OrderFlow.OrderScope.Any, result.OrderId, null))!;
        var water = order.Lines.Single(l => l.Sku == "W-001" && !l.IsGift);
        var gift = order.Lines.Single(l => l.Sku == "W-001" && l.IsGift);
        var baijiu = order.Lines.Single(l => l.Sku == "B-002");
        Assert.Multiple(() =>
        {
            Assert.That((water.UnitPriceFen, water.PriceSource), Is.EqualTo((170L, "group_price_list")), "240 reaches the 240 tier; the 1.75 promotion is dearer");
            Assert.That(water.AmountFen, Is.EqualTo(240 * 170));
            Assert.That((gift.Quantity, gift.UnitPriceFen), Is.EqualTo((24L, 0L)), "买10赠1 on 240 units");
            Assert.That((baijiu.UnitPriceFen, baijiu.PriceSource), Is.EqualTo((1200L, "promotion")));
            Assert.That(order.Summary.GoodsFen, Is.EqualTo(240 * 170 + 12 * 1200));
            Assert.That(order.Summary.DiscountFen, Is.EqualTo(3000), "满500减30");
            Assert.That(order.Summary.TotalFen, Is.EqualTo(240 * 170 + 12 * 1200 - 3000));
            Assert.That(order.Summary.Status, Is.EqualTo("pending_sales_review"));
            Assert.That(order.Timeline.Single().Action, Is.EqualTo("submit"));
        });
        Assert.That(await _w.Reserved("W-001"), Is.EqualTo(264), "gift units are reserved too");
        Assert.That(await _w.Reserved("B-002"), Is.EqualTo(12));
        var (owner, customer, _) = await _w.StoreUser("C2");
        Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines, Is.Empty, "the cart is emptied");
    }

    [Test]
    public async Task The_cart_shows_the_same_numbers_the_order_charges()
    {
        var (owner, customer, actor) = await _w.StoreUser("C2");
        await _w.Carts.AddAsync(owner, customer, "W-001", 240);
        await _w.Carts.AddAsync(owner, customer, "B-002", 12);
        var cart = await _w.Carts.GetAsync(owner, customer);
        var result = await _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, await _w.AddressOf(customer), null, "k"));
        var order = (await _w.Queries.GetAsync(Application.OrderFlow.OrderScope.Any, result.OrderId, null))!;
        Assert.That((cart.Quote.GoodsFen, cart.Quote.DiscountFen, cart.Quote.TotalFen),
            Is.EqualTo((order.Summary.GoodsFen, order.Summary.DiscountFen, order.Summary.TotalFen)));
    }

    [Test]
    public async Task A_retried_submit_with_the_same_key_returns_the_first_order()
    {
        var (owner, customer, actor) = await _w.StoreUser("C4");
        await _w.Carts.AddAsync(owner, customer, "B-002", 12);
        var address = await _w.AddressOf(customer);
        var first = await _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, "早上送", "key-1"));
        var again = await _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, "早上送", "key-1"));
        Assert.Multiple(async () =>
        {
            Assert.That(again.OrderId, Is.EqualTo(first.OrderId));
            Assert.That((first.Replayed, again.Replayed), Is.EqualTo((false, true)));
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM orders"), Is.EqualTo(1));
            Assert.That(await _w.Reserved("B-002"), Is.EqualTo(12), "reserved once");
        });
        Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, "改了备注", "key-1")));
    }

    [Test]
    public async Task Bad_submissions_are_refused_and_change_nothing()
    {
        var (owner, customer, actor) = await _w.StoreUser("C4");
        var address = await _w.AddressOf(customer);
        await Refused.With(400, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, null, "empty")));
        await _w.Carts.AddAsync(owner, customer, "B-002", 12);
        var otherAddress = await _w.AddressOf(await _w.Customer("C1"));
        await Refused.With(400, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, otherAddress, null, "foreign-address")));
        await Refused.With(400, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, 999_999, null, "unknown-address")));
        await Refused.With(400, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, new string('x', 501), "long-note")));
        // The pack size changes after the item went into the cart: the submit is refused, not rounded silently.
        await _w.Exec("UPDATE products SET pack_size = 24, min_order_qty = 24 WHERE sku = 'B-002'");
        await _w.Exec("UPDATE catalog_version SET version = version + 1");   // as every writer of the catalog does
        await Refused.With(400, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, null, "pack-changed")));
        Assert.Multiple(async () =>
        {
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM orders"), Is.Zero);
            Assert.That(await _w.Reserved("B-002"), Is.Zero);
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM idempotency_keys"), Is.Zero);
            Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines, Has.Count.EqualTo(1), "the cart is kept");
        });
    }

    [Test]
    public async Task Short_stock_is_refused_naming_the_items_unless_oversell_is_allowed()
    {
        var (owner, customer, actor) = await _w.StoreUser("C4");
        await _w.Carts.AddAsync(owner, customer, "B-002", 108);  // 100 on hand
        await _w.Carts.AddAsync(owner, customer, "B-001", 12);
        var address = await _w.AddressOf(customer);
        var problem = await Refused.With(409, () => _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, null, "short")));
        Assert.That(problem.Zh, Does.Contain("红星二锅头").And.Contain("B-002"));
        Assert.That(problem.Zh, Does.Not.Contain("B-001"));
        Assert.That(await _w.Reserved("B-001"), Is.Zero, "the whole order rolled back");

        _w.Options.AllowOversell = true;
        await _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, address, null, "oversell"));
        Assert.That(await _w.Reserved("B-002"), Is.EqualTo(108));
    }

    [Test]
    public async Task Concurrent_orders_for_the_last_units_never_oversell()
    {
        // 100 on hand = 8 orders of 12; 100 buyers at once, each with its own cart.
        var customer = await _w.Customer("C4");
        var productId = await _w.Scalar<long>("SELECT id FROM products WHERE sku = 'B-002'");
        for (var i = 0; i < 100; i++)
            await _w.Exec("INSERT INTO cart_items (owner_kind, owner_id, customer_id, product_id, quantity, added_at, updated_at) VALUES ('user', @owner, @CustomerId, @productId, 12, 0, 0)",
                new { owner = 10_000 + i, customer.CustomerId, productId });
        var address = await _w.AddressOf(customer);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                await _w.Placement.SubmitAsync(new SubmitOrder(CartOwner.User(10_000 + i), customer, new Actor("customer_user", 10_000 + i, "买家"), null, address, null, $"k{i}"));
                return "ok";
            }
            catch (AppProblem p) when (p.Status == 409) { return "short"; }
        }));
        Assert.Multiple(async () =>
        {
            Assert.That(outcomes.Count(o => o == "ok"), Is.EqualTo(8));
            Assert.That(outcomes.Count(o => o == "short"), Is.EqualTo(92));
            Assert.That(await _w.Reserved("B-002"), Is.EqualTo(96));
            Assert.That(await _w.OnHand("B-002"), Is.EqualTo(100));
            Assert.That(await _w.Scalar<long>("SELECT COALESCE(SUM(quantity), 0) FROM order_lines l JOIN products p ON p.id = l.product_id WHERE p.sku = 'B-002'"), Is.EqualTo(96));
        });
    }

    [Test]
    public async Task A_proxy_order_is_the_stores_order_and_its_users_are_notified()
    {
        var customer = await _w.Customer("C1");
        var agentId = await _w.Scalar<long>("SELECT id FROM agents WHERE code = 'AG1'");
        var owner = CartOwner.Agent(agentId);
        await _w.Carts.AddAsync(owner, customer, "W-001", 48);
        var result = await _w.Placement.SubmitAsync(new SubmitOrder(owner, customer, new Actor("agent", agentId, "业务员甲"), agentId, await _w.AddressOf(customer), null, "p1"));
        var (items, _) = await _w.Queries.ListAsync(Application.OrderFlow.OrderScope.OfCustomer(customer.CustomerId), new OrderFilter());
        var order = (await _w.Queries.GetAsync(Application.OrderFlow.OrderScope.OfCustomer(customer.CustomerId), result.OrderId, null))!;
        Assert.Multiple(async () =>
        {
            Assert.That(items.Select(i => i.Id), Does.Contain(result.OrderId), "in the store's own list at once");
            Assert.That(order.Summary.Channel, Is.EqualTo("proxy"));
            Assert.That(order.Summary.AgentId, Is.EqualTo(agentId));
            Assert.That(order.Attribution, Is.EqualTo("proxy"));
            Assert.That(order.Lines[0].UnitPriceFen, Is.EqualTo(150), "C1's own agreed price, as if C1 ordered");
            Assert.That(order.Timeline[0].Note, Does.Contain("代客下单"));
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE customer_id = @CustomerId AND kind = 'proxy_order_placed'", customer),
                Is.EqualTo(await _w.Scalar<long>("SELECT COUNT(*) FROM customer_users WHERE customer_id = @CustomerId", customer)));
        });
    }

    [Test]
    public async Task A_self_order_is_attributed_to_the_stores_agent()
    {
        var result = await _w.OrderAsync("C3", ("W-002", 48));
        var order = (await _w.Queries.GetAsync(Application.OrderFlow.OrderScope.Any, result.OrderId, null))!;
        Assert.That((order.Summary.Channel, order.Attribution, order.Summary.AgentName), Is.EqualTo(("self", "owner", "业务员乙")));
    }

    [Test]
    public async Task Reorder_copies_lines_at_todays_prices_and_reports_what_is_gone()
    {
        var result = await _w.OrderAsync("C4", ("W-001", 48), ("B-001", 12));
        var orderNo = await _w.Scalar<string>("SELECT order_no FROM orders WHERE id = @OrderId", result);
        await _w.Exec("UPDATE products SET active = FALSE WHERE sku = 'B-001'");
        await _w.Exec("UPDATE catalog_version SET version = version + 1");   // as every writer of the catalog does
        _w.Clock.Advance(TimeSpan.FromDays(2));              // PR-WATER (1.75) has ended: W-001 back to base 2.00
        var (owner, customer, _) = await _w.StoreUser("C4");
        var r = await _w.Reorder.CopyToCartAsync(owner, customer, orderNo);
        Assert.Multiple(async () =>
        {
            Assert.That(r.Added.Select(a => (a.Sku, a.Quantity, a.OldUnitPriceFen, a.NewUnitPriceFen)), Is.EqualTo(new[] { ("W-001", 48L, 175L, 200L) }));
            Assert.That(r.Added[0].PriceChanged, Is.True);
            Assert.That(r.Dropped.Select(d => d.Sku), Is.EqualTo(new[] { "B-001" }));
            Assert.That((await _w.Carts.GetAsync(owner, customer)).Quote.Lines.Single(l => !l.IsGift).Price.UnitPriceFen, Is.EqualTo(200));
        });
        var c1 = await _w.Customer("C1");
        await Refused.With(404, () => _w.Reorder.CopyToCartAsync(owner, c1, orderNo));
    }

    [Test]
    public async Task Frequently_bought_lists_what_the_store_orders_most()
    {
        await _w.OrderAsync("C4", ("W-001", 24), ("B-002", 12));
        await _w.OrderAsync("C4", ("W-001", 48));
        var frequent = await _w.Queries.FrequentAsync((await _w.Customer("C4")).CustomerId, 0, 10);
        Assert.That(frequent.Select(f => (f.Sku, f.TimesOrdered, f.LastQuantity)), Is.EqualTo(new[] { ("W-001", 2L, 48L), ("B-002", 1L, 12L) }));
    }
}
