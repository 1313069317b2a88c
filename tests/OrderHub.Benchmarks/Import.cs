using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;
using OrderHub.DemoData;
using OrderHub.Testing;

namespace OrderHub.Benchmarks;

/// <param name="Seconds">Until products, stock, group price-list rows and customer prices were all in; infinity when not within the timeout (the counts are those reached).</param>
/// <param name="PriceListRows">Group price-list rows in OrderHub when the clock stopped, of <paramref name="ExpectedPriceListRows"/> in the ERP.</param>
/// <param name="SyncIssues">Data issues the sync recorded meanwhile (it keeps only the newest ones), with the most frequent problem.</param>
public sealed record ImportResult(long Products, long StockRows, long CustomerPrices, double Seconds, double ServerPeakMb, double ErpSeedSeconds, string Settings,
    long PriceListRows, long ExpectedPriceListRows, long SyncIssues, string? TopIssue, string Timeline);

/// <summary>
/// Initial ERP import: an empty OrderHub database (only its customer groups set up), the demo ERP holding the data set (seeded
/// before the clock starts), the real server with its jobs; timed from the server's start until every product, stock row,
/// group price-list row and customer price has arrived.
/// The pulls run with bulk settings for a first import (stated in <see cref="ImportResult.Settings"/>): big pages, no cap on
/// pages per run, and the 30–60 s pull jobs every second, as an operator would set them for the first day.
/// </summary>
public static class Import
{
    public static async Task<ImportResult> MeasureAsync(string kind, DemoDataSet data, TimeSpan timeout)
    {
        string cs;
        if (kind == "postgres") cs = PostgresCluster.TryCreateDatabase().ConnectionString ?? throw new InvalidOperationException("PostgreSQL unavailable");
        else cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-import-{Guid.NewGuid():N}.db")}";
        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        // OrderHub's own set-up before a first import: its customer groups. The sync takes a customer's group and a group
        // price list only when the ERP's group code names an OrderHub group; without them every group price would be skipped.
        await using (var setup = await db.OpenAsync())
            await setup.ExecuteAsync("INSERT INTO customer_groups (code, name, sort_order) VALUES (@Code, @Name, @SortOrder)", data.Groups);
        var erpFile = Path.Combine(Path.GetTempPath(), $"orderhub-import-erp-{Guid.NewGuid():N}.db");
        var erpSeconds = await DemoErpFile.SeedAsync(erpFile, data);
        var expectedStock = data.Stock.Count;
        var expectedPrices = data.CustomerPrices.Count;
        var settings = new Dictionary<string, string>
        {
            ["Erp__Demo__PageSize"] = "5000", ["Sync__MaxPagesPerRun"] = "100000", ["Jobs__DemoErpTick__Enabled"] = "false",
            ["Jobs__PullProducts__IntervalSeconds"] = "1", ["Jobs__PullCustomers__IntervalSeconds"] = "1", ["Jobs__PullPrices__IntervalSeconds"] = "1",
        };
        var described = string.Join(", ", settings.Select(kv => $"{kv.Key}={kv.Value}"));
        foreach (var (k, v) in DemoErpFile.ServerSettings(erpFile)) settings[k] = v;
        var clock = Stopwatch.StartNew();
        var server = await ServerProcess.StartAsync(cs, settings, checkContract: false);
        double peak = 0;
        var c = await db.OpenAsync();
        try
        {
            var done = false;
            // When each table first held all its rows: the feeds' share of the import. The poll reads the feeds' state (one
            // small row each) and counts a table only after its feed has finished a run: COUNT(*) over a million customer
            // prices five times a second took a third of a core from the PostgreSQL server being measured.
            var reached = new Dictionary<string, double>();
            var feeds = new (string Feed, (string Table, long Expected)[] Tables)[]
            {
                ("products", [("products", data.Products.Count)]), ("stock", [("stock", expectedStock)]), ("customers", [("customers", data.Customers.Count)]),
                ("prices", [("price_list_items", data.PriceListItems.Count), ("customer_prices", expectedPrices)]),
            };
            while (clock.Elapsed < timeout)
            {
                peak = Math.Max(peak, server.Memory().PeakMb);
                var finished = (await c.QueryAsync<string>("SELECT feed FROM sync_feeds WHERE last_succeeded_at IS NOT NULL")).ToHashSet();
                foreach (var (feed, feedTables) in feeds.Where(f => !reached.ContainsKey(f.Feed) && finished.Contains(f.Feed)))
                {
                    var all = true;
                    foreach (var (table, expected) in feedTables) all = all && await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}") >= expected;
                    if (all) reached[feed] = clock.Elapsed.TotalSeconds;
                }
                done = reached.Count == feeds.Length;
                if (done) break;
                await Task.Delay(200);
            }
            // What arrived, also when the clock ran out.
            var products = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products");
            var stock = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock");
            var prices = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_prices");
            var listRows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM price_list_items");
            var seconds = done ? reached.Values.Max() : double.PositiveInfinity;
            peak = Math.Max(peak, server.Memory().PeakMb);
            // What the sync refused meanwhile.
            var issues = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sync_issues");
            var top = (await c.QueryAsync<(string Problem, long N)>("SELECT problem, COUNT(*) FROM sync_issues GROUP BY problem ORDER BY COUNT(*) DESC LIMIT 1"))
                .Select(x => $"{x.N:N0}× {x.Problem}").FirstOrDefault();
            var timeline = string.Join(", ", reached.OrderBy(x => x.Value).Select(x => $"{x.Key} {x.Value:F1} s"));
            return new ImportResult(products, stock, prices, seconds, peak, erpSeconds, described, listRows, data.PriceListItems.Count, issues, top, timeline);
        }
        finally
        {
            await c.DisposeAsync();
            await server.DisposeAsync();
            if (kind != "postgres") SqliteConnection.ClearAllPools();
            foreach (var f in new[] { erpFile, erpFile + "-wal", erpFile + "-shm" }) TryDelete(f);
            if (kind != "postgres") foreach (var suffix in new[] { "", "-wal", "-shm" }) TryDelete(new SqliteConnectionStringBuilder(cs).DataSource + suffix);
        }
    }

    /// <summary>The import's lines of the report (the full scenario and <c>--import-only</c> print the same).</summary>
    public static void Print(ImportResult import, TimeSpan timeout)
    {
        Console.WriteLine($"  initial ERP import into an empty database (products, stock, group and customer prices, via the jobs): " +
                          (double.IsFinite(import.Seconds) ? $"{import.Seconds:F1} s" : $"NOT FINISHED within {timeout.TotalMinutes:F0} min") +
                          $" ({import.Products:N0} products, {import.StockRows:N0} stock rows, {import.CustomerPrices:N0} customer prices); server peak {import.ServerPeakMb:F0} MB");
        Console.WriteLine($"    each feed's rows all in at (from the server's start): {import.Timeline}");
        Console.WriteLine($"    group price-list rows: {import.PriceListRows:N0} of {import.ExpectedPriceListRows:N0}; " +
                          $"sync issues recorded: {import.SyncIssues:N0}{(import.TopIssue is null ? "" : $", most often {import.TopIssue}")}");
        Console.WriteLine($"    import settings: {import.Settings}; the demo ERP was seeded beforehand in {import.ErpSeedSeconds:F1} s (not timed)");
    }

    public static TimeSpan TimeoutFor(string size) => TimeSpan.FromMinutes(size == "large" ? 15 : 3);

    /// <summary>
    /// <c>--import-only</c>: only the initial import, per database (no HTTP scenario; a few minutes on the large set),
    /// with issue #19's import target printed for the large set on PostgreSQL.
    /// </summary>
    public static async Task<Dictionary<string, object?>> RunOnlyAsync(string kind, BenchOptions o)
    {
        Console.WriteLine($"\n== {kind}: initial import only ==");
        var data = DemoDataGenerator.Generate(DemoDataSize.Parse(o.Size), 20261125, DateTimeOffset.UtcNow);
        var timeout = TimeoutFor(o.Size);
        var import = await MeasureAsync(kind, data, timeout);
        Print(import, timeout);
        if (kind == "postgres" && o.Size == "large")
            Console.WriteLine($"  target: large initial import on PostgreSQL ≤ 20 s — {(import.Seconds <= 20 ? "met" : "NOT MET")}");
        return new Dictionary<string, object?> { ["database"] = kind, ["size"] = o.Size, ["erpImport"] = import };
    }

    private static void TryDelete(string file) { try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
}
