using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Reports;
using OrderHub.Testing;

namespace OrderHub.Tests.Reports;

/// <summary>
/// The maintained report aggregates (migration 0009, <see cref="ReportAggregates"/>) against <see cref="ReportsData"/>:
/// whole-company brand, category and top-product reports read the aggregates; the same reports filtered by each region
/// read the raw tables, and since every order belongs to one store in one region, the regions add up to the company.
/// After every kind of change both must agree, and agree with the figures worked out by hand.
///
/// Period 2026-11-01 … 12-15 (a whole month read from the monthly product rows, then 15 single days). Before any change:
/// 怡宝 1,350,000 in 6 orders (C4 ×5, C6); 农夫山泉 300,000 and 可口可乐 200,000 in C1's 5 orders; 乐事 200,000 in 3 orders
/// (C2, C5 ×2); 饮料 11 orders 1,850,000, 零食 3 orders 200,000.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class ReportAggregatesTests(string kind)
{
    private Db _db = null!;
    private ReportsData.Seed _seed = null!;
    private static readonly ReportPeriod P = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 15));
    private SalesReports Sales => new(_db);

    [SetUp]
    public async Task Seed()
    {
        _db = await TestDatabase.CreateAsync(kind);
        await ReportsData.SeedAsync(_db);
        _seed = await ReportsData.Seed.OpenAsync(_db);
    }

    [Test]
    public async Task Placements_cancellations_rejections_and_line_changes_reach_the_aggregates()
    {
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 6L, 1_350_000L), ("农夫山泉", 5L, 300_000L), ("乐事", 3L, 200_000L), ("可口可乐", 5L, 200_000L) }));
        await AssertAggregatesEqualRaw();

        // A new order on 12-14 (C6: water and crisps): one more order for both brands.
        var placed = await _seed.Order("C6", ReportsData.Bj(12, 14, 16), "self", "owner", "AG2", "pending_sales_review",
            ("W-001", 10, 60_000, false), ("S-001", 1, 10_000, false), ("W-002", 1, 0, true));
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 6L, 1_350_000L), ("农夫山泉", 6L, 360_000L), ("乐事", 4L, 210_000L), ("可口可乐", 5L, 200_000L) }),
            "the gift line of 怡宝 is not a sale");
        await AssertAggregatesEqualRaw();

        // Cancel C4's 12-05 order (怡宝 200,000) and reject C2's 12-10 order (乐事 30,000).
        await Exec("UPDATE orders SET status = 'cancelled', version = version + 1 WHERE customer_id = @c AND created_at = @at",
            new { c = _seed.Customer("C4"), at = ReportsData.Bj(12, 5) });
        await Exec("UPDATE orders SET status = 'rejected', version = version + 1 WHERE customer_id = @c", new { c = _seed.Customer("C2") });
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 5L, 1_150_000L), ("农夫山泉", 6L, 360_000L), ("可口可乐", 5L, 200_000L), ("乐事", 3L, 180_000L) }));
        var month = await Sales.SalesAsync(ReportScope.All, P, SalesGroupBy.Month, new SalesFilter());
        Assert.That(month.Totals, Is.EqualTo(new SalesTotals(13, 2_050_000 + 70_000 - 200_000 - 30_000, -20_000, 1_870_000)));

        // Status moves that keep the order in revenue (the flow, the ERP's shipped) change nothing.
        await Exec("UPDATE orders SET status = 'pending_shipment' WHERE status = 'pending_outbound'");
        await Exec("UPDATE orders SET status = 'shipped', shipped_at = @at WHERE id = @placed", new { at = ReportsData.Bj(12, 15), placed });
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 5L, 1_150_000L), ("农夫山泉", 6L, 360_000L), ("可口可乐", 5L, 200_000L), ("乐事", 3L, 180_000L) }));

        // A line corrected and a line removed on the new order: 农夫山泉 60,000 → 48,000; the crisps gone.
        await Exec("UPDATE order_lines SET quantity = 8, amount_fen = 48000 WHERE order_id = @placed AND sku = 'W-001'", new { placed });
        await Exec("DELETE FROM order_lines WHERE order_id = @placed AND sku = 'S-001'", new { placed });
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 5L, 1_150_000L), ("农夫山泉", 6L, 348_000L), ("可口可乐", 5L, 200_000L), ("乐事", 2L, 170_000L) }));
        var top = await Sales.TopProductsAsync(ReportScope.All, P, new SalesFilter(), 10);
        Assert.That(top.Select(t => (t.Sku, t.Quantity, t.AmountFen, t.Orders)), Is.EqualTo(new[]
        {
            ("W-002", 1_150L, 1_150_000L, 5L), ("W-001", 58L, 348_000L, 6L), ("D-001", 25L, 200_000L, 5L), ("S-001", 17L, 170_000L, 2L),
        }));
        await AssertAggregatesEqualRaw();
    }

    [Test]
    public async Task A_brand_or_category_change_moves_past_sales_with_the_product()
    {
        await Sales.SalesAsync(ReportScope.All, P, SalesGroupBy.Brand, new SalesFilter()); // aggregates computed before the change

        await Exec("UPDATE products SET brand = '农夫山泉(新)' WHERE sku = 'W-001'");
        var snack = await _db.OpenAsync();
        await using (snack)
        {
            var (id, path) = await snack.QuerySingleAsync<(long, string)>("SELECT id, path FROM categories WHERE code = 'SNACK'");
            await snack.ExecuteAsync("UPDATE products SET category_id = @id, category_path = @path WHERE sku = 'D-001'", new { id, path });
        }
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 6L, 1_350_000L), ("农夫山泉(新)", 5L, 300_000L), ("乐事", 3L, 200_000L), ("可口可乐", 5L, 200_000L) }));
        var top = await Sales.SalesAsync(ReportScope.All, P, SalesGroupBy.Category, new SalesFilter());
        Assert.That(top.Rows.Select(x => (x.Label, x.Orders, x.RevenueFen)), Is.EqualTo(new[] { ("饮料", 11L, 1_650_000L), ("零食", 8L, 400_000L) }),
            "可口可乐 is a snack now: C1's five orders count under both");
        await AssertAggregatesEqualRaw();
    }

    [Test]
    public async Task A_return_lowers_revenue_and_leaves_the_line_figures_alone()
    {
        await _seed.Ledger("C4", "return", -50_000, ReportsData.Bj(12, 10, 15));
        var month = await Sales.SalesAsync(ReportScope.All, P, SalesGroupBy.Month, new SalesFilter());
        Assert.That(month.Rows.Select(r => (r.Key, r.Orders, r.GrossFen, r.ReturnsFen, r.RevenueFen)), Is.EqualTo(new[]
        {
            ("2026-11", 9L, 1_570_000L, (long?)0L, 1_570_000L), ("2026-12", 5L, 480_000L, (long?)-70_000L, 410_000L),
        }));
        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 6L, 1_350_000L), ("农夫山泉", 5L, 300_000L), ("乐事", 3L, 200_000L), ("可口可乐", 5L, 200_000L) }));
        await AssertAggregatesEqualRaw();
    }

    [Test]
    public async Task Upgrading_a_database_with_orders_backfills_every_day()
    {
        // A database at migration 0008 with the whole history in it, then upgraded.
        var old = new Db(TestDatabase.NewConnectionString(kind));
        var migrator = new Migrator(old);
        await using (var c = await old.OpenAsync())
        {
            await c.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var m in Migrator.All.Where(m => m.Version < 9))
            {
                foreach (var statement in Migrator.SplitStatements(migrator.Translate(m.Sql))) await c.ExecuteAsync(statement);
                await c.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, 0)", m);
            }
        }
        await ReportsData.SeedAsync(old);
        Assert.That(await migrator.MigrateAsync(), Does.Contain(9));
        _db = old;

        Assert.That(await Brands(), Is.EqualTo(new[] { ("怡宝", 6L, 1_350_000L), ("农夫山泉", 5L, 300_000L), ("乐事", 3L, 200_000L), ("可口可乐", 5L, 200_000L) }));
        var day = await Sales.SalesAsync(ReportScope.All, new ReportPeriod(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)), SalesGroupBy.Day, new SalesFilter());
        Assert.That(day.Rows.Select(r => (r.Key, r.Orders, r.GrossFen)), Is.EqualTo(new[] { ("2026-11-30", 1L, 70_000L), ("2026-12-01", 1L, 100_000L) }));
        await AssertAggregatesEqualRaw();
        Assert.That(await new ReportAggregates(_db).RefreshAsync(), Is.EqualTo(new ReportRefreshResult(0, 0)), "nothing left to do");
    }

    [Test]
    public async Task No_order_is_lost_when_orders_are_placed_while_refreshes_run()
    {
        // The race this guards against is PostgreSQL's (READ COMMITTED); on SQLite writers and refreshes take turns, and
        // the same figures must come out.
        const int Writers = 4, OrdersEach = 50;
        using var stop = new CancellationTokenSource();
        var aggregates = new ReportAggregates(_db);
        await aggregates.RefreshAsync(); // the seeded history first, so that the race below is about the new orders only
        var refreshers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var days = 0;
            while (!stop.IsCancellationRequested) days += (await aggregates.RefreshAsync()).Days;
            return days;
        })).ToList();
        // Every order on a day of its own (2026-01-01 onwards, before the seeded history), so a lost mark is never healed by
        // a later order of the same day. Each is written as the seed writes it: the order, then each line, each committed on
        // its own, so refreshes also run between an order and its lines.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var seed = await ReportsData.Seed.OpenAsync(_db);
            for (var i = 0; i < OrdersEach; i++)
            {
                var day = new DateOnly(2026, 1, 1).AddDays(i * Writers + w);
                await seed.Order(w % 2 == 0 ? "C4" : "C6", ReportsData.Bj(day.Month, day.Day, 11), "self", "owner", "AG2", "pending_sales_review",
                    ("W-002", 1, 1_000, false), ("S-001", 1, 100, false));
            }
        })).ToList();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        var racing = (await Task.WhenAll(refreshers)).Sum();
        TestContext.Out.WriteLine($"days recomputed by refreshes racing the writers: {racing}");
        Assert.That(racing, Is.GreaterThanOrEqualTo(10), "refreshes ran while the orders came in");

        var period = new ReportPeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 7, 31));
        var brands = await Sales.SalesAsync(ReportScope.All, period, SalesGroupBy.Brand, new SalesFilter());
        Assert.That(brands.Rows.Select(r => (r.Label, r.Orders, r.RevenueFen)), Is.EqualTo(new[]
        {
            ("怡宝", (long)Writers * OrdersEach, Writers * OrdersEach * 1_000L), ("乐事", (long)Writers * OrdersEach, Writers * OrdersEach * 100L),
        }));
        var days = await Sales.SalesAsync(ReportScope.All, period, SalesGroupBy.Day, new SalesFilter());
        Assert.That(days.Rows.Count(r => r.Orders == 1 && r.GrossFen == 1_100), Is.EqualTo(Writers * OrdersEach), "every order complete on its own day");
        var top = await Sales.TopProductsAsync(ReportScope.All, period, new SalesFilter(), 10);
        Assert.That(top.Select(t => (t.Sku, t.Quantity, t.Orders)), Is.EqualTo(new[] { ("W-002", 200L, 200L), ("S-001", 200L, 200L) }));
        await AssertAggregatesEqualRaw();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    /// <summary>Whole-company sales by brand (the aggregates): label, orders, revenue.</summary>
    private async Task<(string, long, long)[]> Brands() =>
        (await Sales.SalesAsync(ReportScope.All, P, SalesGroupBy.Brand, new SalesFilter())).Rows.Select(r => (r.Label, r.Orders, r.RevenueFen)).ToArray();

    /// <summary>
    /// Brand, top-level and drill-down category, top products and the monthly totals, whole-company (aggregates) against the
    /// sum of the same reports filtered by each region (raw tables), for the period and for one day.
    /// </summary>
    private async Task AssertAggregatesEqualRaw()
    {
        await using var c = await _db.OpenAsync();
        var regions = (await c.QueryAsync<string>("SELECT DISTINCT region FROM customers")).ToList();
        var drink = await c.ExecuteScalarAsync<long>("SELECT id FROM categories WHERE code = 'DRINK'");
        foreach (var period in new[] { P, new ReportPeriod(new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 14)) })
        {
            foreach (var (groupBy, category) in new[] { (SalesGroupBy.Brand, (long?)null), (SalesGroupBy.Category, null), (SalesGroupBy.Category, drink), (SalesGroupBy.Month, null) })
            {
                var whole = await Sales.SalesAsync(ReportScope.All, period, groupBy, new SalesFilter(CategoryId: category));
                var parts = new List<SalesReport>();
                foreach (var region in regions) parts.Add(await Sales.SalesAsync(ReportScope.All, period, groupBy, new SalesFilter(Region: region, CategoryId: category)));
                var summed = parts.SelectMany(r => r.Rows).Where(r => r.GrossFen != 0 || r.Orders != 0 || (r.ReturnsFen ?? 0) != 0)
                    .GroupBy(r => (r.Key, r.Label)).Select(g => (g.Key.Key, g.Key.Label, g.Sum(r => r.Orders), g.Sum(r => r.GrossFen), g.Sum(r => r.RevenueFen)))
                    .OrderBy(x => x.Key, StringComparer.Ordinal).ToList();
                var own = whole.Rows.Where(r => r.GrossFen != 0 || r.Orders != 0 || (r.ReturnsFen ?? 0) != 0)
                    .Select(r => (r.Key, r.Label, r.Orders, r.GrossFen, r.RevenueFen)).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();
                Assert.That(own, Is.EqualTo(summed), $"{groupBy} {category} {period}");
                Assert.That(whole.Totals, Is.EqualTo(new SalesTotals(parts.Sum(r => r.Totals.Orders), parts.Sum(r => r.Totals.GrossFen),
                    parts.Sum(r => r.Totals.ReturnsFen), parts.Sum(r => r.Totals.RevenueFen))), $"{groupBy} totals {period}");
            }
            var top = (await Sales.TopProductsAsync(ReportScope.All, period, new SalesFilter(), 100)).Select(t => (t.Sku, t.Quantity, t.AmountFen, t.Orders)).ToList();
            var topParts = new List<TopProduct>();
            foreach (var region in regions) topParts.AddRange(await Sales.TopProductsAsync(ReportScope.All, period, new SalesFilter(Region: region), 100));
            var topSummed = topParts.GroupBy(t => t.Sku).Select(g => (Sku: g.Key, Quantity: g.Sum(t => t.Quantity), AmountFen: g.Sum(t => t.AmountFen), Orders: g.Sum(t => t.Orders)))
                .OrderByDescending(t => t.AmountFen).ThenBy(t => t.Sku, StringComparer.Ordinal).ToList();
            Assert.That(top, Is.EqualTo(topSummed), $"top products {period}");
        }
    }

    private async Task Exec(string sql, object? args = null)
    {
        await using var c = await _db.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }
}
