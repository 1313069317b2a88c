using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;

namespace OrderHub.Tests.Api;

/// <summary>Ordering over HTTP as the mini-program and the back office call it, on the demo distributor.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class OrderingApiTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    /// <summary>A store of the given group and an item it may buy, with plenty of stock in its warehouse and no gift promotion.</summary>
    private async Task<(string Customer, long CustomerId, string Sku, long Qty)> StoreAndItem(int skip = 0)
    {
        var row = await _host.Scalar<string>($"""
            SELECT c.code || '|' || c.id || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'CHAIN' AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY c.code, p.sku LIMIT 1 OFFSET {skip}
            """);
        var parts = row.Split('|');
        return (parts[0], long.Parse(parts[1]), parts[2], long.Parse(parts[3]));
    }

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Submit(HttpClient client, string url, long addressId, string key, int expect = 201)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { addressId, note = "下午送" }) };
        req.Headers.Add("Idempotency-Key", key);
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(expect), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<long> AddressId(HttpClient client) =>
        (await HttpAssert.Ok(await client.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();

    [Test]
    public async Task A_store_orders_and_the_back_office_takes_it_to_received()
    {
        var (customer, _, sku, qty) = await StoreAndItem();
        var store = await _host.CustomerAsync(customer);
        var cart = await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty * 2 }));
        Assert.That(cart.GetProperty("canSubmit").GetBoolean(), Is.True);
        var cartTotal = cart.GetProperty("totalFen").GetInt64();

        var order = await Submit(store, "/api/orders", await AddressId(store), "order-1");
        var no = order.GetProperty("summary").GetProperty("orderNo").GetString()!;
        var id = order.GetProperty("summary").GetProperty("id").GetInt64();
        Assert.That(order.GetProperty("summary").GetProperty("totalFen").GetInt64(), Is.EqualTo(cartTotal));
        Assert.That(order.GetProperty("summary").GetProperty("statusLabel").GetString(), Is.EqualTo("待业务审核"));

        var replay = await Submit(store, "/api/orders", await AddressId(store), "order-1", expect: 200);
        Assert.That(replay.GetProperty("summary").GetProperty("orderNo").GetString(), Is.EqualTo(no));

        var clerk = await _host.StaffAsync("clerk");
        var finance = await _host.StaffAsync("finance");
        var warehouse = await _host.StaffAsync("warehouse");
        await HttpAssert.Problem(await store.PostAsync($"/api/admin/orders/{id}/approve-sales", null), 403);
        await HttpAssert.Problem(await warehouse.PostAsync($"/api/admin/orders/{id}/approve-sales", null), 403, "业务审核通过");
        await HttpAssert.Problem(await warehouse.PostAsync($"/api/admin/orders/{id}/ship", null), 409, "待业务审核");
        await HttpAssert.Ok(await clerk.PostAsync($"/api/admin/orders/{id}/approve-sales", null));
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/orders/{id}/approve-finance", new { @override = false }));
        await HttpAssert.Ok(await warehouse.PostAsync($"/api/admin/orders/{id}/outbound", null));
        await HttpAssert.Ok(await warehouse.PostAsync($"/api/admin/orders/{id}/ship", null));
        var received = await HttpAssert.Ok(await store.PostAsync($"/api/orders/{no}/receive", null));
        var timeline = received.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("toStatusLabel").GetString()).ToList();
        Assert.That(timeline, Is.EqualTo(new[] { "待业务审核", "待财务审核", "待出库", "待发货", "已发货", "已收货" }));
        Assert.That(received.GetProperty("timeline")[1].GetProperty("at").GetString(), Does.EndWith("+08:00"));

        var notes = await HttpAssert.Ok(await store.GetAsync("/api/notifications"));
        Assert.That(notes.EnumerateArray().Select(n => n.GetProperty("kind").GetString()), Does.Contain("order_shipped").And.Contain("order_approved"));
    }

    [Test]
    public async Task Submit_without_an_idempotency_key_is_a_400_and_creates_nothing()
    {
        var (customer, customerId, sku, qty) = await StoreAndItem(1);
        var store = await _host.CustomerAsync(customer);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @customerId", new { customerId });
        await HttpAssert.Problem(await store.PostAsJsonAsync("/api/orders", new { addressId = await AddressId(store) }), 400, "Idempotency-Key");
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @customerId", new { customerId }), Is.EqualTo(before));
    }

    [TestCase("{\"sku\":\"X\",\"quantity\":1.5}")]
    [TestCase("{\"sku\":\"X\",\"quantity\":\"ten\"}")]
    [TestCase("{\"sku\":\"X\",\"quantity\":99999999999999999999999}")]
    [TestCase("{\"sku\":\"X\",\"quantity\":")]
    [TestCase("[]")]
    public async Task Malformed_cart_input_is_a_400_problem(string body)
    {
        var (customer, _, _, _) = await StoreAndItem();
        var store = await _host.CustomerAsync(customer);
        await HttpAssert.Problem(await store.PostAsync("/api/cart/items", Json(body)), 400);
    }

    [Test]
    public async Task Cart_rules_come_back_as_problems_naming_the_rule()
    {
        var (customer, _, sku, qty) = await StoreAndItem();
        var store = await _host.CustomerAsync(customer);
        var pack = await _host.Scalar<long>("SELECT pack_size FROM products WHERE sku = @sku", new { sku });
        if (pack > 1) await HttpAssert.Problem(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty + 1 }), 400, "箱规");
        await HttpAssert.Problem(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 0 }), 400);
        await HttpAssert.Problem(await store.PutAsJsonAsync($"/api/cart/items/{sku}", new { quantity = -qty }), 400);
        await HttpAssert.Problem(await store.PostAsJsonAsync("/api/cart/items", new { sku = "NO-SUCH", quantity = qty }), 404);
    }

    [Test]
    public async Task An_agent_orders_for_its_own_store_only_and_the_store_sees_it()
    {
        var (customer, customerId, sku, qty) = await StoreAndItem(2);
        var agentCode = await _host.Scalar<string>("SELECT a.code FROM agents a JOIN customers c ON c.agent_id = a.id WHERE c.id = @customerId", new { customerId });
        var otherStore = await _host.Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code <> @agentCode ORDER BY c.id LIMIT 1", new { agentCode });
        var agent = await _host.AgentAsync(agentCode);

        await HttpAssert.Problem(await agent.PostAsJsonAsync($"/api/agent/customers/{otherStore}/cart/items", new { sku, quantity = qty }), 404);
        await HttpAssert.Problem(await agent.GetAsync($"/api/agent/customers/{otherStore}/orders"), 404);

        await HttpAssert.Ok(await agent.PostAsJsonAsync($"/api/agent/customers/{customerId}/cart/items", new { sku, quantity = qty }));
        var addressId = await _host.Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @customerId", new { customerId });
        var order = await Submit(agent, $"/api/agent/customers/{customerId}/orders", addressId, "proxy-1");
        Assert.That(order.GetProperty("summary").GetProperty("channel").GetString(), Is.EqualTo("proxy"));

        var store = await _host.CustomerAsync(customer);
        var list = await HttpAssert.Ok(await store.GetAsync("/api/orders"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()),
            Does.Contain(order.GetProperty("summary").GetProperty("orderNo").GetString()));
        var notes = await HttpAssert.Ok(await store.GetAsync("/api/notifications"));
        Assert.That(notes.EnumerateArray().Any(n => n.GetProperty("kind").GetString() == "proxy_order_placed"), Is.True);

        var mine = await HttpAssert.Ok(await agent.GetAsync("/api/agent/customers"));
        Assert.That(mine.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()), Does.Contain(customerId).And.Not.Contain(otherStore));
    }

    [Test]
    public async Task Another_store_cannot_see_or_cancel_my_order()
    {
        var (customer, _, sku, qty) = await StoreAndItem(3);
        var store = await _host.CustomerAsync(customer);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        var no = (await Submit(store, "/api/orders", await AddressId(store), "mine")).GetProperty("summary").GetProperty("orderNo").GetString();
        var other = await _host.CustomerAsync(await _host.Scalar<string>("SELECT code FROM customers WHERE code <> @customer ORDER BY code LIMIT 1", new { customer }));
        await HttpAssert.Problem(await other.GetAsync($"/api/orders/{no}"), 404);
        await HttpAssert.Problem(await other.PostAsync($"/api/orders/{no}/cancel", null), 404);
        await HttpAssert.Problem(await other.PostAsync($"/api/orders/{no}/reorder", null), 404);
        var cancelled = await HttpAssert.Ok(await store.PostAsJsonAsync($"/api/orders/{no}/cancel", new { reason = "买错了" }));
        Assert.That(cancelled.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo("cancelled"));
    }

    [Test]
    public async Task Back_office_queues_filter_and_count()
    {
        var staff = await _host.StaffAsync("clerk");
        var counts = await HttpAssert.Ok(await staff.GetAsync("/api/admin/orders/counts"));
        Assert.That(counts.EnumerateArray().Select(c => c.GetProperty("label").GetString()), Does.Contain("待业务审核").And.Contain("已发货"));
        var pending = await HttpAssert.Ok(await staff.GetAsync("/api/admin/orders?status=pending_sales_review&limit=200"));
        Assert.That(pending.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("status").GetString()), Is.All.EqualTo("pending_sales_review"));
        await HttpAssert.Problem(await staff.GetAsync("/api/admin/orders?status=bogus"), 400);
        await HttpAssert.Problem(await staff.GetAsync("/api/admin/orders?from=2026-13-45"), 400);
        var store = await _host.CustomerAsync("C00001");
        await HttpAssert.Problem(await store.GetAsync("/api/admin/orders"), 403);
    }

    [Test]
    public async Task The_back_office_lists_and_exports_a_period_by_order_date_or_by_ship_date()
    {
        var (customer, customerId, sku, qty) = await StoreAndItem(4);
        var store = await _host.CustomerAsync(customer);
        var address = await AddressId(store);
        var nos = new List<string>();
        foreach (var key in new[] { "by-ship-1", "by-ship-2" })
        {
            await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
            nos.Add((await Submit(store, "/api/orders", address, $"{key}-{Guid.NewGuid():N}")).GetProperty("summary").GetProperty("orderNo").GetString()!);
        }
        // Ordered on 27 Feb and shipped on 2 Mar (Shanghai time), against ordered on 5 Mar and not shipped yet.
        long Shanghai(int month, int day) => new DateTimeOffset(2019, month, day, 10, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        await _host.Exec("UPDATE orders SET created_at = @created, shipped_at = @shipped WHERE order_no = @no", new { created = Shanghai(2, 27), shipped = Shanghai(3, 2), no = nos[0] });
        await _host.Exec("UPDATE orders SET created_at = @created, shipped_at = NULL WHERE order_no = @no", new { created = Shanghai(3, 5), no = nos[1] });

        var staff = await _host.StaffAsync("clerk");
        async Task<List<string?>> Listed(string extra) =>
            (await HttpAssert.Ok(await staff.GetAsync($"/api/admin/orders?customerId={customerId}&from=2019-03-01&to=2019-03-31&limit=200{extra}")))
                .GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()).ToList();
        Assert.That(await Listed(""), Is.EqualTo(new[] { nos[1] }), "by order date, March holds the order placed on 5 March");
        Assert.That(await Listed("&dateBy=ordered"), Is.EqualTo(new[] { nos[1] }));
        Assert.That(await Listed("&dateBy=shipped"), Is.EqualTo(new[] { nos[0] }), "by ship date, March holds the order shipped on 2 March");
        await HttpAssert.Problem(await staff.GetAsync("/api/admin/orders?dateBy=paid"), 400);

        var csv = await staff.GetAsync($"/api/admin/orders/download?customerId={customerId}&from=2019-03-01&to=2019-03-31&dateBy=shipped&format=csv");
        Assert.That((int)csv.StatusCode, Is.EqualTo(200));
        var text = await csv.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain(nos[0]).And.Not.Contain(nos[1]), "the export takes the same period");
    }
}
