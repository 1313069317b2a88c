using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;

namespace OrderHub.Tests.Api;

/// <summary>The catalog over HTTP as the mini-program calls it, on the demo distributor.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class CatalogApiTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    [Test]
    public async Task Without_a_token_the_catalog_answers_401_problem_in_Chinese_and_English()
    {
        var res = await _host.CreateClient().GetAsync("/api/catalog/products");
        await HttpAssert.Problem(res, 401, "请先登录");
    }

    [Test]
    public async Task A_malformed_token_is_401_not_500()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token.%%%");
        await HttpAssert.Problem(await client.GetAsync("/api/catalog/products"), 401);
    }

    [Test]
    public async Task A_customer_pays_its_own_agreed_price_and_another_store_does_not()
    {
        // A contract price of the demo data, and a store of the same group without one for that product.
        var (customer, sku, price) = await _host.Scalar<string>("""
            SELECT c.code || '|' || p.sku || '|' || cp.price_fen FROM customer_prices cp
            JOIN customers c ON c.id = cp.customer_id JOIN products p ON p.id = cp.product_id
            WHERE cp.source = 'contract' AND cp.min_qty = 1 AND p.active = TRUE
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY c.code, p.sku LIMIT 1
            """) is var s ? (s.Split('|')[0], s.Split('|')[1], long.Parse(s.Split('|')[2])) : default;
        var other = await _host.Scalar<string>("""
            SELECT o.code FROM customers o JOIN customers c ON c.group_id = o.group_id AND c.code = @customer
            WHERE o.code <> c.code AND NOT EXISTS (SELECT 1 FROM customer_prices cp JOIN products p ON p.id = cp.product_id WHERE cp.customer_id = o.id AND p.sku = @sku)
            ORDER BY o.code LIMIT 1
            """, new { customer, sku });

        var mine = await HttpAssert.Ok(await (await _host.CustomerAsync(customer)).GetAsync($"/api/catalog/products/{sku}"));
        var theirs = await HttpAssert.Ok(await (await _host.CustomerAsync(other)).GetAsync($"/api/catalog/products/{sku}"));
        Assert.Multiple(() =>
        {
            Assert.That(mine.GetProperty("price").GetProperty("fen").GetInt64(), Is.EqualTo(price));
            Assert.That(mine.GetProperty("price").GetProperty("source").GetString(), Is.EqualTo("customer_price"));
            Assert.That(mine.GetProperty("price").GetProperty("reason").GetString(), Does.Contain("客户协议价"));
            Assert.That(theirs.GetProperty("price").GetProperty("source").GetString(), Is.Not.EqualTo("customer_price"));
        });
    }

    [Test]
    public async Task Every_row_carries_price_source_stock_pack_and_moq()
    {
        var client = await _host.CustomerAsync("C00001");
        var page = await HttpAssert.Ok(await client.GetAsync("/api/catalog/products?limit=20"));
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(20));
        Assert.That(page.GetProperty("nextCursor").GetString(), Is.EqualTo(items[^1].GetProperty("sku").GetString()));
        foreach (var i in items)
        {
            Assert.That(i.GetProperty("price").GetProperty("text").GetString(), Does.StartWith("¥"));
            Assert.That(i.GetProperty("price").GetProperty("source").GetString(), Is.AnyOf("promotion", "customer_price", "tracking_price", "group_price_list", "base_price"));
            Assert.That(i.GetProperty("packSize").GetInt32(), Is.GreaterThan(0));
            Assert.That(i.GetProperty("minOrderQty").GetInt32(), Is.GreaterThan(0));
            Assert.That(i.GetProperty("stock").GetProperty("levelText").GetString(), Is.AnyOf("有货", "少量", "缺货"));
        }
        var next = await HttpAssert.Ok(await client.GetAsync($"/api/catalog/products?limit=20&after={Uri.EscapeDataString(page.GetProperty("nextCursor").GetString()!)}"));
        var firstOfNext = next.GetProperty("items")[0].GetProperty("sku").GetString();
        Assert.That(string.CompareOrdinal(firstOfNext, items[^1].GetProperty("sku").GetString()), Is.GreaterThan(0));
    }

    [Test]
    public async Task Small_shops_do_not_see_baijiu_and_a_direct_request_is_404()
    {
        var shop = await _host.Scalar<string>("""
            SELECT c.code FROM customers c JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'SHOP' AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id) ORDER BY c.code LIMIT 1
            """);
        var baijiu = await _host.Scalar<string>("SELECT p.sku FROM products p JOIN categories k ON k.id = p.category_id WHERE k.code = 'BAIJIU' AND p.active = TRUE ORDER BY p.sku LIMIT 1");
        var client = await _host.CustomerAsync(shop);
        await HttpAssert.Problem(await client.GetAsync($"/api/catalog/products/{baijiu}"), 404, "不存在");
        var tree = await HttpAssert.Ok(await client.GetAsync("/api/catalog/categories"));
        Assert.That(tree.EnumerateArray().SelectMany(n => n.GetProperty("children").EnumerateArray()).Select(n => n.GetProperty("code").GetString()), Does.Not.Contain("BAIJIU"));
        var brands = await HttpAssert.Ok(await client.GetAsync("/api/catalog/brands"));
        Assert.That(brands.EnumerateArray().Select(b => b.GetProperty("brand").GetString()), Does.Not.Contain("牛栏山"));
    }

    [Test]
    public async Task A_customer_cannot_look_at_another_customers_catalog()
    {
        var otherId = await _host.Scalar<long>("SELECT id FROM customers WHERE code = 'C00002'");
        var client = await _host.CustomerAsync("C00001");
        await HttpAssert.Problem(await client.GetAsync($"/api/catalog/products?customerId={otherId}"), 404);
        await HttpAssert.Problem(await client.GetAsync($"/api/catalog/categories?customerId={otherId}"), 404);
    }

    [Test]
    public async Task An_agent_sees_its_own_customers_catalog_and_gets_404_for_others()
    {
        var agent = await _host.Scalar<string>("SELECT a.code FROM agents a ORDER BY a.code LIMIT 1");
        var own = await _host.Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = @agent ORDER BY c.id LIMIT 1", new { agent });
        var notOwn = await _host.Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code <> @agent ORDER BY c.id LIMIT 1", new { agent });
        var client = await _host.AgentAsync(agent);
        var page = await HttpAssert.Ok(await client.GetAsync($"/api/catalog/products?customerId={own}&limit=5"));
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(5));
        await HttpAssert.Problem(await client.GetAsync($"/api/catalog/products?customerId={notOwn}"), 404);
        await HttpAssert.Problem(await client.GetAsync("/api/catalog/products"), 400, "customerId");
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=-5", "limit")]
    [TestCase("limit=100000", "limit")]
    [TestCase("categoryId=-1", "categoryId")]
    public async Task Bad_paging_and_filters_get_a_400_validation_problem(string query, string field)
    {
        var client = await _host.CustomerAsync("C00001");
        var json = await HttpAssert.Problem(await client.GetAsync($"/api/catalog/products?{query}"), 400);
        Assert.That(json.GetProperty("errors").TryGetProperty(field, out var errs), Is.True);
        Assert.That(errs[0].GetString(), Does.Contain(" / "));
    }

    [TestCase("limit=abc")]
    [TestCase("categoryId=1.5")]
    [TestCase("customerId=x")]
    public async Task Values_of_the_wrong_type_get_a_400_problem(string query)
    {
        var client = await _host.CustomerAsync("C00001");
        await HttpAssert.Problem(await client.GetAsync($"/api/catalog/products?{query}"), 400);
    }

    [Test]
    public async Task Unknown_sku_is_a_404_problem()
    {
        var client = await _host.CustomerAsync("C00001");
        await HttpAssert.Problem(await client.GetAsync("/api/catalog/products/NO-SUCH-SKU"), 404, "NO-SUCH-SKU");
    }

    [Test]
    public async Task Dev_login_errors_are_problems()
    {
        var client = _host.CreateClient();
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = "NOPE" }), 404);
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/auth/dev-login", new { }), 400);
        await HttpAssert.Problem(await client.PostAsync("/api/auth/dev-login", new StringContent("{not json", Encoding.UTF8, "application/json")), 400);
    }

    [Test]
    public async Task Refresh_token_gives_a_working_access_token_and_garbage_is_refused()
    {
        var client = _host.CreateClient();
        var login = await HttpAssert.Ok(await client.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = "C00003" }));
        var refreshed = await HttpAssert.Ok(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("accessToken").GetString());
        var me = await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
        Assert.That(me.GetProperty("role").GetString(), Is.EqualTo("customer"));
        await HttpAssert.Problem(await _host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "garbage" }), 401);
    }

    [Test]
    public async Task The_OpenAPI_document_describes_the_catalog()
    {
        var doc = await HttpAssert.Ok(await _host.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(paths, Does.Contain("/api/catalog/products").And.Contain("/api/catalog/products/{sku}").And.Contain("/api/catalog/categories"));
    }

    [Test]
    public async Task Unknown_routes_are_404_problems()
    {
        var client = await _host.CustomerAsync("C00001");
        await HttpAssert.Problem(await client.GetAsync("/api/no-such-thing"), 404);
    }
    [Test]
    public async Task Content_saved_in_the_console_is_on_the_stores_list_and_detail_and_orders_the_recommended_list()
    {
        var sku = await _host.Scalar<string>("""
            SELECT p.sku FROM products p WHERE p.active = TRUE AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id) ORDER BY p.sku DESC LIMIT 1
            """);
        var admin = await _host.StaffAsync("admin");
        var saved = await HttpAssert.Ok(await admin.PutAsJsonAsync($"/api/admin/catalog/products/{sku}/content", new
        {
            description = "整箱发货，破损包赔。", sellingPoints = new[] { "门店热卖", "毛利高" }, tags = new[] { "爆款" }, isHot = true, sortOrder = 1,
        }));
        Assert.That(saved.GetProperty("updatedBy").GetString(), Is.Not.Empty);
        await HttpAssert.Problem(await (await _host.StaffAsync("clerk")).PutAsJsonAsync($"/api/admin/catalog/products/{sku}/content", new { isHot = false }), 403);
        var bad = await HttpAssert.Problem(await admin.PutAsJsonAsync($"/api/admin/catalog/products/{sku}/content", new { sortOrder = -1 }), 400);
        Assert.That(bad.GetProperty("errors").GetProperty("sortOrder")[0].GetString(), Does.Contain("排序号"));
        await HttpAssert.Problem(await admin.PutAsJsonAsync("/api/admin/catalog/products/NO-SUCH/content", new { isHot = true }), 404);

        var store = await _host.CustomerAsync("C00001");
        var detail = await HttpAssert.Ok(await store.GetAsync($"/api/catalog/products/{sku}"));
        var recommended = await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?sort=recommended&limit=5"));
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("description").GetString(), Is.EqualTo("整箱发货，破损包赔。"));
            Assert.That(detail.GetProperty("sellingPoints").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "门店热卖", "毛利高" }));
            Assert.That(detail.GetProperty("isHot").GetBoolean(), Is.True);
            var first = recommended.GetProperty("items")[0];
            Assert.That(first.GetProperty("sku").GetString(), Is.EqualTo(sku), "the positioned product first, though its SKU is the last");
            Assert.That(first.GetProperty("tags")[0].GetString(), Is.EqualTo("爆款"));
            Assert.That(recommended.GetProperty("nextCursor").GetString(), Does.StartWith("@"));
        });
        var badSort = await HttpAssert.Problem(await store.GetAsync("/api/catalog/products?sort=price"), 400);
        Assert.That(badSort.GetProperty("errors").TryGetProperty("sort", out _), Is.True);
    }

    [Test]
    public async Task Favourites_belong_to_one_store_and_show_todays_catalog_line()
    {
        var skus = (await HttpAssert.Ok(await (await _host.CustomerAsync("C00005")).GetAsync("/api/catalog/products?limit=3")))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString()!).ToList();
        var store = await _host.CustomerAsync("C00005");
        Assert.That((int)(await store.PutAsync($"/api/catalog/favourites/{skus[0]}", null)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await store.PutAsync($"/api/catalog/favourites/{skus[1]}", null)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await store.PutAsync($"/api/catalog/favourites/{skus[1]}", null)).StatusCode, Is.EqualTo(204), "again: still one");
        await HttpAssert.Problem(await store.PutAsync("/api/catalog/favourites/NO-SUCH-SKU", null), 404);

        var list = await HttpAssert.Ok(await store.GetAsync("/api/catalog/favourites"));
        Assert.That(list.EnumerateArray().Select(i => i.GetProperty("sku").GetString()), Is.EquivalentTo(new[] { skus[0], skus[1] }));
        Assert.That(list[0].GetProperty("price").GetProperty("fen").GetInt64(), Is.GreaterThan(0));
        var other = await HttpAssert.Ok(await (await _host.CustomerAsync("C00006")).GetAsync("/api/catalog/favourites"));
        Assert.That(other.EnumerateArray().Select(i => i.GetProperty("sku").GetString()), Does.Not.Contain(skus[0]), "another store's favourites are its own");

        Assert.That((int)(await store.DeleteAsync($"/api/catalog/favourites/{skus[0]}")).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await store.DeleteAsync($"/api/catalog/favourites/{skus[0]}")).StatusCode, Is.EqualTo(204), "removing twice is not an error");
        var after = await HttpAssert.Ok(await store.GetAsync("/api/catalog/favourites"));
        Assert.That(after.EnumerateArray().Select(i => i.GetProperty("sku").GetString()), Is.EqualTo(new[] { skus[1] }));
    }

    [Test]
    public async Task Two_words_find_the_beef_noodles_with_facets()
    {
        var store = await _host.CustomerAsync("C00001");
        var page = await HttpAssert.Ok(await store.GetAsync($"/api/catalog/products?q={Uri.EscapeDataString("康师傅 牛肉")}&limit=5"));
        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.That(names, Does.Contain("康师傅红烧牛肉面"));
        Assert.That(page.GetProperty("facets").GetProperty("brands").EnumerateArray().Select(b => b.GetProperty("brand").GetString()), Is.EqualTo(new[] { "康师傅" }));
        Assert.That(page.GetProperty("facets").GetProperty("categories")[0].GetProperty("name").GetString(), Is.EqualTo("方便面"));
    }
}

public class ProductionHostTests
{
    [Test]
    public async Task The_development_login_does_not_exist_outside_Development()
    {
        using var host = new ApiHost(environment: "Production");
        var res = await host.CreateClient().PostAsJsonAsync("/api/auth/dev-login", new { customerCode = "C00001" });
        Assert.That((int)res.StatusCode, Is.EqualTo(404));
        Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("accessToken"));
    }

}
