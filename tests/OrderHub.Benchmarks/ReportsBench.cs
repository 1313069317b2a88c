using System.Diagnostics;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;

namespace OrderHub.Benchmarks;

/// <summary>One timed report: its first call (cold) and the median of the following ones (warm).</summary>
public sealed record ReportTiming(string Report, string Period, string Scope, double ColdMs, double WarmMedianMs, int Rows);

/// <summary>What <see cref="ReportsBench.RunAsync"/> measured on one database.</summary>
public sealed record ReportsBenchResult(string Db, int Products, int Stores, DemoOrderHistoryResult History, double SeedSeconds,
    double BackfillSeconds, ReportRefreshResult Backfill, IReadOnlyList<(string Table, long Rows)> AggregateTables,
    IReadOnlyList<ReportTiming> Timings);

/// <summary>
/// Issue #7's reports on the large data set (100k SKUs, 10k stores, 1M customer prices) with a year of orders
/// (<see cref="DemoOrderHistory"/>, ~430k orders, ~4.3M lines), in a fresh database of the kind asked. Times, in process
/// (the reports' own work, no HTTP): the backfill of the report aggregates (what an upgraded database pays once), then every
/// sales report whole-company over the full year and over one calendar month, top products, receivables ageing, and
/// agent-scoped calls (which read the raw tables). Cold is the first call; warm the median of <c>warmRuns</c> more.
/// Prints a table as it goes and returns the rows.
/// </summary>
public static class ReportsBench
{
    public const int Seed = 20261125;

