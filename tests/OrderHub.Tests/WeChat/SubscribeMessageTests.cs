using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>Notifications as subscribe messages: accepted → sent with the mapped fields, not accepted → skipped, transient failures retried.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class SubscribeMessageTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    /// <summary>A store of agent n whose owner signs in with WeChat (openid set), and that user's client.</summary>
    private async Task<(string AgentCode, long CustomerId, string OpenId, HttpClient User)> WeChatStoreUser(int agentIndex, int storeIndex, string openId)
    {
        var (agentCode, _, customerId) = await _wx.AgentAndStoreAsync(agentIndex, storeIndex);
        await _wx.Host.Scalar<long>("UPDATE customer_users SET wechat_openid = @openId WHERE id = (SELECT MIN(id) FROM customer_users WHERE customer_id = @customerId AND active = TRUE) RETURNING id",
            new { openId, customerId });
        var user = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.LoginAsync(openId));
        return (agentCode, customerId, openId, user);
    }

    private async Task<string> ProxyOrder(string agentCode, long customerId, string key)
    {
        var agent = await _wx.Host.AgentAsync(agentCode);
        var (sku, qty) = await _wx.SellableItemAsync(customerId);
        await HttpAssert.Ok(await agent.PostAsJsonAsync($"/api/agent/customers/{customerId}/cart/items", new { sku, quantity = qty }));
        var order = await _wx.SubmitAsync(agent, $"/api/agent/customers/{customerId}/orders", customerId, key);
        return order.GetProperty("summary").GetProperty("orderNo").GetString()!;
    }

    private Task<string> DeliveryStatus(string openId, string kindOf) => _wx.Host.Scalar<string>("""
        SELECT d.status FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN customer_users u ON u.id = n.customer_user_id
        WHERE u.wechat_openid = @openId AND n.kind = @kindOf ORDER BY n.id DESC LIMIT 1
        """, new { openId, kindOf });

    [Test]
    public async Task An_accepted_template_is_sent_once_with_the_mapped_fields()
    {
        var (agentCode, customerId, openId, user) = await WeChatStoreUser(0, 0, "o-msg-accepted");
        var templates = await HttpAssert.Ok(await user.GetAsync("/api/wechat/templates"));
        Assert.That(templates.EnumerateArray().Select(t => t.GetProperty("templateId").GetString()), Does.Contain("TPL_PROXY"));
        var state = await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions",
            new { templateKeys = new[] { "ProxyOrderPlaced", "OrderShipped" }, accepted = new[] { "TPL_PROXY" } }));
        Assert.That(state.EnumerateArray().Single(s => s.GetProperty("key").GetString() == "ProxyOrderPlaced").GetProperty("remaining").GetInt32(), Is.EqualTo(1));
        _wx.Fake.AcceptTemplate(openId, "TPL_PROXY");

        var orderNo = await ProxyOrder(agentCode, customerId, "msg-proxy-1");
        var result = await _wx.Dispatcher.DispatchDueAsync();

        Assert.That(result.Sent, Is.GreaterThanOrEqualTo(1));
        var sent = _wx.Fake.SentMessages.Single(m => m.ToUser == openId);
        Assert.That(sent.TemplateId, Is.EqualTo("TPL_PROXY"));
        Assert.That(sent.Page, Is.EqualTo($"pages/order/detail?no={orderNo}"));
        Assert.That(sent.MiniprogramState, Is.EqualTo("developer"));
        Assert.That(sent.Data["character_string1"], Is.EqualTo(orderNo));
        var storeName = await _wx.Host.Scalar<string>("SELECT name FROM customers WHERE id = @customerId", new { customerId });
        Assert.That(sent.Data["thing2"], Is.EqualTo(storeName.Length <= 20 ? storeName : storeName[..19] + "…"));
        Assert.That(sent.Data["amount3"], Does.Match(@"^¥\d+\.\d\d$"));
        Assert.That(sent.Data["thing4"], Is.EqualTo(await _wx.Host.Scalar<string>("SELECT name FROM agents WHERE code = @agentCode", new { agentCode })));
        Assert.That(await DeliveryStatus(openId, "proxy_order_placed"), Is.EqualTo("sent"));
        Assert.That(await _wx.Host.Scalar<long>("SELECT remaining FROM wechat_subscriptions WHERE template_key = 'ProxyOrderPlaced' AND user_id = (SELECT id FROM customer_users WHERE wechat_openid = @openId)", new { openId }), Is.Zero, "the acceptance is used up");

        // the next proxy order finds no acceptance left: skipped, nothing sent
        await ProxyOrder(agentCode, customerId, "msg-proxy-2");
        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(_wx.Fake.SentMessages.Count(m => m.ToUser == openId), Is.EqualTo(1));
        Assert.That(await DeliveryStatus(openId, "proxy_order_placed"), Is.EqualTo("skipped"));
    }

    [Test]
    public async Task Without_acceptance_the_message_is_skipped_as_43101()
    {
        var (_, customerId, openId, user) = await WeChatStoreUser(1, 0, "o-msg-refused");
        var finance = await _wx.Host.StaffAsync("finance");
        var res = await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2025-06-01", to = "2025-06-30" }));
        Assert.That(res.GetProperty("notified").GetInt32(), Is.GreaterThanOrEqualTo(1));

        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(await DeliveryStatus(openId, "statement_ready"), Is.EqualTo("skipped"));
        Assert.That(await _wx.Host.Scalar<long>("""
            SELECT d.errcode FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN customer_users u ON u.id = n.customer_user_id
            WHERE u.wechat_openid = @openId AND n.kind = 'statement_ready'
            """, new { openId }), Is.EqualTo(43101));

        // accepted in the mini-program as far as OrderHub knows, but WeChat says 43101: skipped as well
        await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "StatementReady" }, accepted = new[] { "StatementReady" } }));
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2025-07-01", to = "2025-07-31" }));
        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(await DeliveryStatus(openId, "statement_ready"), Is.EqualTo("skipped"));
        Assert.That(_wx.Fake.CallsTo("/cgi-bin/message/subscribe/send").Any(c => c.Errcode == 43101 && c.Body!.Contains(openId)), Is.True);
        Assert.That(_wx.Fake.SentMessages.Any(m => m.ToUser == openId), Is.False);
    }

    [Test]
    public async Task A_transient_failure_is_retried_later_and_then_sent()
    {
        var (_, customerId, openId, user) = await WeChatStoreUser(2, 0, "o-msg-retry");
        await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "StatementReady" }, accepted = new[] { "StatementReady" } }));
        _wx.Fake.AcceptTemplate(openId, "TPL_STATEMENT");
        var finance = await _wx.Host.StaffAsync("finance");
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2025-06-01", to = "2025-06-30" }));
        await _wx.Dispatcher.DispatchDueAsync(); // deliver anything else due first, so the failure below hits our message
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2025-07-01", to = "2025-07-31" }));
        Assert.That(await DeliveryStatus(openId, "statement_ready"), Is.EqualTo("pending"));
        // the earlier statement used the one acceptance: accept once more in both places
        await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "StatementReady" }, accepted = new[] { "StatementReady" } }));
        _wx.Fake.AcceptTemplate(openId, "TPL_STATEMENT");

        _wx.Fake.FailNext(50, 502); // WeChat is down for a while
        await _wx.Dispatcher.DispatchDueAsync();
        _wx.Fake.FailNext(0);

        var row = await _wx.Host.Scalar<string>("""
            SELECT d.status || '|' || d.attempts || '|' || CASE WHEN d.next_attempt_at > @now THEN 'later' ELSE 'now' END || '|' || COALESCE(d.last_error, '')
            FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN customer_users u ON u.id = n.customer_user_id
            WHERE u.wechat_openid = @openId AND n.kind = 'statement_ready' ORDER BY n.id DESC LIMIT 1
            """, new { openId, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        Assert.That(row, Does.StartWith("pending|1|later|").And.Contain("unavailable"));

        // nothing happens before the backoff is over
        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(_wx.Fake.SentMessages.Count(m => m.ToUser == openId), Is.EqualTo(1));

        // later: due again, and WeChat is back
        await _wx.Host.Scalar<long>("UPDATE wechat_deliveries SET next_attempt_at = 0 WHERE status = 'pending' RETURNING notification_id");
        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(await DeliveryStatus(openId, "statement_ready"), Is.EqualTo("sent"));
        var sent = _wx.Fake.SentMessages.Last(m => m.ToUser == openId);
        Assert.That(sent.TemplateId, Is.EqualTo("TPL_STATEMENT"));
        Assert.That(sent.Data["time2"], Is.EqualTo("2025-07-01 00:00"), "a time field needs a time of day");
        Assert.That(sent.Data["time3"], Is.EqualTo("2025-07-31 23:59"));
        Assert.That(sent.Data["amount4"], Does.Match(@"^¥\d+\.\d\d$"), "an amount field needs the currency sign");
    }

    [Test]
    public async Task An_order_is_never_blocked_by_WeChat()
    {
        var (agentCode, customerId, openId, user) = await WeChatStoreUser(3, 0, "o-msg-down");
        await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "ProxyOrderPlaced" }, accepted = new[] { "ProxyOrderPlaced" } }));
        _wx.Fake.FailNext(1000, 503);
        try
        {
            var orderNo = await ProxyOrder(agentCode, customerId, "msg-down-1");
            Assert.That(orderNo, Is.Not.Empty);
            Assert.DoesNotThrowAsync(() => _wx.Dispatcher.DispatchDueAsync());
            Assert.That(await DeliveryStatus(openId, "proxy_order_placed"), Is.EqualTo("pending"));
            var orders = await HttpAssert.Ok(await user.GetAsync("/api/orders"));
            Assert.That(orders.ToString(), Does.Contain(orderNo));
        }
        finally
        {
            _wx.Fake.FailNext(0);
        }
    }
}
