using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using OrderHub.WeChat.Fakes;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>
/// 聊天工具栏 (issue #20) in Chromium: the page WeChat Work opens beside an agent's chat with a store, with a stub
/// <c>wx</c> standing in for WeChat Work's client (it records what the page asks of it and names the chat's external
/// contact); the JS-SDK tickets come from the fake WeChat server (written from the published protocol). The store's
/// figures are computed by hand from the orders, shipment and payment the test makes.
/// </summary>
public class ChatToolbarTests : ConsoleTestBase
{
    private FakeWeChatServer _fake = null!;
    private const string AgentPassword = "Toolbar-2026x";

    protected override ConsoleHost CreateHost()
    {
        _fake = FakeWeChatServer.StartAsync().GetAwaiter().GetResult();
        return new ConsoleHost(new Dictionary<string, string?>
        {
            ["WeChat:Enabled"] = "true",
            ["WeChat:AppId"] = _fake.Options.AppId,
            ["WeChat:AppSecret"] = _fake.Options.AppSecret,
            ["WeChat:ApiBaseUrl"] = _fake.BaseUrl,
            ["WeChat:MiniProgramState"] = "developer",
            ["WeChat:Dispatch:IntervalSeconds"] = "0",
            ["WeCom:Enabled"] = "true",
            ["WeCom:CorpId"] = _fake.Options.CorpId,
            ["WeCom:Secret"] = _fake.Options.CorpSecret,
            ["WeCom:ApiBaseUrl"] = _fake.BaseUrl,
            ["WeCom:AgentId"] = "1000002",
        });
    }

    [OneTimeTearDown]
    public async Task StopFake() { if (_fake is not null) await _fake.DisposeAsync(); }

    /// <summary>WeChat Work's client as the page meets it: config/ready/error/agentConfig and invoke, recorded in window.__wx.</summary>
    private static string StubWx(string externalUserId) => $$"""
        window.__wx = { config: null, agentConfig: null, sent: [] };
        window.wx = {
          config(c) { window.__wx.config = { appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature }; },
          ready(fn) { setTimeout(fn, 0); },
          error(fn) { window.__wx.onError = fn; },
          agentConfig(c) {
            window.__wx.agentConfig = { corpid: c.corpid, agentid: c.agentid, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: c.jsApiList };
            setTimeout(() => c.success({ errMsg: 'agentConfig:ok' }), 0);
          },
          invoke(name, args, cb) {
            // like WeChat Work: the contact and the send need a successful agentConfig first
            if (!window.__wx.agentConfig) return cb({ err_msg: name + ':fail no permission' });
            if (name === 'getCurExternalContact') return cb({ err_msg: 'getCurExternalContact:ok', userId: '{{externalUserId}}' });
            if (name === 'sendChatMessage') { window.__wx.sent.push(JSON.parse(JSON.stringify(args))); return cb({ err_msg: 'sendChatMessage:ok' }); }
            cb({ err_msg: name + ':fail unknown' });
          },
        };
        """;

    private sealed record Placed(long Id, string OrderNo, long TotalFen, string StatusLabel);

