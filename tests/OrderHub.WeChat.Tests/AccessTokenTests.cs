using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>Access token: cached, refreshed before expiry, and refreshed once when WeChat rejects it.</summary>
public sealed class AccessTokenTests : FakeServerTest
{
    [Test]
    public async Task One_token_serves_many_calls()
    {
        var client = MiniProgram();
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED", times: 5);

        for (var i = 0; i < 5; i++)
            await client.SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", "pages/order/detail", OrderShippedData());

        Assert.That(Server.TokenRequests, Is.EqualTo(1));
        Assert.That(Server.SentMessages, Has.Count.EqualTo(5));
        var tokenCall = Server.CallsTo("/cgi-bin/stable_token").Single();
        Assert.That(tokenCall.Method, Is.EqualTo("POST"));
        Assert.That(tokenCall.Query, Is.Empty, "the secret goes in the JSON body, not the URL");
        using var body = System.Text.Json.JsonDocument.Parse(tokenCall.Body!);
        Assert.That(body.RootElement.GetProperty("grant_type").GetString(), Is.EqualTo("client_credential"));
        Assert.That(body.RootElement.GetProperty("appid").GetString(), Is.EqualTo(Server.Options.AppId));
        Assert.That(body.RootElement.GetProperty("force_refresh").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Concurrent_first_calls_fetch_one_token()
    {
        var cache = new AccessTokenCache(TimeSpan.FromMinutes(5), Clock);
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED", times: 20);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            MiniProgram(cache).SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData())));

        Assert.That(Server.TokenRequests, Is.EqualTo(1));
        Assert.That(cache.FetchCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Token_is_refreshed_the_margin_before_it_expires()
    {
        var client = MiniProgram(); // options: 5 minutes margin; the fake gives 7200 s tokens
        await client.GetUnlimitedQrCodeAsync("o=1");

        Clock.Advance(TimeSpan.FromSeconds(7200 - 300 - 1));
        await client.GetUnlimitedQrCodeAsync("o=2");
        Assert.That(Server.TokenRequests, Is.EqualTo(1), "still inside the margin");

        Clock.Advance(TimeSpan.FromSeconds(2));
        await client.GetUnlimitedQrCodeAsync("o=3");
        Assert.That(Server.TokenRequests, Is.EqualTo(2), "refreshed before WeChat would say 42001");
        Assert.That(Server.Calls.Count(c => c.Errcode == 42001), Is.Zero);
    }

    [Test]
    public async Task Expired_token_42001_is_refreshed_and_the_call_retried_once()
    {
        var client = MiniProgram();
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED", times: 2);
        await client.SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData());

        Server.ExpireTokens();
        await client.SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData());

        Assert.That(Server.TokenRequests, Is.EqualTo(2));
        var sends = Server.CallsTo("/cgi-bin/message/subscribe/send");
        Assert.That(sends.Select(c => c.Errcode), Is.EqualTo(new[] { 0, 42001, 0 }));
        Assert.That(sends[2].Query["access_token"], Is.Not.EqualTo(sends[1].Query["access_token"]));
        Assert.That(Server.SentMessages, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Token_not_latest_40001_is_refreshed_and_the_call_retried_once()
    {
        var client = MiniProgram();
        await client.GetUnlimitedQrCodeAsync("o=1");

        Server.InvalidateTokens();
        var image = await client.GetUnlimitedQrCodeAsync("o=2");

        Assert.That(image.Content, Is.Not.Empty);
        Assert.That(Server.TokenRequests, Is.EqualTo(2));
        Assert.That(Server.CallsTo("/wxa/getwxacodeunlimit").Select(c => c.Errcode), Is.EqualTo(new[] { 0, 40001, 0 }));
    }

    [Test]
    public void A_token_rejected_again_after_refresh_surfaces_as_TokenExpired_without_looping()
    {
        var client = MiniProgram();
        Server.RejectAllTokens = true;

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.GetUnlimitedQrCodeAsync("o=1"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.TokenExpired));
        Assert.That(Server.TokenRequests, Is.EqualTo(2), "fetched once more, in normal mode");
        Assert.That(Server.CallsTo("/wxa/getwxacodeunlimit"), Has.Count.EqualTo(1), "the same token came back: no pointless retry");
        Assert.That(Server.ForcedRefreshes, Is.Zero);
    }

    [Test]
    public async Task WeCom_invalid_token_40014_is_refreshed_too()
    {
        Server.AddCustomer("sales.li", "wmCustomerA", "张三");
        var client = WeCom();
        await client.ListExternalContactsAsync("sales.li");

        Server.InvalidateTokens();
        var ids = await client.ListExternalContactsAsync("sales.li");

        Assert.That(ids, Is.EqualTo(new[] { "wmCustomerA" }));
        Assert.That(Server.WeComTokenRequests, Is.EqualTo(2));
        Assert.That(Server.CallsTo("/cgi-bin/externalcontact/list").Select(c => c.Errcode), Is.EqualTo(new[] { 0, 40014, 0 }));
    }

    [Test]
    public void A_wrong_app_secret_is_InvalidCredentials_and_not_retried()
    {
        var client = MiniProgram(options: Server.CreateWeChatOptions() with { AppSecret = "wrong-secret-000000" });

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.GetUnlimitedQrCodeAsync("o=1"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidCredentials));
        Assert.That(ex.Errcode, Is.EqualTo(40125));
        Assert.That(Server.TokenRequests, Is.EqualTo(1));
        Assert.That(Server.CallsTo("/wxa/getwxacodeunlimit"), Is.Empty);
    }

    [Test]
    public void A_wrong_WeCom_secret_40001_is_InvalidCredentials_not_TokenExpired()
    {
        var client = WeCom(options: Server.CreateWeComOptions() with { Secret = "wrong-corp-secret-0000" });

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.ListExternalContactsAsync("sales.li"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidCredentials));
        Assert.That(ex.Errcode, Is.EqualTo(40001));
        Assert.That(Server.WeComTokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task A_shared_cache_survives_short_lived_clients()
    {
        var cache = new AccessTokenCache(TimeSpan.FromMinutes(5), Clock);

        await MiniProgram(cache).GetUnlimitedQrCodeAsync("o=1");
        await MiniProgram(cache).GetUnlimitedQrCodeAsync("o=2");

        Assert.That(Server.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task One_shared_cache_keeps_mini_program_and_WeCom_tokens_apart()
    {
        var cache = new AccessTokenCache(TimeSpan.FromMinutes(5), Clock);
        Server.AddCustomer("sales.li", "wmCustomerA", "张三");

        await MiniProgram(cache).GetUnlimitedQrCodeAsync("o=1");
        await WeCom(cache).ListExternalContactsAsync("sales.li");
        await MiniProgram(cache).GetUnlimitedQrCodeAsync("o=2");
        await WeCom(cache).ListExternalContactsAsync("sales.li");

        Assert.That(Server.TokenRequests, Is.EqualTo(1));
        Assert.That(Server.WeComTokenRequests, Is.EqualTo(1));
        Assert.That(Server.Calls.Where(c => c.Errcode != 0), Is.Empty, "no token was sent to the wrong API");
    }
}
