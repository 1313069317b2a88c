using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Insight;
using OrderHub.Demo;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Reports;

namespace OrderHub.Tests.Insight;

/// <summary>
/// Restock, gross profit and retention end to end, on both databases, with figures worked out by hand. The catalog of
/// <see cref="ReportsData"/> (no history of its own), the clock at 2026-12-15 10:00 Beijing, unit costs set by hand:
/// W-001 ¥45.00, D-001 ¥60.00 per 箱.
/// C3 (AG1) bought W-001 on 10-28, 11-05, 11-14, 11-24, 12-03 (24, 24, 48, 24, 24 箱): gaps 8, 9, 10, 9 → every 9 days,
/// usually 24, last 12 days ago. C1 (AG1) has one order waiting to ship: W-001 10 箱 ¥600, D-001 5 箱 ¥400, 1 箱 W-001 free.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class InsightGrowthApiTests(string kind)
{
    private ReportsHost _host = null!;
    private HttpClient _ag1 = null!, _ag2 = null!, _admin = null!, _c3 = null!;
    private long _c1, _c3Id, _c1Order;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ReportsHost(kind);
        _ = _host.Services;
        await new DemoDataSeeder(_host.Db).SeedAsync(ReportsData.Build(), ReportsData.Now.ToUnixTimeMilliseconds());
        await _host.Services.GetRequiredService<OrderHub.Application.Sync.InitialImport>().MarkCompleteAsync();
        await using (var c = await _host.Db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE products SET cost_fen = 4500 WHERE sku = 'W-001'");
            await c.ExecuteAsync("UPDATE products SET cost_fen = 6000 WHERE sku = 'D-001'");
        }
        var s = await ReportsData.Seed.OpenAsync(_host.Db);
        foreach (var (m, d, qty) in new[] { (10, 28, 24L), (11, 5, 24L), (11, 14, 48L), (11, 24, 24L), (12, 3, 24L) })
            await s.Order("C3", ReportsData.Bj(m, d), "self", "owner", "AG1", "received", ("W-001", qty, qty * 6_000, false));
        _c1Order = await s.Order("C1", ReportsData.Bj(12, 10), "self", "owner", "AG1", "pending_shipment",
            ("W-001", 10, 60_000, false), ("D-001", 5, 40_000, false), ("W-001", 1, 0, true));
        _c1 = s.Customer("C1");
        _c3Id = s.Customer("C3");
        _ag1 = await _host.SignInAsync(new { agentCode = "AG1" });
        _ag2 = await _host.SignInAsync(new { agentCode = "AG2" });
        _admin = await _host.SignInAsync(new { staffLogin = "admin" });
        _c3 = await _host.SignInAsync(new { customerCode = "C3" });
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [Test, Order(1)]
    public async Task The_store_sees_its_due_product_with_the_usual_quantity_and_only_its_agent_sees_it_too()
    {
        var items = await HttpAssert.Ok(await _c3.GetAsync("/api/restock"));
        var item = items.EnumerateArray().Single();
        Assert.That(item.GetProperty("sku").GetString(), Is.EqualTo("W-001"));
        Assert.That(item.GetProperty("usualIntervalDays").GetDouble(), Is.EqualTo(9));
        Assert.That(item.GetProperty("usualQuantity").GetInt64(), Is.EqualTo(24));
        Assert.That(item.GetProperty("daysSinceLastPurchase").GetInt32(), Is.EqualTo(12));
        Assert.That(item.GetProperty("lastPurchaseDate").GetString(), Is.EqualTo("2026-12-03"));
        Assert.That(item.GetProperty("reason").GetString(), Is.EqualTo("您通常每 9 天订一次农夫山泉饮用天然水，上次是 12 天前"));

        Assert.That((await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/customers/{_c3Id}/restock"))).GetArrayLength(), Is.EqualTo(1));
        await HttpAssert.Problem(await _ag2.GetAsync($"/api/agent/customers/{_c3Id}/restock"), 404);
        await HttpAssert.Problem(await _ag2.GetAsync($"/api/agent/customers/{_c3Id}/cross-sell"), 404);
    }

    [Test, Order(2)]
    public async Task Shipping_keeps_the_unit_cost_and_the_gross_profit_report_counts_the_gift_as_cost()
    {
        var shipped = await _admin.PostAsync($"/api/admin/orders/{_c1Order}/ship", null);
        Assert.That((int)shipped.StatusCode, Is.EqualTo(200), await shipped.Content.ReadAsStringAsync());
        await using (var c = await _host.Db.OpenAsync())
        {
            // A later cost change does not rewrite the shipped lines.
            await c.ExecuteAsync("UPDATE products SET cost_fen = 9999 WHERE sku = 'W-001'");
            Assert.That((await c.QueryAsync<long?>("SELECT unit_cost_fen FROM order_lines WHERE order_id = @id ORDER BY line_no", new { id = _c1Order })).ToList(),
                Is.EqualTo(new long?[] { 4500, 6000, 4500 }));
        }
        // Revenue 100,000; cost 11 × 4,500 + 5 × 6,000 = 79,500; gross profit 20,500; margin 0.205.
        var r = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-12-01&to=2026-12-15&groupBy=store"));
        var row = r.GetProperty("rows").EnumerateArray().Single();
        Assert.That(row.GetProperty("key").GetString(), Is.EqualTo(_c1.ToString()));
        Assert.That((row.GetProperty("revenueFen").GetInt64(), row.GetProperty("costFen").GetInt64(), row.GetProperty("grossProfitFen").GetInt64()),
            Is.EqualTo((100_000L, 79_500L, 20_500L)));
        Assert.That(row.GetProperty("margin").GetDecimal(), Is.EqualTo(0.205m));
        var byProduct = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-12-01&to=2026-12-15&groupBy=product"));
        // W-001: 60,000 − 11 × 4,500 = 10,500; D-001: 40,000 − 30,000 = 10,000.
        Assert.That(byProduct.GetProperty("rows").EnumerateArray().Select(x => x.GetProperty("grossProfitFen").GetInt64()), Is.EqualTo(new[] { 10_500L, 10_000L }));
        // The agent's own report: AG1 sees C1, AG2 sees nothing.
        Assert.That((await HttpAssert.Ok(await _ag1.GetAsync("/api/agent/reports/gross-profit?from=2026-12-01&to=2026-12-15"))).GetProperty("total").GetProperty("grossProfitFen").GetInt64(), Is.EqualTo(20_500));
        Assert.That((await HttpAssert.Ok(await _ag2.GetAsync("/api/agent/reports/gross-profit?from=2026-12-01&to=2026-12-15"))).GetProperty("rows").GetArrayLength(), Is.EqualTo(0));
        await HttpAssert.Problem(await _admin.GetAsync("/api/admin/reports/gross-profit?groupBy=colour"), 400);
    }

    [Test, Order(3)]
    public async Task Retention_cohorts_from_the_orders()
    {
        // C3 first ordered in October and ordered in November → 1 of 1 after one month; 3 months (January) is not over.
        // C1's first order is December's: the running month shows nothing yet.
        var r = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/retention"));
        var cohorts = r.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.That(cohorts.Select(c => (c.GetProperty("month").GetString(), c.GetProperty("stores").GetInt32())), Is.EqualTo(new[] { ("2026-10", 1), ("2026-12", 1) }));
        var oct = cohorts[0].GetProperty("retained");
        Assert.That(oct[0].GetProperty("share").GetDecimal(), Is.EqualTo(1m));
        Assert.That((oct[1].GetProperty("months").GetInt32(), oct[1].GetProperty("share").ValueKind), Is.EqualTo((3, JsonValueKind.Null)), "three months on is not over yet");
    }

    [Test, Order(4)]
    public async Task Reminders_are_recorded_once_repeated_once_after_being_ignored_then_stop()
    {
        var restock = _host.Services.GetRequiredService<RestockService>();
        var start = _host.Clock.Now;
        try
        {
            Assert.That(await restock.RemindAllAsync(), Is.EqualTo((1, 1)));
            Assert.That(await restock.RemindAllAsync(), Is.EqualTo((0, 0)), "the same day: nothing new");
            _host.Clock.Advance(TimeSpan.FromDays(2));
            Assert.That(await restock.RemindAllAsync(), Is.EqualTo((0, 0)), "a reminder 2 days old is still waiting for an answer");
            _host.Clock.Advance(TimeSpan.FromDays(2));
            Assert.That(await restock.RemindAllAsync(), Is.EqualTo((1, 1)), "4 days without an order: ignored once, reminded again");
            _host.Clock.Advance(TimeSpan.FromDays(4));
            Assert.That(await restock.RemindAllAsync(), Is.EqualTo((0, 0)), "ignored twice: muted");
            var muted = await restock.DueForStoreAsync(_c3Id); // (the sign-in token has expired 8 days on)
            Assert.That(muted.Single().Assessment.State, Is.EqualTo(OrderHub.Domain.Insight.RestockState.Muted));
            await using var c = await _host.Db.OpenAsync();
            var messages = (await c.QueryAsync<string>("SELECT n.body FROM notifications n WHERE n.kind = 'restock_due' AND n.customer_id = @id ORDER BY n.id", new { id = _c3Id })).ToList();
            Assert.That(messages, Is.EqualTo(new[] { "您通常每 9 天订一次农夫山泉饮用天然水，上次是 12 天前", "您通常每 9 天订一次农夫山泉饮用天然水，上次是 16 天前" }));
        }
        finally { _host.Clock.Now = start; }
    }

    [Test, Order(5)]
    public async Task A_return_takes_its_revenue_and_its_cost_off_the_gross_profit_of_the_period_it_was_completed_in()
    {
        // C1's shipped order (test 2): W-001 10 箱 ¥600.00 at cost ¥45.00, D-001 5 箱 ¥400.00 at ¥60.00, 1 箱 W-001 free.
        // 3 of the 10 箱 W-001 come back: revenue 60,000 × 3 ÷ 10 = 18,000 and cost 3 × 4,500 = 13,500 come off.
        // Revenue 100,000 − 18,000 = 82,000; cost 79,500 − 13,500 = 66,000; gross profit 16,000.
        var store = await _host.SignInAsync(new { customerCode = "C1" });
        long lineId;
        string no;
        await using (var c = await _host.Db.OpenAsync())
        {
            lineId = await c.ExecuteScalarAsync<long>("SELECT id FROM order_lines WHERE order_id = @id AND line_no = 1", new { id = _c1Order });
            no = (await c.ExecuteScalarAsync<string>("SELECT order_no FROM orders WHERE id = @id", new { id = _c1Order }))!;
        }
        async Task<JsonElement> Post(HttpClient who, string url, object? body, string? key = null)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body ?? new { }) };
            if (key is not null) req.Headers.Add("Idempotency-Key", key);
            return await HttpAssert.Ok(await who.SendAsync(req));
        }
        var ret = await Post(store, "/api/returns", new { orderNo = no, lines = new[] { new { orderLineId = lineId, quantity = 3 } }, reason = "破损" }, "gp-return");
        var id = ret.GetProperty("id").GetInt64();
        await Post(_admin, $"/api/admin/returns/{id}/approve", null);
        await Post(_admin, $"/api/admin/returns/{id}/receive", new { lines = new[] { new { returnLineId = ret.GetProperty("lines")[0].GetProperty("id").GetInt64(), receivedQuantity = 3 } } }, "gp-receive");
        await Post(_admin, $"/api/admin/returns/{id}/refund", null, "gp-refund");

        var r = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-12-01&to=2026-12-15&groupBy=store"));
        var row = r.GetProperty("rows").EnumerateArray().Single();
        Assert.That((row.GetProperty("revenueFen").GetInt64(), row.GetProperty("costFen").GetInt64(), row.GetProperty("grossProfitFen").GetInt64()),
            Is.EqualTo((82_000L, 66_000L, 16_000L)));
        var byProduct = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-12-01&to=2026-12-15&groupBy=product"));
        // W-001: (60,000 − 18,000) − 8 × 4,500 = 6,000; D-001 unchanged 10,000.
        Assert.That(byProduct.GetProperty("rows").EnumerateArray().Select(x => x.GetProperty("grossProfitFen").GetInt64()), Is.EqualTo(new[] { 10_000L, 6_000L }));
        // November had neither the shipment nor the return.
        var nov = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-11-01&to=2026-11-30&groupBy=store"));
        Assert.That(nov.GetProperty("rows").EnumerateArray().Select(x => x.GetProperty("grossProfitFen").GetInt64()), Has.None.EqualTo(16_000L));
    }
}
