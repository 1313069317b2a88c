using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.WeChat;

/// <summary>
/// The agent's chat as the shop window (issue #20), end to end against the fake WeChat Work (written from the published
/// protocol, with a callback token and EncodingAESKey generated per run): a store owner adds the agent through the
/// store's 联系我 QR → bound → welcome card with a share code → the agent sends the store's usual order as a card → the
/// store opens it and orders → the order is chat-won in the agent's figures. Forged, stale and replayed callbacks are refused.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ChatCommerceTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    private HttpClient Raw() => _wx.Host.CreateClient();

    [Test]
    public async Task A_store_that_adds_its_agent_through_the_QR_is_bound_welcomed_and_its_order_from_a_chat_card_is_chat_won()
    {
        var (agentCode, agentId, store) = await _wx.AgentAndStoreAsync(2, 0);
        var userId = "wx-agent-" + agentId;
        await _wx.Host.Exec("UPDATE agents SET wecom_userid = @userId WHERE id = @agentId", new { userId, agentId });
        var agentName = await _wx.Host.Scalar<string>("SELECT name FROM agents WHERE id = @agentId", new { agentId });
        var agent = await _wx.Host.AgentAsync(agentCode);

        // the store's 联系我 QR; asking again gives the same one
        var qr = await HttpAssert.Ok(await agent.PostAsJsonAsync("/api/agent/chat/contact-way", new { customerId = store }));
        Assert.That(qr.GetProperty("state").GetString(), Is.EqualTo($"oh:a{agentId}:s{store}"));
        await HttpAssert.Ok(await agent.PostAsJsonAsync("/api/agent/chat/contact-way", new { customerId = store }));
        var way = _wx.Fake.ContactWays.Single(w => w.State == $"oh:a{agentId}:s{store}");
        Assert.That((way.Users.Single(), way.QrCode), Is.EqualTo((userId, qr.GetProperty("qrCode").GetString())));
        Assert.That(_wx.Fake.ContactWays.Count(w => w.State == way.State), Is.EqualTo(1));
        // another agent's store is not this agent's to print a QR for
        var (_, _, otherStore) = await _wx.AgentAndStoreAsync(3, 0);
        await HttpAssert.Problem(await agent.PostAsJsonAsync("/api/agent/chat/contact-way", new { customerId = otherStore }), 404);

        // the owner scans it: WeChat Work POSTs the signed, encrypted add_external_contact event
        var ext = "wmStore" + store + kind;
        _wx.Fake.CallbackUrl = "/api/wecom/callback";
        var outcome = await _wx.Fake.CustomerAddsThroughContactWayAsync(way.ConfigId, ext, "张老板", Raw());
        Assert.That((outcome.HttpStatus, outcome.Body), Is.EqualTo((200, "success")));
        Assert.That(outcome.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "WeChat Work waits 5 seconds, then retries");
        Assert.That(await _wx.Host.Scalar<long>("SELECT customer_id FROM wecom_contact_links WHERE external_user_id = @ext", new { ext }), Is.EqualTo(store));

        var welcome = _wx.Fake.WelcomeMessages.Single(m => m.ExternalUserId == ext);
        Assert.That(welcome.Text, Does.Contain(agentName));
        var card = welcome.Cards.Single();
        var welcomeCode = await _wx.Host.Scalar<string>("SELECT code FROM chat_cards WHERE customer_id = @store AND kind = 'welcome'", new { store });
        Assert.That(card.Page, Is.EqualTo($"pages/products/index.html?share={welcomeCode}"));
        Assert.That(card.AppId, Is.EqualTo(_wx.Fake.Options.AppId));

        // replayed as is: refused, and handled once
        var replay = await _wx.Fake.PostCallbackAsync(outcome.Post, Raw());
        Assert.That(replay.HttpStatus, Is.EqualTo(403), replay.Body);
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM wecom_contact_events WHERE external_user_id = @ext", new { ext }), Is.EqualTo(1));
        Assert.That(_wx.Fake.WelcomeMessages.Count(m => m.ExternalUserId == ext), Is.EqualTo(1));

        // the agent, in the chat, sends the store's usual order as a card; the store opens it and orders from it
        var sent = await HttpAssert.Ok(await agent.PostAsJsonAsync("/api/agent/chat/cards", new { customerId = store, kind = "usual_order" }));
        var code = sent.GetProperty("code").GetString()!;
        Assert.That(sent.GetProperty("weComPage").GetString(), Is.EqualTo($"pages/products/index.html?view=frequent&share={code}"));
        Assert.That(sent.GetProperty("appId").GetString(), Is.EqualTo(_wx.Fake.Options.AppId));
        var storeCode = await _wx.Host.Scalar<string>("SELECT code FROM customers WHERE id = @store", new { store });
        var owner = await _wx.Host.CustomerAsync(storeCode);
        Assert.That((await owner.PostAsync($"/api/chat-cards/{code}/opened", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await owner.PostAsync($"/api/chat-cards/{code}/opened", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var otherOwner = await _wx.Host.CustomerAsync(await _wx.Host.Scalar<string>("SELECT code FROM customers WHERE id = @otherStore", new { otherStore }));
        await HttpAssert.Problem(await otherOwner.PostAsync($"/api/chat-cards/{code}/opened", null), 404);

        var (sku, qty) = await _wx.SellableItemAsync(store);
        await HttpAssert.Ok(await owner.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = code }));
        var order = await _wx.SubmitAsync(owner, "/api/orders", store, "chat-" + code);
        var orderNo = order.GetProperty("summary").GetProperty("orderNo").GetString();
        var row = await _wx.Host.Scalar<string>("SELECT attribution || '|' || agent_id || '|' || share_code FROM orders WHERE order_no = @orderNo", new { orderNo });
        Assert.That(row, Is.EqualTo($"share_link|{agentId}|{code}"));
        var total = await _wx.Host.Scalar<long>("SELECT total_fen FROM orders WHERE order_no = @orderNo", new { orderNo });

        // the agent's report: 2 cards (welcome, usual order), 1 opened (twice counts once), 1 chat-won order of that total
        var figures = await HttpAssert.Ok(await agent.GetAsync("/api/agent/chat/figures"));
        Assert.That((figures.GetProperty("cardsSent").GetInt32(), figures.GetProperty("cardsOpened").GetInt32(), figures.GetProperty("orders").GetInt32(),
            figures.GetProperty("revenueFen").GetInt64(), figures.GetProperty("storesReached").GetInt32(), figures.GetProperty("storesOrdered").GetInt32()),
            Is.EqualTo((2, 1, 1, total, 1, 1)));
        Assert.That(figures.GetProperty("revenueText").GetString(), Is.EqualTo($"¥{total / 100}.{total % 100:00}"));
        var clerk = await _wx.Host.StaffAsync("clerk");
        var staffView = await HttpAssert.Ok(await clerk.GetAsync($"/api/admin/reports/chat-won?agentId={agentId}"));
        Assert.That(staffView.GetProperty("stores")[0].GetProperty("revenueFen").GetInt64(), Is.EqualTo(total));

        // cancelled, the order no longer counts as chat-won revenue
        await HttpAssert.Ok(await owner.PostAsync($"/api/orders/{orderNo}/cancel", null));
        figures = await HttpAssert.Ok(await agent.GetAsync("/api/agent/chat/figures"));
        Assert.That((figures.GetProperty("orders").GetInt32(), figures.GetProperty("revenueFen").GetInt64()), Is.EqualTo((0, 0L)));
    }

    [Test]
    public async Task Chat_won_gross_profit_counts_the_shipped_orders_from_cards_at_their_cost()
    {
        var rnd = new Random(Environment.TickCount);
        var (agentCode, agentId, store) = await _wx.AgentAndStoreAsync(1, 2);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var owner = await _wx.Host.CustomerAsync(await _wx.Host.Scalar<string>("SELECT code FROM customers WHERE id = @store", new { store }));
        var code = (await HttpAssert.Ok(await agent.PostAsJsonAsync("/api/agent/chat/cards", new { customerId = store, kind = "usual_order" }))).GetProperty("code").GetString()!;
        var (sku, qty) = await _wx.SellableItemAsync(store);
        var nos = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await HttpAssert.Ok(await owner.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = code }));
            nos.Add((await _wx.SubmitAsync(owner, "/api/orders", store, $"gp-{i}-{code}")).GetProperty("summary").GetProperty("orderNo").GetString()!);
        }
        // The first two ship: the first with a cost from the ERP (40–90 % of the price), the second with none; the third waits.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _wx.Host.Exec("UPDATE orders SET status = 'shipped', shipped_at = @now WHERE order_no IN (@a, @b)", new { now, a = nos[0], b = nos[1] });
        var (amount0, price0, qty0) = await LineOf(nos[0]);
        var unitCost = price0 * rnd.Next(40, 91) / 100;
        await _wx.Host.Exec("UPDATE order_lines SET unit_cost_fen = @unitCost WHERE order_id = (SELECT id FROM orders WHERE order_no = @no)", new { unitCost, no = nos[0] });
        await _wx.Host.Exec("UPDATE order_lines SET unit_cost_fen = NULL WHERE order_id = (SELECT id FROM orders WHERE order_no = @no)", new { no = nos[1] });
        var (amount1, _, _) = await LineOf(nos[1]);
        var revenue = await _wx.Host.Scalar<long>("SELECT SUM(total_fen) FROM orders WHERE share_code = @code", new { code });

        var figures = await HttpAssert.Ok(await (await _wx.Host.StaffAsync("clerk")).GetAsync($"/api/admin/reports/chat-won?agentId={agentId}"));
        var row = figures.GetProperty("stores").EnumerateArray().Single(x => x.GetProperty("customerId").GetInt64() == store);
        Assert.That((row.GetProperty("orders").GetInt32(), row.GetProperty("revenueFen").GetInt64()), Is.EqualTo((3, revenue)), "all three orders are chat-won revenue");
        Assert.That(row.GetProperty("grossProfitFen").GetInt64(), Is.EqualTo(amount0 - unitCost * qty0 + amount1),
            "gross profit: the shipped lines' amounts less their cost; the uncosted line at zero cost; the unshipped order not yet");
        Assert.That(row.GetProperty("linesWithoutCost").GetInt32(), Is.EqualTo(1));
        Assert.That(figures.GetProperty("grossProfitFen").GetInt64(), Is.EqualTo(figures.GetProperty("stores").EnumerateArray().Sum(x => x.GetProperty("grossProfitFen").GetInt64())));
        var mine = await HttpAssert.Ok(await agent.GetAsync("/api/agent/chat/figures"));
        Assert.That(mine.GetProperty("grossProfitFen").GetInt64(), Is.EqualTo(figures.GetProperty("grossProfitFen").GetInt64()), "the agent sees the same figure");

        async Task<(long Amount, long Price, long Qty)> LineOf(string no)
        {
            await using var c = await _wx.Host.Db.OpenAsync();
            return await Dapper.SqlMapper.QuerySingleAsync<(long, long, long)>(c,
                "SELECT amount_fen, unit_price_fen, quantity FROM order_lines WHERE order_id = (SELECT id FROM orders WHERE order_no = @no)", new { no });
        }
    }

    [Test]
    public async Task The_chat_toolbar_page_gets_both_JS_SDK_signatures_over_its_url_without_the_fragment()
    {
        var (agentCode, _, _) = await _wx.AgentAndStoreAsync(0, 0);
        var agent = await _wx.Host.AgentAsync(agentCode);
        const string page = "https://orderhub.example.com/chat-toolbar/index.html?from=wecom";
        var config = await HttpAssert.Ok(await agent.GetAsync("/api/agent/chat/js-sdk-config?url=" + Uri.EscapeDataString(page + "#top")));
        var (ts, nonce) = (config.GetProperty("timestamp").GetInt64(), config.GetProperty("nonceStr").GetString());
        static string Sha1(string s) => Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
        Assert.That(config.GetProperty("signature").GetString(), Is.EqualTo(Sha1($"jsapi_ticket={_wx.Fake.CorpJsApiTicket}&noncestr={nonce}&timestamp={ts}&url={page}")));
        Assert.That(config.GetProperty("agentSignature").GetString(), Is.EqualTo(Sha1($"jsapi_ticket={_wx.Fake.AgentJsApiTicket}&noncestr={nonce}&timestamp={ts}&url={page}")));
        Assert.That((config.GetProperty("corpId").GetString(), config.GetProperty("agentId").GetString()), Is.EqualTo((_wx.Fake.Options.CorpId, "1000002")));
        Assert.That(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts), Is.LessThan(60));
        await HttpAssert.Problem(await agent.GetAsync("/api/agent/chat/js-sdk-config?url=not-a-url"), 400);
    }

    [Test]
    public async Task The_callback_URL_verification_answers_the_bare_echostr()
    {
        var (query, expected) = _wx.Fake.Callbacks.UrlVerification(DateTimeOffset.UtcNow);
        var res = await Raw().GetAsync("/api/wecom/callback?" + query);
        Assert.That((int)res.StatusCode, Is.EqualTo(200));
        Assert.That(await res.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        var forged = query.Replace("msg_signature=", "msg_signature=0");
        await HttpAssert.Problem(await Raw().GetAsync("/api/wecom/callback?" + forged), 403);
    }

    [Test]
    public async Task Forged_stale_and_foreign_callbacks_are_refused_and_change_nothing()
    {
        var (_, agentId, store) = await _wx.AgentAndStoreAsync(4, 0);
        var userId = "wx-agent-" + agentId;
        await _wx.Host.Exec("UPDATE agents SET wecom_userid = @userId WHERE id = @agentId", new { userId, agentId });
        await _wx.Host.Exec("INSERT INTO wecom_contact_ways (agent_id, customer_id, state, config_id, qr_code, created_at) VALUES (@agentId, @store, @state, 'cfg', 'qr', 0)",
            new { agentId, store, state = $"oh:a{agentId}:s{store}" });
        var now = DateTimeOffset.UtcNow;
        string Xml(string ext) => FakeWeComCallbackSender.AddExternalContactXml(_wx.Fake.Options.CorpId, userId, ext, $"oh:a{agentId}:s{store}", null, now);
        _wx.Fake.CallbackUrl = "/api/wecom/callback";

        // signed with a token of someone who does not know ours
        var stranger = new FakeWeComCallbackSender(_wx.Fake.Options.CorpId, encodingAesKey: _wx.Fake.Options.CallbackEncodingAesKey);
        var forged = await _wx.Fake.PostCallbackAsync(stranger.Event(Xml("wmForged"), now), Raw());
        // a genuine one from 10 minutes ago (outside the 5-minute window)
        var stale = await _wx.Fake.PostCallbackAsync(_wx.Fake.Callbacks.Event(Xml("wmStale"), now.AddMinutes(-10)), Raw());
        // sealed for another company
        var foreign = new FakeWeComCallbackSender("wwothercorp", _wx.Fake.Options.CallbackToken, _wx.Fake.Options.CallbackEncodingAesKey);
        var other = await _wx.Fake.PostCallbackAsync(foreign.Event(Xml("wmForeign"), now), Raw());
        // a new nonce on a captured body: the signature covers the nonce
        var captured = _wx.Fake.Callbacks.Event(Xml("wmRenonced"), now);
        var renonced = await _wx.Fake.PostCallbackAsync(captured with { Query = captured.Query.Replace("nonce=", "nonce=x") }, Raw());

        foreach (var r in new[] { forged, stale, other, renonced })
        {
            Assert.That(r.HttpStatus, Is.EqualTo(403), r.Body);
            Assert.That(r.Body, Does.Contain("企业微信回调被拒绝"));
        }
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM wecom_contact_links WHERE external_user_id IN ('wmForged','wmStale','wmForeign','wmRenonced')"), Is.Zero);
        // the genuine one still works
        var ok = await _wx.Fake.PostCallbackAsync(captured, Raw());
        Assert.That(ok.HttpStatus, Is.EqualTo(200), ok.Body);
        Assert.That(await _wx.Host.Scalar<long>("SELECT customer_id FROM wecom_contact_links WHERE external_user_id = 'wmRenonced'"), Is.EqualTo(store));
    }
}
