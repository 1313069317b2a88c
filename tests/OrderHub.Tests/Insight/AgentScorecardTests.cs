using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Demo;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Reports;
using static OrderHub.Tests.Reports.ReportsData;

namespace OrderHub.Tests.Insight;

/// <summary>
/// 业务员记分卡 end to end on both databases, figures worked out by hand. The catalog of <see cref="ReportsData"/> (no
/// history of its own), the clock at 2026-12-15 10:00 Beijing; the period is 12-01 … 12-14, so the previous period is
/// 11-17 … 11-30. Categories: W-001, W-002 sit under 饮用水 → top-level 饮料; D-001 is 饮料; S-001 is 零食.
/// <code>
/// AG1 (C1, C2, C3)                                     placed  ch.   shipped  revenue  cost    GP
///   C1  W-001 10                                       11-20   proxy 11-21    60,000   45,000  15,000  previous, 饮料
///   C1  W-001 10, D-001 5, W-001 1 gift                12-03   self  12-04   100,000   79,500  20,500  饮料
///   C1  (waiting to ship)                              12-10   self  —
///   C2  S-001 3                                        11-25   self  11-26    30,000   24,000   6,000  previous, 零食
///   C2  W-002 2 (placed before, shipped in the period) 11-28   self  12-02    20,000   14,000   6,000  饮料
///   C2  S-001 2                                        12-05   proxy 12-06    20,000   16,000   4,000  零食
///   C3  (cancelled)                                    12-08   proxy —
///   C3  D-001 1, no cost from the ERP                  12-12   self  12-13     8,000        0   8,000  饮料
///   → GP 38,500 of 148,000 (margin 0.2601), previous 21,000; active C1 C2 C3; moved to self: C1 (proxy 1 → self 2;
///     C2 went the other way, C3 has no previous orders); 饮料 15,000 → 34,500 grew, 零食 6,000 → 4,000 did not.
///     Visits: 12-02 巡店, 12-14 回访 (11-20 and 12-15 are outside).
/// AG2 (C4, C5, C6)
///   C4  W-002 5 ×3                                     11-18 proxy, 11-22 proxy, 11-25 self, shipped next day: 3 × 15,000 previous, 饮料
///   C4  W-002 10                                       12-02   self  12-03   100,000   70,000  30,000  饮料
///   C4  (waiting)                                      12-09   proxy —       (self 1 of 2: exactly half is not a majority)
///   C5  S-001 5                                        12-10   self  12-11    50,000   40,000  10,000  零食 (new → grew)
///   C5  (rejected)                                     12-09   proxy —
///   C6  W-002 1                                        12-14   self  12-15 (after the period: no GP, but C6 is active)
///   → GP 40,000 of 150,000 (0.2667), previous 45,000; active 3; moved none; grown 零食. Visit 12-05. Rank 1.
/// </code>
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class AgentScorecardTests(string kind)
{
    private ReportsHost _host = null!;
    private HttpClient _admin = null!, _ag1 = null!;
    private long _ag1Id, _ag2Id, _c1;
    private const string Period = "from=2026-12-01&to=2026-12-14";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ReportsHost(kind);
        _ = _host.Services;
        await new DemoDataSeeder(_host.Db).SeedAsync(Build(), Now.ToUnixTimeMilliseconds());
        await _host.Services.GetRequiredService<OrderHub.Application.Sync.InitialImport>().MarkCompleteAsync();
        var s = await Seed.OpenAsync(_host.Db);
        _ag1Id = s.Agent("AG1"); _ag2Id = s.Agent("AG2"); _c1 = s.Customer("C1");

        await Ship(await s.Order("C1", Bj(11, 20), "proxy", "proxy", "AG1", "shipped", ("W-001", 10, 60_000, false)), Bj(11, 21), 4_500);
        await Ship(await s.Order("C1", Bj(12, 3), "self", "owner", "AG1", "shipped", ("W-001", 10, 60_000, false), ("D-001", 5, 40_000, false), ("W-001", 1, 0, true)), Bj(12, 4), 4_500, 6_000, 4_500);
        await s.Order("C1", Bj(12, 10), "self", "owner", "AG1", "pending_shipment", ("W-001", 1, 6_000, false));
        await Ship(await s.Order("C2", Bj(11, 25), "self", "owner", "AG1", "received", ("S-001", 3, 30_000, false)), Bj(11, 26), 8_000);
        await Ship(await s.Order("C2", Bj(11, 28), "self", "owner", "AG1", "shipped", ("W-002", 2, 20_000, false)), Bj(12, 2), 7_000);
        await Ship(await s.Order("C2", Bj(12, 5), "proxy", "proxy", "AG1", "shipped", ("S-001", 2, 20_000, false)), Bj(12, 6), 8_000);
        await s.Order("C3", Bj(12, 8), "proxy", "proxy", "AG1", "cancelled", ("S-001", 50, 500_000, false));
        await Ship(await s.Order("C3", Bj(12, 12), "self", "owner", "AG1", "shipped", ("D-001", 1, 8_000, false)), Bj(12, 13), [null]);
        await s.Visit("AG1", "C1", "store_visit", Bj(12, 2));
        await s.Visit("AG1", "C3", "call", Bj(12, 14, 23, 30));
        await s.Visit("AG1", "C3", "store_visit", Bj(11, 30, 23));
        await s.Visit("AG1", "C3", "store_visit", Bj(12, 15, 0, 10));

        foreach (var (d, ch) in new[] { (18, "proxy"), (22, "proxy"), (25, "self") })
            await Ship(await s.Order("C4", Bj(11, d), ch, ch == "self" ? "owner" : "proxy", "AG2", "received", ("W-002", 5, 50_000, false)), Bj(11, d + 1), 7_000);
        await Ship(await s.Order("C4", Bj(12, 2), "self", "owner", "AG2", "shipped", ("W-002", 10, 100_000, false)), Bj(12, 3), 7_000);
        await s.Order("C4", Bj(12, 9), "proxy", "proxy", "AG2", "pending_outbound", ("W-002", 1, 10_000, false));
        await Ship(await s.Order("C5", Bj(12, 10), "self", "owner", "AG2", "shipped", ("S-001", 5, 50_000, false)), Bj(12, 11), 8_000);
        await s.Order("C5", Bj(12, 9), "proxy", "proxy", "AG2", "rejected", ("S-001", 9, 90_000, false));
        await Ship(await s.Order("C6", Bj(12, 14), "self", "owner", "AG2", "shipped", ("W-002", 1, 10_000, false)), Bj(12, 15, 9), 7_000);
        await s.Visit("AG2", "C4", "store_visit", Bj(12, 5));

        _admin = await _host.SignInAsync(new { staffLogin = "admin" });
        _ag1 = await _host.SignInAsync(new { agentCode = "AG1" });
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private async Task Ship(long orderId, long shippedAt, params long?[] unitCosts)
    {
        await using var c = await _host.Db.OpenAsync();
        await c.ExecuteAsync("UPDATE orders SET shipped_at = @shippedAt WHERE id = @orderId", new { orderId, shippedAt });
        for (var i = 0; i < unitCosts.Length; i++)
            await c.ExecuteAsync("UPDATE order_lines SET unit_cost_fen = @cost WHERE order_id = @orderId AND line_no = @n", new { cost = unitCosts[i], orderId, n = i + 1 });
    }

    private static JsonElement Row(JsonElement report, long agentId) => report.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("agentId").GetInt64() == agentId);

    [Test]
    public async Task Agents_are_ranked_by_gross_profit_with_the_figures_worked_out_by_hand()
    {
        var r = await HttpAssert.Ok(await _admin.GetAsync($"/api/admin/reports/agent-scorecard?{Period}"));
        Assert.That((r.GetProperty("previousFrom").GetString(), r.GetProperty("previousTo").GetString()), Is.EqualTo(("2026-11-17", "2026-11-30")));
        Assert.That(r.GetProperty("agents").EnumerateArray().Select(a => (a.GetProperty("rank").GetInt32(), a.GetProperty("code").GetString())),
            Is.EqualTo(new[] { (1, "AG2"), (2, "AG1") }));

        var ag1 = Row(r, _ag1Id);
        Assert.That((ag1.GetProperty("revenueFen").GetInt64(), ag1.GetProperty("costFen").GetInt64(), ag1.GetProperty("grossProfitFen").GetInt64()),
            Is.EqualTo((148_000L, 109_500L, 38_500L)));
        Assert.That(ag1.GetProperty("margin").GetDecimal(), Is.EqualTo(0.2601m));
        Assert.That(ag1.GetProperty("linesWithoutCost").GetInt32(), Is.EqualTo(1));
        Assert.That(ag1.GetProperty("previousGrossProfitFen").GetInt64(), Is.EqualTo(21_000));
        Assert.That(ag1.GetProperty("activeStores").GetInt32(), Is.EqualTo(3));
        Assert.That(ag1.GetProperty("movedToSelfOrdering").EnumerateArray().Select(x => x.GetProperty("code").GetString()), Is.EqualTo(new[] { "C1" }));
        Assert.That(ag1.GetProperty("movedToSelfOrderingCount").GetInt32(), Is.EqualTo(1));
        var grown = ag1.GetProperty("categoriesGrown").EnumerateArray().Single();
        Assert.That((grown.GetProperty("name").GetString(), grown.GetProperty("previousGrossProfitFen").GetInt64(), grown.GetProperty("grossProfitFen").GetInt64()),
            Is.EqualTo(("饮料", 15_000L, 34_500L)));
        Assert.That((ag1.GetProperty("storeVisits").GetInt64(), ag1.GetProperty("calls").GetInt64()), Is.EqualTo((1L, 1L)));

        var ag2 = Row(r, _ag2Id);
        Assert.That((ag2.GetProperty("revenueFen").GetInt64(), ag2.GetProperty("grossProfitFen").GetInt64(), ag2.GetProperty("previousGrossProfitFen").GetInt64()),
            Is.EqualTo((150_000L, 40_000L, 45_000L)));
        Assert.That(ag2.GetProperty("margin").GetDecimal(), Is.EqualTo(0.2667m));
        Assert.That(ag2.GetProperty("activeStores").GetInt32(), Is.EqualTo(3));
        Assert.That(ag2.GetProperty("movedToSelfOrderingCount").GetInt32(), Is.EqualTo(0), "C4 is self 1 of 2: half is not a majority");
        Assert.That(ag2.GetProperty("categoriesGrown").EnumerateArray().Select(x => x.GetProperty("name").GetString()), Is.EqualTo(new[] { "零食" }));
        Assert.That((ag2.GetProperty("storeVisits").GetInt64(), ag2.GetProperty("calls").GetInt64()), Is.EqualTo((1L, 0L)));

        // The same gross profit as the gross-profit report grouped by agent: one rule.
        var byAgent = await HttpAssert.Ok(await _admin.GetAsync($"/api/admin/reports/gross-profit?{Period}&groupBy=agent"));
        Assert.That(byAgent.GetProperty("rows").EnumerateArray().Single(x => x.GetProperty("key").GetString() == _ag1Id.ToString()).GetProperty("grossProfitFen").GetInt64(), Is.EqualTo(38_500));
    }

    [Test]
    public async Task An_agent_sees_its_own_line_and_rank_only_and_not_the_back_office_report()
    {
        var mine = await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/reports/scorecard?{Period}"));
        Assert.That(mine.GetProperty("agentsRanked").GetInt32(), Is.EqualTo(2));
        var row = mine.GetProperty("agents").EnumerateArray().Single();
        Assert.That((row.GetProperty("code").GetString(), row.GetProperty("rank").GetInt32(), row.GetProperty("grossProfitFen").GetInt64()), Is.EqualTo(("AG1", 2, 38_500L)));
        Assert.That((int)(await _ag1.GetAsync($"/api/admin/reports/agent-scorecard?{Period}")).StatusCode, Is.EqualTo(403));
        await HttpAssert.Problem(await _admin.GetAsync("/api/admin/reports/agent-scorecard?from=2026-12-14&to=2026-12-01"), 400);
    }

    [Test]
    public async Task A_report_table_is_written_as_an_xlsx_with_money_in_yuan()
    {
        var res = await _admin.PostAsJsonAsync("/api/admin/reports/download", new
        {
            title = "业务员记分卡 2026-12-01 至 2026-12-14",
            columns = new[] { new { label = "业务员", kind = "text" }, new { label = "毛利", kind = "money" }, new { label = "毛利率", kind = "percent" }, new { label = "巡店", kind = "number" } },
            rows = new object?[][] { ["业务员乙", 4_000_000, 0.2667, 1], ["业务员甲", 3_850_050, null, 0] },
        });
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        using var wb = new XLWorkbook(new MemoryStream(await res.Content.ReadAsByteArrayAsync()));
        var ws = wb.Worksheet(1);
        Assert.That(ws.Cell(1, 1).GetString(), Is.EqualTo("业务员记分卡 2026-12-01 至 2026-12-14"));
        Assert.That(ws.Cell(2, 2).GetString(), Is.EqualTo("毛利"));
        Assert.That((ws.Cell(3, 1).GetString(), ws.Cell(3, 2).GetValue<decimal>(), ws.Cell(3, 3).GetValue<decimal>()), Is.EqualTo(("业务员乙", 40_000m, 0.2667m)));
        Assert.That(ws.Cell(4, 2).GetValue<decimal>(), Is.EqualTo(38_500.50m));
        Assert.That(ws.Cell(4, 3).IsEmpty(), Is.True);

        await HttpAssert.Problem(await _admin.PostAsJsonAsync("/api/admin/reports/download", new
        {
            title = "x", columns = new[] { new { label = "毛利", kind = "money" } }, rows = new object[][] { ["一百"] },
        }), 400);
    }
}
