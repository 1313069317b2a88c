using OrderHub.Application.Data;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Testing;

namespace OrderHub.Tests.Reports;

/// <summary>Every figure of the reports against <see cref="ReportsData"/>, worked out by hand, on both databases.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class ReportsQueryTests(string kind)
{
    private Db _db = null!;
    private ManualClock _clock = null!;
    private ReportsData.Seed _ids = null!;
    private readonly InsightOptions _options = new();

    [OneTimeSetUp]
    public async Task Seed()
    {
        _db = await TestDatabase.CreateAsync(kind);
        await ReportsData.SeedAsync(_db);
        _ids = await ReportsData.Seed.OpenAsync(_db);
    }

    [SetUp]
    public void ResetClock() => _clock = new ManualClock(ReportsData.Now);

    private ReportScope Ag1 => ReportScope.OfAgent(_ids.Agent("AG1"));
    private static ReportPeriod Period(string from, string to) => ReportPeriod.Parse(from, to, new DateOnly(2026, 12, 15)).Period!;
    private SalesReports Sales => new(_db);
    private CustomerInsightQuery Insight => new(_db, _clock, _options);

    // ---- per-customer insight ----------------------------------------------------------------------------------------

    [Test]
    public async Task Insight_of_a_regular_customer()
    {
        var i = (await Insight.GetAsync(Ag1, _ids.Customer("C1")))!;
        Assert.That(i.AsOf, Is.EqualTo(new DateOnly(2026, 12, 15)));
        Assert.That((i.ThisYear.Orders, i.ThisYear.OrdersFen, i.ThisYear.ReturnsFen, i.ThisYear.RevenueFen), Is.EqualTo((6L, 600_000L, -20_000L, 580_000L)));
        Assert.That((i.LastMonth.From, i.LastMonth.To), Is.EqualTo((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))));
        Assert.That((i.LastMonth.Orders, i.LastMonth.RevenueFen), Is.EqualTo((4L, 400_000L)));
        Assert.That((i.ThisMonth.Orders, i.ThisMonth.OrdersFen, i.ThisMonth.RevenueFen), Is.EqualTo((1L, 100_000L, 80_000L)), "less the return of 12-05");
        Assert.That(i.OrderCount, Is.EqualTo(6));
        Assert.That((i.LastOrderAtMs, i.LastOrderFen), Is.EqualTo(((long?)ReportsData.Bj(12, 3), (long?)100_000)));
        Assert.That(i.AverageIntervalDays, Is.EqualTo(7.0), "10-29 to 12-03 is 35 days over 5 intervals");
        Assert.That(i.ReceivableFen, Is.EqualTo(330_000));
        Assert.That(i.LastContactAtMs, Is.EqualTo(ReportsData.Bj(12, 2, 9)));
        Assert.That(i.DaysSinceLastContact, Is.EqualTo(13));
        Assert.That((i.StoreVisitsThisMonth, i.StoreVisitsAllTime, i.CallsThisMonth, i.CallsAllTime), Is.EqualTo((1L, 1L, 0L, 0L)));
        Assert.That((i.SelfOrders, i.ProxyOrders, i.SelfOrderShare), Is.EqualTo((4L, 2L, (decimal?)0.6667m)));
        Assert.That(i.TopItems.Select(t => (t.Sku, t.Quantity, t.AmountFen, t.Orders)),
            Is.EqualTo(new[] { ("W-001", 60L, 360_000L, 6L), ("D-001", 30L, 240_000L, 6L) }), "the gift line is not an item bought");
        Assert.That(i.Cadence.UsualIntervalDays, Is.EqualTo(7));
        Assert.That(i.Cadence.Alerts.Single().Kind, Is.EqualTo(CadenceAlertKind.Overdue));
    }

    [Test]
    public async Task Insight_of_a_customer_with_one_order_and_of_one_with_none()
    {
        var one = (await Insight.GetAsync(ReportScope.All, _ids.Customer("C2")))!;
        Assert.That((one.OrderCount, one.ThisMonth.RevenueFen, one.LastMonth.RevenueFen, one.ThisYear.RevenueFen), Is.EqualTo((1L, 30_000L, 0L, 30_000L)));
        Assert.That(one.AverageIntervalDays, Is.Null);
        Assert.That(one.LastOrderFen, Is.EqualTo(30_000));
        Assert.That(one.ReceivableFen, Is.EqualTo(50_000));
        Assert.That(one.SelfOrderShare, Is.EqualTo(1m));
        Assert.That(one.LastContactAtMs, Is.Null);
        Assert.That(one.DaysSinceLastContact, Is.Null);
        Assert.That(one.Cadence.Alerts, Is.Empty);

        var none = (await Insight.GetAsync(Ag1, _ids.Customer("C3")))!;
        Assert.That((none.OrderCount, none.ThisYear.RevenueFen, none.ThisMonth.Orders), Is.EqualTo((0L, 0L, 0L)));
        Assert.That(none.LastOrderAtMs, Is.Null);
        Assert.That(none.LastOrderFen, Is.Null);
        Assert.That(none.AverageIntervalDays, Is.Null);
        Assert.That(none.ReceivableFen, Is.Zero);
        Assert.That(none.SelfOrderShare, Is.Null);
        Assert.That(none.TopItems, Is.Empty);
        Assert.That(none.DaysSinceLastContact, Is.EqualTo(1));
        Assert.That((none.StoreVisitsThisMonth, none.StoreVisitsAllTime, none.CallsThisMonth, none.CallsAllTime), Is.EqualTo((0L, 1L, 1L, 1L)));
        Assert.That(none.Cadence.Alerts, Is.Empty);
    }

    [Test]
    public async Task Insight_counts_a_late_evening_order_in_its_Shanghai_month_and_skips_cancelled_and_rejected_orders()
    {
        var i = (await Insight.GetAsync(ReportScope.All, _ids.Customer("C5")))!;
        Assert.That((i.LastMonth.Orders, i.LastMonth.RevenueFen), Is.EqualTo((1L, 70_000L)), "23:30 on 11-30 Beijing is 15:30 UTC, still November");
        Assert.That((i.ThisMonth.Orders, i.ThisMonth.RevenueFen), Is.EqualTo((1L, 100_000L)), "00:30 on 12-01 Beijing is still 11-30 in UTC, but December here");
        Assert.That(i.OrderCount, Is.EqualTo(2), "the cancelled and the rejected order do not count");
        Assert.That(i.AverageIntervalDays, Is.EqualTo(1.0));
        Assert.That(i.TopItems.Single().AmountFen, Is.EqualTo(170_000));
    }

    [Test]
    public async Task An_agent_gets_no_insight_into_another_agents_customer()
    {
        Assert.That(await Insight.GetAsync(Ag1, _ids.Customer("C4")), Is.Null);
        Assert.That(await Insight.GetAsync(ReportScope.All, 999_999), Is.Null);
        Assert.That(await Insight.GetAsync(ReportScope.All, _ids.Customer("C4")), Is.Not.Null);
    }

    // ---- alerts -------------------------------------------------------------------------------------------------------

    [Test]
    public async Task Alerts_fire_for_the_overdue_and_the_dropped_customer_only()
    {
        var alerts = new CadenceAlerts(_db, _clock, _options);
        var ag1 = await alerts.ForAgentAsync(_ids.Agent("AG1"));
        Assert.That(ag1.Select(a => (a.Code, a.Alert.Kind)), Is.EqualTo(new[] { ("C1", CadenceAlertKind.Overdue) }));
        Assert.That((ag1[0].Alert.DaysSinceLastOrder, ag1[0].Alert.UsualIntervalDays, ag1[0].DaysSinceLastContact), Is.EqualTo((12, (double?)7, (int?)13)));

        var ag2 = await alerts.ForAgentAsync(_ids.Agent("AG2"));
        Assert.That(ag2.Select(a => (a.Code, a.Alert.Kind)), Is.EqualTo(new[] { ("C4", CadenceAlertKind.ValueDrop) }));
        Assert.That((ag2[0].Alert.LastOrderFen, ag2[0].Alert.PreviousMedianFen, ag2[0].Alert.PreviousOrdersCompared), Is.EqualTo((50_000L, (long?)200_000, (int?)4)));
        Assert.That(ag2[0].Alert.ReasonZh, Does.Contain("¥500.00").And.Contain("¥2,000.00"));

        // Four days earlier C1 had been quiet for 8 days: nothing to do yet.
        _clock.Now = ReportsData.Now.AddDays(-4);
        Assert.That(await alerts.ForAgentAsync(_ids.Agent("AG1")), Is.Empty);
        // Settings change the thresholds: with a factor of 2, 12 days is not yet overdue for a weekly store.
        _clock.Now = ReportsData.Now;
        Assert.That(await new CadenceAlerts(_db, _clock, new InsightOptions { OverdueFactor = 2 }).ForAgentAsync(_ids.Agent("AG1")), Is.Empty);
    }

    // ---- sales --------------------------------------------------------------------------------------------------------

    [Test]
    public async Task Sales_by_day_across_the_month_boundary()
    {
        var r = await Sales.SalesAsync(ReportScope.All, Period("2026-11-30", "2026-12-01"), SalesGroupBy.Day, new SalesFilter());
        Assert.That(r.Rows.Select(x => (x.Key, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("2026-11-30", 1L, 70_000L), ("2026-12-01", 1L, 100_000L) }));
    }

    [Test]
    public async Task Sales_by_month_with_returns_and_without_cancelled_orders()
    {
        var r = await Sales.SalesAsync(ReportScope.All, Period("2026-11-01", "2026-12-15"), SalesGroupBy.Month, new SalesFilter());
        Assert.That(r.Rows.Select(x => (x.Key, x.Label, x.Orders, x.GrossFen, x.ReturnsFen, x.RevenueFen)), Is.EqualTo(new[]
        {
            ("2026-11", "2026年11月", 9L, 1_570_000L, (long?)0, 1_570_000L),
            ("2026-12", "2026年12月", 5L, 480_000L, (long?)-20_000, 460_000L),
        }));
        Assert.That(r.Totals, Is.EqualTo(new SalesTotals(14, 2_050_000, -20_000, 2_030_000)));
    }

    [Test]
    public async Task Sales_by_week_fill_every_week_of_the_period()
    {
        var r = await Sales.SalesAsync(ReportScope.All, Period("2026-11-30", "2026-12-13"), SalesGroupBy.Week, new SalesFilter());
        // Week of 11-30: C5 70k + 100k, C1 100k (12-03), C4 200k (12-05), return −20k (12-05). Week of 12-07: C2 30k (12-10).
        Assert.That(r.Rows.Select(x => (x.Key, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("2026-W49", 4L, 450_000L), ("2026-W50", 1L, 30_000L) }));
        Assert.That(r.Rows[0].Label, Is.EqualTo("2026-11-30 至 2026-12-06"));
    }

    [Test]
    public async Task Sales_by_region_agent_and_customer_group()
    {
        var p = Period("2026-11-01", "2026-12-15");
        var region = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Region, new SalesFilter());
        Assert.That(region.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("海珠区", 6L, 1_350_000L), ("天河区", 5L, 480_000L), ("越秀区", 3L, 200_000L) }));

        var agent = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Agent, new SalesFilter());
        Assert.That(agent.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("业务员乙", 8L, 1_520_000L), ("业务员甲", 6L, 510_000L) }),
            "by each customer's assigned agent: AG2 has C4 (850k), C5 (170k), C6 (500k); AG1 has C1 (480k net) and C2 (30k)");
        Assert.That(agent.Rows.Sum(x => x.Orders), Is.EqualTo(14));

        var group = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.CustomerGroup, new SalesFilter());
        // KA: C1 480k net (5 orders) + C4 850k (5) = 1,330k; SHOP: C2 30k + C5 170k + C6 500k = 700k (4 orders).
        Assert.That(group.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("A类", 10L, 1_330_000L), ("便利店", 4L, 700_000L) }));

        var filtered = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Month, new SalesFilter(Region: "越秀区"));
        Assert.That(filtered.Totals, Is.EqualTo(new SalesTotals(3, 200_000, 0, 200_000)));
        var byGroup = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Month, new SalesFilter(GroupId: await GroupId("KA"), AgentId: _ids.Agent("AG1")));
        Assert.That(byGroup.Totals, Is.EqualTo(new SalesTotals(5, 500_000, -20_000, 480_000)));
    }

    [Test]
    public async Task Sales_by_brand_and_category_count_lines_without_gifts()
    {
        var p = Period("2026-11-01", "2026-12-15");
        var brand = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Brand, new SalesFilter());
        Assert.That(brand.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen, x.ReturnsFen)), Is.EqualTo(new[]
        {
            ("怡宝", 6L, 1_350_000L, (long?)null), ("农夫山泉", 5L, 300_000L, null), ("乐事", 3L, 200_000L, null), ("可口可乐", 5L, 200_000L, null),
        }));

        var top = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Category, new SalesFilter());
        Assert.That(top.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("饮料", 11L, 1_850_000L), ("零食", 3L, 200_000L) }),
            "an order with water and cola counts once under 饮料");

        var drinkId = await Scalar("SELECT id FROM categories WHERE code = 'DRINK'");
        var drink = await Sales.SalesAsync(ReportScope.All, p, SalesGroupBy.Category, new SalesFilter(CategoryId: drinkId));
        Assert.That(drink.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("饮用水", 11L, 1_650_000L), ("饮料 (本类)", 5L, 200_000L) }));
    }

    [Test]
    public async Task An_agents_sales_report_covers_its_own_customers_only()
    {
        var r = await Sales.SalesAsync(Ag1, Period("2026-11-01", "2026-12-15"), SalesGroupBy.Month, new SalesFilter());
        Assert.That(r.Rows.Select(x => (x.Key, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("2026-11", 4L, 400_000L), ("2026-12", 2L, 110_000L) }));
        var top = await Sales.TopProductsAsync(Ag1, Period("2026-11-01", "2026-12-15"), new SalesFilter(), 10);
        Assert.That(top.Select(t => t.Sku), Is.EqualTo(new[] { "W-001", "D-001", "S-001" }), "no 怡宝: only AG2's stores buy it");
    }

    [Test]
    public async Task Top_products_by_amount()
    {
        var top = await Sales.TopProductsAsync(ReportScope.All, Period("2026-11-01", "2026-12-15"), new SalesFilter(), 10);
        Assert.That(top.Select(t => (t.Rank, t.Sku, t.Quantity, t.AmountFen, t.Orders)), Is.EqualTo(new[]
        {
            (1, "W-002", 1_350L, 1_350_000L, 6L), (2, "W-001", 50L, 300_000L, 5L), (3, "D-001", 25L, 200_000L, 5L), (4, "S-001", 20L, 200_000L, 3L),
        }));
        Assert.That(await Sales.TopProductsAsync(ReportScope.All, Period("2026-11-01", "2026-12-15"), new SalesFilter(), 1), Has.Count.EqualTo(1));
    }

    // ---- receivables ageing ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Receivables_ageing_is_fifo_with_a_partial_payment()
    {
        var r = await new ReceivablesAgeingReport(_db, _clock).GetAsync(ReportScope.All, 100);
        Assert.That(r.AsOf, Is.EqualTo(new DateOnly(2026, 12, 15)));
        Assert.That(r.Customers.Select(c => (c.Code, c.BalanceFen, c.Buckets)), Is.EqualTo(new[]
        {
            // The 150k payment and the 20k return settle 10-30 fully and 11-06 in part: 30k of 11-06 and 11-13 stay in 31–60.
            ("C1", 330_000L, new AgeingBuckets(200_000, 130_000, 0, 0)),
            ("C5", 80_000L, new AgeingBuckets(0, 0, 80_000, 0)),
            ("C2", 50_000L, new AgeingBuckets(0, 0, 0, 50_000)),
        }));
        Assert.That(r.Totals, Is.EqualTo(new AgeingBuckets(200_000, 130_000, 80_000, 50_000)));
        Assert.That(r.CreditTotalFen, Is.EqualTo(50_000), "C4 paid 50k more than it owes");
        Assert.That(r.CustomerCount, Is.EqualTo(3));

        var mine = await new ReceivablesAgeingReport(_db, _clock).GetAsync(Ag1, 1);
        Assert.That(mine.Customers.Select(c => c.Code), Is.EqualTo(new[] { "C1" }), "limited to 1");
        Assert.That(mine.CustomerCount, Is.EqualTo(2));
        Assert.That(mine.Totals, Is.EqualTo(new AgeingBuckets(200_000, 130_000, 0, 50_000)));
        Assert.That(mine.CreditTotalFen, Is.Zero);
    }

    // ---- 80/20 and agents ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Key_customers_and_who_entered_or_left()
    {
        var r = await new KeyCustomersQuery(_db).GetAsync(ReportScope.All, Period("2026-12-01", "2026-12-15"));
        Assert.That((r.PreviousPeriod.From, r.PreviousPeriod.To), Is.EqualTo((new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 30))));
        Assert.That((r.TotalRevenueFen, r.CustomersWithRevenue, r.PreviousTotalRevenueFen, r.PreviousKeyCount), Is.EqualTo((460_000L, 4, 950_000L, 3)));
        // C4 250k (54.35%), C5 100k (76.09%), C1 80k net of its return (93.48%): reaching 80% takes all three. C2 30k is out.
        Assert.That(r.Key.Select(k => (k.Rank, k.Code, k.RevenueFen, k.Share, k.CumulativeShare, k.New)), Is.EqualTo(new[]
        {
            (1, "C4", 250_000L, 0.5435m, 0.5435m, false), (2, "C5", 100_000L, 0.2174m, 0.7609m, true), (3, "C1", 80_000L, 0.1739m, 0.9348m, false),
        }));
        // Before: C6 500k, C1 200k, C4 180k made the set; C5 (70k, the 23:30 order of 11-30) did not.
        Assert.That(r.Entered.Select(c => (c.Code, c.RevenueFen, c.PreviousRevenueFen)), Is.EqualTo(new[] { ("C5", 100_000L, 70_000L) }));
        Assert.That(r.Left.Select(c => (c.Code, c.RevenueFen, c.PreviousRevenueFen)), Is.EqualTo(new[] { ("C6", 0L, 500_000L) }));

        var mine = await new KeyCustomersQuery(_db).GetAsync(Ag1, Period("2026-12-01", "2026-12-15"));
        // AG1: C1 80k, C2 30k (total 110k): C1 alone is 72.7%, so both.
        Assert.That(mine.Key.Select(k => k.Code), Is.EqualTo(new[] { "C1", "C2" }));
        Assert.That(mine.Entered.Select(c => c.Code), Is.EqualTo(new[] { "C2" }));
        Assert.That(mine.Left, Is.Empty);
    }

    [Test]
    public async Task Agent_performance_splits_attribution_and_counts_conversions_and_visits()
    {
        var r = await new AgentPerformanceQuery(_db).GetAsync(Period("2026-12-01", "2026-12-15"));
        var ag2 = r.Agents[0];
        var ag1 = r.Agents[1];
        Assert.That((ag2.Code, ag2.AttributedOrders, ag2.AttributedFen, ag2.ProxyFen, ag2.OwnerFen, ag2.ShareLinkFen), Is.EqualTo(("AG2", 3L, 350_000L, 250_000L, 100_000L, 0L)));
        Assert.That((ag2.Customers, ag2.SelfOrderingCustomers, ag2.ConvertedCustomers, ag2.StoreVisits, ag2.Calls), Is.EqualTo((3L, 1L, 0L, 0L, 0L)),
            "C5 self-ordered in December, but first did so on 11-30");
        Assert.That((ag1.Code, ag1.AttributedOrders, ag1.AttributedFen, ag1.ProxyFen, ag1.OwnerFen, ag1.ShareLinkFen), Is.EqualTo(("AG1", 2L, 130_000L, 0L, 30_000L, 100_000L)));
        Assert.That((ag1.Customers, ag1.SelfOrderingCustomers, ag1.ConvertedCustomers, ag1.StoreVisits, ag1.Calls), Is.EqualTo((3L, 2L, 1L, 1L, 1L)),
            "C2's first self-order is in December; C1 self-ordered before");

        var nov = await new AgentPerformanceQuery(_db).GetAsync(Period("2026-11-01", "2026-11-30"), _ids.Agent("AG2"));
        // C4 11-05 proxy 200k, 11-15 self 220k, 11-25 proxy 180k; C5 11-30 23:30 self 70k; C6 11-20 self 500k. Converted: C4, C5, C6.
        Assert.That(nov.Agents.Single().AttributedFen, Is.EqualTo(1_170_000));
        Assert.That((nov.Agents.Single().ProxyFen, nov.Agents.Single().OwnerFen), Is.EqualTo((380_000L, 790_000L)));
        Assert.That(nov.Agents.Single().ConvertedCustomers, Is.EqualTo(3));
    }

    [Test]
    public void Periods_are_checked()
    {
        var today = new DateOnly(2026, 12, 15);
        Assert.That(ReportPeriod.Parse(null, null, today).Period, Is.EqualTo(new ReportPeriod(new DateOnly(2026, 12, 1), today)));
        Assert.That(ReportPeriod.Parse("2026-02-30", "2026-03-01", today).Errors.Keys, Is.EquivalentTo(new[] { "from" }));
        Assert.That(ReportPeriod.Parse("2026-03-02", "2026-03-01", today).Errors.Keys, Is.EquivalentTo(new[] { "to" }));
        Assert.That(ReportPeriod.Parse("2025-01-01", "2026-01-02", today).Errors.Keys, Is.EquivalentTo(new[] { "to" }), "367 days");
        Assert.That(ReportPeriod.Parse("2024-01-01", "2024-12-31", today).Period!.Days, Is.EqualTo(366), "a leap year is allowed");
        Assert.That(ReportPeriod.Parse("2026-12-01", null, today).Errors.Keys, Is.EquivalentTo(new[] { "to" }));
    }

    private async Task<long> GroupId(string code) => await Scalar($"SELECT id FROM customer_groups WHERE code = '{code}'");

    private async Task<long> Scalar(string sql)
    {
        await using var c = await _db.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, sql);
    }
}
