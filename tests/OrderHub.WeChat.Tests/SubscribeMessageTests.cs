using System.Text.Json;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>Order notifications as subscribe messages (POST /cgi-bin/message/subscribe/send).</summary>
public sealed class SubscribeMessageTests : FakeServerTest
{
    [Test]
    public async Task A_user_who_accepted_the_template_gets_the_message()
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED");

        var msgId = await MiniProgram().SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", "pages/order/detail?id=42",
            OrderShippedData(), MiniProgramState.Trial);

        var sent = Server.SentMessages.Single();
        Assert.That(msgId, Is.EqualTo(sent.MsgId));
        Assert.That(sent.ToUser, Is.EqualTo("o-buyer-001"));
        Assert.That(sent.TemplateId, Is.EqualTo("TPL_SHIPPED"));
        Assert.That(sent.Page, Is.EqualTo("pages/order/detail?id=42"));
        Assert.That(sent.Data, Is.EquivalentTo(OrderShippedData()));
        Assert.That(sent.MiniprogramState, Is.EqualTo("trial"));
        Assert.That(sent.Lang, Is.EqualTo("zh_CN"));
    }

    [Test]
    public async Task The_body_has_the_published_shape()
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED");

        await MiniProgram().SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData());

        var call = Server.CallsTo("/cgi-bin/message/subscribe/send").Single();
        Assert.That(call.Method, Is.EqualTo("POST"));
        Assert.That(call.Query.ContainsKey("access_token"));
        using var body = JsonDocument.Parse(call.Body!);
        var root = body.RootElement;
        Assert.That(root.GetProperty("touser").GetString(), Is.EqualTo("o-buyer-001"));
        Assert.That(root.GetProperty("template_id").GetString(), Is.EqualTo("TPL_SHIPPED"));
        Assert.That(root.TryGetProperty("page", out _), Is.False, "no page → no jump, field omitted");
        Assert.That(root.GetProperty("miniprogram_state").GetString(), Is.EqualTo("formal"));
        Assert.That(root.GetProperty("data").GetProperty("thing2").GetProperty("value").GetString(), Is.EqualTo("广州白云区分销中心"));
    }

    [Test]
    public void A_user_who_did_not_accept_the_template_is_SubscribeRefused()
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_OTHER");

        var ex = Assert.ThrowsAsync<WeChatApiException>(() =>
            MiniProgram().SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData()));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.SubscribeRefused));
        Assert.That(ex.Errcode, Is.EqualTo(43101));
        Assert.That(ex.Message, Does.Contain("未订阅").And.Contain("not accepted"));
        Assert.That(Server.SentMessages, Is.Empty);
    }

    [Test]
    public async Task One_acceptance_allows_one_message()
    {
        var client = MiniProgram();
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED");
        await client.SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData());

        var ex = Assert.ThrowsAsync<WeChatApiException>(() =>
            client.SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData()));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.SubscribeRefused));
    }

    [Test]
    public void Rate_limit_surfaces_as_RateLimited()
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_SHIPPED");
        Server.RateLimitNext(1);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() =>
            MiniProgram().SendSubscribeMessageAsync("o-buyer-001", "TPL_SHIPPED", null, OrderShippedData()));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.RateLimited));
    }
}
