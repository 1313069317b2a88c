using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.DemoData;
using OrderHub.Benchmarks;
using OrderHub.Testing;

// OrderHub benchmark: speed, scale and freshness on this machine. Usage:
//   dotnet run -c Release --project tests/OrderHub.Benchmarks -- [--size small|large] [--db sqlite|postgres|both]
//        [--clients 64] [--seconds 10] [--warmup 3] [--out bench-results.json] [--tryton]
var opts = BenchOptions.Parse(args);
Console.WriteLine($"OrderHub benchmark — size {opts.Size}, databases {string.Join("+", opts.Databases)}, {opts.Clients} clients, " +
                  $"{opts.Seconds} s measured after {opts.Warmup} s warm-up, on {Environment.ProcessorCount} cores ({Environment.OSVersion})");
var results = new List<Dictionary<string, object?>>();
foreach (var kind in opts.Databases)
{
    var row = await Scenario.RunAsync(kind, opts);
    if (row is not null) results.Add(row);
}
if (args.Contains("--tryton") && await TrytonSideBySide.RunAsync(opts) is { } tryton) results.Add(tryton);
var json = JsonSerializer.Serialize(new { machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() }, options = opts, results },
    new JsonSerializerOptions { WriteIndented = true });
await File.WriteAllTextAsync(opts.Out, json);
Console.WriteLine($"\nWritten: {Path.GetFullPath(opts.Out)}");

public sealed record BenchOptions(string Size, string[] Databases, int Clients, int Seconds, int Warmup, string Out, bool Profile)
{
    public static BenchOptions Parse(string[] args)
    {
        string Arg(string name, string fallback) { var i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback; }
        var db = Arg("db", "both");
        return new BenchOptions(Arg("size", "small"), db == "both" ? ["sqlite", "postgres"] : [db],
            int.Parse(Arg("clients", "64")), int.Parse(Arg("seconds", "10")), int.Parse(Arg("warmup", "3")), Arg("out", "bench-results.json"), args.Contains("--profile"));
    }
}

public static class Scenario
{
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

        if (o.Profile) { await InProcessProfile.RunAsync(db); return null; }
        // The server runs with its default job settings against the demo ERP, seeded from the same generated distributor.
        var erpFile = Path.Combine(Path.GetTempPath(), $"orderhub-bench-erp-{Guid.NewGuid():N}.db");
        await using var server = await ServerProcess.StartAsync(cs, new Dictionary<string, string>
        {
            ["Erp__Adapter"] = "Demo", ["Erp__Demo__FilePath"] = erpFile, ["Demo__Size"] = o.Size, ["Demo__RandomSeed"] = "20261125",
            // The simulated ERP people stay still, so the only stock changes are the measured ones.
            ["Jobs__DemoErpTick__Enabled"] = "false",
        });
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
        var catalog = await LoadRunner.RunAsync("catalog page (20 items)", o.Clients, warm, run, async (w, ct) =>
        {
            using var r = await http.SendAsync(Get(w, $"/api/catalog/products?limit=20&after={Uri.EscapeDataString(skus[rnd.Value!.Next(skus.Length)])}"), ct);
            return Of(r);
        });
        Print(catalog);
        var detail = await LoadRunner.RunAsync("product detail", o.Clients, warm, run, async (w, ct) =>
        {
            using var r = await http.SendAsync(Get(w, $"/api/catalog/products/{Uri.EscapeDataString(skus[rnd.Value!.Next(skus.Length)])}"), ct);
            return Of(r);
        });
        Print(detail);

