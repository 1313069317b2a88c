using System.Diagnostics;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Insight;
using OrderHub.Application.Reports;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Domain.Insight;

namespace OrderHub.Benchmarks;

/// <summary>One insight timing with its target.</summary>
public sealed record InsightTiming(string What, double ColdMs, double WarmMedianMs, int Rows, double TargetMs, string Why)
{
    public bool Met => WarmMedianMs <= TargetMs && ColdMs <= TargetMs;
}

public sealed record InsightBenchResult(string Db, int Stores, int HistoryDays, DemoOrderHistoryResult History, IReadOnlyList<InsightTiming> Timings);

/// <summary>
/// Issue #18's insight on the large set (10k stores, 100k SKUs) with <c>days</c> of orders (<see cref="DemoOrderHistory"/>,
/// shipped lines with their unit cost), in a fresh database: the nightly lifecycle recomputation and the daily restock
/// reminders over every store, and what an agent's phone or the console asks for one agent or store. In process (the
/// services' own work, no HTTP); cold is the first call, warm the median of the next ones. Each has a target, printed
/// met / NOT MET (README, Benchmark).
/// </summary>
public static class InsightBench
{
    /// <summary>An agent's phone waits at most a second for a screen.</summary>
    private const double Phone = 1_000;
    /// <summary>A console report over a year: a few seconds at most.</summary>
    private const double Console_ = 3_000;
    /// <summary>A nightly/daily job over every store: done within a minute, so it never holds the database for long.</summary>
    private const double Job = 60_000;

    public static async Task<InsightBenchResult?> RunAsync(string dbKind, int days = 365, TextWriter? output = null)
    {
        var log = output ?? Console.Out;
        log.WriteLine($"\n== insight on the large data set with {days} days of orders: {dbKind} ==");
        string? cs;
        if (dbKind == "postgres")
        {
            (cs, var why) = OrderHub.Testing.PostgresCluster.TryCreateDatabase();
            if (cs is null) { log.WriteLine($"  skipped: {why}"); return null; }
        }
        else cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-insight-bench-{Guid.NewGuid():N}.db")}";

        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        var data = DemoDataGenerator.Generate(DemoDataSize.Large, ReportsBench.Seed, now);
        await new DemoDataSeeder(db).SeedAsync(data, now.ToUnixTimeMilliseconds());
        log.WriteLine($"  large set: {data.Products.Count:N0} SKUs, {data.Customers.Count:N0} stores; loaded in {sw.Elapsed.TotalSeconds:F1} s");
        var history = await DemoOrderHistory.LoadAsync(db, ReportsBench.Seed, now, days);
        log.WriteLine($"  history: {history.Orders:N0} orders, {history.Lines:N0} lines, {history.LedgerEntries:N0} ledger entries; loaded in {history.Elapsed.TotalSeconds:F1} s");
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync(db.Dialect == SqlDialect.Postgres ? "VACUUM ANALYZE" : "ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);

        var clock = TimeProvider.System;
        var lifecycle = new LifecycleService(db, clock, new LifecycleOptions());
        var restock = new RestockService(db, clock, new RestockOptions());
        var crossSell = new CrossSellQuery(db, clock, new CrossSellOptions());
        var profit = new GrossProfitReport(db);
        var retention = new RetentionReport(db, clock, new LifecycleOptions());
        long agent, store;
        await using (var c = await db.OpenAsync())
        {
            agent = await c.ExecuteScalarAsync<long>("SELECT id FROM agents ORDER BY id LIMIT 1");
            // A store with orders (the busiest of the first agent's), as an agent would open it.
            store = await c.ExecuteScalarAsync<long>(
                "SELECT o.customer_id FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE cu.agent_id = @agent GROUP BY o.customer_id ORDER BY COUNT(*) DESC, o.customer_id LIMIT 1",
                new { agent });
        }
        var today = ReportCalendar.DateOf(now.ToUnixTimeMilliseconds());
        var year = new ReportPeriod(today.AddDays(-364), today);

        var timings = new List<InsightTiming>();
        async Task Time(string what, double target, string why, int warmRuns, Func<Task<int>> run)
        {
            var t = Stopwatch.StartNew();
            var rows = await run();
            var cold = t.Elapsed.TotalMilliseconds;
            var warm = new List<double>();
            for (var i = 0; i < warmRuns; i++)
            {
                t.Restart();
                await run();
                warm.Add(t.Elapsed.TotalMilliseconds);
            }
            warm.Sort();
            var timing = new InsightTiming(what, cold, warm.Count == 0 ? cold : warm[warm.Count / 2], rows, target, why);
            timings.Add(timing);
            log.WriteLine($"  {what,-44} cold {cold,9:F1} ms   warm p50 {timing.WarmMedianMs,9:F1} ms   {rows,7} rows   target ≤ {target:N0} ms {(timing.Met ? "met" : "NOT MET")}");
        }

        await Time("lifecycle recompute, every store", Job, "nightly job", 2, () => lifecycle.RecomputeAsync());
        await Time("restock reminders, every store", Job, "daily job", 2, async () => (await restock.RemindAllAsync()).Stores);
        await Time("visit-today (one agent's stores)", Phone, "agent's phone", 5, async () => (await lifecycle.ListAsync(ReportScope.OfAgent(agent))).Stores.Count);
        await Time("restock due (one store)", Phone, "store's / agent's phone", 5, async () => (await restock.DueForStoreAsync(store)).Count);
        await Time("cross-sell (one store)", Phone, "agent's phone", 5, async () => (await crossSell.ForStoreAsync(store)).Count);
        await Time("gross profit, year, by agent (company)", Console_, "console report", 3, async () => (await profit.GetAsync(ReportScope.All, year, ProfitGroupBy.Agent)).Rows.Count);
        await Time("gross profit, year, by month (company)", Console_, "console report", 3, async () => (await profit.GetAsync(ReportScope.All, year, ProfitGroupBy.Month)).Rows.Count);
        await Time("gross profit, year, by store (one agent)", Phone, "agent's phone", 5, async () => (await profit.GetAsync(ReportScope.OfAgent(agent), year, ProfitGroupBy.Store)).Rows.Count);
        await Time("retention cohorts (company)", Console_, "console report", 3, async () => (await retention.GetAsync(ReportScope.All)).Cohorts.Count);

        log.WriteLine($"\nInsight targets ({dbKind}, {data.Customers.Count:N0} stores, {days} days of orders; figures from this invocation):");
        foreach (var t in timings)
            log.WriteLine($"  {t.What,-44} ≤ {t.TargetMs,7:N0} ms ({t.Why,-22}) {(t.Met ? "met" : "NOT MET"),-8} cold {t.ColdMs:N0} ms, warm {t.WarmMedianMs:N0} ms");
        return new InsightBenchResult(dbKind, data.Customers.Count, days, history, timings);
    }
}