    public static async Task<ReportsBenchResult?> RunAsync(string dbKind, int warmRuns = 5, TextWriter? output = null)
    {
        var log = output ?? Console.Out;
        log.WriteLine($"\n== reports on the large data set with a year of orders: {dbKind} ==");
        string? cs;
        if (dbKind == "postgres")
        {
            (cs, var why) = OrderHub.Testing.PostgresCluster.TryCreateDatabase();
            if (cs is null) { log.WriteLine($"  skipped: {why}"); return null; }
        }
        else cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-reports-bench-{Guid.NewGuid():N}.db")}";

        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var seed = Stopwatch.StartNew();
        var data = DemoDataGenerator.Generate(DemoDataSize.Large, Seed, now);
        await new DemoDataSeeder(db).SeedAsync(data, now.ToUnixTimeMilliseconds());
        var seedSeconds = seed.Elapsed.TotalSeconds;
        log.WriteLine($"  large set: {data.Products.Count:N0} SKUs, {data.Customers.Count:N0} stores; generated and loaded in {seedSeconds:F1} s");

        var history = await DemoOrderHistory.LoadAsync(db, Seed, now);
        log.WriteLine($"  a year of orders: {history.Orders:N0} orders ({history.Cancelled:N0} cancelled, {history.Rejected:N0} rejected), " +
                      $"{history.Lines:N0} lines, {history.LedgerEntries:N0} ledger entries ({history.Returns:N0} returns); loaded in {history.Elapsed.TotalSeconds:F1} s");

        var backfill = Stopwatch.StartNew();
        var refreshed = await new ReportAggregates(db).RefreshAsync();
        var backfillSeconds = backfill.Elapsed.TotalSeconds;
        log.WriteLine($"  backfill of the report aggregates: {refreshed.Days} days from {refreshed.Marks} marks in {backfillSeconds:F1} s");

        await using (var c = await db.OpenAsync())
        {
            // What a bulk import is followed by anyway (autovacuum would get there): planner statistics and, on PostgreSQL,
            // the visibility map that lets index-only scans skip the heap.
            await c.ExecuteAsync(db.Dialect == SqlDialect.Postgres ? "VACUUM ANALYZE" : "ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
        }
        var tables = new List<(string, long)>();
        await using (var c = await db.OpenAsync())
        {
            foreach (var t in new[] { "orders", "order_lines", "report_daily_orders", "report_daily_products", "report_monthly_products", "report_daily_brands", "report_daily_categories" })
                tables.Add((t, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {t}")));
        }
        log.WriteLine("  rows: " + string.Join(", ", tables.Select(t => $"{t.Item1} {t.Item2:N0}")));

        // The full year up to today, and the last whole calendar month (Shanghai dates).
        var today = ReportCalendar.DateOf(now.ToUnixTimeMilliseconds());
        var year = new ReportPeriod(today.AddDays(-364), today);
        var monthStart = ReportCalendar.MonthStart(today).AddMonths(-1);
        var month = new ReportPeriod(monthStart, monthStart.AddMonths(1).AddDays(-1));
        var sales = new SalesReports(db);
        var ageing = new ReceivablesAgeingReport(db, TimeProvider.System);
        long firstCategory, agent;
        await using (var c = await db.OpenAsync())
        {
            firstCategory = await c.ExecuteScalarAsync<long>("SELECT id FROM categories WHERE parent_id IS NULL ORDER BY sort_order, id LIMIT 1");
            agent = await c.ExecuteScalarAsync<long>("SELECT id FROM agents ORDER BY id LIMIT 1");
        }
        var agentScope = ReportScope.OfAgent(agent);

        var timings = new List<ReportTiming>();
        async Task Time(string report, string period, string scope, Func<Task<int>> run)
        {
            var sw = Stopwatch.StartNew();
            var rows = await run();
            var cold = sw.Elapsed.TotalMilliseconds;
            var warm = new List<double>();
            for (var i = 0; i < warmRuns; i++)
            {
                sw.Restart();
                await run();
                warm.Add(sw.Elapsed.TotalMilliseconds);
            }
            warm.Sort();
            var t = new ReportTiming(report, period, scope, cold, warm.Count == 0 ? cold : warm[warm.Count / 2], rows);
            timings.Add(t);
            log.WriteLine($"  {t.Report,-28} {t.Period,-6} {t.Scope,-14} cold {t.ColdMs,9:F1} ms   warm p50 {t.WarmMedianMs,9:F1} ms   {t.Rows,6} rows");
        }

        foreach (var (name, period) in new[] { ("year", year), ("month", month) })
        {
            foreach (var g in Enum.GetValues<SalesGroupBy>())
                await Time($"sales by {g}", name, "company", async () => (await sales.SalesAsync(ReportScope.All, period, g, new SalesFilter())).Rows.Count);
            await Time("sales by Category (drill)", name, "company", async () =>
                (await sales.SalesAsync(ReportScope.All, period, SalesGroupBy.Category, new SalesFilter(CategoryId: firstCategory))).Rows.Count);
            await Time("top products (100)", name, "company", async () => (await sales.TopProductsAsync(ReportScope.All, period, new SalesFilter(), 100)).Count);
        }
        await Time("receivables ageing (100)", "today", "company", async () => (await ageing.GetAsync(ReportScope.All, 100)).Customers.Count);
        await Time("sales by Brand", "year", "agent", async () => (await sales.SalesAsync(agentScope, year, SalesGroupBy.Brand, new SalesFilter())).Rows.Count);
        await Time("top products (100)", "year", "agent", async () => (await sales.TopProductsAsync(agentScope, year, new SalesFilter(), 100)).Count);
        await Time("sales by Month", "year", "agent", async () => (await sales.SalesAsync(agentScope, year, SalesGroupBy.Month, new SalesFilter())).Rows.Count);

        // The steady state: one new order makes today dirty; the next report pays for recomputing that one day.
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE orders SET status = 'cancelled' WHERE id = (SELECT MAX(id) FROM orders WHERE status <> 'cancelled')");
        }
        await Time("sales by Brand after 1 change", "year", "company", async () => (await sales.SalesAsync(ReportScope.All, year, SalesGroupBy.Brand, new SalesFilter())).Rows.Count);
        return new ReportsBenchResult(dbKind, data.Products.Count, data.Customers.Count, history, seedSeconds, backfillSeconds, refreshed, tables, timings);
    }
}
