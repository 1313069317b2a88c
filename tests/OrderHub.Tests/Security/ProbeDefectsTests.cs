using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Security;

/// <summary>
/// Issue #21: the defects a black-box probe found, each reproduced over HTTP on both databases.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ProbeDefectsTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind, settings: new() { ["Auth:UserCheckSeconds"] = "0" });
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    /// <summary>A store with an agent and an orderable item (plenty of stock, no promotion, no assortment rule).</summary>
    private async Task<(string Customer, long CustomerId, string Sku, long Qty)> StoreAndItem(int skip)
    {
        var row = await _host.Scalar<string>($"""
            SELECT c.code || '|' || c.id || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            WHERE c.active = TRUE AND c.agent_id IS NOT NULL AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id OR r.customer_group_id = c.group_id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY c.code DESC, p.sku LIMIT 1 OFFSET {skip}
            """);
        var parts = row.Split('|');
        return (parts[0], long.Parse(parts[1]), parts[2], long.Parse(parts[3]));
    }

    [Test]
    public async Task Frequent_items_of_a_store_without_orders_is_an_empty_list()
    {
        var customer = await _host.Scalar<string>("""
            SELECT c.code FROM customers c WHERE c.active = TRUE AND EXISTS (SELECT 1 FROM customer_users u WHERE u.customer_id = c.id AND u.active = TRUE)
              AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY c.code LIMIT 1
            """);
        var store = await _host.CustomerAsync(customer);
        var list = await HttpAssert.Ok(await store.GetAsync("/api/orders/frequent"));
        Assert.That(list.GetArrayLength(), Is.Zero);
    }

    [TestCase("/api/admin/orders?q=%00", "admin", "q")]
    [TestCase("/api/admin/customers?after=%00", "admin", "after")]
    [TestCase("/api/admin/catalog/products?after=a%00b", "admin", "after")]
    [TestCase("/api/agent/customers?q=%00", "agent", "q")]
    [TestCase("/api/agent/reports/sales?region=%00", "agent", "region")]
    [TestCase("/api/catalog/products?q=%01x", "store", "q")]
    public async Task A_control_character_in_the_query_is_a_400_naming_the_parameter(string url, string who, string field)
    {
        var client = await Caller(who);
        var problem = await HttpAssert.Problem(await client.GetAsync(url), 400);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_control_character_in_a_json_field_is_a_400_naming_the_field()
    {
        var (customer, _, sku, qty) = await StoreAndItem(0);
        var store = await _host.CustomerAsync(customer);
        var problem = await HttpAssert.Problem(await store.PostAsync("/api/cart/items", Json($$"""{"sku":"{{sku}}","quantity":{{qty}},"shareCode":"\u0000"}""")), 400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("shareCode", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_control_character_in_a_route_value_or_header_is_a_400()
    {
        var (customer, _, _, _) = await StoreAndItem(0);
        var store = await _host.CustomerAsync(customer);
        // (%00 in a path never reaches the app: Kestrel and the test server refuse it while decoding the request line.)
        await HttpAssert.Problem(await store.GetAsync("/api/catalog/products/A%01B"), 400);
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId = 1 }) };
        req.Headers.TryAddWithoutValidation("Idempotency-Key", "a\u0001b");
        var problem = await HttpAssert.Problem(await store.SendAsync(req), 400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Resends_while_the_first_submit_runs_all_get_the_same_order()
    {
        var (customer, customerId, sku, qty) = await StoreAndItem(1);
        var store = await _host.CustomerAsync(customer);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        var addressId = await _host.Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @customerId ORDER BY id LIMIT 1", new { customerId });
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @customerId", new { customerId });
        var tasks = new List<Task<(int Status, string Body)>>();
        for (var i = 0; i < 30; i++)
        {
            tasks.Add(Task.Run(async () =>
            {
                var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId, note = "重发" }) };
                req.Headers.Add("Idempotency-Key", "resend-while-running");
                req.Headers.Authorization = store.DefaultRequestHeaders.Authorization;
                var res = await _host.CreateClient().SendAsync(req);
                return ((int)res.StatusCode, await res.Content.ReadAsStringAsync());
            }));
            await Task.Delay(2);
        }
        var results = await Task.WhenAll(tasks);
        Assert.That(results.Where(r => r.Status is not (200 or 201)).Select(r => $"{r.Status} {r.Body}"), Is.Empty);
        var numbers = results.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("summary").GetProperty("orderNo").GetString()).Distinct().ToList();
        Assert.That(numbers, Has.Count.EqualTo(1));
        Assert.That(results.Count(r => r.Status == 201), Is.EqualTo(1));
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM orders WHERE customer_id = @customerId", new { customerId }), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task A_share_code_credits_its_agent_only_for_its_product_and_the_agents_own_stores()
    {
        var (customer, customerId, sku, qty) = await StoreAndItem(2);
        var ownAgent = await _host.Scalar<long>("SELECT agent_id FROM customers WHERE id = @customerId", new { customerId });
        var otherAgentCode = await _host.Scalar<string>("SELECT code FROM agents WHERE id <> @ownAgent AND active = TRUE ORDER BY code LIMIT 1", new { ownAgent });
        var ownAgentCode = await _host.Scalar<string>("SELECT code FROM agents WHERE id = @ownAgent", new { ownAgent });
        var otherSku = await _host.Scalar<string>("SELECT sku FROM products WHERE active = TRUE AND sku <> @sku ORDER BY sku LIMIT 1", new { sku });
        var other = await _host.AgentAsync(otherAgentCode);
        var own = await _host.AgentAsync(ownAgentCode);
        var foreignCode = (await HttpAssert.Ok(await other.PostAsJsonAsync("/api/agent/share-links", new { sku }))).GetProperty("code").GetString();
        var wrongProductCode = (await HttpAssert.Ok(await own.PostAsJsonAsync("/api/agent/share-links", new { sku = otherSku }))).GetProperty("code").GetString();

        var store = await _host.CustomerAsync(customer);
        await store.DeleteAsync("/api/cart");
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = foreignCode }));
        Assert.That(await _host.Scalar<long?>("SELECT share_agent_id FROM cart_items WHERE customer_id = @customerId", new { customerId }), Is.Null,
            "another agent's code does not credit that agent for this agent's store");
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = wrongProductCode }));
        Assert.That(await _host.Scalar<long?>("SELECT share_agent_id FROM cart_items WHERE customer_id = @customerId", new { customerId }), Is.Null,
            "a code issued for another product credits nobody");
        var rightCode = (await HttpAssert.Ok(await own.PostAsJsonAsync("/api/agent/share-links", new { sku }))).GetProperty("code").GetString();
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = rightCode }));
        Assert.That(await _host.Scalar<long?>("SELECT share_agent_id FROM cart_items WHERE customer_id = @customerId", new { customerId }), Is.EqualTo(ownAgent));
        await store.DeleteAsync("/api/cart");
    }

    [Test]
    public async Task A_search_for_a_like_wildcard_matches_it_literally()
    {
        var admin = await _host.StaffAsync("admin");
        var all = await HttpAssert.Ok(await admin.GetAsync("/api/admin/catalog/products?limit=5"));
        Assert.That(all.GetProperty("items").GetArrayLength(), Is.GreaterThan(0));
        var wild = await HttpAssert.Ok(await admin.GetAsync("/api/admin/catalog/products?limit=5&q=_"));
        Assert.That(wild.GetProperty("items").GetArrayLength(), Is.Zero, "no product name or SKU contains an underscore");
        var agentCode = await _host.Scalar<string>("SELECT a.code FROM agents a WHERE EXISTS (SELECT 1 FROM customers c WHERE c.agent_id = a.id) ORDER BY a.code LIMIT 1");
        var agent = await _host.AgentAsync(agentCode);
        Assert.That((await HttpAssert.Ok(await agent.GetAsync("/api/agent/customers?q=_"))).GetArrayLength(), Is.Zero);
        Assert.That((await HttpAssert.Ok(await admin.GetAsync("/api/admin/orders?q=%25"))).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Token_answers_are_not_cached()
    {
        var res = await _host.CreateClient().PostAsJsonAsync("/api/auth/dev-login", new { staffLogin = "admin" });
        await HttpAssert.Ok(res);
        Assert.That(res.Headers.CacheControl?.NoStore, Is.True);
        var login = await _host.CreateClient().PostAsJsonAsync("/api/auth/staff/login", new { login = "admin", password = "demo1234" });
        await HttpAssert.Ok(login);
        Assert.That(login.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task Too_long_urls_and_headers_are_problems_and_api_answers_are_not_cached()
    {
        var (customer, _, _, _) = await StoreAndItem(0);
        var store = await _host.CustomerAsync(customer);
        var ok = await store.GetAsync("/api/cart");
        await HttpAssert.Ok(ok);
        Assert.That(ok.Headers.CacheControl?.NoStore, Is.True);
        var problem = await HttpAssert.Problem(await store.GetAsync("/api/catalog/products?q=" + new string('a', 9000)), 414);
        Assert.That(problem.GetProperty("type").GetString(), Does.Contain("rfc9110"));
        var req = new HttpRequestMessage(HttpMethod.Get, "/api/cart");
        req.Headers.Authorization = store.DefaultRequestHeaders.Authorization;
        for (var i = 0; i < 8; i++) req.Headers.Add($"X-Filler-{i}", new string('b', 5000));
        await HttpAssert.Problem(await _host.CreateClient().SendAsync(req), 431);
    }

    [Test]
    public async Task An_unknown_json_field_is_a_problem_naming_it()
    {
        var (customer, _, sku, qty) = await StoreAndItem(0);
        var store = await _host.CustomerAsync(customer);
        var problem = await HttpAssert.Problem(await store.PostAsync("/api/cart/items", Json($$"""{"sku":"{{sku}}","quantity":{{qty}},"colour":"red"}""")), 400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("colour", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Adding_the_largest_quantity_to_a_line_is_refused_as_too_much_not_as_not_positive()
    {
        var (customer, _, sku, qty) = await StoreAndItem(0);
        var store = await _host.CustomerAsync(customer);
        await store.DeleteAsync("/api/cart");
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        var problem = await HttpAssert.Problem(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = long.MaxValue }), 400);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain("greater than 0"));
        await store.DeleteAsync("/api/cart");
    }

    [Test]
    public async Task The_lockout_problem_has_a_type()
    {
        var admin = await _host.StaffAsync("admin");
        var created = await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/staff", new { login = "lock-" + kind, name = "锁定测试", role = "clerk", password = "right-password" }));
        HttpResponseMessage res = null!;
        for (var i = 0; i < 6; i++)
            res = await _host.CreateClient().PostAsJsonAsync("/api/auth/staff/login", new { login = "lock-" + kind, password = "wrong-password" });
        var problem = await HttpAssert.Problem(res, 423);
        Assert.That(problem.TryGetProperty("type", out var type) && type.GetString()!.Length > 0, Is.True, problem.ToString());
        _ = created;
    }

    [Test]
    public async Task Openapi_and_docs_are_not_served_in_production_unless_the_setting_says_so()
    {
        using var prod = new ApiHost(kind, environment: "Production");
        Assert.That((int)(await prod.CreateClient().GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await prod.CreateClient().GetAsync("/docs")).StatusCode, Is.EqualTo(404));
        using var published = new ApiHost(kind, environment: "Production", settings: new() { ["Api:PublishOpenApi"] = "true" });
        await HttpAssert.Ok(await published.CreateClient().GetAsync("/openapi/v1.json"));
        Assert.That((int)(await published.CreateClient().GetAsync("/docs")).StatusCode, Is.EqualTo(200));
        Assert.That((int)(await _host.CreateClient().GetAsync("/docs")).StatusCode, Is.EqualTo(200), "Development serves the docs");
    }

    private async Task<HttpClient> Caller(string who) => who switch
    {
        "admin" => await _host.StaffAsync("admin"),
        "agent" => await _host.AgentAsync(await _host.Scalar<string>("SELECT code FROM agents WHERE active = TRUE ORDER BY code LIMIT 1")),
        _ => await _host.CustomerAsync((await StoreAndItem(0)).Customer),
    };
}