        // Order submit: each client fills a 10-line cart and submits with a fresh Idempotency-Key. Short stock is a refusal, not an error.
        var products = (await c.QueryAsync<(string Sku, int Pack, int Moq)>(
            "SELECT p.sku, p.pack_size, p.min_order_qty FROM products p WHERE p.active = TRUE AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%' AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id) ORDER BY p.sku"))
            .ToArray();
        var addresses = new long[tokens.Count];
        for (var w = 0; w < tokens.Count; w++)
            addresses[w] = (await (await http.SendAsync(Get(w, "/api/addresses"))).Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64();
        var submitLatencyOnly = new List<double>();
        // One client per store: two clients on one store would share (and empty) one cart.
        var orderClients = Math.Min(o.Clients, tokens.Count);
        var orders = await LoadRunner.RunAsync("order submit (10 lines)", orderClients, warm, run, async (w, ct) =>
        {
            for (var i = 0; i < 10; i++)
            {
                var (sku, pack, moq) = products[rnd.Value!.Next(products.Length)];
                var qty = Math.Max(pack, (moq + pack - 1) / pack * pack);
                var put = Get(w, $"/api/cart/items/{Uri.EscapeDataString(sku)}");
                put.Method = HttpMethod.Put;
                put.Content = JsonContent.Create(new { quantity = qty });
                using var pr = await http.SendAsync(put, ct);
            }
            var post = Get(w, "/api/orders");
            post.Method = HttpMethod.Post;
            post.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            post.Content = JsonContent.Create(new { addressId = addresses[w % addresses.Length] });
            using var r = await http.SendAsync(post, ct);
            if ((int)r.StatusCode == 409)
            {
                var clear = Get(w, "/api/cart"); clear.Method = HttpMethod.Delete;
                using var _ = await http.SendAsync(clear, ct);
            }
            return Of(r);
        });
        Print(orders, "orders");
        var negative = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock WHERE on_hand - reserved < 0");
        Console.WriteLine($"  stock rows below zero after the order run: {negative}");

        // Freshness: the demo ERP's file exists once the server has seeded it; the first full sync must have run.
        for (var i = 0; i < 600 && !File.Exists(erpFile); i++) await Task.Delay(100);
        var fresh = await Freshness.MeasureAsync(db, erpFile, http, tokens[0], changes: o.Size == "large" ? 10 : 20, timeout: TimeSpan.FromSeconds(30));
        Console.WriteLine($"  freshness (ERP stock change → catalog, default jobs): p50 {fresh.P50Seconds:F2} s, max {fresh.MaxSeconds:F2} s, seen {fresh.Seen}/{fresh.Changes}");

        var import = await Import.MeasureAsync(kind, size, data, TimeSpan.FromMinutes(o.Size == "large" ? 15 : 3));
        Console.WriteLine($"  initial ERP import into an empty database (products, stock, customer prices, via the jobs): {import.Seconds:F1} s ({import.Products:N0} products, {import.StockRows:N0} stock rows, {import.CustomerPrices:N0} customer prices); server peak {import.ServerPeakMb:F0} MB");

        var (rss, peak) = server.Memory();
        Console.WriteLine($"  server memory: RSS {rss:F0} MB, peak {peak:F0} MB");
        return new Dictionary<string, object?>
        {
            ["database"] = kind, ["size"] = o.Size, ["skus"] = data.Products.Count, ["stores"] = data.Customers.Count, ["customerPrices"] = data.CustomerPrices.Count,
            ["generateSeconds"] = genSeconds, ["loadSeconds"] = loadSeconds, ["catalog"] = catalog, ["productDetail"] = detail, ["orderSubmit"] = orders,
            ["negativeStockRows"] = negative, ["freshness"] = fresh, ["erpImport"] = import, ["serverRssMb"] = rss, ["serverPeakMb"] = peak,
        };
    }

    private static void Print(LoadResult r, string unit = "req")
    {
        Console.WriteLine($"  {r.Name,-28} {r.PerSecond,9:N0} {unit}/s   p50 {r.P50Ms,7:F2} ms   p90 {r.P90Ms,7:F2} ms   p99 {r.P99Ms,7:F2} ms   max {r.MaxMs,8:F1} ms   ok {r.Ok:N0}  refused {r.Refused:N0}  errors {r.Errors:N0}"
            + (r.ErrorKinds.Count > 0 ? "  (" + string.Join(", ", r.ErrorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")" : ""));
    }
}
