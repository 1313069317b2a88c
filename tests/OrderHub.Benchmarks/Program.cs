using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Benchmarks;
using OrderHub.Testing;

// OrderHub benchmark: speed, scale and freshness on this machine. Usage:
//   dotnet run -c Release --project tests/OrderHub.Benchmarks -- [--size small|large|both] [--db sqlite|postgres|both|none]
//        [--clients 64] [--seconds 10] [--warmup 3] [--out bench-results.json] [--tryton] [--reports] [--insight [--days 365]] [--no-wrk] [--wrk-only] [--hold] [--hold-after]
//        [--import-only]   (only the initial ERP import, per database)
//        [--profile | --round-trips] [--orders-only]
var opts = BenchOptions.Parse(args);
Console.WriteLine($"OrderHub benchmark — size {string.Join("+", opts.Sizes)}, databases {string.Join("+", opts.Databases)}, {opts.Clients} clients, " +
                  $"{opts.Seconds} s measured after {opts.Warmup} s warm-up, on {Environment.ProcessorCount} cores ({Environment.OSVersion})");
var results = new List<Dictionary<string, object?>>();
// --insight runs on its own (its own large database), not after the HTTP scenario.
// --size both: the small set on each database, then the large set on each, in this one invocation (issue #19's "done when").
foreach (var size in args.Contains("--insight") ? [] : opts.Sizes)
    foreach (var kind in opts.Databases)
    {
        var sized = opts with { Size = size };
        var row = args.Contains("--import-only") ? await Import.RunOnlyAsync(kind, sized) : await Scenario.RunAsync(kind, sized);
        if (row is not null) results.Add(row);
    }
if (args.Contains("--tryton") && await TrytonSideBySide.RunAsync(opts) is { } tryton) results.Add(tryton);
// --reports: the sales reports on the large set with a year of orders (opt-in: it builds its own large database).
if (args.Contains("--reports"))
    foreach (var kind in opts.Databases)
        if (await ReportsBench.RunAsync(kind) is { } reports)
            results.Add(new Dictionary<string, object?> { ["reports"] = reports });
// --insight: lifecycle, restock, cross-sell, gross profit and retention on the large set with a year (--days) of orders (opt-in, own database).
if (args.Contains("--insight"))
{
    var i = Array.IndexOf(args, "--days");
    var days = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : 365;
    foreach (var kind in opts.Databases)
        if (await InsightBench.RunAsync(kind, days) is { } insight)
            results.Add(new Dictionary<string, object?> { ["insight"] = insight });
}
var table = SummaryTable.Build(results);
SummaryTable.Print(table);
Targets.Print(results);
var json = JsonSerializer.Serialize(new { machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() }, options = opts, table, results },
    // NaN / Infinity (no successful request, an import that did not finish) are written as such rather than failing the run.
    new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
await File.WriteAllTextAsync(opts.Out, json);
Console.WriteLine($"\nWritten: {Path.GetFullPath(opts.Out)}");

/// <param name="Profile">In process, no server: the catalog page's parts, then <paramref name="RoundTrips"/>.</param>
/// <param name="RoundTrips">In process, no server: only the round trips of one order submit and one catalog page, each timed.</param>
/// <param name="OrdersOnly">With the server: only the order run (cart updates, submits and their checks), no catalog, wrk, freshness or import.</param>
/// <param name="Sizes">The data sets to run, in order (<c>--size both</c>: small, then large); <paramref name="Size"/> is the one being run.</param>
/// <param name="WrkOnly">With the server: only issue #19's wrk set (/health, detail, catalog page at 8 and 64 connections).</param>
/// <param name="HoldAfter">With the server: after all the runs, print its pid and wait (its memory, heap and code as the runs left them).</param>
/// <param name="Hold">With the server: set it up with its data, print its pid and a wrk script of catalog pages, and wait (for profiling by hand).</param>
public sealed record BenchOptions(string Size, string[] Databases, int Clients, int Seconds, int Warmup, string Out, bool Profile, bool Wrk,
    bool RoundTrips = false, bool OrdersOnly = false, bool WrkOnly = false, bool Hold = false, bool HoldAfter = false)
{
    public string[] Sizes { get; init; } = [Size];

    public static BenchOptions Parse(string[] args)
    {
        string Arg(string name, string fallback) { var i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback; }
        var db = Arg("db", "both");
        string[] databases = db switch
        {
            "both" => ["sqlite", "postgres"],
            "sqlite" or "postgres" => [db],
            "none" => [], // only what other options ask for, e.g. --tryton
            _ => throw new ArgumentException($"--db {db}: sqlite, postgres, both or none"),
        };
        var size = Arg("size", "small");
        if (size is not ("small" or "large" or "both")) throw new ArgumentException($"--size {size}: small, large or both");
        string[] sizes = size == "both" ? ["small", "large"] : [size];
        return new BenchOptions(sizes[0], databases,
            int.Parse(Arg("clients", "64")), int.Parse(Arg("seconds", "10")), int.Parse(Arg("warmup", "3")), Arg("out", "bench-results.json"), args.Contains("--profile"),
            !args.Contains("--no-wrk"), args.Contains("--round-trips"), args.Contains("--orders-only"), args.Contains("--wrk-only"), args.Contains("--hold"), args.Contains("--hold-after")) { Sizes = sizes };
    }
}

