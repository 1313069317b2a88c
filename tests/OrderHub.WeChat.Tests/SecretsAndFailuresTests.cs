using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>Secrets and tokens stay out of exception messages and logs; transport failures have a Kind too.</summary>
public sealed class SecretsAndFailuresTests : FakeServerTest
{
    [Test]
    public void A_login_error_that_echoes_the_URL_does_not_leak_the_app_secret()
    {
        Server.EchoQueryInErrmsg = true;

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => MiniProgram().Code2SessionAsync("081Unknown"));

        Assert.That(Server.Calls.Single().Query["secret"], Is.EqualTo(Server.Options.AppSecret), "the secret was sent…");
        Assert.That(ex!.ToString(), Does.Not.Contain(Server.Options.AppSecret), "…but is not in the exception");
        Assert.That(ex.Errmsg, Does.Not.Contain(Server.Options.AppSecret));
        Assert.That(MiniProgramLog.AllText, Does.Not.Contain(Server.Options.AppSecret));
        Assert.That(ex.Message, Does.Contain("errcode 40029"));
    }

    [Test]
    public async Task An_API_error_that_echoes_the_URL_does_not_leak_the_access_token()
    {
        var client = MiniProgram();
        await client.GetUnlimitedQrCodeAsync("d=1");
        var token = Server.CallsTo("/wxa/getwxacodeunlimit").Single().Query["access_token"];
        Server.EchoQueryInErrmsg = true;

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.SendSubscribeMessageAsync("o-x", "TPL", null, OrderShippedData()));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.SubscribeRefused));
        Assert.That(ex.ToString(), Does.Not.Contain(token));
        Assert.That(MiniProgramLog.AllText, Does.Not.Contain(token));
        Assert.That(MiniProgramLog.AllText, Does.Contain("access_token=***"));
    }

    [Test]
    public void A_wrong_WeCom_secret_is_not_in_the_exception_or_the_log()
    {
        const string wrong = "wrong-corp-secret-0000";
        Server.EchoQueryInErrmsg = true;

        var ex = Assert.ThrowsAsync<WeChatApiException>(() =>
            WeCom(options: Server.CreateWeComOptions() with { Secret = wrong }).ListExternalContactsAsync("sales.li"));

        Assert.That(ex!.ToString(), Does.Not.Contain(wrong));
        Assert.That(WeComLog.AllText, Does.Not.Contain(wrong).And.Not.Contain(Server.Options.CorpSecret));
    }

    [Test]
    public void Options_do_not_print_their_secrets()
    {
        Assert.That(Server.CreateWeChatOptions().ToString(), Does.Not.Contain(Server.Options.AppSecret));
        Assert.That(Server.CreateWeComOptions().ToString(), Does.Not.Contain(Server.Options.CorpSecret));
    }

    [Test]
    public void Redaction_masks_credentials_in_urls_and_json()
    {
        var url = new Uri("https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=S3CR3T&js_code=CODE1&grant_type=authorization_code");

        Assert.That(WeChatRedaction.RedactUrl(url), Is.EqualTo(
            "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=***&js_code=***&grant_type=authorization_code"));
        Assert.That(WeChatRedaction.RedactText("{\"session_key\":\"abc==\",\"openid\":\"o1\"}"),
            Is.EqualTo("{\"session_key\":\"***\",\"openid\":\"o1\"}"));
        Assert.That(WeChatRedaction.RedactText("bad credential S3CR3T-value, hint x", ["S3CR3T-value"]),
            Is.EqualTo("bad credential ***, hint x"), "known secrets are masked wherever they appear");
    }

    [Test]
    public void An_HTTP_failure_is_ServiceUnavailable()
    {
        Server.FailNext(1, httpStatus: 502);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => MiniProgram().Code2SessionAsync(Server.IssueCode("o-1")));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.ServiceUnavailable));
        Assert.That(ex.SuggestedHttpStatus, Is.EqualTo(503));
        Assert.That(ex.Message, Does.Contain("HTTP 502"));
    }

    [Test]
    public async Task An_unreachable_host_is_ServiceUnavailable_without_the_secret_in_the_message()
    {
        var deadUrl = Server.BaseUrl;
        await Server.DisposeAsync();
        Server = await Fakes.FakeWeChatServer.StartAsync(); // TearDown disposes this one
        var client = MiniProgram(options: new WeChatOptions { ApiBaseUrl = deadUrl, AppId = "wx1", AppSecret = "unreachable-secret-123" });

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.Code2SessionAsync("081code"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.ServiceUnavailable));
        Assert.That(ex.ToString(), Does.Not.Contain("unreachable-secret-123"));
    }
}
