using System.Text.Json;
using OrderHub.WeChat.Fakes;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>A salesperson's WeCom customers, and handing them over when the salesperson leaves.</summary>
public sealed class WeComExternalContactTests : FakeServerTest
{
    [SetUp]
    public void SeedCustomers()
    {
        Server.AddCustomer("sales.li", "wmDistributorA", "佛山五金批发", unionId: "u-union-A");
        Server.AddCustomer("sales.li", "wmDistributorB", "东莞建材");
        Server.AddCustomer("sales.wang", "wmDistributorC", "深圳电子");
        Server.MemberLeaves("sales.li"); // resigned/transfer_customer needs a member who left
    }

    [Test]
    public async Task Lists_a_members_customers()
    {
        var ids = await WeCom().ListExternalContactsAsync("sales.li");

        Assert.That(ids, Is.EqualTo(new[] { "wmDistributorA", "wmDistributorB" }));
        var call = Server.CallsTo("/cgi-bin/externalcontact/list").Single();
        Assert.That(call.Query["userid"], Is.EqualTo("sales.li"));
        var tokenCall = Server.CallsTo("/cgi-bin/gettoken").Single();
        Assert.That(tokenCall.Query["corpid"], Is.EqualTo(Server.Options.CorpId));
    }

    [Test]
    public void A_member_without_customers_is_NotExternalContact()
    {
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => WeCom().ListExternalContactsAsync("warehouse.zhao"));

        Assert.That(ex!.Errcode, Is.EqualTo(84061));
        Assert.That(ex.Kind, Is.EqualTo(WeChatErrorKind.NotExternalContact));
    }

    [Test]
    public async Task Gets_one_customer_with_the_members_following_them()
    {
        var details = await WeCom().GetExternalContactAsync("wmDistributorA");

        Assert.That(details.Contact.ExternalUserId, Is.EqualTo("wmDistributorA"));
        Assert.That(details.Contact.Name, Is.EqualTo("佛山五金批发"));
        Assert.That(details.Contact.UnionId, Is.EqualTo("u-union-A"));
        Assert.That(details.Contact.Type, Is.EqualTo(1));
        Assert.That(details.FollowUsers.Select(f => f.UserId), Is.EqualTo(new[] { "sales.li" }));
        Assert.That(details.FollowUsers[0].CreateTime, Is.EqualTo(Clock.GetUtcNow().ToUnixTimeSeconds()));
        Assert.That(details.NextCursor, Is.Null);
    }

    [Test]
    public void An_unknown_customer_is_InvalidExternalUser()
    {
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => WeCom().GetExternalContactAsync("wmNobody"));

        Assert.That(ex!.Errcode, Is.EqualTo(40096));
        Assert.That(ex.Kind, Is.EqualTo(WeChatErrorKind.InvalidExternalUser));
    }

    [Test]
    public async Task Transfer_reports_an_outcome_per_customer()
    {
        Server.FailTransferOf("wmDistributorB", 40129);

        var outcomes = await WeCom().TransferResignedCustomersAsync("sales.li", "sales.wang",
            ["wmDistributorA", "wmDistributorB", "wmDistributorC"]);

        Assert.That(outcomes.Select(o => (o.ExternalUserId, o.Errcode)), Is.EqualTo(new[]
        {
            ("wmDistributorA", 0),
            ("wmDistributorB", 40129),
            ("wmDistributorC", 40096), // not a customer of sales.li
        }));
        Assert.That(outcomes.Select(o => o.Started), Is.EqualTo(new[] { true, false, false }));
        Assert.That(outcomes[2].Kind, Is.EqualTo(WeChatErrorKind.InvalidExternalUser));

        using var body = JsonDocument.Parse(Server.CallsTo("/cgi-bin/externalcontact/resigned/transfer_customer").Single().Body!);
        Assert.That(body.RootElement.GetProperty("handover_userid").GetString(), Is.EqualTo("sales.li"));
        Assert.That(body.RootElement.GetProperty("takeover_userid").GetString(), Is.EqualTo("sales.wang"));
        Assert.That(body.RootElement.GetProperty("external_userid").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task Transfer_result_shows_waiting_then_completed()
    {
        var client = WeCom();
        await client.TransferResignedCustomersAsync("sales.li", "sales.wang", ["wmDistributorA", "wmDistributorB"]);

        var waiting = await client.GetResignedTransferResultAsync("sales.li", "sales.wang");
        Assert.That(waiting.Customers.Select(c => c.Status), Is.All.EqualTo(CustomerTransferStatus.Waiting));
        Assert.That(waiting.Customers[0].TakeoverTime, Is.EqualTo(Clock.GetUtcNow().AddHours(24)).Within(TimeSpan.FromSeconds(1)),
            "waiting → the automatic takeover time");
        Assert.That(waiting.NextCursor, Is.Null);

        Server.SetTransferStatus("wmDistributorA", FakeTransferStatus.Completed);
        Server.SetTransferStatus("wmDistributorB", FakeTransferStatus.CustomerRefused);
        var done = await client.GetResignedTransferResultAsync("sales.li", "sales.wang");

        Assert.That(done.Customers.Select(c => (c.ExternalUserId, c.Status)), Is.EqualTo(new[]
        {
            ("wmDistributorA", CustomerTransferStatus.Completed),
            ("wmDistributorB", CustomerTransferStatus.CustomerRefused),
        }));
        Assert.That(await client.ListExternalContactsAsync("sales.wang"), Does.Contain("wmDistributorA"));
    }

    [Test]
    public async Task Transfer_result_pages_with_the_cursor()
    {
        for (var i = 0; i < 5; i++) Server.AddCustomer("sales.li", $"wmBulk{i}", $"客户{i}");
        var client = WeCom();
        await client.TransferResignedCustomersAsync("sales.li", "sales.wang", Enumerable.Range(0, 5).Select(i => $"wmBulk{i}").ToList());
        Server.TransferResultPageSize = 2;

        var first = await client.GetResignedTransferResultAsync("sales.li", "sales.wang");
        var all = await client.GetAllResignedTransferResultsAsync("sales.li", "sales.wang");

        Assert.That(first.Customers, Has.Count.EqualTo(2));
        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(all.Select(c => c.ExternalUserId), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"wmBulk{i}")));
        var cursors = Server.CallsTo("/cgi-bin/externalcontact/resigned/transfer_result").Skip(1)
            .Select(c => JsonDocument.Parse(c.Body!).RootElement.TryGetProperty("cursor", out var cur) ? cur.GetString() : null).ToList();
        Assert.That(cursors, Is.EqualTo(new[] { null, first.NextCursor, cursors[2] }));
    }

    [Test]
    public void More_than_100_customers_per_call_is_rejected_before_calling()
    {
        var ids = Enumerable.Range(0, 101).Select(i => $"wm{i}").ToList();

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WeCom().TransferResignedCustomersAsync("sales.li", "sales.wang", ids));
        Assert.That(Server.Calls, Is.Empty);
    }

    [Test]
    public async Task Rate_limit_surfaces_as_RateLimited()
    {
        var client = WeCom();
        await client.ListExternalContactsAsync("sales.li");
        Server.RateLimitNext(1);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => client.ListExternalContactsAsync("sales.li"));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.RateLimited));
    }
}