    [Test]
    public async Task The_toolbar_shows_the_chats_store_and_its_usual_order_card_carries_the_share_code_to_a_chat_won_order()
    {
        var rnd = new Random();
        // a store of an agent with an opening receivable, three ordinary in-stock items, and another agent's store
        var row = await Host.Scalar<string>("""
            SELECT c.id || '|' || c.code || '|' || c.agent_id || '|' || c.erp_receivable_fen FROM customers c
            WHERE c.active = TRUE AND c.agent_id IS NOT NULL AND c.erp_receivable_fen > 30000
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id)
              AND (SELECT COUNT(*) FROM stock s JOIN products p ON p.id = s.product_id
                   WHERE s.warehouse_id = c.warehouse_id AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40
                     AND p.min_order_qty % p.pack_size = 0 AND p.base_price_fen * p.min_order_qty < 50000
                     AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
                     AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id)
                     AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%') >= 3
            ORDER BY c.code LIMIT 1
            """);
        Assert.That(row, Is.Not.Null, "no suitable demo store");
        var parts = row.Split('|');
        var (storeId, storeCode, agentId, opening) = (long.Parse(parts[0]), parts[1], long.Parse(parts[2]), long.Parse(parts[3]));
        var items = (await Host.Scalar<string>("""
            SELECT GROUP_CONCAT(x.sku || ':' || x.min_order_qty || ':' || x.name, ',') FROM (
              SELECT p.sku, p.min_order_qty, p.name FROM customers c JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
              WHERE c.id = @storeId AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40
                AND p.min_order_qty % p.pack_size = 0 AND p.base_price_fen * p.min_order_qty < 50000
                AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
                AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id)
                AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              ORDER BY p.sku LIMIT 8) x
            """, new { storeId })).Split(',').OrderBy(_ => rnd.Next()).Take(3)
            .Select(s => s.Split(':', 3)).Select(s => (Sku: s[0], Moq: long.Parse(s[1]), Name: s[2])).ToArray();
        var (c, a, b) = (items[0], items[1], items[2]);
        long Qty(long moq) => moq * rnd.Next(1, 5);

        // the store's history: C bought every 7 days (21, 14 and 7 days ago), A 21 days ago and today, B today
        using var storeApi = await StoreClient(storeCode);
        var (q1, a1, q2, q3, a2, b1) = (Qty(c.Moq), Qty(a.Moq), Qty(c.Moq), Qty(c.Moq), Qty(a.Moq), Qty(b.Moq));
        var o1 = await Order(storeApi, (c.Sku, q1), (a.Sku, a1));
        var o2 = await Order(storeApi, (c.Sku, q2));
        var o3 = await Order(storeApi, (c.Sku, q3));
        var o4 = await Order(storeApi, (a.Sku, a2), (b.Sku, b1));
        foreach (var (o, days) in new[] { (o1, 21), (o2, 14), (o3, 7) })
            await Host.Execute("UPDATE orders SET created_at = @at WHERE id = @id", new { id = o.Id, at = DateTimeOffset.UtcNow.AddDays(-days).ToUnixTimeMilliseconds() });
        // the back office ships the first order (the store owes it) and records a payment
        var payment = (long)rnd.Next(1000, 20000);
        using (var admin = Host.Http(await Host.StaffToken("admin")))
        {
            Assert.That((await admin.PostAsync($"/api/admin/orders/{o1.Id}/approve-sales", null)).IsSuccessStatusCode);
            Assert.That((await admin.PostAsJsonAsync($"/api/admin/orders/{o1.Id}/approve-finance", new { @override = true })).IsSuccessStatusCode);
            Assert.That((await admin.PostAsync($"/api/admin/orders/{o1.Id}/ship", null)).IsSuccessStatusCode);
            var pay = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/customers/{storeId}/payments") { Content = JsonContent.Create(new { amountFen = payment, method = "bank_transfer", reference = "TB-" + rnd.Next() }) };
            pay.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            var paid = await admin.SendAsync(pay);
            Assert.That((int)paid.StatusCode, Is.EqualTo(201), await paid.Content.ReadAsStringAsync());
            // the agent's sign-in (mobile number and password), and the chat's external contact linked to the store
            var mobile = "139" + rnd.Next(10_000_000, 99_999_999);
            var set = await admin.PutAsJsonAsync($"/api/admin/agents/{agentId}", new { mobile, password = AgentPassword });
            Assert.That((int)set.StatusCode, Is.EqualTo(200), await set.Content.ReadAsStringAsync());
            Assert.That((await admin.PostAsJsonAsync($"/api/admin/wecom-contacts/wmToolbar{storeId}/link", new { customerId = storeId })).IsSuccessStatusCode);
            var otherStore = await Host.Scalar<long>("SELECT MIN(id) FROM customers WHERE agent_id <> @agentId", new { agentId });
            Assert.That((await admin.PostAsJsonAsync($"/api/admin/wecom-contacts/wmOther{otherStore}/link", new { customerId = otherStore })).IsSuccessStatusCode);
            TestContext.Out.WriteLine($"store {storeCode}, agent {agentId} ({mobile}), other store {otherStore}");
            _otherContact = $"wmOther{otherStore}";
            _mobile = mobile;
        }
        var receivable = opening + o1.TotalFen - payment;

        // the page in a phone-width WeChat Work sidebar
        var ext = $"wmToolbar{storeId}";
        await Page.SetViewportSizeAsync(375, 812);
        await Page.AddInitScriptAsync(StubWx(ext));
        var pageUrl = Host.BaseUrl + "/chat-toolbar/index.html?from=wecom";
        await Page.GotoAsync(pageUrl + "#chat");
        await Page.FillAsync("#mobile", _mobile);
        await Page.FillAsync("#password", AgentPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        var name = await Host.Scalar<string>("SELECT name FROM customers WHERE id = @storeId", new { storeId });
        await Expect(Page.Locator("#store-name")).ToHaveTextAsync(name);
        await Expect(Page.Locator("#receivable")).ToHaveTextAsync(Yuan(receivable));
        await Expect(Page.Locator("#open-count")).ToHaveTextAsync("3");
        await Expect(Page.Locator("#last-order")).ToContainTextAsync($"最近一单 {o4.OrderNo}");
        await Expect(Page.Locator("#last-order")).ToContainTextAsync(Yuan(o4.TotalFen));
        // the usual order: C three times (last q3), A twice (last a2), B once (b1), most often first
        var usual = Page.Locator("#usual li[data-sku]");
        await Expect(usual).ToHaveCountAsync(3);
        Assert.That(await usual.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.sku + ':' + e.querySelector('.qty').textContent)"),
            Is.EqualTo(new[] { $"{c.Sku}:{q3}", $"{a.Sku}:{a2}", $"{b.Sku}:{b1}" }));
        // due for restocking: only C (bought on 3 days, every 7 days, last 7 days ago), usually the median quantity
        var due = Page.Locator("#restock li[data-sku]");
        await Expect(due).ToHaveCountAsync(1);
        Assert.That(await due.GetAttributeAsync("data-sku"), Is.EqualTo(c.Sku));
        await Expect(due.Locator(".qty")).ToHaveTextAsync(new[] { q1, q2, q3 }.Order().ElementAt(1).ToString());
        // open orders, newest first, with their statuses (the shipped one is no longer open)
        var open = Page.Locator("#orders li[data-order-no]");
        Assert.That(await open.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.orderNo + ':' + e.querySelector('.status').textContent)"),
            Is.EqualTo(new[] { o4, o3, o2 }.Select(o => $"{o.OrderNo}:{o.StatusLabel}").ToArray()));
        await Screenshot("toolbar-375");