public static class Scenario
{
    /// <summary>How long the server is left quiet before its RSS after the runs is read (more than Memory:IdleTrimSeconds).</summary>
    public static readonly TimeSpan QuietBeforeMemory = TimeSpan.FromSeconds(40);

    public static async Task<Dictionary<string, object?>?> RunAsync(string kind, BenchOptions o)
    {
        Console.WriteLine($"\n== {kind} ==");
        string? cs;
        if (kind == "postgres")
        {
            (cs, var why) = OrderHub.Testing.PostgresCluster.TryCreateDatabase();
            if (cs is null) { Console.WriteLine($"  skipped: {why}"); return null; }
        }
        else cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-bench-{Guid.NewGuid():N}.db")}";

        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        var size = DemoDataSize.Parse(o.Size);
        var gen = Stopwatch.StartNew();
        var data = DemoDataGenerator.Generate(size, 20261125, DateTimeOffset.UtcNow);
        var genSeconds = gen.Elapsed.TotalSeconds;
        var load = Stopwatch.StartNew();
        await new DemoDataSeeder(db).SeedAsync(data, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var loadSeconds = load.Elapsed.TotalSeconds;
        Console.WriteLine($"  data set: {data.Products.Count:N0} SKUs, {data.Customers.Count:N0} stores, {data.CustomerPrices.Count:N0} customer prices, {data.PriceListItems.Count:N0} price-list rows; generated in {genSeconds:F1} s, loaded in {loadSeconds:F1} s");

        if (o.Profile || o.RoundTrips)
        {
            if (o.Profile) await InProcessProfile.RunAsync(db);
            await InProcessProfile.RoundTripsAsync(db, kind);
            return null;
        }
        // The server runs with its default job settings against the demo ERP, seeded by the benchmark from the same data set
        // OrderHub's database was loaded with, and recorded as in sync with it (the initial import is measured on its own below).
        var erpFile = Path.Combine(Path.GetTempPath(), $"orderhub-bench-erp-{Guid.NewGuid():N}.db");
        // The files are large at the large size; removed when the program ends (the server is stopped by then).
        var files = new List<string> { erpFile };
        if (kind != "postgres") files.Add(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).DataSource);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var f in files.SelectMany(f => new[] { f, f + "-wal", f + "-shm" }))
                try { File.Delete(f); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        var erpSeconds = await DemoErpFile.SeedAsync(erpFile, data);
        await DemoErpFile.MarkInSyncAsync(db, erpFile);
        Console.WriteLine($"  demo ERP seeded from the same data set in {erpSeconds:F1} s; OrderHub's feeds start caught up with it");
        var settings = DemoErpFile.ServerSettings(erpFile);
        // The simulated ERP people stay still, so the only stock changes are the benchmark's own.
        settings["Jobs__DemoErpTick__Enabled"] = "false";
        await using var server = await ServerProcess.StartAsync(cs, settings, checkContract: false);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(server.BaseUrl) };

