using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.WeChat;

/// <summary>WeChat Work: an agent's external contacts linked to stores, and 离职转移 (hand-over) with the per-contact transfer.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class WeComHandOverTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    private static HttpRequestMessage HandOverRequest(long from, long to, string? key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/agents/{from}/hand-over") { Content = JsonContent.Create(new { toAgentId = to }) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return req;
    }

    private static JsonElement Contact(JsonElement view, string ext) =>
        view.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("externalUserId").GetString() == ext);

    [Test]
    public async Task A_leaving_agents_stores_carts_and_WeChat_Work_contacts_move_to_another_agent()
    {
        var (leavingCode, leaving, store1) = await _wx.AgentAndStoreAsync(0, 0);
        var (_, _, store2) = await _wx.AgentAndStoreAsync(0, 1);
        var (takingCode, taking, _) = await _wx.AgentAndStoreAsync(1, 0);
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = 'wx-leaving' WHERE id = @leaving RETURNING id", new { leaving });
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = 'wx-taking' WHERE id = @taking RETURNING id", new { taking });
        _wx.Fake.AddCustomer("wx-leaving", "wmEXT-1", "张老板", unionId: "union-zhang");
        _wx.Fake.AddCustomer("wx-leaving", "wmEXT-2", "李老板");
        _wx.Fake.AddCustomer("wx-leaving", "wmEXT-3", "赵老板");
        _wx.Fake.AddCustomer("wx-leaving", "wmEXT-unlinked", "路人");
        _wx.Fake.FailTransferOf("wmEXT-3", 45033); // busy: WeChat Work says try again
        _wx.Fake.MemberLeaves("wx-leaving"); // the agent left the company: resigned/transfer_customer applies

        var admin = await _wx.Host.StaffAsync("admin");
        var clerk = await _wx.Host.StaffAsync("clerk");
        await HttpAssert.Problem(await clerk.PostAsJsonAsync("/api/admin/wecom-contacts/wmEXT-1/link", new { customerId = store1 }), 403);
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmEXT-1/link", new { customerId = store1 }));
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmEXT-2/link", new { customerId = store2 }));
        await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/wecom-contacts/wmEXT-3/link", new { customerId = store2 }));

        var contacts = await HttpAssert.Ok(await clerk.GetAsync($"/api/admin/agents/{leaving}/wecom-contacts"));
        Assert.That(contacts.GetArrayLength(), Is.EqualTo(4));
        var zhang = contacts.EnumerateArray().Single(c => c.GetProperty("externalUserId").GetString() == "wmEXT-1");
        Assert.That(zhang.GetProperty("name").GetString(), Is.EqualTo("张老板"));
        Assert.That(zhang.GetProperty("customer").GetProperty("id").GetInt64(), Is.EqualTo(store1));
        Assert.That(contacts.EnumerateArray().Single(c => c.GetProperty("externalUserId").GetString() == "wmEXT-unlinked").GetProperty("customer").ValueKind, Is.EqualTo(JsonValueKind.Null));

        // the leaving agent has a proxy cart open for store 1
        var (sku, qty) = await _wx.SellableItemAsync(store1);
        await HttpAssert.Ok(await (await _wx.Host.AgentAsync(leavingCode)).PostAsJsonAsync($"/api/agent/customers/{store1}/cart/items", new { sku, quantity = qty }));
        var leavingStores = await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM customers WHERE agent_id = @leaving", new { leaving });

        await HttpAssert.Problem(await admin.SendAsync(HandOverRequest(leaving, taking, null)), 400, "Idempotency-Key");
        var res = await admin.SendAsync(HandOverRequest(leaving, taking, "hand-over-1"));
        Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());
        var view = await HttpAssert.Ok(res);

        // OrderHub, in one transaction
        Assert.That(view.GetProperty("customersMoved").GetInt32(), Is.EqualTo(leavingStores));
        Assert.That(view.GetProperty("cartLinesMoved").GetInt32(), Is.EqualTo(1));
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM customers WHERE agent_id = @leaving", new { leaving }), Is.Zero);
        Assert.That(await _wx.Host.Scalar<long>("SELECT agent_id FROM customers WHERE id = @store1", new { store1 }), Is.EqualTo(taking));
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM cart_items WHERE owner_kind = 'agent' AND owner_id = @leaving", new { leaving }), Is.Zero);
        Assert.That(await _wx.Host.Scalar<bool>("SELECT active FROM agents WHERE id = @leaving", new { leaving }), Is.False);
        var takingCart = await HttpAssert.Ok(await (await _wx.Host.AgentAsync(takingCode)).GetAsync($"/api/agent/customers/{store1}/cart"));
        Assert.That(takingCart.ToString(), Does.Contain(sku), "the new agent has the proxy cart");

        // WeChat Work: transfer_customer with the right ids, then the takeover state per contact
        var call = _wx.Fake.CallsTo("/cgi-bin/externalcontact/resigned/transfer_customer").Single();
        using (var body = JsonDocument.Parse(call.Body!))
        {
            Assert.That(body.RootElement.GetProperty("handover_userid").GetString(), Is.EqualTo("wx-leaving"));
            Assert.That(body.RootElement.GetProperty("takeover_userid").GetString(), Is.EqualTo("wx-taking"));
            // the linked contacts, and (the agent left the company) its unlinked customer that get_unassigned_list lists
            Assert.That(body.RootElement.GetProperty("external_userid").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "wmEXT-1", "wmEXT-2", "wmEXT-3", "wmEXT-unlinked" }));
        }
        Assert.That(Contact(view, "wmEXT-1").GetProperty("status").GetString(), Is.EqualTo("waiting"));
        Assert.That(Contact(view, "wmEXT-1").GetProperty("takeoverAt").GetString(), Does.EndWith("+08:00"));
        Assert.That(Contact(view, "wmEXT-2").GetProperty("status").GetString(), Is.EqualTo("waiting"));
        Assert.That(Contact(view, "wmEXT-3").GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(Contact(view, "wmEXT-3").GetProperty("errcode").GetInt32(), Is.EqualTo(45033));

        // a retry of the same request is the same hand-over, and calls WeChat Work no more
        var replay = await admin.SendAsync(HandOverRequest(leaving, taking, "hand-over-1"));
        Assert.That((int)replay.StatusCode, Is.EqualTo(200));
        Assert.That((await HttpAssert.Ok(replay)).GetProperty("id").GetInt64(), Is.EqualTo(view.GetProperty("id").GetInt64()));
        Assert.That(_wx.Fake.CallsTo("/cgi-bin/externalcontact/resigned/transfer_customer"), Has.Count.EqualTo(1));

        // later: one takeover completed, one still waiting, the busy one goes through
        _wx.Fake.SetTransferStatus("wmEXT-1", FakeTransferStatus.Completed);
        _wx.Fake.ClearTransferFailure("wmEXT-3");
        var id = view.GetProperty("id").GetInt64();
        var after = await HttpAssert.Ok(await admin.PostAsync($"/api/admin/hand-overs/{id}/retry", null));
        Assert.That(Contact(after, "wmEXT-1").GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(Contact(after, "wmEXT-2").GetProperty("status").GetString(), Is.EqualTo("waiting"));
        Assert.That(Contact(after, "wmEXT-3").GetProperty("status").GetString(), Is.EqualTo("waiting"));
        Assert.That(Contact(after, "wmEXT-3").GetProperty("attempts").GetInt32(), Is.EqualTo(2));
        var resent = _wx.Fake.CallsTo("/cgi-bin/externalcontact/resigned/transfer_customer").Last();
        Assert.That(resent.Body, Does.Contain("wmEXT-3").And.Not.Contain("wmEXT-1"));

        var shown = await HttpAssert.Ok(await clerk.GetAsync($"/api/admin/hand-overs/{id}"));
        Assert.That(shown.GetProperty("contacts").GetArrayLength(), Is.EqualTo(3));
        Assert.That(shown.GetProperty("toAgentId").GetInt64(), Is.EqualTo(taking));

        // the agent who left can no longer sign in or make binding codes
        var gone = await _wx.Host.CreateClient().PostAsJsonAsync("/api/auth/dev-login", new { agentCode = leavingCode });
        Assert.That((int)gone.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Hand_over_needs_an_active_other_agent_and_an_admin()
    {
        var (_, a, _) = await _wx.AgentAndStoreAsync(2, 0);
        var (_, b, _) = await _wx.AgentAndStoreAsync(3, 0);
        var admin = await _wx.Host.StaffAsync("admin");
        await HttpAssert.Problem(await (await _wx.Host.StaffAsync("clerk")).SendAsync(HandOverRequest(a, b, "k-clerk")), 403);
        await HttpAssert.Problem(await admin.SendAsync(HandOverRequest(a, a, "k-self")), 400);
        await HttpAssert.Problem(await admin.SendAsync(HandOverRequest(a, 999999, "k-none")), 404);
        await HttpAssert.Problem(await admin.GetAsync("/api/admin/hand-overs/999999"), 404);
    }
}