        // the signatures the page configured the JS-SDK with, recomputed as WeChat Work publishes them (URL without the #)
        var wx = await Page.EvaluateAsync<JsonElement>("() => ({ config: window.__wx.config, agentConfig: window.__wx.agentConfig })");
        var cfg = wx.GetProperty("config");
        var agentCfg = wx.GetProperty("agentConfig");
        Assert.That(agentCfg.GetProperty("signature").GetString(), Is.EqualTo(Sha1(
            $"jsapi_ticket={_fake.AgentJsApiTicket}&noncestr={agentCfg.GetProperty("nonceStr").GetString()}&timestamp={agentCfg.GetProperty("timestamp").GetInt64()}&url={pageUrl}")));
        Assert.That(cfg.GetProperty("signature").GetString(), Is.EqualTo(Sha1(
            $"jsapi_ticket={_fake.CorpJsApiTicket}&noncestr={cfg.GetProperty("nonceStr").GetString()}&timestamp={cfg.GetProperty("timestamp").GetInt64()}&url={pageUrl}")));
        Assert.That((agentCfg.GetProperty("corpid").GetString(), agentCfg.GetProperty("agentid").GetString(), cfg.GetProperty("appId").GetString()),
            Is.EqualTo((_fake.Options.CorpId, "1000002", _fake.Options.CorpId)));
        Assert.That(agentCfg.GetProperty("jsApiList").EnumerateArray().Select(x => x.GetString()), Is.SupersetOf(new[] { "getCurExternalContact", "sendChatMessage" }));