        // Tokens for a pool of stores (one per client), and SKUs that every store may buy.
        await using var c = await db.OpenAsync();
        var stores = (await c.QueryAsync<string>("SELECT code FROM customers ORDER BY id LIMIT @n", new { n = o.Clients })).ToList();
        var tokens = new List<string>();
        foreach (var s in stores) tokens.Add(await server.TokenAsync(http, new { customerCode = s }));
        var skus = (await c.QueryAsync<string>("""
            SELECT p.sku FROM products p WHERE p.active = TRUE
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))
            ORDER BY p.sku
            """)).ToArray();
        // --hold: keep the server and its data up for profiling by hand (dotnet-trace, wrk) until Enter or Ctrl+C.
        if (o.Hold)
        {
            var script = Path.Combine(Path.GetTempPath(), "orderhub-hold-catalog.lua");
            var rndHold = new Random(20261207);
            await File.WriteAllTextAsync(script, WrkRun.Script(Enumerable.Range(0, 2000).Select(_ => $"/api/catalog/products?limit=20&after={Uri.EscapeDataString(skus[rndHold.Next(skus.Length)])}").ToList(), tokens, null));
            Console.WriteLine($"  holding: server pid {server.Pid} at {server.BaseUrl}; catalog pages: wrk -t1 -c8 -d20s -s {script} {server.BaseUrl}");
            Console.WriteLine("  press Enter (or close standard input) to stop");
            await Task.Run(Console.ReadLine);
            return null;
        }
        // --wrk-only: only issue #19's wrk set (/health, detail, catalog page at 8 and 64 connections), a minute per database.
        if (o.WrkOnly)
        {
            var only = await WrkSet.RunAsync(server.BaseUrl, skus, tokens, o, server.Pid);
            var payload = await PhonePayloadResult.MeasureAsync(server.BaseUrl, skus, tokens);
            Console.WriteLine($"  phones: {payload}");
            return new Dictionary<string, object?>
            {
                ["database"] = kind, ["size"] = o.Size, ["wrk"] = only, ["phonePayload"] = payload, ["catalog"] = null, ["productDetail"] = null, ["cartUpdate"] = null,
                ["orderSubmit"] = null, ["orderRun"] = null, ["freshness"] = null, ["erpImport"] = null, ["serverRssMb"] = server.Memory().RssMb,
            };
        }
        var rnd = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));
        HttpRequestMessage Get(int w, string url)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, url);
            m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[w % tokens.Count]);
            return m;
        }
        static Outcome Of(HttpResponseMessage r) => LoadRunner.Classify(r);

        var warm = TimeSpan.FromSeconds(o.Warmup);
        var run = TimeSpan.FromSeconds(o.Seconds);
        LoadResult? catalog = null, detail = null;
        WrkSet? wrk = null;
        PhonePayloadResult? phone = null;
        if (!o.OrdersOnly)
        {
            catalog = await LoadRunner.RunAsync("catalog page (20 items)", o.Clients, warm, run, async (w, ct) =>
            {
                using var r = await http.SendAsync(Get(w, $"/api/catalog/products?limit=20&after={Uri.EscapeDataString(skus[rnd.Value!.Next(skus.Length)])}"), ct);
                return Of(r);
            });
            Print(catalog);
            detail = await LoadRunner.RunAsync("product detail", o.Clients, warm, run, async (w, ct) =>
            {
                using var r = await http.SendAsync(Get(w, $"/api/catalog/products/{Uri.EscapeDataString(skus[rnd.Value!.Next(skus.Length)])}"), ct);
                return Of(r);
            });
            Print(detail);

            // The same pages under wrk (one thread, much lighter than the .NET client), beside /health as the server's own ceiling.
            if (o.Wrk && WrkRun.Available) wrk = await WrkSet.RunAsync(server.BaseUrl, skus, tokens, o, server.Pid);
            else if (o.Wrk) Console.WriteLine("  wrk: not installed (apt-get install wrk), skipped");
            phone = await PhonePayloadResult.MeasureAsync(server.BaseUrl, skus, tokens);
            Console.WriteLine($"  phones: {phone}");
        }

        // Cart updates and order submits, measured apart (see OrderRun): rounds until the submit phases add up to the measured time,
        // at most three times that for the rounds as a whole.
        var orders = await OrderRun.RunAsync(db, erpFile, http, tokens, o.Clients, run, 3 * run);
        Print(orders.CartUpdate);
        Print(orders.Submit, "orders");
        Console.WriteLine($"    {orders.Stores} stores at once, one cart each; 1 warm-up round + {orders.Rounds} measured rounds in {orders.RoundsSeconds:F1} s " +
                          $"(submit phases {orders.Submit.Seconds:F1} s, cart fills {orders.CartUpdate.Seconds:F1} s); stock of {orders.ProductsToppedUp:N0} products raised to {orders.ToppedUpOnHand:N0} in the demo ERP, in OrderHub after {orders.TopUpSyncSeconds:F1} s");
        Console.WriteLine($"    check: stock rows below zero after the order run: {orders.NegativeStockRows}{Verdict(orders.NegativeStockRows == 0)}");
        Console.WriteLine($"    check: {orders.OrdersCreated:N0} orders made for {orders.OkSubmits:N0} successful submits ({orders.DistinctOrderNumbers:N0} distinct order numbers){Verdict(orders.OneOrderPerOkSubmit)}");
        Console.WriteLine($"    check: replaying one Idempotency-Key: {orders.ReplayDetail}; orders made after the replay {orders.OrdersAfterReplay:N0}{Verdict(orders.ReplayReturnedSameOrder && orders.OrdersAfterReplay == orders.OrdersCreated)}");
        Console.WriteLine($"    check: reservations grew by {orders.ReservedIncrease:N0}, the new orders' lines hold {orders.NewOrderLineQuantity:N0}{Verdict(orders.ReservedIncrease == orders.NewOrderLineQuantity)}");

        // The server's memory after its heaviest load, before it has been quiet (see Memory:IdleTrimSeconds).
        var (rssBusy, _) = server.Memory();

        FreshnessResult? fresh = null;
        ImportResult? import = null;
        if (!o.OrdersOnly)
        {
            // Freshness: the demo ERP's stock changes, committed at random moments, until the catalog shows them.
            fresh = await Freshness.MeasureAsync(db, erpFile, http, tokens[0], changes: 20, timeout: TimeSpan.FromSeconds(30), maxPause: TimeSpan.FromSeconds(3));
            Console.WriteLine($"  freshness (demo ERP stock change → catalog, default jobs): {fresh}");
        }
        var loadEnded = Stopwatch.StartNew();
        // Quiet from here on for the server (the import below runs on a server of its own): its idle trim
        // (Memory:IdleTrimSeconds, 30 s by default) may run during the freshness check already.
        if (!o.OrdersOnly)
        {
            var importTimeout = Import.TimeoutFor(o.Size);
            import = await Import.MeasureAsync(kind, data, importTimeout);
            Import.Print(import, importTimeout);
        }

        if (loadEnded.Elapsed < QuietBeforeMemory) await Task.Delay(QuietBeforeMemory - loadEnded.Elapsed);
        var (rss, peak) = server.Memory();
        Console.WriteLine($"  server memory after the runs: RSS {rss:F0} MB after {loadEnded.Elapsed.TotalSeconds:F0} s quiet (idle trim: Memory:IdleTrimSeconds); {rssBusy:F0} MB right after the order run; peak {peak:F0} MB");
        if (o.HoldAfter)
        {
            Console.WriteLine($"  holding after the runs: server pid {server.Pid}; press Enter to stop");
            await Task.Run(Console.ReadLine);
        }
        return new Dictionary<string, object?>
        {
            ["database"] = kind, ["size"] = o.Size, ["skus"] = data.Products.Count, ["stores"] = data.Customers.Count, ["customerPrices"] = data.CustomerPrices.Count,
            ["generateSeconds"] = genSeconds, ["loadSeconds"] = loadSeconds, ["catalog"] = catalog, ["productDetail"] = detail,
            ["wrk"] = wrk, ["phonePayload"] = phone, ["cartUpdate"] = orders.CartUpdate, ["orderSubmit"] = orders.Submit, ["orderRun"] = orders,
            ["negativeStockRows"] = orders.NegativeStockRows, ["freshness"] = fresh, ["erpImport"] = import, ["serverRssMb"] = rss, ["serverPeakMb"] = peak,
            ["serverRssBusyMb"] = rssBusy,
        };
    }

    private static string Verdict(bool ok) => ok ? "  — ok" : "  — FAILED";

    public static void Print(LoadResult r, string unit = "req")
    {
        Console.WriteLine($"  {r.Name,-28} {r.PerSecond,9:N0} {unit}/s   p50 {r.P50Ms,7:F2} ms   p90 {r.P90Ms,7:F2} ms   p99 {r.P99Ms,7:F2} ms   max {r.MaxMs,8:F1} ms   ok {r.Ok:N0}  refused {r.Refused:N0}  errors {r.Errors:N0}"
            + (r.ErrorKinds.Count > 0 ? "  (" + string.Join(", ", r.ErrorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")" : ""));
    }
}
