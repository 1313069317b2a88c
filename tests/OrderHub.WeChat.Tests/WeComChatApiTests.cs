using System.Text.Json;
using OrderHub.WeChat.Fakes;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>The chat-commerce calls of the WeChat Work client (issue #20) against the fake written from the published API.</summary>
public sealed class WeComChatApiTests : FakeServerTest
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Test]
    public async Task A_contact_way_is_a_single_member_QR_with_its_state()
    {
        var way = await WeCom().AddContactWayAsync("sales.li", "oh:a12:s345", "李 · 门店345");
        var created = Server.ContactWays.Single();
        Assert.That((created.ConfigId, created.Users.Single(), created.State, created.SkipVerify), Is.EqualTo((way.ConfigId, "sales.li", "oh:a12:s345", true)));
        Assert.That(way.QrCode, Does.StartWith("https://"));
        using var body = JsonDocument.Parse(Server.CallsTo("/cgi-bin/externalcontact/add_contact_way")[0].Body!);
        Assert.That((body.RootElement.GetProperty("type").GetInt32(), body.RootElement.GetProperty("scene").GetInt32()), Is.EqualTo((1, 2)));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WeCom().AddContactWayAsync("sales.li", new string('s', 31), null));
    }

    [Test]
    public async Task A_welcome_message_goes_once_within_20_seconds_with_a_mini_program_card()
    {
        var client = WeCom();
        var media = await client.UploadImageAsync(Png, "cover.png", "image/png");
        Assert.That(media.ExpiresAt - Clock.GetUtcNow(), Is.EqualTo(TimeSpan.FromDays(3)));
        var card = new MiniProgramAttachment("老板您好，点此订货", media.MediaId, Server.Options.AppId, "pages/index/index.html?share=abc");
        var code = Server.IssueWelcomeCode("sales.li", "wmStore1");

        Clock.Advance(TimeSpan.FromSeconds(19));
        await client.SendWelcomeMessageAsync(code, "您好，我是业务员小李", card);
        var sent = Server.WelcomeMessages.Single();
        Assert.That((sent.ExternalUserId, sent.Text, sent.Cards.Single().Page), Is.EqualTo(("wmStore1", "您好，我是业务员小李", "pages/index/index.html?share=abc")));

        var again = Assert.ThrowsAsync<WeChatApiException>(() => client.SendWelcomeMessageAsync(code, "x", null));
        Assert.That(again!.Errcode, Is.EqualTo(41051));
        var late = Server.IssueWelcomeCode("sales.li", "wmStore2");
        Clock.Advance(TimeSpan.FromSeconds(21));
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => client.SendWelcomeMessageAsync(late, "x", null))!.Errcode, Is.EqualTo(41051));
    }

    [Test]
    public async Task A_card_without_a_live_cover_or_with_a_page_without_html_is_refused()
    {
        var client = WeCom();
        var media = await client.UploadImageAsync(Png, "cover.png", "image/png");
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => client.SendWelcomeMessageAsync(Server.IssueWelcomeCode("u", "e1"), null,
            new MiniProgramAttachment("t", "not-uploaded", Server.Options.AppId, "pages/index/index.html")))!.Errcode, Is.EqualTo(40007));
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => client.SendWelcomeMessageAsync(Server.IssueWelcomeCode("u", "e2"), null,
            new MiniProgramAttachment("t", media.MediaId, Server.Options.AppId, "pages/index/index")))!.Errcode, Is.EqualTo(40058));
    }

    [Test]
    public async Task A_group_message_waits_for_the_sender_then_reports_per_customer()
    {
        Server.AddCustomer("sales.li", "wmA", "甲店");
        Server.AddCustomer("sales.li", "wmB", "乙店");
        var client = WeCom();
        var result = await client.AddMessageTemplateAsync("sales.li", ["wmA", "wmB", "wmStranger"], "本周新品到货", null);
        Assert.That(result.FailList, Is.EqualTo(new[] { "wmStranger" }));

        var before = await client.GetGroupMessageSendResultsAsync(result.MsgId, "sales.li");
        Assert.That(before.Select(r => r.Status), Is.All.EqualTo(GroupMessageStatus.NotSent));
        Server.MemberConfirmsGroupMessage(result.MsgId);
        var after = await client.GetGroupMessageSendResultsAsync(result.MsgId, "sales.li");
        Assert.That(after.Select(r => (r.ExternalUserId, r.Status)), Is.EquivalentTo(new[] { ("wmA", GroupMessageStatus.Sent), ("wmB", GroupMessageStatus.Sent) }));
    }

    [Test]
    public async Task Group_message_results_page_by_cursor_answer_41063_while_dispatching_and_a_forged_token_is_refused()
    {
        var ids = Enumerable.Range(0, 1203).Select(i => $"wm{i:D4}").ToList();
        foreach (var id in ids) Server.AddCustomer("sales.wang", id, "店" + id);
        Server.GroupMessageDispatchDelay = TimeSpan.FromSeconds(30);
        var client = WeCom();
        var result = await client.AddMessageTemplateAsync("sales.wang", ids, "到货通知", null);
        Assert.That(result.FailList, Is.Empty);

        // 全局错误码 41063 群发消息正在被派发中，请稍后再试
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => client.GetGroupMessageTasksAsync(result.MsgId))!.Errcode, Is.EqualTo(41063));
        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That((await client.GetGroupMessageTasksAsync(result.MsgId)).Single(), Is.EqualTo(new GroupMessageTask("sales.wang", false, null)));

        Server.CustomerAlreadyReceivedGroupMessage("wm0007");
        Server.MemberConfirmsGroupMessage(result.MsgId);
        Assert.That((await client.GetGroupMessageTasksAsync(result.MsgId)).Single().Sent, Is.True);
        var all = await client.GetGroupMessageSendResultsAsync(result.MsgId, "sales.wang");
        Assert.That(all, Has.Count.EqualTo(1203), "two pages of at most 1000, joined by next_cursor");
        Assert.That(all.Single(r => r.ExternalUserId == "wm0007").Status, Is.EqualTo(GroupMessageStatus.AlreadyReceivedAnother));
        Assert.That(all.Count(r => r.Status == GroupMessageStatus.Sent), Is.EqualTo(1202));
        Assert.That(Server.CallsTo("/cgi-bin/externalcontact/get_groupmsg_send_result"), Has.Count.EqualTo(2));

        // a token WeChat Work never issued: 40014 不合法的access_token, and nothing is created
        var before = Server.GroupMessages.Count;
        var forged = await Http.PostAsync(Server.BaseUrl + "/cgi-bin/externalcontact/add_msg_template?access_token=forged-token",
            new StringContent("""{"chat_type":"single","external_userid":["wm0001"],"sender":"sales.wang","text":{"content":"x"}}"""));
        using var body = JsonDocument.Parse(await forged.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("errcode").GetInt32(), Is.EqualTo(40014));
        Assert.That(Server.GroupMessages, Has.Count.EqualTo(before));
    }

    [Test]
    public async Task Js_sdk_tickets_are_fetched_once_and_the_signature_is_the_published_one()
    {
        var client = WeCom();
        var (corp, agent) = await client.GetJsApiTicketsAsync();
        var again = await client.GetJsApiTicketsAsync();
        Assert.That(again, Is.EqualTo((corp, agent)));
        Assert.That((corp, agent), Is.EqualTo((Server.CorpJsApiTicket, Server.AgentJsApiTicket)));
        Assert.That(Server.CallsTo("/cgi-bin/get_jsapi_ticket"), Has.Count.EqualTo(1));
        Assert.That(Server.CallsTo("/cgi-bin/ticket/get"), Has.Count.EqualTo(1));

        // the published example (document/path/90506): this ticket, nonce, timestamp and url give this signature
        Assert.That(WeComExternalContactClient.JsApiSignature("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value#frag"), Is.EqualTo("0f9de62fce790f9a083d5c99e95740ceb90c27ed"));
    }
}
