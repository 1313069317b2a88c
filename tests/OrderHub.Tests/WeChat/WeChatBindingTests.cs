using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>Binding (OMO2C): an agent's code for its store, scanned and redeemed by a retailer's WeChat.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class WeChatBindingTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    private Task<HttpResponseMessage> Bind(object body) => _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/bind", body);

    [Test]
    public async Task A_retailer_binds_with_the_agents_code_becomes_a_store_user_and_orders()
    {
        var (agentCode, agentId, customerId) = await _wx.AgentAndStoreAsync(0, 0);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var code = await _wx.CreateBindingCodeAsync(agent, customerId);
        var scene = code.GetProperty("scene").GetString()!;
        Assert.That(scene, Does.StartWith("b=").And.Length.LessThanOrEqualTo(32));
        Assert.That(code.GetProperty("code").GetString(), Does.Match("^[A-Za-z0-9_-]+$"));
        Assert.That(code.GetProperty("expiresAt").GetString(), Does.EndWith("+08:00"));

        // the plain QR works without WeChat; the mini-program code comes from getwxacodeunlimit
        var qr = await agent.GetAsync(code.GetProperty("qrPngUrl").GetString());
        Assert.That((int)qr.StatusCode, Is.EqualTo(200));
        Assert.That(qr.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That((await qr.Content.ReadAsByteArrayAsync())[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        var wxa = await agent.GetAsync(code.GetProperty("wxacodeUrl").GetString());
        Assert.That((int)wxa.StatusCode, Is.EqualTo(200), await wxa.Content.ReadAsStringAsync());
        Assert.That(_wx.Fake.QrCodeRequests.Last().Scene, Is.EqualTo(scene));
        Assert.That(_wx.Fake.QrCodeRequests.Last().EnvVersion, Is.EqualTo("develop"));

        var pending = await _wx.PendingTokenAsync("o-bind-ok", "u-bind-ok");
        var store = await WeChatTestHost.WithTokenAsync(_wx.Host, await Bind(new { pendingToken = pending, scene, name = "王店员", phone = "13800000001" }));

        var me = await HttpAssert.Ok(await store.GetAsync("/api/auth/me"));
        Assert.That(me.GetProperty("customerId").GetInt64(), Is.EqualTo(customerId));
        Assert.That(me.GetProperty("name").GetString(), Is.EqualTo("王店员"));
        Assert.That(await _wx.Host.Scalar<string>("SELECT wechat_unionid FROM customer_users WHERE wechat_openid = 'o-bind-ok'"), Is.EqualTo("u-bind-ok"));
        Assert.That(await _wx.Host.Scalar<string>("SELECT role FROM customer_users WHERE wechat_openid = 'o-bind-ok'"), Is.EqualTo("clerk"), "the store already has an owner");
        Assert.That(await _wx.Host.Scalar<long>("SELECT agent_id FROM customers WHERE id = @customerId", new { customerId }), Is.EqualTo(agentId));
        var page = await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=3"));
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.GreaterThan(0));

        // from now on wx.login alone signs in
        var again = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.LoginAsync("o-bind-ok"));
        Assert.That((await HttpAssert.Ok(await again.GetAsync("/api/auth/me"))).GetProperty("customerId").GetInt64(), Is.EqualTo(customerId));
    }

    [Test]
    public async Task A_store_without_agent_becomes_the_agents_and_its_first_user_the_owner()
    {
        var (agentCode, agentId, _) = await _wx.AgentAndStoreAsync(1, 0);
        var customerId = await _wx.Host.Scalar<long>("SELECT MAX(id) FROM customers WHERE active = TRUE");
        await _wx.Host.Scalar<long>("UPDATE customers SET agent_id = NULL WHERE id = @customerId RETURNING id", new { customerId });
        await _wx.Host.Scalar<long>("UPDATE customer_users SET role = 'clerk' WHERE customer_id = @customerId RETURNING customer_id", new { customerId });
        var agent = await _wx.Host.AgentAsync(agentCode);
        var code = (await _wx.CreateBindingCodeAsync(agent, customerId)).GetProperty("code").GetString();

        await HttpAssert.Ok(await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-first-owner"), code, customerId }));

        Assert.That(await _wx.Host.Scalar<long>("SELECT agent_id FROM customers WHERE id = @customerId", new { customerId }), Is.EqualTo(agentId));
        Assert.That(await _wx.Host.Scalar<string>("SELECT role FROM customer_users WHERE wechat_openid = 'o-first-owner'"), Is.EqualTo("owner"));
    }

    [Test]
    public async Task An_expired_code_is_refused()
    {
        var (agentCode, _, customerId) = await _wx.AgentAndStoreAsync(0, 1);
        var code = (await _wx.CreateBindingCodeAsync(await _wx.Host.AgentAsync(agentCode), customerId)).GetProperty("code").GetString();
        await _wx.Host.Scalar<long>("UPDATE wechat_binding_codes SET expires_at = 1 WHERE code = @code RETURNING id", new { code });

        await HttpAssert.Problem(await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-expired"), code }), 410, "过期");
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM customer_users WHERE wechat_openid = 'o-expired'"), Is.Zero);
    }

    [Test]
    public async Task A_single_use_code_works_once()
    {
        var (agentCode, _, customerId) = await _wx.AgentAndStoreAsync(0, 2);
        var scene = (await _wx.CreateBindingCodeAsync(await _wx.Host.AgentAsync(agentCode), customerId)).GetProperty("scene").GetString();
        await HttpAssert.Ok(await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-once-1"), scene }));

        await HttpAssert.Problem(await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-once-2"), scene }), 409, "已被使用");
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM customer_users WHERE wechat_openid = 'o-once-2'"), Is.Zero);
    }

    [Test]
    public async Task A_code_of_one_store_does_not_bind_or_show_for_another()
    {
        var (agentCode, _, storeA) = await _wx.AgentAndStoreAsync(0, 3);
        var (_, _, storeB) = await _wx.AgentAndStoreAsync(0, 4);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var code = (await _wx.CreateBindingCodeAsync(agent, storeA)).GetProperty("code").GetString();

        await HttpAssert.Problem(await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-wrong-store"), code, customerId = storeB }), 422, "不属于该门店");
        await HttpAssert.Problem(await agent.GetAsync($"/api/agent/customers/{storeB}/binding-codes/{code}/qr.png"), 404);
        Assert.That(await _wx.Host.Scalar<long>("SELECT use_count FROM wechat_binding_codes WHERE code = @code", new { code }), Is.Zero, "the refused try did not use the code");
    }

    [Test]
    public async Task Another_agents_store_is_a_404()
    {
        var (agentCode, _, _) = await _wx.AgentAndStoreAsync(0, 0);
        var (_, _, othersStore) = await _wx.AgentAndStoreAsync(2, 0);
        await HttpAssert.Problem(await (await _wx.Host.AgentAsync(agentCode)).PostAsync($"/api/agent/customers/{othersStore}/binding-codes", null), 404);
    }

    [Test]
    public async Task A_WeChat_bound_to_one_store_cannot_bind_to_another()
    {
        var (agentCode, _, storeA) = await _wx.AgentAndStoreAsync(0, 5);
        var (_, _, storeB) = await _wx.AgentAndStoreAsync(0, 6);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var pending = await _wx.PendingTokenAsync("o-taken");
        await HttpAssert.Ok(await Bind(new { pendingToken = pending, code = (await _wx.CreateBindingCodeAsync(agent, storeA)).GetProperty("code").GetString() }));
        // the pending token is still within its time, but this WeChat now belongs to store A
        await HttpAssert.Problem(await Bind(new { pendingToken = pending, code = (await _wx.CreateBindingCodeAsync(agent, storeB)).GetProperty("code").GetString() }), 409, "已绑定");
        Assert.That(await _wx.Host.Scalar<long>("SELECT customer_id FROM customer_users WHERE wechat_openid = 'o-taken'"), Is.EqualTo(storeA));
    }

    [Test]
    public async Task A_forged_pending_token_is_a_401_and_the_same_key_gives_the_same_code()
    {
        var (agentCode, _, customerId) = await _wx.AgentAndStoreAsync(0, 7);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var code = (await _wx.CreateBindingCodeAsync(agent, customerId)).GetProperty("code").GetString();
        await HttpAssert.Problem(await Bind(new { pendingToken = "forged-token", code }), 401);

        var req1 = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/customers/{customerId}/binding-codes");
        req1.Headers.Add("Idempotency-Key", "bind-code-1");
        var first = await HttpAssert.Ok(await agent.SendAsync(req1));
        var req2 = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/customers/{customerId}/binding-codes");
        req2.Headers.Add("Idempotency-Key", "bind-code-1");
        var res2 = await agent.SendAsync(req2);
        Assert.That((int)res2.StatusCode, Is.EqualTo(200));
        Assert.That(res2.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((await HttpAssert.Ok(res2)).GetProperty("code").GetString(), Is.EqualTo(first.GetProperty("code").GetString()));
    }

    [Test]
    public async Task An_order_from_a_share_link_is_attributed_to_the_sharing_agent()
    {
        // a retailer bound through agent A's code orders an item agent A shared (issue #21: a share code credits its agent
        // only for that agent's own stores; another agent's code credits nobody, see ProbeDefectsTests and InputFuzzTests)
        var (agentA, agentAId, customerId) = await _wx.AgentAndStoreAsync(1, 1);
        var code = (await _wx.CreateBindingCodeAsync(await _wx.Host.AgentAsync(agentA), customerId)).GetProperty("code").GetString();
        var store = await WeChatTestHost.WithTokenAsync(_wx.Host, await Bind(new { pendingToken = await _wx.PendingTokenAsync("o-shopper"), code }));
        var (sku, qty) = await _wx.SellableItemAsync(customerId);
        var share = await HttpAssert.Ok(await (await _wx.Host.AgentAsync(agentA)).PostAsJsonAsync("/api/agent/share-links", new { sku }));

        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty, shareCode = share.GetProperty("code").GetString() }));
        var order = await _wx.SubmitAsync(store, "/api/orders", customerId, "share-order-1");

        var id = order.GetProperty("summary").GetProperty("id").GetInt64();
        Assert.That(await _wx.Host.Scalar<string>("SELECT attribution FROM orders WHERE id = @id", new { id }), Is.EqualTo("share_link"));
        Assert.That(await _wx.Host.Scalar<long>("SELECT agent_id FROM orders WHERE id = @id", new { id }), Is.EqualTo(agentAId));
    }
}
