using System.Text.Json;
using OrderHub.WeChat.Fakes;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>
/// WeChat Work APIs added for #22 / #15: batch/get_by_user, get_unassigned_list, on-job transfer and its results,
/// miniprogram/jscode2session, and configuration errcodes as their own kind.
/// </summary>
public sealed class WeComHandOverApiTests : FakeServerTest
{
    [Test]
    public async Task Batch_get_by_user_pages_through_every_customer_of_the_members()
    {
        for (var i = 0; i < 5; i++) Server.AddCustomer("sales.li", $"wmLi{i}", $"李的客户{i}", unionId: i == 0 ? "u-li-0" : null);
        Server.AddCustomer("sales.wang", "wmWang0", "王的客户");
        Server.BatchGetPageSize = 2;

        var rows = await WeCom().GetCustomersOfMembersAsync(["sales.li", "sales.wang"]);

        Assert.That(rows.Select(r => (r.FollowInfo.UserId, r.Contact.ExternalUserId)), Is.EqualTo(
            Enumerable.Range(0, 5).Select(i => ("sales.li", $"wmLi{i}")).Append(("sales.wang", "wmWang0"))));
        Assert.That(rows[0].Contact.UnionId, Is.EqualTo("u-li-0"));
        Assert.That(Server.CallsTo("/cgi-bin/externalcontact/batch/get_by_user"), Has.Count.EqualTo(3));
        Assert.That(Server.CallsTo("/cgi-bin/externalcontact/get"), Is.Empty);
        using var body = JsonDocument.Parse(Server.CallsTo("/cgi-bin/externalcontact/batch/get_by_user")[0].Body!);
        Assert.That(body.RootElement.GetProperty("userid_list").GetArrayLength(), Is.EqualTo(2));
        Assert.That(body.RootElement.GetProperty("limit").GetInt32(), Is.EqualTo(100));
    }

    [Test]
    public async Task Unassigned_customers_are_those_of_members_who_left_all_pages()
    {
        Server.AddCustomer("sales.li", "wmA", "甲");
        Server.AddCustomer("sales.li", "wmB", "乙");
        Server.AddCustomer("sales.zhao", "wmC", "丙");
        Server.AddCustomer("sales.wang", "wmD", "丁");
        Server.MemberLeaves("sales.li");
        Server.MemberLeaves("sales.zhao");
        Server.UnassignedListPageSize = 2;
        var client = WeCom();

        var all = await client.GetUnassignedCustomersAsync();

        Assert.That(all.Select(u => (u.HandoverUserId, u.ExternalUserId)), Is.EquivalentTo(new[] { ("sales.li", "wmA"), ("sales.li", "wmB"), ("sales.zhao", "wmC") }));
        Assert.That(all.All(u => u.DimissionTime is not null));

        await client.TransferResignedCustomersAsync("sales.li", "sales.wang", ["wmA"]);
        Assert.That((await client.GetUnassignedCustomersAsync()).Select(u => u.ExternalUserId), Is.EquivalentTo(new[] { "wmB", "wmC" }), "handed over: no longer unassigned");
    }

    [Test]
    public async Task On_job_transfer_sends_the_message_and_a_customer_may_refuse()
    {
        Server.AddCustomer("sales.li", "wmA", "甲");
        Server.AddCustomer("sales.li", "wmB", "乙");
        var client = WeCom();

        var outcomes = await client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA", "wmB", "wmNobody"], "您好，由同事小王接替为您服务");

        Assert.That(outcomes.Select(o => (o.ExternalUserId, o.Errcode)), Is.EqualTo(new[] { ("wmA", 0), ("wmB", 0), ("wmNobody", 40096) }));
        using (var body = JsonDocument.Parse(Server.CallsTo("/cgi-bin/externalcontact/transfer_customer").Single().Body!))
            Assert.That(body.RootElement.GetProperty("transfer_success_msg").GetString(), Is.EqualTo("您好，由同事小王接替为您服务"));
        Server.SetTransferStatus("wmB", FakeTransferStatus.CustomerRefused);
        var states = await client.GetAllOnJobTransferResultsAsync("sales.li", "sales.wang");
        Assert.That(states.Select(s => (s.ExternalUserId, s.Status)), Is.EqualTo(new[]
        {
            ("wmA", CustomerTransferStatus.Waiting), ("wmB", CustomerTransferStatus.CustomerRefused),
        }));
        Assert.That(await client.GetAllResignedTransferResultsAsync("sales.li", "sales.wang"), Is.Empty, "kept apart from resigned transfers");
    }

