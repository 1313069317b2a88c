using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.DemoData;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Insight;

/// <summary>
/// The one-command demo's year of history (<see cref="DemoHistoryGenerator"/>, Demo:History on), on both databases, with the
/// clock at 2026-12-15 10:00 Beijing. The stores are picked by what the generator made them (a store late on its cadence, a
/// dormant store); every expected figure is worked out here from the seeded rows with plain SQL and the rules as written
/// in the README (medians of purchase-day gaps, Shanghai days, months), never by the services under test.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class DemoHistoryTests(string kind)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Now = new(2026, 12, 15, 10, 0, 0, Beijing);
    private static readonly DateOnly Today = new(2026, 12, 15);
    private const string Revenue = "o.status NOT IN ('rejected', 'cancelled')";
    private ApiHost _host = null!;
    private HttpClient _admin = null!;
    private DemoHistory _history = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var clock = new ManualClock(Now);
        _host = new ApiHost(kind, settings: new() { ["Demo:History"] = "true" }, services: s => s.AddSingleton<TimeProvider>(clock));
        _ = _host.Services;
        var data = DemoDataGenerator.Generate(DemoDataSize.Demo, 20261125, Now);
        _history = DemoHistoryGenerator.Generate(data, 20261125, Now);
        _admin = await _host.StaffAsync("admin");
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private static DateOnly Day(long utcMs) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToOffset(Beijing).DateTime);

    private static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    [Test]
    public async Task The_first_run_has_a_year_of_orders_in_every_status_with_costs_returns_and_a_ledger_that_adds_up()
    {
        await using var c = await _host.Db.OpenAsync();
        var statuses = (await c.QueryAsync<string>("SELECT DISTINCT status FROM orders")).ToHashSet();
        Assert.That(statuses, Is.SupersetOf(new[] { "pending_sales_review", "pending_outbound", "pending_shipment", "shipped", "received", "rejected", "cancelled" }));
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders"), Is.EqualTo(_history.Orders.Count).And.GreaterThan(1000));
        var first = await c.ExecuteScalarAsync<long>("SELECT MIN(created_at) FROM orders");
        Assert.That(Day(first), Is.LessThanOrEqualTo(Today.AddDays(-340)), "a year of history");
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.shipped_at IS NOT NULL AND l.unit_cost_fen IS NULL"),
            Is.EqualTo(0), "every shipped line carries its unit cost");
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM return_requests WHERE status = 'completed'"), Is.GreaterThan(0));
        // The ledger of every store: its opening receivable + shipped order totals − return credits − payments, each booked once.
        var mismatches = await c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM customers cu
            WHERE (SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries e WHERE e.customer_id = cu.id) <>
                  cu.erp_receivable_fen
                  + (SELECT COALESCE(SUM(total_fen), 0) FROM orders o WHERE o.customer_id = cu.id AND o.shipped_at IS NOT NULL)
                  - (SELECT COALESCE(SUM(credit_fen), 0) FROM return_requests r WHERE r.customer_id = cu.id AND r.status = 'completed')
                  - (SELECT COALESCE(SUM(-amount_fen), 0) FROM ledger_entries e WHERE e.customer_id = cu.id AND e.kind = 'payment')
            """);
        Assert.That(mismatches, Is.EqualTo(0));
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'"), Is.GreaterThan(100));
        // Open orders hold their goods.
        var reserved = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(reserved), 0) FROM stock");
        var open = await c.ExecuteScalarAsync<long>("""
            SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.status IN ('pending_sales_review', 'pending_finance_review', 'pending_outbound', 'pending_shipment')
            """);
        Assert.That((reserved, open > 0), Is.EqualTo((open, true)));
    }

    [Test]
    public async Task A_store_late_on_its_cadence_is_told_which_staple_is_due_with_its_usual_interval_and_quantity()
    {
        var late = _history.Stores.First(s => s.LateDays > 0 && s.Kind == DemoStoreKind.Steady);
        var sku = late.Staples[0];
        await using var c = await _host.Db.OpenAsync();
        // The store's purchases of the product: quantity per Shanghai day, revenue orders of the last 180 days, gifts left out.
        var rows = (await c.QueryAsync<(long CreatedAt, long Qty)>($"""
            SELECT o.created_at, l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers cu ON cu.id = o.customer_id
            WHERE cu.code = @code AND l.sku = @sku AND l.is_gift = FALSE AND {Revenue}
            """, new { code = late.CustomerCode, sku })).ToList();
        var days = rows.GroupBy(r => Day(r.CreatedAt)).Where(g => g.Key >= Today.AddDays(-180))
            .Select(g => (Day: g.Key, Qty: g.Sum(r => r.Qty))).OrderBy(d => d.Day).ToList();
        var gaps = days.Zip(days.Skip(1), (a, b) => (double)(b.Day.DayNumber - a.Day.DayNumber)).ToList();
        var usual = Median(gaps);
        var quantity = (long)Math.Round(Median(days.Select(d => (double)d.Qty).ToList()), MidpointRounding.AwayFromZero);
        var since = Today.DayNumber - days[^1].Day.DayNumber;
        Assert.That(since, Is.GreaterThanOrEqualTo(usual), "the generator left this store past its cadence");
        var name = await c.ExecuteScalarAsync<string>("SELECT name FROM products WHERE sku = @sku", new { sku });

        var store = await _host.CustomerAsync(late.CustomerCode);
        var due = (await HttpAssert.Ok(await store.GetAsync("/api/restock"))).EnumerateArray().ToList();
        var item = due.Single(i => i.GetProperty("sku").GetString() == sku);
        Assert.That(item.GetProperty("usualIntervalDays").GetDouble(), Is.EqualTo(usual));
        Assert.That(item.GetProperty("usualQuantity").GetInt64(), Is.EqualTo(quantity));
        Assert.That(item.GetProperty("daysSinceLastPurchase").GetInt32(), Is.EqualTo(since));
        Assert.That(item.GetProperty("lastPurchaseDate").GetString(), Is.EqualTo(days[^1].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.That(item.GetProperty("reason").GetString(), Is.EqualTo($"您通常每 {Fmt(usual)} 天订一次{name}，上次是 {since} 天前"));
    }

    [Test]
    public async Task A_store_that_stopped_ordering_two_months_ago_is_dormant_for_the_reason_its_orders_give()
    {
        var dormant = _history.Stores.First(s => s.Kind == DemoStoreKind.Dormant);
        await using var c = await _host.Db.OpenAsync();
        var days = (await c.QueryAsync<long>($"""
            SELECT o.created_at FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE cu.code = @code AND {Revenue}
            """, new { code = dormant.CustomerCode })).Select(Day).Distinct().Order().ToList();
        var since = Today.DayNumber - days[^1].DayNumber;
        var usual = Median(days.Zip(days.Skip(1), (a, b) => (double)(b.DayNumber - a.DayNumber)).ToList());
        // 休眠: more than max(30, 3 × usual) days without an order, fewer than the 90 of 流失.
        Assert.That(since, Is.GreaterThan(Math.Max(30, 3 * usual)).And.LessThan(90));

        var list = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/lifecycle"));
        var store = list.GetProperty("stores").EnumerateArray().Single(s => s.GetProperty("code").GetString() == dormant.CustomerCode);
        Assert.That(store.GetProperty("stage").GetString(), Is.EqualTo("Dormant"));
        Assert.That(store.GetProperty("daysSinceLastOrder").GetInt32(), Is.EqualTo(since));
        Assert.That(store.GetProperty("reason").GetString(), Is.EqualTo($"已 {since} 天未下单，平时约 {Fmt(usual)} 天一单"));
    }

    [Test]
    public async Task One_retention_cell_counts_the_june_cohort_still_ordering_in_september()
    {
        await using var c = await _host.Db.OpenAsync();
        var orders = (await c.QueryAsync<(long CustomerId, long CreatedAt)>($"SELECT o.customer_id, o.created_at FROM orders o WHERE {Revenue}")).ToList();
        var months = orders.GroupBy(o => o.CustomerId).ToDictionary(g => g.Key, g => g.Select(o => { var d = Day(o.CreatedAt); return new DateOnly(d.Year, d.Month, 1); }).ToHashSet());
        var june = new DateOnly(2026, 6, 1);
        var cohort = months.Where(m => m.Value.Min() == june).ToList();
        var stillInSeptember = cohort.Count(m => m.Value.Contains(new DateOnly(2026, 9, 1)));
        Assert.That(cohort, Is.Not.Empty, "stores joined in June");

        var r = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/retention"));
        var row = r.GetProperty("cohorts").EnumerateArray().Single(x => x.GetProperty("month").GetString() == "2026-06");
        Assert.That(row.GetProperty("stores").GetInt32(), Is.EqualTo(cohort.Count));
        var three = row.GetProperty("retained").EnumerateArray().Single(x => x.GetProperty("months").GetInt32() == 3);
        Assert.That(three.GetProperty("stores").GetInt32(), Is.EqualTo(stillInSeptember));
        Assert.That(three.GetProperty("share").GetDecimal(), Is.EqualTo(Math.Round((decimal)stillInSeptember / cohort.Count, 4, MidpointRounding.AwayFromZero)));
    }

    [Test]
    public async Task An_agents_gross_profit_for_november_is_what_its_stores_shipped_less_what_came_back()
    {
        await using var c = await _host.Db.OpenAsync();
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, Beijing).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(2026, 12, 1, 0, 0, 0, Beijing).ToUnixTimeMilliseconds();
        var agentId = await c.ExecuteScalarAsync<long>("SELECT id FROM agents WHERE code = 'AG002'");
        var shipped = (await c.QueryAsync<(long Amount, long Qty, long? Cost)>($"""
            SELECT l.amount_fen, l.quantity, l.unit_cost_fen FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers cu ON cu.id = o.customer_id
            WHERE cu.agent_id = @agentId AND o.shipped_at >= @from AND o.shipped_at < @to AND {Revenue}
            """, new { agentId, from, to })).ToList();
        var back = (await c.QueryAsync<(long Amount, long Qty, long? Cost, long Returned)>("""
            SELECT l.amount_fen, l.quantity, l.unit_cost_fen, rl.received_quantity FROM return_lines rl JOIN return_requests r ON r.id = rl.return_id
            JOIN order_lines l ON l.id = rl.order_line_id JOIN orders o ON o.id = l.order_id JOIN customers cu ON cu.id = o.customer_id
            WHERE cu.agent_id = @agentId AND r.status = 'completed' AND r.completed_at >= @from AND r.completed_at < @to
            """, new { agentId, from, to })).ToList();
        var revenue = shipped.Sum(l => l.Amount) - back.Sum(b => (long)Math.Round((decimal)b.Amount * b.Returned / b.Qty, MidpointRounding.AwayFromZero));
        var cost = shipped.Sum(l => (l.Cost ?? 0) * l.Qty) - back.Sum(b => (b.Cost ?? 0) * b.Returned);
        Assert.That(shipped, Is.Not.Empty);

        var r = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-11-01&to=2026-11-30&groupBy=agent"));
        var row = r.GetProperty("rows").EnumerateArray().Single(x => x.GetProperty("key").GetString() == agentId.ToString(CultureInfo.InvariantCulture));
        Assert.That((row.GetProperty("revenueFen").GetInt64(), row.GetProperty("costFen").GetInt64(), row.GetProperty("grossProfitFen").GetInt64()),
            Is.EqualTo((revenue, cost, revenue - cost)));
        Assert.That(row.GetProperty("linesWithoutCost").GetInt32(), Is.EqualTo(0));
    }

    [Test]
    public async Task On_the_first_run_agents_have_stores_to_visit_stores_have_due_products_cohorts_have_figures_and_every_agent_a_gross_profit()
    {
        var visits = 0;
        foreach (var agent in new[] { "AG001", "AG002", "AG003", "AG004", "AG005" })
        {
            var list = (await HttpAssert.Ok(await (await _host.AgentAsync(agent)).GetAsync("/api/agent/visit-today"))).EnumerateArray().ToList();
            Assert.That(list.Select(v => v.GetProperty("reason").GetString()), Has.All.Not.Empty);
            visits += list.Count;
        }
        Assert.That(visits, Is.GreaterThan(0), "今日拜访 has stores");
        var worst = (await HttpAssert.Ok(await (await _host.AgentAsync("AG005")).GetAsync("/api/agent/visit-today"))).EnumerateArray().ToList();
        Assert.That(worst, Is.Not.Empty, "the weakest agent has stores slipping");

        var late = _history.Stores.First(s => s.LateDays > 0);
        Assert.That((await HttpAssert.Ok(await (await _host.CustomerAsync(late.CustomerCode)).GetAsync("/api/restock"))).GetArrayLength(), Is.GreaterThan(0));

        var retention = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/retention"));
        var cohorts = retention.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.That(cohorts.Count, Is.GreaterThanOrEqualTo(10), "stores joined in most months");
        Assert.That(cohorts.SelectMany(x => x.GetProperty("retained").EnumerateArray()).Count(x => x.GetProperty("share").ValueKind == JsonValueKind.Number), Is.GreaterThan(10));
        Assert.That(retention.GetProperty("churnedStores").GetInt32(), Is.GreaterThan(0));

        var profit = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/gross-profit?from=2026-01-01&to=2026-12-15&groupBy=agent"));
        var rows = profit.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(rows.Select(x => x.GetProperty("grossProfitFen").GetInt64()), Has.All.GreaterThan(0));
        var lifecycle = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/lifecycle"));
        var stages = lifecycle.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("stores").GetInt32() > 0).Select(s => s.GetProperty("stage").GetString()).ToList();
        Assert.That(stages, Is.SupersetOf(new[] { "New", "Growing", "Declining", "Dormant", "Churned" }));
    }
}
