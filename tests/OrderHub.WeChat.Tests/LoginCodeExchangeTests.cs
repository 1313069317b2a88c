using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>wx.login code → openid / unionid / session key (GET /sns/jscode2session).</summary>
public sealed class LoginCodeExchangeTests : FakeServerTest
{
    [Test]
    public async Task A_code_the_mini_program_got_logs_the_user_in()
    {
        var code = Server.IssueCode("o-buyer-001", "u-union-001");

        var session = await MiniProgram().Code2SessionAsync(code);

        Assert.That(session.OpenId, Is.EqualTo("o-buyer-001"));
        Assert.That(session.UnionId, Is.EqualTo("u-union-001"));
        Assert.That(session.SessionKey, Is.EqualTo(Server.SessionKeyIssuedFor(code)));
        var sent = Server.CallsTo("/sns/jscode2session").Single();
        Assert.That(sent.Method, Is.EqualTo("GET"));
        Assert.That(sent.Query["appid"], Is.EqualTo(Server.Options.AppId));
        Assert.That(sent.Query["js_code"], Is.EqualTo(code));
        Assert.That(sent.Query["grant_type"], Is.EqualTo("authorization_code"));
        Assert.That(Server.TokenRequests, Is.Zero, "code2Session needs no access token");
    }

    [Test]
    public async Task Unionid_is_null_when_WeChat_sends_none()
    {
        var session = await MiniProgram().Code2SessionAsync(Server.IssueCode("o-buyer-002"));

        Assert.That(session.UnionId, Is.Null);
    }

    [Test]
    public async Task A_code_works_only_once()
    {
        var client = MiniProgram();
        var code = Server.IssueCode("o-buyer-001");
        await client.Code2SessionAsync(code);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.Code2SessionAsync(code));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.CodeUsed));
        Assert.That(ex.Errcode, Is.EqualTo(40163));
        Assert.That(ex.SuggestedHttpStatus, Is.EqualTo(400));
        Assert.That(ex.Message, Does.Contain("已被使用").And.Contain("already been used"));
    }

    [Test]
    public void An_unknown_code_is_InvalidCode()
    {
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => MiniProgram().Code2SessionAsync("081NotIssuedByWeChat"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidCode));
        Assert.That(ex.Errcode, Is.EqualTo(40029));
    }

    [Test]
    public async Task Rate_limit_surfaces_as_RateLimited_and_the_next_call_works()
    {
        var client = MiniProgram();
        var code = Server.IssueCode("o-buyer-001");
        Server.RateLimitNext(1);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.Code2SessionAsync(code));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.RateLimited));
        Assert.That(ex.Errcode, Is.EqualTo(45011));
        Assert.That(ex.SuggestedHttpStatus, Is.EqualTo(429));
        Assert.That((await client.Code2SessionAsync(code)).OpenId, Is.EqualTo("o-buyer-001"), "a rate-limited call did not use up the code");
    }

    [Test]
    public async Task The_session_key_is_neither_printed_nor_logged()
    {
        var code = Server.IssueCode("o-buyer-001");
        var session = await MiniProgram().Code2SessionAsync(code);

        Assert.That(session.ToString(), Does.Not.Contain(session.SessionKey));
        Assert.That(MiniProgramLog.AllText, Does.Not.Contain(session.SessionKey));
        Assert.That(MiniProgramLog.AllText, Does.Not.Contain(code), "one-time codes are masked in logged URLs");
        Assert.That(MiniProgramLog.AllText, Does.Contain("sns/jscode2session"), "the call itself is logged");
    }
}