        // one tap: the usual order as a mini-program card with its own share code
        await Page.GetByRole(AriaRole.Button, new() { Name = "发送常用单" }).ClickAsync();
        await Page.WaitForFunctionAsync("() => window.__wx.sent.length === 1");
        var sent = await Page.EvaluateAsync<JsonElement>("() => window.__wx.sent[0]");
        Assert.That(sent.GetProperty("msgtype").GetString(), Is.EqualTo("miniprogram"));
        var mp = sent.GetProperty("miniprogram");
        var code = await Host.Scalar<string>("SELECT code FROM chat_cards WHERE customer_id = @storeId AND agent_id = @agentId AND kind = 'usual_order'", new { storeId, agentId });
        Assert.That(mp.GetProperty("page").GetString(), Is.EqualTo($"pages/products/index.html?view=frequent&share={code}"));
        Assert.That(mp.GetProperty("appid").GetString(), Is.EqualTo(_fake.Options.AppId));
        Assert.That(mp.GetProperty("imgUrl").GetString(), Is.EqualTo(Host.BaseUrl + "/chat-toolbar/cover.png"));
        Assert.That((int)(await Host.Http().GetAsync("/chat-toolbar/cover.png")).StatusCode, Is.EqualTo(200));
        await Expect(Page.Locator("#toast")).ToHaveTextAsync("已发送");
        // a product and an open order's status, each its own card
        await Page.Locator($"#usual li[data-sku='{b.Sku}'] button").ClickAsync();
        await Page.WaitForFunctionAsync("() => window.__wx.sent.length === 2");
        await Page.Locator($"#orders li[data-order-no='{o3.OrderNo}'] button").ClickAsync();
        await Page.WaitForFunctionAsync("() => window.__wx.sent.length === 3");
        var pages = await Page.EvaluateAsync<string[]>("() => window.__wx.sent.map(s => s.miniprogram.page)");
        Assert.That(pages[1], Does.StartWith($"pages/product/index.html?sku={Uri.EscapeDataString(b.Sku)}&share="));
        Assert.That(pages[2], Does.StartWith($"pages/order/detail.html?no={o3.OrderNo}&share="));
        Assert.That(pages.Select(p => p.Split("share=")[1]).Distinct().Count(), Is.EqualTo(3), "each send has its own share code");

        // the store opens the card and orders its usual quantities from it, as the mini-program does
        Assert.That((int)(await storeApi.PostAsync($"/api/chat-cards/{code}/opened", null)).StatusCode, Is.EqualTo(204));
        var frequent = await storeApi.GetFromJsonAsync<JsonElement>("/api/orders/frequent");
        foreach (var f in frequent.EnumerateArray())
        {
            var add = await storeApi.PostAsJsonAsync("/api/cart/items", new { sku = f.GetProperty("item").GetProperty("sku").GetString(), quantity = f.GetProperty("lastQuantity").GetInt64(), shareCode = code });
            Assert.That((int)add.StatusCode, Is.EqualTo(200), await add.Content.ReadAsStringAsync());
        }
        var won = await Submit(storeApi);
        var lines = await Host.Scalar<string>("SELECT GROUP_CONCAT(x, ',') FROM (SELECT sku || ':' || quantity AS x FROM order_lines WHERE order_id = @id AND is_gift = FALSE ORDER BY sku) t", new { id = won.Id });
        Assert.That(lines, Is.EqualTo(string.Join(',', new[] { $"{c.Sku}:{q3}", $"{a.Sku}:{a2}", $"{b.Sku}:{b1}" }.Order(StringComparer.Ordinal))));

