using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Templates;
using OrderHub.Domain.Time;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Chains;

namespace OrderHub.Tests.Templates;

/// <summary>Order templates (常用单) and recurring orders (定期订货) over HTTP and through the scheduled work, on a fresh store.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class OrderTemplatesApiTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private RecurringOrders Recurring => _host.Services.GetRequiredService<RecurringOrders>();

    /// <summary>A write with an Idempotency-Key (a new one unless given), as the mini-program sends every write.</summary>
    private static Task<HttpResponseMessage> Keyed(HttpClient client, string url, object body, string? key = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return client.SendAsync(req);
    }

    /// <summary>A second product the store may buy, with stock, no promotion and its MOQ.</summary>
    private async Task<(long Id, string Sku, long Qty)> SecondProduct(ChainsApiTests.Chain chain)
    {
        var row = await _host.Scalar<string>("""
            SELECT p.id || '|' || p.sku || '|' || p.min_order_qty FROM products p JOIN stock s ON s.product_id = p.id
            JOIN customers c ON c.warehouse_id = s.warehouse_id
            WHERE c.id = @Id AND p.sku <> @Sku AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY p.sku LIMIT 1
            """, new { chain.Head.Id, chain.Sku });
        var f = row.Split('|');
        return (long.Parse(f[0]), f[1], long.Parse(f[2]));
    }

    private async Task<(HttpClient Store, ChainsApiTests.Chain Chain, long TemplateId)> StoreWithTemplate(string name)
    {
        var chain = await ChainsApiTests.CreateChainAsync(_host);
        var store = await _host.CustomerAsync(chain.Head.Code);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = chain.Sku, quantity = chain.Qty * 3 }));
        var saved = await HttpAssert.Ok(await Keyed(store, "/api/templates", new { name }));
        Assert.That((int)(await store.DeleteAsync("/api/cart")).StatusCode, Is.InRange(200, 299));
        return (store, chain, saved.GetProperty("id").GetInt64());
    }

    [Test]
    public async Task A_store_saves_its_cart_as_a_template_and_applies_it_at_todays_prices()
    {
        var chain = await ChainsApiTests.CreateChainAsync(_host);
        var second = await SecondProduct(chain);
        var store = await _host.CustomerAsync(chain.Head.Code);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = chain.Sku, quantity = chain.Qty * 3 }));
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = second.Sku, quantity = second.Qty }));
        var saved = await HttpAssert.Ok(await Keyed(store, "/api/templates", new { name = "每周补货" }));
        var lines = saved.GetProperty("lines").EnumerateArray().ToList();
        Assert.That(lines.Select(l => l.GetProperty("sku").GetString()), Is.EqualTo(new[] { chain.Sku, second.Sku }));
        Assert.That(lines[0].GetProperty("unitPriceFen").GetInt64(), Is.EqualTo(chain.Head.PriceFen));
        Assert.That(lines[0].GetProperty("quantity").GetInt64(), Is.EqualTo(chain.Qty * 3));
        var id = saved.GetProperty("id").GetInt64();
        Assert.That((int)(await store.DeleteAsync("/api/cart")).StatusCode, Is.InRange(200, 299));

        // Today the contract price moved and the second product was discontinued.
        var newPrice = chain.Head.PriceFen + Random.Shared.Next(1, 300);
        await _host.Exec("UPDATE customer_prices SET price_fen = @newPrice WHERE customer_id = @Id", new { newPrice, chain.Head.Id });
        await _host.Exec("UPDATE products SET active = FALSE WHERE id = @Id", new { second.Id });

        var applied = await HttpAssert.Ok(await store.PostAsync($"/api/templates/{id}/apply", null));
        var added = applied.GetProperty("added")[0];
        Assert.That(added.GetProperty("oldUnitPriceFen").GetInt64(), Is.EqualTo(chain.Head.PriceFen));
        Assert.That(added.GetProperty("newUnitPriceFen").GetInt64(), Is.EqualTo(newPrice));
        Assert.That(added.GetProperty("priceChanged").GetBoolean(), Is.True);
        Assert.That(applied.GetProperty("dropped").EnumerateArray().Select(d => d.GetProperty("sku").GetString()), Is.EqualTo(new[] { second.Sku }));
        var cart = await HttpAssert.Ok(await store.GetAsync("/api/cart"));
        Assert.That(cart.GetProperty("goodsFen").GetInt64(), Is.EqualTo(newPrice * chain.Qty * 3));

        var list = await HttpAssert.Ok(await store.GetAsync("/api/templates"));
        Assert.That(list.EnumerateArray().Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "每周补货" }));
        // Another store cannot see, apply or delete it.
        var other = await _host.CustomerAsync(chain.Branch1.Code);
        await HttpAssert.Problem(await other.PostAsync($"/api/templates/{id}/apply", null), 404);
        await HttpAssert.Problem(await other.DeleteAsync($"/api/templates/{id}"), 404);
        Assert.That((int)(await store.DeleteAsync($"/api/templates/{id}")).StatusCode, Is.EqualTo(204));
        await HttpAssert.Problem(await store.PostAsync($"/api/templates/{id}/apply", null), 404);
        Assert.That((int)(await store.DeleteAsync("/api/cart")).StatusCode, Is.InRange(200, 299));
        await HttpAssert.Problem(await Keyed(store, "/api/templates", new { name = "空" }), 400, "购物车是空的");
    }

    [Test]
    public async Task A_draft_recurring_order_is_made_once_per_day_even_with_two_runs_at_the_same_time()
    {
        var (store, chain, id) = await StoreWithTemplate("周一补货");
        var today = ShanghaiTime.Today(TimeProvider.System);
        var weekday = ((int)today.DayOfWeek + 6) % 7 + 1;
        var tomorrowOnly = weekday % 7 + 1;
        // One schedule on today's weekday, one on another weekday only: only the first falls due today.
        var due = await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { weekdays = new[] { weekday }, mode = "draft" }));
        await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { weekdays = new[] { tomorrowOnly }, mode = "draft" }));
        Assert.That(due.GetProperty("text").GetString(), Does.StartWith("每周"));

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Recurring.RunDueAsync())));
        var mine = runs.SelectMany(r => r).Where(r => r.ScheduleId == due.GetProperty("id").GetInt64()).ToList();
        Assert.That(mine, Has.Count.EqualTo(1), "one of the two runs made today's occurrence");
        Assert.That(mine[0].Outcome, Is.EqualTo(OccurrenceOutcome.Draft));
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM order_template_occurrences o JOIN order_template_schedules s ON s.id = o.schedule_id WHERE s.template_id = @id", new { id }), Is.EqualTo(1));

        var cart = await HttpAssert.Ok(await store.GetAsync("/api/cart"));
        Assert.That(cart.GetProperty("lines")[0].GetProperty("quantity").GetInt64(), Is.EqualTo(chain.Qty * 3), "the draft is in the owner's cart, once");
        var notes = await HttpAssert.Ok(await store.GetAsync("/api/notifications"));
        Assert.That(notes.EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "recurring_order_draft"), Is.EqualTo(1));

        // A later run the same day does nothing more.
        await Recurring.RunDueAsync();
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/cart"))).GetProperty("lines")[0].GetProperty("quantity").GetInt64(), Is.EqualTo(chain.Qty * 3));
    }

    [Test]
    public async Task An_auto_submitted_recurring_order_goes_through_order_placement_once()
    {
        var (store, chain, id) = await StoreWithTemplate("自动下单");
        await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 3, mode = "submit" }));
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @Id", new { chain.Head.Id });
        await Task.WhenAll(Task.Run(() => Recurring.RunDueAsync()), Task.Run(() => Recurring.RunDueAsync()));
        await Recurring.RunDueAsync();
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @Id", new { chain.Head.Id }), Is.EqualTo(before + 1));
        var orders = await HttpAssert.Ok(await store.GetAsync("/api/orders"));
        var order = orders.GetProperty("items")[0];
        var no = order.GetProperty("orderNo").GetString();
        var detail = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{no}"));
        Assert.That(detail.GetProperty("goodsFen").GetInt64(), Is.EqualTo(chain.Head.PriceFen * chain.Qty * 3));
        Assert.That(detail.GetProperty("note").GetString(), Does.Contain("自动下单"));
        var notes = await HttpAssert.Ok(await store.GetAsync("/api/notifications"));
        Assert.That(notes.EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "recurring_order_placed").GetProperty("body").GetString(), Does.Contain(no));
        // The store's own cart was left alone: the schedule places from a cart of its own.
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/cart"))).GetProperty("lines").GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public async Task An_auto_submit_that_cannot_be_placed_becomes_a_notification_not_a_silent_loss()
    {
        var (store, chain, id) = await StoreWithTemplate("缺货测试");
        await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 1, mode = "submit" }));
        await _host.Exec("""
            UPDATE stock SET on_hand = reserved WHERE warehouse_id = (SELECT warehouse_id FROM customers WHERE id = @Id)
              AND product_id = (SELECT id FROM products WHERE sku = @Sku)
            """, new { chain.Head.Id, chain.Sku });
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @Id", new { chain.Head.Id });
        var results = await Recurring.RunDueAsync();
        var r = results.Single(x => x.Outcome == OccurrenceOutcome.Failed);
        Assert.That(r.OrderId, Is.Null);
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @Id", new { chain.Head.Id }), Is.EqualTo(before));
        var note = (await HttpAssert.Ok(await store.GetAsync("/api/notifications"))).EnumerateArray()
            .Single(n => n.GetProperty("kind").GetString() == "recurring_order_failed");
        Assert.That(note.GetProperty("body").GetString(), Does.Contain("缺货测试").And.Contain("库存"));
        Assert.That(await _host.Scalar<string>("SELECT outcome FROM order_template_occurrences o JOIN order_template_schedules s ON s.id = o.schedule_id WHERE s.template_id = @id", new { id }),
            Is.EqualTo(OccurrenceOutcome.Failed));
    }

    [Test]
    public async Task Schedules_refuse_a_missing_or_double_rule_and_another_stores_template()
    {
        var (store, chain, id) = await StoreWithTemplate("规则");
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/schedules", new { mode = "draft" }), 400);
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/schedules", new { weekdays = new[] { 1 }, everyDays = 2 }), 400);
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/schedules", new { weekdays = new[] { 8 } }), 400);
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 2, mode = "later" }), 400);
        var other = await _host.CustomerAsync(chain.Branch2.Code);
        await HttpAssert.Problem(await Keyed(other, $"/api/templates/{id}/schedules", new { everyDays = 2 }), 404);
        var s = await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 2 }));
        Assert.That(s.GetProperty("mode").GetString(), Is.EqualTo("draft"));
        Assert.That(s.GetProperty("text").GetString(), Is.EqualTo("每 2 天"));
        await HttpAssert.Problem(await other.DeleteAsync($"/api/templates/{id}/schedules/{s.GetProperty("id").GetInt64()}"), 404);
        Assert.That((int)(await store.DeleteAsync($"/api/templates/{id}/schedules/{s.GetProperty("id").GetInt64()}")).StatusCode, Is.EqualTo(204));
    }

    private async Task<long> OrderCount(long customerId) => await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @customerId", new { customerId });
    private async Task<long> AddressOf(long customerId) => await _host.Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @customerId", new { customerId });

    [Test]
    public async Task An_agent_keeps_its_stores_templates_and_places_a_proxy_order_from_one_that_the_store_sees()
    {
        var chain = await ChainsApiTests.CreateChainAsync(_host);
        var storeId = chain.Branch1.Id;
        var agentCode = await _host.Scalar<string>("SELECT a.code FROM agents a JOIN customers c ON c.agent_id = a.id WHERE c.id = @storeId", new { storeId });
        var agent = await _host.AgentAsync(agentCode);
        var baseUrl = $"/api/agent/customers/{storeId}";
        await HttpAssert.Ok(await agent.PostAsJsonAsync($"{baseUrl}/cart/items", new { sku = chain.Sku, quantity = chain.Qty * 2 }));
        var saved = await HttpAssert.Ok(await Keyed(agent, $"{baseUrl}/templates", new { name = "业务员常用" }));
        var id = saved.GetProperty("id").GetInt64();
        Assert.That(saved.GetProperty("lines")[0].GetProperty("quantity").GetInt64(), Is.EqualTo(chain.Qty * 2));
        Assert.That(saved.GetProperty("totalFen").GetInt64(), Is.EqualTo(chain.Branch1.PriceFen * chain.Qty * 2), "the store's own price");

        // The store sees the template its agent keeps for it, and the agent sees the store's.
        var store = await _host.CustomerAsync(chain.Branch1.Code);
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/templates"))).EnumerateArray().Select(t => t.GetProperty("id").GetInt64()), Is.EqualTo(new[] { id }));
        Assert.That((await HttpAssert.Ok(await agent.GetAsync($"{baseUrl}/templates"))).EnumerateArray().Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "业务员常用" }));

        // A proxy order from the template: the store's order at its price, the store told; the agent's cart is left as it was.
        var before = await OrderCount(storeId);
        var key = Guid.NewGuid().ToString("N");
        var address = await AddressOf(storeId);
        var res = await Keyed(agent, $"{baseUrl}/templates/{id}/orders", new { addressId = address }, key);
        Assert.That((int)res.StatusCode, Is.EqualTo(201));
        var order = await HttpAssert.Ok(res);
        var no = order.GetProperty("summary").GetProperty("orderNo").GetString();
        Assert.That(order.GetProperty("summary").GetProperty("channel").GetString(), Is.EqualTo("proxy"));
        Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo(chain.Branch1.PriceFen * chain.Qty * 2));
        Assert.That(order.GetProperty("note").GetString(), Is.EqualTo("常用单：业务员常用"));
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/orders"))).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()), Does.Contain(no));
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/notifications"))).EnumerateArray()
            .Any(n => n.GetProperty("kind").GetString() == "proxy_order_placed" && n.GetProperty("body").GetString()!.Contains(no!)), Is.True);
        Assert.That((await HttpAssert.Ok(await agent.GetAsync($"{baseUrl}/cart"))).GetProperty("lines").GetArrayLength(), Is.EqualTo(1));

        // A retry answers the same order; the same key with another note is refused; one order in all.
        var again = await Keyed(agent, $"{baseUrl}/templates/{id}/orders", new { addressId = address }, key);
        Assert.That((int)again.StatusCode, Is.EqualTo(200));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That((await HttpAssert.Ok(again)).GetProperty("summary").GetProperty("orderNo").GetString(), Is.EqualTo(no));
        await HttpAssert.Problem(await Keyed(agent, $"{baseUrl}/templates/{id}/orders", new { addressId = address, note = "改了备注" }, key), 422);
        Assert.That(await OrderCount(storeId), Is.EqualTo(before + 1));

        // Another agent's store: every template route is a 404, whatever the template id.
        var otherAgent = await _host.Scalar<string>("SELECT code FROM agents WHERE code <> @agentCode ORDER BY code LIMIT 1", new { agentCode });
        var other = await _host.AgentAsync(otherAgent);
        await HttpAssert.Problem(await other.GetAsync($"{baseUrl}/templates"), 404);
        await HttpAssert.Problem(await Keyed(other, $"{baseUrl}/templates", new { name = "偷看" }), 404);
        await HttpAssert.Problem(await other.PostAsync($"{baseUrl}/templates/{id}/apply", null), 404);
        await HttpAssert.Problem(await Keyed(other, $"{baseUrl}/templates/{id}/orders", new { addressId = address }), 404);
        await HttpAssert.Problem(await other.DeleteAsync($"{baseUrl}/templates/{id}"), 404);
        Assert.That(await OrderCount(storeId), Is.EqualTo(before + 1));

        // The agent puts the template into its cart (at today's prices) and deletes it; then it is gone for the store too.
        Assert.That((int)(await agent.DeleteAsync($"{baseUrl}/cart")).StatusCode, Is.InRange(200, 299));
        await HttpAssert.Ok(await agent.PostAsync($"{baseUrl}/templates/{id}/apply", null));
        Assert.That((await HttpAssert.Ok(await agent.GetAsync($"{baseUrl}/cart"))).GetProperty("goodsFen").GetInt64(), Is.EqualTo(chain.Branch1.PriceFen * chain.Qty * 2));
        Assert.That((int)(await agent.DeleteAsync($"{baseUrl}/templates/{id}")).StatusCode, Is.EqualTo(204));
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/templates"))).GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public async Task Saving_scheduling_and_ordering_from_a_template_replay_on_retry_and_refuse_a_reused_key()
    {
        var chain = await ChainsApiTests.CreateChainAsync(_host);
        var store = await _host.CustomerAsync(chain.Head.Code);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = chain.Sku, quantity = chain.Qty * 3 }));

        // Save: without a key 400; a retry after the cart changed answers the first template, not the cart as it is now.
        var noKey = await store.PostAsJsonAsync("/api/templates", new { name = "补货" });
        await HttpAssert.Problem(noKey, 400, "Idempotency-Key");
        var saveKey = Guid.NewGuid().ToString("N");
        var first = await Keyed(store, "/api/templates", new { name = "补货" }, saveKey);
        Assert.That((int)first.StatusCode, Is.EqualTo(201));
        var id = (await HttpAssert.Ok(first)).GetProperty("id").GetInt64();
        await HttpAssert.Ok(await store.PutAsJsonAsync($"/api/cart/items/{chain.Sku}", new { quantity = chain.Qty }));
        var replay = await Keyed(store, "/api/templates", new { name = "补货" }, saveKey);
        Assert.That((int)replay.StatusCode, Is.EqualTo(200));
        Assert.That(replay.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        var replayed = await HttpAssert.Ok(replay);
        Assert.That(replayed.GetProperty("id").GetInt64(), Is.EqualTo(id));
        Assert.That(replayed.GetProperty("lines")[0].GetProperty("quantity").GetInt64(), Is.EqualTo(chain.Qty * 3), "the first request's lines");
        await HttpAssert.Problem(await Keyed(store, "/api/templates", new { name = "另一个" }, saveKey), 422);
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/templates"))).GetArrayLength(), Is.EqualTo(1));

        // Schedule: a retry answers the same schedule; the same key with another rule is refused.
        var scheduleKey = Guid.NewGuid().ToString("N");
        var s1 = await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 2 }, scheduleKey));
        var s2 = await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 2 }, scheduleKey);
        Assert.That((int)s2.StatusCode, Is.EqualTo(200));
        Assert.That((await HttpAssert.Ok(s2)).GetProperty("id").GetInt64(), Is.EqualTo(s1.GetProperty("id").GetInt64()));
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/schedules", new { everyDays = 3 }, scheduleKey), 422);
        var list = await HttpAssert.Ok(await store.GetAsync("/api/templates"));
        Assert.That(list[0].GetProperty("schedules").GetArrayLength(), Is.EqualTo(1));

        // Order from the template: 3 × qty at the store's price, the store's cart (now qty) left alone; a retry is the same order.
        var before = await OrderCount(chain.Head.Id);
        var orderKey = Guid.NewGuid().ToString("N");
        var address = await AddressOf(chain.Head.Id);
        var placed = await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/orders", new { addressId = address, note = "周五送" }, orderKey));
        Assert.That(placed.GetProperty("goodsFen").GetInt64(), Is.EqualTo(chain.Head.PriceFen * chain.Qty * 3));
        Assert.That(placed.GetProperty("summary").GetProperty("channel").GetString(), Is.EqualTo("self"));
        Assert.That(placed.GetProperty("note").GetString(), Is.EqualTo("周五送"));
        var again = await HttpAssert.Ok(await Keyed(store, $"/api/templates/{id}/orders", new { addressId = address, note = "周五送" }, orderKey));
        Assert.That(again.GetProperty("summary").GetProperty("orderNo").GetString(), Is.EqualTo(placed.GetProperty("summary").GetProperty("orderNo").GetString()));
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id}/orders", new { addressId = address, note = "周六送" }, orderKey), 422);
        Assert.That(await OrderCount(chain.Head.Id), Is.EqualTo(before + 1));
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/cart"))).GetProperty("goodsFen").GetInt64(), Is.EqualTo(chain.Head.PriceFen * chain.Qty));
        // The same key on another template of the store is a different request too.
        var other = await HttpAssert.Ok(await Keyed(store, "/api/templates", new { name = "小单" }));
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{other.GetProperty("id").GetInt64()}/orders", new { addressId = address, note = "周五送" }, orderKey), 422);
        await HttpAssert.Problem(await Keyed(store, $"/api/templates/{id + 100000}/orders", new { addressId = address }), 404);
    }
}

public class RecurrenceTests
{
    [Test]
    public void Weekdays_and_every_n_days_fall_on_the_right_days_and_never_before_the_start()
    {
        var start = new DateOnly(2026, 12, 7); // a Monday
        var monThu = Recurrence.Mask([DayOfWeek.Monday, DayOfWeek.Thursday]);
        Assert.That(monThu, Is.EqualTo(0b1001));
        var days = Enumerable.Range(0, 14).Select(i => start.AddDays(i)).Where(d => Recurrence.FallsOn(monThu, null, start, d)).ToList();
        Assert.That(days, Is.EqualTo(new[] { new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 17) }));
        Assert.That(Recurrence.FallsOn(monThu, null, start, new DateOnly(2026, 11, 30)), Is.False, "before the start");
        var every3 = Enumerable.Range(-2, 10).Select(i => start.AddDays(i)).Where(d => Recurrence.FallsOn(null, 3, start, d)).ToList();
        Assert.That(every3, Is.EqualTo(new[] { start, start.AddDays(3), start.AddDays(6) }));
        Assert.That(Recurrence.Describe(monThu, null), Is.EqualTo("每周一、周四"));
        Assert.That(Recurrence.Describe(null, 3), Is.EqualTo("每 3 天"));
    }
}
