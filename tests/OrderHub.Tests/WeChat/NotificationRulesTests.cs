using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Notifications;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>
/// 消息 that a store controls (issue #17): read one or all, an unread count, kinds turned off for WeChat, a daily cap per
/// store and quiet hours — and what was held back stays visible in the list with why.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class NotificationRulesTests(string kind)
{
    private WeChatTestHost _wx = null!;
    private int _period;

    [OneTimeSetUp]
    public async Task Start() => _wx = await WeChatTestHost.StartAsync(kind, new() { ["Notifications:DailyPushCapPerStore"] = "1" });
    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    private NotificationOptions Options => _wx.Host.Services.GetRequiredService<NotificationOptions>();

    /// <summary>A store whose one active user signed in with WeChat and accepted the statement template many times.</summary>
    private async Task<(long CustomerId, string OpenId, HttpClient User)> Store(int agentIndex, string openId)
    {
        var (_, _, customerId) = await _wx.AgentAndStoreAsync(agentIndex, 1);
        await _wx.Host.Exec("UPDATE customer_users SET active = FALSE WHERE customer_id = @customerId AND id <> (SELECT MIN(id) FROM customer_users WHERE customer_id = @customerId)", new { customerId });
        await _wx.Host.Exec("UPDATE customer_users SET active = TRUE, wechat_openid = @openId WHERE id = (SELECT MIN(id) FROM customer_users WHERE customer_id = @customerId)", new { openId, customerId });
        var user = await WeChatTestHost.WithTokenAsync(_wx.Host, await _wx.LoginAsync(openId));
        for (var i = 0; i < 5; i++)
        {
            await HttpAssert.Ok(await user.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { "StatementReady" }, accepted = new[] { "StatementReady" } }));
            _wx.Fake.AcceptTemplate(openId, "TPL_STATEMENT");
        }
        return (customerId, openId, user);
    }

    /// <summary>Finance tells the store a statement is ready: one new message for its user.</summary>
    private async Task StatementReady(long customerId)
    {
        var month = ++_period;
        var from = new DateOnly(2024, 1, 1).AddMonths(month);
        var finance = await _wx.Host.StaffAsync("finance");
        await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/customers/{customerId}/statement-ready",
            new { from = from.ToString("yyyy-MM-dd"), to = from.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd") }));
    }

    [Test]
    public async Task A_user_reads_one_then_all_and_the_unread_count_follows_while_another_store_cannot_touch_them()
    {
        var (customerId, _, user) = await Store(0, "o-inbox-read");
        for (var i = 0; i < 3; i++) await StatementReady(customerId);
        var before = (await HttpAssert.Ok(await user.GetAsync("/api/notifications/unread-count"))).GetProperty("unread").GetInt64();
        Assert.That(before, Is.GreaterThanOrEqualTo(3));

        var list = await HttpAssert.Ok(await user.GetAsync("/api/notifications?unread=true"));
        var newest = list[0];
        Assert.That(newest.GetProperty("kindLabel").GetString(), Is.EqualTo("对账单已出"));
        var id = newest.GetProperty("id").GetInt64();
        Assert.That((await user.PostAsync($"/api/notifications/{id}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await user.PostAsync($"/api/notifications/{id}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "again is harmless");
        Assert.That((await HttpAssert.Ok(await user.GetAsync("/api/notifications/unread-count"))).GetProperty("unread").GetInt64(), Is.EqualTo(before - 1));

        // another store's user: the same id is "not found", and its read-all does not touch this store's messages
        var (_, _, other) = await Store(1, "o-inbox-other");
        await HttpAssert.Problem(await other.PostAsync($"/api/notifications/{id}/read", null), 404, "消息不存在");
        await HttpAssert.Ok(await other.PostAsJsonAsync("/api/notifications/read-all", new { }));
        Assert.That((await HttpAssert.Ok(await user.GetAsync("/api/notifications/unread-count"))).GetProperty("unread").GetInt64(), Is.EqualTo(before - 1));

        var all = await HttpAssert.Ok(await user.PostAsJsonAsync("/api/notifications/read-all", new { }));
        Assert.That(all.GetProperty("marked").GetInt32(), Is.EqualTo(before - 1));
        Assert.That(all.GetProperty("unread").GetInt64(), Is.Zero);
        Assert.That((await HttpAssert.Ok(await user.GetAsync("/api/notifications?unread=true"))).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_kind_turned_off_is_not_pushed_but_stays_in_the_list_marked_as_such()
    {
        var (customerId, openId, user) = await Store(2, "o-inbox-muted");
        var prefs = await HttpAssert.Ok(await user.PutAsJsonAsync("/api/notifications/preferences", new { pushed = new Dictionary<string, bool> { ["statement_ready"] = false } }));
        Assert.That(prefs.EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "statement_ready").GetProperty("pushed").GetBoolean(), Is.False);
        var refused = await HttpAssert.Problem(await user.PutAsJsonAsync("/api/notifications/preferences", new { pushed = new Dictionary<string, bool> { ["no_such_kind"] = false } }), 400);
        Assert.That(refused.GetProperty("errors").GetProperty("pushed")[0].GetString(), Does.Contain("未知的消息类型：no_such_kind"));

        await StatementReady(customerId);
        await _wx.Dispatcher.DispatchDueAsync();

        Assert.That(_wx.Fake.SentMessages.Any(m => m.ToUser == openId), Is.False);
        var newest = (await HttpAssert.Ok(await user.GetAsync("/api/notifications")))[0];
        Assert.That(newest.GetProperty("push").GetString(), Is.EqualTo("held"));
        Assert.That(newest.GetProperty("pushNote").GetString(), Is.EqualTo("已关闭该类微信提醒"));

        // turned on again: the next one is pushed
        await HttpAssert.Ok(await user.PutAsJsonAsync("/api/notifications/preferences", new { pushed = new Dictionary<string, bool> { ["statement_ready"] = true } }));
        await StatementReady(customerId);
        await _wx.Dispatcher.DispatchDueAsync();
        Assert.That(_wx.Fake.SentMessages.Count(m => m.ToUser == openId), Is.EqualTo(1));
        Assert.That((await HttpAssert.Ok(await user.GetAsync("/api/notifications")))[0].GetProperty("push").GetString(), Is.EqualTo("sent"));
    }

    [Test]
    public async Task Past_the_daily_cap_a_store_gets_no_more_pushes_today_and_sees_why()
    {
        var (customerId, openId, user) = await Store(3, "o-inbox-capped");
        await StatementReady(customerId);
        await _wx.Dispatcher.DispatchDueAsync();
        await StatementReady(customerId);
        await _wx.Dispatcher.DispatchDueAsync();

        Assert.That(_wx.Fake.SentMessages.Count(m => m.ToUser == openId), Is.EqualTo(1), "cap of 1 per store per day");
        var list = await HttpAssert.Ok(await user.GetAsync("/api/notifications"));
        Assert.That(list[0].GetProperty("push").GetString(), Is.EqualTo("held"));
        Assert.That(list[0].GetProperty("pushNote").GetString(), Does.Contain("今日微信提醒已达上限 (1 条)"));
        Assert.That(list[1].GetProperty("push").GetString(), Is.EqualTo("sent"));
    }

    [Test]
    public async Task In_quiet_hours_a_message_waits_for_their_end_instead_of_being_pushed()
    {
        var (customerId, openId, user) = await Store(4, "o-inbox-quiet");
        var now = OrderHub.Domain.Time.ShanghaiTime.FromUnixMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var start = TimeOnly.FromDateTime(now.DateTime).AddHours(-1);
        var end = TimeOnly.FromDateTime(now.DateTime).AddHours(1);
        Options.QuietHours = $"{start:HH\\:mm}-{end:HH\\:mm}";
        try
        {
            await StatementReady(customerId);
            await _wx.Dispatcher.DispatchDueAsync();
        }
        finally { Options.QuietHours = ""; }

        Assert.That(_wx.Fake.SentMessages.Any(m => m.ToUser == openId), Is.False);
        var newest = (await HttpAssert.Ok(await user.GetAsync("/api/notifications")))[0];
        Assert.That(newest.GetProperty("push").GetString(), Is.EqualTo("pending"));
        Assert.That(newest.GetProperty("pushNote").GetString(), Is.EqualTo("免打扰时段，稍后推送"));
        var pushAt = DateTimeOffset.Parse(newest.GetProperty("pushAt").GetString()!);
        Assert.That(pushAt, Is.EqualTo(now.AddHours(1)).Within(TimeSpan.FromMinutes(1)), "pushed when quiet hours end");
        Assert.That(await _wx.Host.Scalar<long>("SELECT d.attempts FROM wechat_deliveries d WHERE d.notification_id = @id", new { id = newest.GetProperty("id").GetInt64() }),
            Is.Zero, "waiting is not a failed attempt");
    }
}

/// <summary>Quiet hours on hand-picked Shanghai times (UTC+8).</summary>
public class QuietHoursTests
{
    private static long At(int y, int m, int d, int h, int min) => new DateTimeOffset(y, m, d, h, min, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    [TestCase("22:00-08:00", 23, 30, "2026-12-07 08:00")]
    [TestCase("22:00-08:00", 2, 0, "2026-12-06 08:00")]
    [TestCase("22:00-08:00", 21, 59, null)]
    [TestCase("22:00-08:00", 8, 0, null)]
    [TestCase("12:00-14:00", 13, 0, "2026-12-06 14:00")]
    [TestCase("12:00-14:00", 14, 0, null)]
    [TestCase("", 3, 0, null)]
    public void Quiet_until(string window, int hour, int minute, string? until)
    {
        var o = new NotificationOptions { QuietHours = window };
        var result = PushPolicy.QuietUntil(o, At(2026, 12, 6, hour, minute));
        Assert.That(result, Is.EqualTo(until is null ? null : DateTimeOffset.ParseExact(until + " +08:00", "yyyy-MM-dd HH:mm zzz", null).ToUnixTimeMilliseconds()));
    }

    [TestCase("25:00-08:00")]
    [TestCase("22:00")]
    [TestCase("08:00-08:00")]
    public void A_window_that_cannot_be_read_is_a_setting_error(string window) =>
        Assert.That(new NotificationOptions { QuietHours = window }.Validate(), Is.Not.Empty);
}