        // the agent's chat-won figures: 3 cards sent, 1 opened, 1 order of that total
        using var agentApi = Host.Http();
        var signIn = await agentApi.PostAsJsonAsync("/api/auth/login", new { mobile = _mobile, password = AgentPassword });
        agentApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var figures = await agentApi.GetFromJsonAsync<JsonElement>("/api/agent/chat/figures");
        Assert.That((figures.GetProperty("cardsSent").GetInt32(), figures.GetProperty("cardsOpened").GetInt32(), figures.GetProperty("orders").GetInt32(), figures.GetProperty("revenueFen").GetInt64()),
            Is.EqualTo((3, 1, 1, won.TotalFen)));
        Assert.That(await Host.Scalar<string>("SELECT share_code FROM orders WHERE id = @id", new { id = won.Id }), Is.EqualTo(code));

        // the office sees the same in the console's 报表 → 聊天成交: the agent's row, then its stores, and the orders behind the figure
        var agentName = await Host.Scalar<string>("SELECT name FROM agents WHERE id = @agentId", new { agentId });
        await SignIn("admin");
        await Page.GotoAsync("/console/#/reports/chat-won");
        var agentRow = Page.Locator("#chat-agents tbody tr", new() { HasText = agentName });
        await Expect(agentRow.Locator("td[data-col='发出卡片']")).ToHaveTextAsync("3");
        await Expect(agentRow.Locator("td[data-col='打开']")).ToHaveTextAsync("1");
        await Expect(agentRow.Locator("td[data-col='订单']")).ToHaveTextAsync("1");
        await Expect(agentRow.Locator("td[data-col='成交金额']")).ToHaveTextAsync(Yuan(won.TotalFen));
        await agentRow.Locator("td[data-col='业务员'] a").ClickAsync();
        await Expect(Page.Locator("#kpi-chat-revenue .value")).ToHaveTextAsync(Yuan(won.TotalFen));
        var storeRow = Page.Locator("#chat-stores tbody tr", new() { HasText = name });
        await Expect(storeRow.Locator("td[data-col='发出卡片']")).ToHaveTextAsync("3");
        await Expect(storeRow.Locator("td[data-col='成交金额']")).ToHaveTextAsync(Yuan(won.TotalFen));
        await Screenshot("chat-won-report");
        await storeRow.Locator("td[data-col='成交金额'] a").ClickAsync();
        await Expect(Page.Locator($"tr[data-order-no='{won.OrderNo}']")).ToBeVisibleAsync();

        // another agent's store, or a contact linked to no store: 404 for this agent
        Assert.That((int)(await agentApi.GetAsync($"/api/agent/chat/contacts/{_otherContact}/store")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await agentApi.GetAsync("/api/agent/chat/contacts/wmNobody/store")).StatusCode, Is.EqualTo(404));
    }

    private string _otherContact = "", _mobile = "";

    /// <summary>Yuan as the API writes money: thousands separated, two decimals.</summary>
    private static string Yuan(long fen) => $"¥{(fen / 100).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)}.{fen % 100:00}";

    private static string Sha1(string s) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();

    private async Task<HttpClient> StoreClient(string customerCode)
    {
        var client = Host.Http();
        var login = await client.PostAsJsonAsync("/api/auth/dev-login", new { customerCode });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    private static async Task<Placed> Order(HttpClient store, params (string Sku, long Quantity)[] lines)
    {
        foreach (var (sku, quantity) in lines)
        {
            var add = await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity });
            Assert.That((int)add.StatusCode, Is.EqualTo(200), await add.Content.ReadAsStringAsync());
        }
        return await Submit(store);
    }

    private static async Task<Placed> Submit(HttpClient store)
    {
        var addressId = (await store.GetFromJsonAsync<JsonElement>("/api/addresses"))[0].GetProperty("id").GetInt64();
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId }) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var res = await store.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), body);
        var s = JsonDocument.Parse(body).RootElement.GetProperty("summary");
        return new Placed(s.GetProperty("id").GetInt64(), s.GetProperty("orderNo").GetString()!, s.GetProperty("totalFen").GetInt64(), s.GetProperty("statusLabel").GetString()!);
    }
}
