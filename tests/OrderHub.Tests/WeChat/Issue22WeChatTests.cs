using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>
/// Issue #22 over HTTP against the stricter fake: mini-program code content type, subscribe-message field types,
/// WeChat Work configuration errors on the health endpoint, on-job vs resigned hand-over, and all of a departed member's customers.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class Issue22WeChatTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    [Test]
    public async Task The_mini_program_code_is_served_with_the_content_type_WeChat_answered()
    {
        var (agentCode, _, customerId) = await _wx.AgentAndStoreAsync(0, 0);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var code = await _wx.CreateBindingCodeAsync(agent, customerId);
        _wx.Fake.AddPage("pages/bind/index");
        _wx.Fake.QrCodeContentType = "image/jpeg";
        try
        {
            var wxa = await agent.GetAsync(code.GetProperty("wxacodeUrl").GetString());
            Assert.That((int)wxa.StatusCode, Is.EqualTo(200), await wxa.Content.ReadAsStringAsync());
            Assert.That(wxa.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That((await wxa.Content.ReadAsByteArrayAsync())[..3], Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF }));
        }
        finally
        {
            _wx.Fake.QrCodeContentType = "image/png";
        }
    }

    [Test]
    public async Task A_statement_ready_message_sends_times_and_an_amount_WeChat_accepts()
    {
        var (_, _, customerId) = await _wx.AgentAndStoreAsync(1, 0);
        const string openId = "o-i22-statement";
        await _wx.Host.Scalar<long>("UPDATE customer_users SET wechat_openid = @openId WHERE id = (SELECT MIN(id) FROM customer_users WHERE customer_id = @customerId AND active = TRUE) RETURNING id",
            new { openId, customerId });
        var user = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.LoginAsync(openId));
        await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "StatementReady" }, accepted = new[] { "StatementReady" } }));
        _wx.Fake.AcceptTemplate(openId, "TPL_STATEMENT");
        var finance = await _wx.Host.StaffAsync("finance");
        // a period before any ledger entry: balance 0
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2020-06-01", to = "2020-06-30" }));

        await _wx.Dispatcher.DispatchDueAsync();

        var calls = _wx.Fake.CallsTo("/cgi-bin/message/subscribe/send").Where(c => c.Body!.Contains(openId)).ToList();
        Assert.That(calls.Select(c => c.Errcode), Is.All.Zero, string.Join("\n", calls.Select(c => c.Body)));
        var sent = _wx.Fake.SentMessages.Single(m => m.ToUser == openId);
        Assert.That(sent.Data["time2"], Is.EqualTo("2020-06-01 00:00"));
        Assert.That(sent.Data["time3"], Is.EqualTo("2020-06-30 23:59"));
        Assert.That(sent.Data["amount4"], Is.EqualTo("¥0.00"));
    }

    private static HttpRequestMessage HandOverRequest(long from, long to, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/agents/{from}/hand-over") { Content = JsonContent.Create(new { toAgentId = to }) };
        req.Headers.Add("Idempotency-Key", key);
        return req;
    }

    private static JsonElement Contact(JsonElement view, string ext) =>
        view.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("externalUserId").GetString() == ext);

    /// <summary>Two active agents (the first with a store) with these WeChat Work ids, and the first agent's first store.</summary>
    private async Task<(long From, long To, long Store)> Agents(string fromWecom, string toWecom)
    {
        var (_, from, store) = await _wx.AgentAndStoreAsync(0, 0);
        var (_, to, _) = await _wx.AgentAndStoreAsync(1, 0);
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = @fromWecom WHERE id = @from RETURNING id", new { from, fromWecom });
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = @toWecom WHERE id = @to RETURNING id", new { to, toWecom });
        return (from, to, store);
    }

    [Test]
    public async Task An_agent_who_stays_in_the_company_is_handed_over_with_the_on_job_transfer()
    {
        var (from, to, store) = await Agents("wx-i22-moving", "wx-i22-new");
        _wx.Fake.AddCustomer("wx-i22-moving", "wmI22-onjob", "钱老板");
        var admin = await _wx.Host.StaffAsync("admin");
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmI22-onjob/link", new { customerId = store }));

        var res = await admin.SendAsync(HandOverRequest(from, to, "i22-onjob"));
        var text = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), text);
        var view = JsonDocument.Parse(text).RootElement;

        Assert.That(Contact(view, "wmI22-onjob").GetProperty("status").GetString(), Is.EqualTo("waiting"), text);
        var call = _wx.Fake.CallsTo("/cgi-bin/externalcontact/transfer_customer").Single(c => c.Body!.Contains("wmI22-onjob"));
        using var body = JsonDocument.Parse(call.Body!);
        Assert.That(body.RootElement.GetProperty("handover_userid").GetString(), Is.EqualTo("wx-i22-moving"));
        Assert.That(body.RootElement.GetProperty("transfer_success_msg").GetString(), Is.Not.Empty);
        Assert.That(_wx.Fake.Transfers.Single(t => t.ExternalUserId == "wmI22-onjob").OnJob, Is.True);

        // the customer refuses: recorded, not retried
        _wx.Fake.SetTransferStatus("wmI22-onjob", OrderHub.WeChat.Fakes.FakeTransferStatus.CustomerRefused);
        var after = await HttpAssert.Ok(await admin.PostAsync($"/api/admin/hand-overs/{view.GetProperty("id").GetInt64()}/retry", null));
        Assert.That(Contact(after, "wmI22-onjob").GetProperty("status").GetString(), Is.EqualTo("refused"));
    }

    [Test]
    public async Task A_departed_members_customers_are_all_handed_over_also_those_never_linked()
    {
        var (from, to, store) = await Agents("wx-i22-gone", "wx-i22-heir");
        _wx.Fake.AddCustomer("wx-i22-gone", "wmI22-linked", "孙老板");
        _wx.Fake.AddCustomer("wx-i22-gone", "wmI22-unlinked", "周老板");
        _wx.Fake.MemberLeaves("wx-i22-gone");
        var admin = await _wx.Host.StaffAsync("admin");
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmI22-linked/link", new { customerId = store }));

        var res = await admin.SendAsync(HandOverRequest(from, to, "i22-gone"));
        Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());

        var sent = _wx.Fake.CallsTo("/cgi-bin/externalcontact/resigned/transfer_customer")
            .SelectMany(c => JsonDocument.Parse(c.Body!).RootElement.GetProperty("external_userid").EnumerateArray().Select(e => e.GetString())).ToList();
        Assert.That(sent, Does.Contain("wmI22-linked").And.Contain("wmI22-unlinked"));
        Assert.That(_wx.Fake.Transfers.Where(t => t.HandoverUserId == "wx-i22-gone").Select(t => t.ExternalUserId),
            Is.EquivalentTo(new[] { "wmI22-linked", "wmI22-unlinked" }));
    }

    [Test]
    public async Task A_departed_member_without_any_linked_customer_still_has_them_handed_over()
    {
        var (from, to, _) = await Agents("wx-i22-nolinks", "wx-i22-nolinks-heir");
        _wx.Fake.AddCustomer("wx-i22-nolinks", "wmI22-free1", "郑老板");
        _wx.Fake.AddCustomer("wx-i22-nolinks", "wmI22-free2", "冯老板");
        _wx.Fake.MemberLeaves("wx-i22-nolinks");
        var admin = await _wx.Host.StaffAsync("admin");

        var res = await admin.SendAsync(HandOverRequest(from, to, "i22-nolinks"));
        Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());

        Assert.That(_wx.Fake.Transfers.Where(t => t.HandoverUserId == "wx-i22-nolinks").Select(t => (t.ExternalUserId, t.TakeoverUserId, t.OnJob)),
            Is.EquivalentTo(new[] { ("wmI22-free1", "wx-i22-nolinks-heir", false), ("wmI22-free2", "wx-i22-nolinks-heir", false) }));
    }

    [Test]
    public async Task An_agents_contacts_are_read_in_batches_not_one_get_per_contact()
    {
        var (from, _, _) = await Agents("wx-i22-batch", "wx-i22-batch-other");
        for (var i = 0; i < 3; i++) _wx.Fake.AddCustomer("wx-i22-batch", $"wmI22-b{i}", $"客户{i}");
        var before = _wx.Fake.CallsTo("/cgi-bin/externalcontact/get").Count;

        var contacts = await HttpAssert.Ok(await (await _wx.Host.StaffAsync("clerk")).GetAsync($"/api/admin/agents/{from}/wecom-contacts"));

        Assert.That(contacts.EnumerateArray().Select(c => c.GetProperty("externalUserId").GetString()), Is.EquivalentTo(new[] { "wmI22-b0", "wmI22-b1", "wmI22-b2" }));
        Assert.That(_wx.Fake.CallsTo("/cgi-bin/externalcontact/get").Count, Is.EqualTo(before));
        Assert.That(_wx.Fake.CallsTo("/cgi-bin/externalcontact/batch/get_by_user"), Is.Not.Empty);
    }

    [Test]
    public async Task A_configuration_error_is_reported_on_the_health_endpoint_and_not_retried_every_hour()
    {
        var (from, to, store) = await Agents("wx-i22-cfg", "wx-i22-cfg-heir");
        _wx.Fake.AddCustomer("wx-i22-cfg", "wmI22-cfg", "吴老板");
        _wx.Fake.MemberLeaves("wx-i22-cfg");
        var admin = await _wx.Host.StaffAsync("admin");
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmI22-cfg/link", new { customerId = store }));
        _wx.Fake.TrustedIpConfigured = false;
        JsonElement view;
        try
        {
            var res = await admin.SendAsync(HandOverRequest(from, to, "i22-cfg"));
            Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());
            view = await HttpAssert.Ok(res);
            var contact = Contact(view, "wmI22-cfg");
            Assert.That(contact.GetProperty("status").GetString(), Is.EqualTo("config_error"));
            Assert.That(contact.GetProperty("errcode").GetInt32(), Is.EqualTo(60020));
            Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM agent_hand_over_contacts WHERE external_user_id = 'wmI22-cfg' AND next_check_at IS NOT NULL"),
                Is.Zero, "not scheduled again: it needs the distributor, not time");

            var health = await HttpAssert.Ok(await admin.GetAsync("/api/admin/wechat/health"));
            var weCom = health.GetProperty("weCom");
            Assert.That(weCom.GetProperty("status").GetString(), Is.EqualTo("configuration_error"), health.ToString());
            Assert.That(weCom.GetProperty("errcode").GetInt32(), Is.EqualTo(60020));
            Assert.That(weCom.GetProperty("message").GetString(), Does.Contain("可信IP").And.Contain("trusted IP"));
        }
        finally
        {
            _wx.Fake.TrustedIpConfigured = true;
        }

        // fixed in WeChat Work: the retry sends it and the health endpoint is green again
        var after = await HttpAssert.Ok(await admin.PostAsync($"/api/admin/hand-overs/{view.GetProperty("id").GetInt64()}/retry", null));
        Assert.That(Contact(after, "wmI22-cfg").GetProperty("status").GetString(), Is.EqualTo("waiting"));
        var ok = await HttpAssert.Ok(await admin.GetAsync("/api/admin/wechat/health"));
        Assert.That(ok.GetProperty("weCom").GetProperty("status").GetString(), Is.EqualTo("ok"));
    }
}

