using System.Diagnostics;
using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

public class ResilienceTests
{
    [Test]
    public async Task Http_500_is_unavailable_quickly()
    {
        await using var h = await Harness.StartAsync();
        h.Server.FailMode = FakeFailMode.Http500;
        var sw = Stopwatch.StartNew();
        var e = Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PullProductsAsync(null, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("HTTP 500"));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task A_hanging_server_is_unavailable_after_the_timeout()
    {
        await using var h = await Harness.StartAsync(o => o.Timeout = TimeSpan.FromMilliseconds(500));
        await h.Client.LoginAsync(CancellationToken.None);
        h.Server.FailMode = FakeFailMode.Hang;
        var sw = Stopwatch.StartNew();
        var e = Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.FindOrderAsync("OH-1", CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("did not answer"));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task A_stopped_server_is_unavailable_quickly()
    {
        var h = await Harness.StartAsync();
        await h.Server.DisposeAsync();
        try
        {
            var sw = Stopwatch.StartNew();
            Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PullCustomersAsync(null, CancellationToken.None));
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        }
        finally { h.Http.Dispose(); }
    }

    [Test]
    public async Task Caller_cancellation_is_not_turned_into_unavailable()
    {
        await using var h = await Harness.StartAsync();
        h.Server.FailMode = FakeFailMode.Hang;
        using var cts = new CancellationTokenSource(200);
        Assert.CatchAsync<OperationCanceledException>(() => h.Adapter.PullProductsAsync(null, cts.Token));
    }

    [Test]
    public async Task Expired_session_logs_in_again_transparently()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        Assert.That(h.Server.LoginCount, Is.EqualTo(1));

        h.Server.ExpireSessions();
        var page = await h.Adapter.PullProductsAsync(null, CancellationToken.None);

        Assert.That(page.Items, Has.Count.EqualTo(1));
        Assert.That(h.Server.LoginCount, Is.EqualTo(2));
        Assert.That(h.Client.LoginCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Expired_session_at_save_logs_in_again_and_saves_once()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.ExpireSessionAtNextSave = true;

        var pushed = await h.Adapter.PushOrderAsync(new ErpOrder("OH-9", "C001", null, [new ErpOrderLine("A", 1, 100)], null, null), CancellationToken.None);

        var docs = h.Server.OrdersWithReference("OH-9");
        Assert.That(docs, Has.Count.EqualTo(1));
        Assert.That(docs[0]["FDocumentStatus"], Is.EqualTo("C"));
        Assert.That(pushed.ErpOrderId, Is.EqualTo(docs[0]["FBillNo"]));
        Assert.That(h.Server.LoginCount, Is.EqualTo(2));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Bad_credentials_are_unavailable_not_rejected(bool appSecret)
    {
        await using var h = await Harness.StartAsync(o =>
        {
            if (appSecret) o.AppSecret = "wrong"; else o.Password = "wrong";
        }, appSecret);
        var e = Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PullProductsAsync(null, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("refused the login"));
    }

    [Test]
    public async Task ValidateUser_login_works_with_a_password()
    {
        await using var h = await Harness.StartAsync(appSecret: false);
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        var page = await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        Assert.That(page.Items, Has.Count.EqualTo(1));
    }
}

public class ClientTests
{
    [Test]
    public async Task ExecuteBillQuery_projects_field_keys_filters_and_pages_with_StartRow_and_Limit()
    {
        await using var h = await Harness.StartAsync();
        for (var i = 1; i <= 5; i++) h.Server.AddMaterial($"M{i}", $"名称{i}", "Pcs", Harness.Past(i));

        var q = new KingdeeBillQuery("BD_MATERIAL", ["FName", "FNumber"], "FNumber <> 'M3' AND FModifyDate > '2025-03-01 12:00:00'", "FNumber DESC", StartRow: 1, Limit: 2);
        var rows = await h.Client.ExecuteBillQueryAsync(q, CancellationToken.None);

        Assert.That(rows.Select(r => (r.GetString("FName"), r.GetString("FNumber"))), Is.EqualTo(new[] { ("名称4", "M4"), ("名称2", "M2") }));
        Assert.That(rows[0]["FNumber"].GetString(), Is.EqualTo("M4"));
    }

    [Test]
    public async Task Query_errors_come_back_as_rejections_with_Kingdees_message()
    {
        await using var h = await Harness.StartAsync();
        var e = Assert.ThrowsAsync<ErpRejectedException>(() =>
            h.Client.ExecuteBillQueryAsync(new KingdeeBillQuery("BD_MATERIAL", ["FNoSuchField"]), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("FNoSuchField"));
    }

    [Test]
    public void Cursor_round_trips_and_rejects_garbage()
    {
        var c = new SyncCursor(new DateTime(2025, 1, 9, 12, 0, 45, 53), new DateTime(2025, 1, 10, 8, 0, 0), "100345");
        Assert.That(c.ToString(), Is.EqualTo("v1|2025-01-09T12:00:45.053|2025-01-10T08:00:00.000|100345"));
        Assert.That(SyncCursor.Parse(c.ToString()), Is.EqualTo(c));
        Assert.That(SyncCursor.Parse(null), Is.EqualTo(SyncCursor.Start));
        Assert.Throws<ArgumentException>(() => SyncCursor.Parse("garbage"));
    }

    [TestCase(19.99, 1999)]
    [TestCase(0.07, 7)]
    [TestCase(1000.05, 100005)]
    [TestCase(25.620000, 2562)]
    [TestCase(0.125, 13)]
    public void Money_converts_exactly(decimal yuan, long fen)
    {
        Assert.That(ErpMoney.ToFen(yuan, SubFenPolicy.Round, out _), Is.EqualTo(fen));
        if (yuan * 100 == fen) Assert.That(ErpMoney.ToYuan(fen), Is.EqualTo(yuan));
    }
}
