using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>
/// POST /api/wechat/work/login: an agent opens the mini-program inside WeChat Work, wx.qy.login gives a code, WeChat Work's
/// miniprogram/jscode2session gives its userid, and the agent with that wecom_userid gets OrderHub tokens.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class WeComLoginTests(string kind)
{
    private WeChatTestHost _wx = null!;

    [OneTimeSetUp] public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    [Test]
    public async Task An_agent_with_that_WeChat_Work_userid_signs_in_as_agent()
    {
        var agentId = await _wx.Host.Scalar<long>("SELECT MIN(id) FROM agents WHERE active = TRUE");
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = 'wx-login-agent' WHERE id = @agentId RETURNING id", new { agentId });
        var code = _wx.Fake.IssueWorkCode("wx-login-agent");

        var res = await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/work/login", new { code });
        var text = await res.Content.ReadAsStringAsync();
        var client = await WeChatTestHost.WithTokenAsync(_wx.Host, res);

        var me = await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
        Assert.That(me.GetProperty("role").GetString(), Is.EqualTo("agent"));
        Assert.That(me.GetProperty("userId").GetInt64(), Is.EqualTo(agentId));
        Assert.That(text, Does.Not.Contain("session_key").And.Not.Contain("sessionKey"));
        var call = _wx.Fake.CallsTo("/cgi-bin/miniprogram/jscode2session").Last();
        Assert.That(call.Query["js_code"], Is.EqualTo(code));
        Assert.That(call.Query["grant_type"], Is.EqualTo("authorization_code"));
        Assert.That(call.Query.ContainsKey("access_token"));
    }

    [Test]
    public async Task An_unknown_WeChat_Work_user_is_a_clear_403_problem()
    {
        var problem = await HttpAssert.Problem(
            await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/work/login", new { code = _wx.Fake.IssueWorkCode("wx-nobody-here") }), 403, "not linked to an agent");
        Assert.That(problem.ToString(), Does.Contain("未关联业务员"));
    }

    [Test]
    public async Task An_inactive_agent_cannot_sign_in()
    {
        var agentId = await _wx.Host.Scalar<long>("SELECT MAX(id) FROM agents");
        await _wx.Host.Scalar<long>("UPDATE agents SET wecom_userid = 'wx-login-left', active = FALSE WHERE id = @agentId RETURNING id", new { agentId });
        await HttpAssert.Problem(await _wx.Host.CreateClient().PostAsJsonAsync("/api/wechat/work/login", new { code = _wx.Fake.IssueWorkCode("wx-login-left") }), 403);
    }

    [Test]
    public async Task A_bad_or_reused_code_is_a_400_problem()
    {
        var client = _wx.Host.CreateClient();
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/wechat/work/login", new { code = "" }), 400);
        var problem = await HttpAssert.Problem(await client.PostAsJsonAsync("/api/wechat/work/login", new { code = "no-such-code" }), 400);
        Assert.That(problem.GetProperty("errcode").GetInt32(), Is.EqualTo(40029));
    }
}