/// <summary>A wrong mini-program secret: the health endpoint says so, and messages are not retried as if WeChat were down.</summary>
public class WeChatConfigurationHealthTests
{
    [Test]
    public async Task A_wrong_app_secret_shows_on_the_health_endpoint_and_fails_the_delivery_once()
    {
        await using var wx = await WeChatTestHost.StartAsync(TestDatabase.Sqlite, new() { ["WeChat:AppSecret"] = "a-wrong-secret-0000000" });
        var admin = await wx.Host.StaffAsync("admin");
        var before = await HttpAssert.Ok(await admin.GetAsync("/api/admin/wechat/health"));
        Assert.That(before.GetProperty("miniProgram").GetProperty("status").GetString(), Is.EqualTo("unknown"));
        Assert.That(before.GetProperty("weCom").GetProperty("enabled").GetBoolean(), Is.True);

        var (_, _, customerId) = await wx.AgentAndStoreAsync(0, 0);
        const string openId = "o-i22-badsecret";
        var userId = await wx.Host.Scalar<long>("UPDATE customer_users SET wechat_openid = @openId WHERE id = (SELECT MIN(id) FROM customer_users WHERE customer_id = @customerId AND active = TRUE) RETURNING id",
            new { openId, customerId });
        await wx.Host.Scalar<long>("""
            INSERT INTO wechat_subscriptions (user_kind, user_id, template_key, remaining, accepted_total, updated_at)
            VALUES ('customer_user', @userId, 'StatementReady', 1, 1, 0) RETURNING user_id
            """, new { userId });
        await HttpAssert.Ok(await (await wx.Host.StaffAsync("finance")).PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready", new { from = "2020-06-01", to = "2020-06-30" }));

        await wx.Dispatcher.DispatchDueAsync();

        var row = await wx.Host.Scalar<string>("""
            SELECT d.status || '|' || COALESCE(d.last_error, '') FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE n.customer_user_id = @userId AND n.kind = 'statement_ready'
            """, new { userId });
        Assert.That(row, Does.StartWith("failed|errcode 40125").And.Contain("AppSecret"), "not retried with backoff as if WeChat were down");
        var health = await HttpAssert.Ok(await admin.GetAsync("/api/admin/wechat/health"));
        var mp = health.GetProperty("miniProgram");
        Assert.That(mp.GetProperty("status").GetString(), Is.EqualTo("configuration_error"), health.ToString());
        Assert.That(mp.GetProperty("errcode").GetInt32(), Is.EqualTo(40125));
        Assert.That(mp.GetProperty("api").GetString(), Is.EqualTo("cgi-bin/stable_token"));
        Assert.That(health.ToString(), Does.Not.Contain("a-wrong-secret"));
    }
}