    [Test]
    public async Task On_job_transfer_of_one_customer_is_limited_to_twice_in_90_days()
    {
        Server.AddCustomer("sales.li", "wmA", "甲");
        var client = WeCom();
        Assert.That((await client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], null)).Single().Errcode, Is.Zero);
        Assert.That((await client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], null)).Single().Errcode, Is.EqualTo(40129), "still being transferred");
        Server.SetTransferStatus("wmA", FakeTransferStatus.Completed);
        Assert.That((await client.TransferOnJobCustomersAsync("sales.wang", "sales.li", ["wmA"], null)).Single().Errcode, Is.Zero);
        Server.SetTransferStatus("wmA", FakeTransferStatus.Completed);

        Assert.That((await client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], null)).Single().Errcode, Is.EqualTo(40128), "a third time within 90 days");
        Clock.Advance(TimeSpan.FromDays(91));
        Assert.That((await client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], null)).Single().Errcode, Is.Zero);
    }

    [Test]
    public async Task On_job_transfer_of_a_member_who_left_is_refused_and_a_long_message_is_refused_before_calling()
    {
        Server.AddCustomer("sales.li", "wmA", "甲");
        Server.MemberLeaves("sales.li");
        var client = WeCom();

        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], null))!.Errcode, Is.EqualTo(60111));
        var calls = Server.Calls.Count;
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.TransferOnJobCustomersAsync("sales.li", "sales.wang", ["wmA"], new string('好', 201)));
        Assert.That(Server.Calls, Has.Count.EqualTo(calls));
        await Task.CompletedTask;
    }

    [Test]
    public async Task WeCom_mini_program_code_gives_corp_and_user_once()
    {
        var code = Server.IssueWorkCode("sales.li");
        var client = WeCom();

        var session = await client.MiniProgramCode2SessionAsync(code);

        Assert.That(session.CorpId, Is.EqualTo(Server.Options.CorpId));
        Assert.That(session.UserId, Is.EqualTo("sales.li"));
        Assert.That(session.ToString(), Does.Not.Contain(session.SessionKey));
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.MiniProgramCode2SessionAsync(code));
        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidCode));
        Assert.That(WeComLog.AllText, Does.Not.Contain(code), "the code is redacted from logs");
    }

    [TestCase(60020)]
    [TestCase(48002)]
    public void Configuration_errcodes_are_their_own_kind_with_what_to_change(int errcode)
    {
        Server.AddCustomer("sales.li", "wmA", "甲");
        if (errcode == 60020) Server.TrustedIpConfigured = false; else Server.AppInCallableApps = false;
        var seen = new List<(string Api, int Errcode, WeChatErrorKind Kind)>();
        var client = new WeComExternalContactClient(Http, Server.CreateWeComOptions(), null, WeComLog, Clock, (a, e, k) => seen.Add((a, e, k)));

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.ListExternalContactsAsync("sales.li"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.Configuration));
        Assert.That(WeChatApiException.IsConfigurationError(ex.Kind));
        Assert.That(WeChatApiException.ConfigurationHint(errcode).En, Does.Contain(errcode == 60020 ? "trusted IP" : "callable apps"));
        Assert.That(seen.Select(s => (s.Api, s.Errcode, s.Kind)), Is.EqualTo(new[]
        {
            ("cgi-bin/gettoken", 0, WeChatErrorKind.Unknown),
            ("cgi-bin/externalcontact/list", errcode, WeChatErrorKind.Configuration),
        }));
    }

    [Test]
    public void A_wrong_secret_is_reported_as_a_credential_error_to_the_observer()
    {
        var seen = new List<WeChatErrorKind>();
        var client = new WeComExternalContactClient(Http, Server.CreateWeComOptions() with { Secret = "wrong-secret-00000000" }, null, WeComLog, Clock, (_, _, k) => seen.Add(k));

        Assert.ThrowsAsync<WeChatApiException>(() => client.ListExternalContactsAsync("sales.li"));

        Assert.That(seen, Is.EqualTo(new[] { WeChatErrorKind.InvalidCredentials }));
        Assert.That(WeChatApiException.IsConfigurationError(seen[0]));
    }
}
