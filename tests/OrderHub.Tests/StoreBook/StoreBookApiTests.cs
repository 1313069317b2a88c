using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.StoreBook;

/// <summary>
/// A store's invoice titles (发票抬头) and delivery addresses (收货地址) over HTTP, on both databases: kept by the store and
/// by its agent, refused to anyone else, picked on an order, and copied onto it as they were.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class StoreBookApiTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    /// <summary>A chain store (the n-th), its agent, another agent, and an item it may buy with stock to spare.</summary>
    private async Task<(string Code, long Id, string Agent, string OtherAgent, string Sku, long Qty)> Store(int n)
    {
        var row = await _host.Scalar<string>($"""
            SELECT c.code || '|' || c.id || '|' || a.code || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN agents a ON a.id = c.agent_id
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'CHAIN' AND c.active = TRUE AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND c.id = (SELECT c2.id FROM customers c2 JOIN customer_groups g2 ON g2.id = c2.group_id
                          WHERE g2.code = 'CHAIN' AND c2.active = TRUE AND c2.agent_id IS NOT NULL ORDER BY c2.code LIMIT 1 OFFSET {n})
            ORDER BY p.sku LIMIT 1
            """);
        var p = row.Split('|');
        var other = await _host.Scalar<string>("SELECT code FROM agents WHERE code <> @a AND active = TRUE ORDER BY code LIMIT 1", new { a = p[2] });
        return (p[0], long.Parse(p[1]), p[2], other, p[3], long.Parse(p[4]));
    }

    private static async Task<HttpResponseMessage> Post(HttpClient c, string url, object body, string? key = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return await c.SendAsync(req);
    }

    private static object Special(string title = "杭州测试商贸有限公司") => new
    {
        kind = "special", title, taxNo = "91330100MA2ABCDE1X", bankName = "工商银行杭州分行", bankAccount = "1202020209000012345",
        address = "杭州市西湖区文三路 1 号", phone = "0571-88880000", isDefault = true,
    };

    [Test]
    public async Task A_store_keeps_invoice_titles_its_agent_may_too_and_nobody_else_sees_them()
    {
        var s = await Store(0);
        var store = await _host.CustomerAsync(s.Code);

        var missing = await HttpAssert.Problem(await Post(store, "/api/invoice-titles", new { kind = "special", title = "缺银行的公司", taxNo = "91330100MA2ABCDE1X" }), 400);
        Assert.That(missing.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[] { "bankName", "bankAccount", "address", "phone" }));
        await HttpAssert.Problem(await Post(store, "/api/invoice-titles", new { kind = "normal", title = "个人", taxNo = "12345" }), 400);

        var normal = await HttpAssert.Ok(await Post(store, "/api/invoice-titles", new { kind = "normal", title = "王小二便利店" }));
        Assert.That(normal.GetProperty("isDefault").GetBoolean(), Is.True, "the first title is the default");
        Assert.That(normal.GetProperty("kindText").GetString(), Is.EqualTo("普票"));
        var created = await Post(store, "/api/invoice-titles", Special(), key: "title-special");
        Assert.That((int)created.StatusCode, Is.EqualTo(201));
        var special = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var replay = await HttpAssert.Ok(await Post(store, "/api/invoice-titles", Special(), key: "title-special"));
        Assert.That(replay.GetProperty("id").GetInt64(), Is.EqualTo(special.GetProperty("id").GetInt64()), "a retried create answers the first title");
        await HttpAssert.Problem(await Post(store, "/api/invoice-titles", Special("另一家公司"), key: "title-special"), 422);

        var list = await HttpAssert.Ok(await store.GetAsync("/api/invoice-titles"));
        Assert.That(list.GetArrayLength(), Is.EqualTo(2));
        Assert.That(list[0].GetProperty("kindText").GetString(), Is.EqualTo("专票"), "the new default comes first");
        Assert.That(list[1].GetProperty("isDefault").GetBoolean(), Is.False, "only one default");

        // Its agent keeps the same book; another agent and another store do not see it.
        var agent = await _host.AgentAsync(s.Agent);
        var agentList = await HttpAssert.Ok(await agent.GetAsync($"/api/agent/customers/{s.Id}/invoice-titles"));
        Assert.That(agentList.GetArrayLength(), Is.EqualTo(2));
        await HttpAssert.Ok(await Post(agent, $"/api/agent/customers/{s.Id}/invoice-titles", new { kind = "normal", title = "业务员代填抬头" }));
        var otherAgent = await _host.AgentAsync(s.OtherAgent);
        await HttpAssert.Problem(await otherAgent.GetAsync($"/api/agent/customers/{s.Id}/invoice-titles"), 404);
        await HttpAssert.Problem(await Post(otherAgent, $"/api/agent/customers/{s.Id}/invoice-titles", new { kind = "normal", title = "越权" }), 404);

        var other = await _host.CustomerAsync((await Store(1)).Code);
        var id = special.GetProperty("id").GetInt64();
        await HttpAssert.Problem(await other.GetAsync($"/api/invoice-titles/{id}"), 404);
        await HttpAssert.Problem(await other.PutAsJsonAsync($"/api/invoice-titles/{id}", Special("改别人的")), 404);
        await HttpAssert.Problem(await other.DeleteAsync($"/api/invoice-titles/{id}"), 404);
        var otherList = await other.GetStringAsync("/api/invoice-titles");
        Assert.That(otherList, Does.Not.Contain("杭州测试商贸有限公司"));
        Assert.That(await _host.Scalar<string>("SELECT title FROM invoice_titles WHERE id = @id", new { id }), Is.EqualTo("杭州测试商贸有限公司"), "nothing changed");
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/invoice-titles"))).GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task An_order_keeps_the_invoice_title_and_address_as_they_were_and_the_back_office_sees_and_exports_them()
    {
        var s = await Store(2);
        var store = await _host.CustomerAsync(s.Code);
        var title = await HttpAssert.Ok(await Post(store, "/api/invoice-titles", Special("宁波原抬头有限公司")));
        var address = await HttpAssert.Ok(await Post(store, "/api/addresses",
            new { label = "仓库", contactName = "李四", phone = "13800001111", address = "宁波市海曙区中山西路 88 号后门", isDefault = true }));
        Assert.That(address.GetProperty("isDefault").GetBoolean(), Is.True);
        var addresses = await HttpAssert.Ok(await store.GetAsync("/api/addresses"));
        Assert.That(addresses[0].GetProperty("id").GetInt64(), Is.EqualTo(address.GetProperty("id").GetInt64()), "the new default comes first");
        Assert.That(addresses.EnumerateArray().Count(a => a.GetProperty("isDefault").GetBoolean()), Is.EqualTo(1));

        // Another store's invoice title is refused on an order.
        var other = await _host.CustomerAsync((await Store(3)).Code);
        var foreign = await HttpAssert.Ok(await Post(other, "/api/invoice-titles", new { kind = "normal", title = "别家的抬头" }));
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = s.Sku, quantity = s.Qty }));
        await HttpAssert.Problem(await Post(store, "/api/orders", new { addressId = address.GetProperty("id").GetInt64(), invoiceTitleId = foreign.GetProperty("id").GetInt64() }), 400, "发票抬头不存在");

        var order = await HttpAssert.Ok(await Post(store, "/api/orders", new { addressId = address.GetProperty("id").GetInt64(), invoiceTitleId = title.GetProperty("id").GetInt64(), note = "开专票" }));
        var orderNo = order.GetProperty("summary").GetProperty("orderNo").GetString()!;
        var orderId = order.GetProperty("summary").GetProperty("id").GetInt64();
        Assert.That(order.GetProperty("invoice").GetProperty("title").GetString(), Is.EqualTo("宁波原抬头有限公司"));

        // The store edits both afterwards: the order keeps what it was placed with.
        await HttpAssert.Ok(await store.PutAsJsonAsync($"/api/invoice-titles/{title.GetProperty("id").GetInt64()}", Special("宁波新抬头有限公司")));
        await HttpAssert.Ok(await store.PutAsJsonAsync($"/api/addresses/{address.GetProperty("id").GetInt64()}",
            new { label = "仓库", contactName = "王五", phone = "13800002222", address = "宁波市鄞州区新地址 1 号", isDefault = true }));
        var mine = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}"));
        Assert.That(mine.GetProperty("invoice").GetProperty("title").GetString(), Is.EqualTo("宁波原抬头有限公司"));
        Assert.That(mine.GetProperty("deliveryAddress").GetString(), Is.EqualTo("宁波市海曙区中山西路 88 号后门"));
        Assert.That(mine.GetProperty("contactName").GetString(), Is.EqualTo("李四"));

        var clerk = await _host.StaffAsync("clerk");
        var backOffice = await HttpAssert.Ok(await clerk.GetAsync($"/api/admin/orders/{orderId}"));
        var invoice = backOffice.GetProperty("order").GetProperty("invoice");
        Assert.That(invoice.GetProperty("kindText").GetString(), Is.EqualTo("专票"));
        Assert.That(invoice.GetProperty("bankAccount").GetString(), Is.EqualTo("1202020209000012345"));
        var download = await clerk.GetAsync($"/api/admin/orders/download?format=csv&customerId={s.Id}");
        var csv = Encoding.UTF8.GetString(await download.Content.ReadAsByteArrayAsync());
        Assert.That((int)download.StatusCode, Is.EqualTo(200), csv);
        var rows = csv.Split("\r\n").Where(l => l.StartsWith(orderNo, StringComparison.Ordinal)).ToList();
        Assert.That(rows, Has.Count.EqualTo(1), csv);
        var row = rows[0];
        Assert.That(row, Does.Contain(",专票,宁波原抬头有限公司,91330100MA2ABCDE1X,"));

        // Removing the default address makes the remaining oldest one the default; the order still has its copy.
        await store.DeleteAsync($"/api/addresses/{address.GetProperty("id").GetInt64()}");
        var left = await HttpAssert.Ok(await store.GetAsync("/api/addresses"));
        Assert.That(left.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()), Does.Not.Contain(address.GetProperty("id").GetInt64()));
        if (left.GetArrayLength() > 0) Assert.That(left[0].GetProperty("isDefault").GetBoolean(), Is.True);
        Assert.That((await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}"))).GetProperty("deliveryAddress").GetString(), Is.EqualTo("宁波市海曙区中山西路 88 号后门"));
    }

    [Test]
    public async Task An_agent_adds_an_address_for_its_store_and_another_agent_is_refused()
    {
        var s = await Store(4);
        var agent = await _host.AgentAsync(s.Agent);
        await HttpAssert.Problem(await Post(agent, $"/api/agent/customers/{s.Id}/addresses", new { contactName = "张三", phone = "abc", address = "" }), 400);
        var a = await HttpAssert.Ok(await Post(agent, $"/api/agent/customers/{s.Id}/addresses", new { contactName = "张三", phone = "13900003333", address = "温州市鹿城区人民路 5 号" }));
        var list = await HttpAssert.Ok(await agent.GetAsync($"/api/agent/customers/{s.Id}/addresses"));
        Assert.That(list.EnumerateArray().Select(x => x.GetProperty("address").GetString()), Does.Contain("温州市鹿城区人民路 5 号"));
        var otherAgent = await _host.AgentAsync(s.OtherAgent);
        await HttpAssert.Problem(await Post(otherAgent, $"/api/agent/customers/{s.Id}/addresses", new { contactName = "越权", phone = "13900004444", address = "别处" }), 404);
        await HttpAssert.Problem(await otherAgent.DeleteAsync($"/api/agent/customers/{s.Id}/addresses/{a.GetProperty("id").GetInt64()}"), 404);
        var store = await _host.CustomerAsync(s.Code);
        Assert.That((await store.GetStringAsync("/api/addresses")), Does.Contain("温州市鹿城区人民路 5 号"), "the store sees what its agent added");
    }
}
