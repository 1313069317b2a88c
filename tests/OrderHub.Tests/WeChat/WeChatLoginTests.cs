using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>POST /api/wechat/login against the fake WeChat server: bound users get OrderHub tokens, others are offered binding.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class WeChatLoginTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    [Test]
    public async Task A_bound_store_user_gets_OrderHub_tokens_and_never_the_session_key()
    {
        var userId = await _wx.Host.Scalar<long>("SELECT MIN(u.id) FROM customer_users u JOIN customers c ON c.id = u.customer_id WHERE u.active = TRUE AND c.active = TRUE");
        await _wx.Host.Scalar<long>("UPDATE customer_users SET wechat_openid = 'o-bound-login' WHERE id = @userId RETURNING id", new { userId });
        var code = _wx.Fake.IssueCode("o-bound-login", "u-bound-login");

        var res = await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/login", new { code });
        var text = await res.Content.ReadAsStringAsync();

        var body = await HttpAssert.Ok(res);
        Assert.That(body.GetProperty("accessToken").GetString(), Is.Not.Empty);
        Assert.That(body.GetProperty("refreshToken").GetString(), Is.Not.Empty);
        var sessionKey = _wx.Fake.SessionKeyIssuedFor(code);
        Assert.That(sessionKey, Is.Not.Null, "the code was exchanged");
        Assert.That(text, Does.Not.Contain(sessionKey!).And.Not.Contain("session_key").And.Not.Contain("sessionKey"));
        Assert.That(string.Join(";", res.Headers.Select(h => string.Join(",", h.Value))), Does.Not.Contain(sessionKey!));

        var client = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = body.GetProperty("refreshToken").GetString() }));
        var me = await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
        Assert.That(me.GetProperty("userId").GetInt64(), Is.EqualTo(userId));
        Assert.That(me.GetProperty("role").GetString(), Is.EqualTo("customer"));
    }

    [Test]
    public async Task A_bound_agent_signs_in_as_agent()
    {
        var agentId = await _wx.Host.Scalar<long>("SELECT MAX(id) FROM agents WHERE active = TRUE");
        await _wx.Host.Scalar<long>("UPDATE agents SET wechat_openid = 'o-agent-login' WHERE id = @agentId RETURNING id", new { agentId });
        var client = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.LoginAsync("o-agent-login"));
        var me = await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
        Assert.That(me.GetProperty("role").GetString(), Is.EqualTo("agent"));
        Assert.That(me.GetProperty("userId").GetInt64(), Is.EqualTo(agentId));
    }

    [Test]
    public async Task An_unbound_WeChat_user_is_told_to_bind_and_gets_a_pending_token_only()
    {
        var res = await _wx.LoginAsync("o-never-seen");
        var text = await res.Content.ReadAsStringAsync();
        var body = await HttpAssert.Ok(res);
        Assert.That(body.GetProperty("bound").GetBoolean(), Is.False);
        Assert.That(body.GetProperty("bindingRequired").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("尚未绑定门店").And.Contain("binding code"));
        Assert.That(body.GetProperty("pendingToken").GetString(), Is.Not.Empty);
        Assert.That(body.TryGetProperty("accessToken", out _), Is.False);
        Assert.That(text, Does.Not.Contain("o-never-seen"), "the pending token is sealed, not readable");
        Assert.That(text, Does.Not.Contain("session"));
    }

    [Test]
    public async Task A_reused_code_is_a_400_problem()
    {
        var code = _wx.Fake.IssueCode("o-reuse");
        var client = _wx.Host.CreateClient();
        await HttpAssert.Ok(await client.PostAsJsonAsync("/api/wechat/login", new { code }));
        var problem = await HttpAssert.Problem(await client.PostAsJsonAsync("/api/wechat/login", new { code }), 400, "已被使用");
        Assert.That(problem.GetProperty("errcode").GetInt32(), Is.EqualTo(40163));
    }

    [Test]
    public async Task An_invalid_code_is_a_400_problem()
    {
        var problem = await HttpAssert.Problem(await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/login", new { code = "no-such-code" }), 400, "invalid or expired");
        Assert.That(problem.GetProperty("errcode").GetInt32(), Is.EqualTo(40029));
        await HttpAssert.Problem(await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/login", new { code = "" }), 400);
    }

    [Test]
    public async Task WeChat_rate_limit_is_a_429_with_Retry_After_and_WeChat_down_a_503()
    {
        _wx.Fake.RateLimitNext(1);
        var res = await _wx.LoginAsync("o-limited");
        await HttpAssert.Problem(res, 429);
        Assert.That(res.Headers.RetryAfter, Is.Not.Null);

        _wx.Fake.FailNext(1, 502);
        await HttpAssert.Problem(await _wx.LoginAsync("o-down"), 503);
    }

    [Test]
    public async Task The_development_login_still_works()
    {
        var code = await _wx.Host.Scalar<string>("SELECT MIN(code) FROM customers WHERE active = TRUE");
        var client = await _wx.Host.CustomerAsync(code);
        await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
    }
}

/// <summary>OrderHub's own per-IP limit on the anonymous WeChat endpoints (independent of the database).</summary>
public class WeChatRateLimitTests
{
    [Test]
    public async Task Login_and_bind_answer_429_past_the_limit()
    {
        await using var wx = await WeChatTestHost.StartAsync(TestDatabase.Sqlite, new() { ["WeChat:RateLimit:PermitLimit"] = "2", ["WeChat:RateLimit:WindowSeconds"] = "600" });
        var client = wx.Host.CreateClient();
        await HttpAssert.Ok(await client.PostAsJsonAsync("/api/wechat/login", new { code = wx.Fake.IssueCode("o-rl-1") }));
        await HttpAssert.Ok(await client.PostAsJsonAsync("/api/wechat/login", new { code = wx.Fake.IssueCode("o-rl-2") }));
        var res = await client.PostAsJsonAsync("/api/wechat/login", new { code = wx.Fake.IssueCode("o-rl-3") });
        await HttpAssert.Problem(res, 429, "Too many requests");
        Assert.That(res.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(wx.Fake.CallsTo("/sns/jscode2session"), Has.Count.EqualTo(2), "a limited call never reaches WeChat");
        // bind has its own budget
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/wechat/bind", new { pendingToken = "x", scene = "b=abc" }), 401);
    }
}
