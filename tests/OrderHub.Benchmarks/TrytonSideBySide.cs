using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Sync;
using OrderHub.Domain.Ordering;
using OrderHub.Erp.Tryton;
using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using OrderHub.Testing;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Benchmarks;

/// <summary>
/// Side by side in one run: the same 20-item price-and-stock page for one customer, answered by asking a real Tryton live
/// (one JSON-RPC <c>product.product.read</c> with the customer's price list and the warehouse in the context) and by
/// OrderHub (<c>GET /api/catalog/products?limit=20</c> on the real server, its database synced once from that Tryton).
/// Tryton is the adapter tests' fixture (trytond on loopback over SQLite, seeded over JSON-RPC), topped up to 20 products.
/// Then freshness with Tryton (<see cref="TrytonFreshness"/>): the same OrderHub database served with the Tryton adapter and
/// the default jobs, timed from stock counts committed in Tryton to the catalog.
/// </summary>
public static class TrytonSideBySide
{
    private const int PageItems = 20;
    private const string Customer = TrytonSeed.TieredCustomer; // C001: the seeded customer with a sale price list

    public static async Task<Dictionary<string, object?>?> RunAsync(BenchOptions o)
    {
        Console.WriteLine("\n== Tryton side by side: customer price-and-stock page, ERP live vs OrderHub ==");
        if (!OnPath("trytond") || !OnPath("trytond-admin")) { Console.WriteLine("  skipped: Tryton not installed"); return null; }

        // (1) Tryton, started and seeded by the adapter tests' fixture, topped up to 20 products.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var tryton = await TrytonServer.StartAsync();
        using var rpc = new TrytonJsonRpcClient(tryton.AdminOptions());
        var seed = new TrytonSeed(rpc);
        await seed.BuildAsync();
        var added = await AddProductsAsync(rpc, seed, PageItems - seed.ProductIds.Count);
        Console.WriteLine($"  Tryton {tryton.Url}: started and seeded in {clock.Elapsed.TotalSeconds:F1} s; {seed.ProductIds.Count} products ({added} added for the page), {TrytonSeed.Customers.Length} customers, customer {Customer} with price list {seed.PriceListId}");

        // (3, prepared first) OrderHub: a fresh SQLite database, migrated, synced once from Tryton.
        var cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-bench-tryton-{Guid.NewGuid():N}.db")}";
        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        clock.Restart();
        IReadOnlyList<FeedRunResult> synced;
        using (var adapter = new TrytonErpAdapter(tryton.AdminOptions(30, [TrytonSeed.WarehouseCode])))
        {
            var time = TimeProvider.System;
            var state = new SyncStateStore(db, new ErpSyncOptions());
            var sync = new ErpSyncService(adapter, db, new OrderFlowService(db, new OrderFlowOptions(), time),
                new FeedRunner(state, new SyncIssueCollector(), new ErpSyncOptions(), time), time);
            synced = await new FullResync(state, sync).RunAsync();
        }
        Console.WriteLine($"  OrderHub synced from Tryton in {clock.Elapsed.TotalSeconds:F1} s: " +
                          string.Join(", ", synced.Select(r => $"{r.Feed} {r.RowsChanged}" + (r.Issues > 0 ? $" ({r.Issues} issues)" : "") + (r.Error is null ? "" : $" [error: {r.Error}]"))));
        await using (var c = await db.OpenAsync())
        {
            // Customers from the ERP come without users; the development login needs one.
            await c.ExecuteAsync("""
                INSERT INTO customer_users (customer_id, name, phone, role, active, created_at)
                SELECT id, '店主', '13800000001', 'owner', TRUE, 0 FROM customers WHERE code = @Customer
                """, new { Customer });
        }

        var server = await ServerProcess.StartAsync(cs, new Dictionary<string, string>
        {
            ["Jobs__Enabled"] = "false",   // nothing runs but the requests measured
            ["Erp__Adapter"] = "Tryton", ["Erp__Tryton__Url"] = tryton.Url, ["Erp__Tryton__Database"] = TrytonServer.DatabaseName,
            ["Erp__Tryton__Username"] = TrytonServer.AdminLogin, ["Erp__Tryton__Password"] = TrytonServer.AdminPassword,
            ["Erp__Tryton__WarehouseCodes__0"] = TrytonSeed.WarehouseCode,
        }, checkContract: false);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(server.BaseUrl) };
        Dictionary<string, object?> result;
        try
        {
            var token = await server.TokenAsync(http, new { customerCode = Customer });

            // (2) The ERP-live page: one read of the page's products with the customer's price and the warehouse's stock.
            var partyId = seed.PartyIds[Customer];
            var pageIds = seed.ProductIds.OrderBy(p => p.Key, StringComparer.Ordinal).Take(PageItems).Select(p => p.Value).ToList();
            var pageContext = new Dictionary<string, object?>
            {
                ["price_list"] = seed.PriceListId, ["customer"] = partyId, ["quantity"] = 1.0, ["locations"] = new[] { seed.WarehouseId },
            };
            string[] pageFields = ["code", "name", "sale_price_uom", "quantity"];
            Task<List<TrytonRecord>> ErpPageAsync() => rpc.ReadAsync("product.product", pageIds, pageFields, CancellationToken.None, pageContext);

            async Task<JsonElement> OrderHubPageAsync()
            {
                using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products?limit={PageItems}");
                req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var res = await http.SendAsync(req);
                res.EnsureSuccessStatusCode();
                return (await res.Content.ReadFromJsonAsync<JsonElement>()).Clone();
            }

            // Same answers? Prices (Tryton Decimal yuan vs OrderHub fen) and stock, item by item.
            var erpItems = (await ErpPageAsync()).ToDictionary(r => r.String("code")!, StringComparer.Ordinal);
            var hubItems = (await OrderHubPageAsync()).GetProperty("items").EnumerateArray()
                .ToDictionary(i => i.GetProperty("sku").GetString()!, StringComparer.Ordinal);
            var priceMismatches = new List<string>();
            var stockMismatches = new List<string>();
            foreach (var code in erpItems.Keys.Union(hubItems.Keys).Order(StringComparer.Ordinal))
            {
                if (!erpItems.TryGetValue(code, out var erp) || !hubItems.TryGetValue(code, out var hub))
                {
                    priceMismatches.Add($"{code}: only in {(erpItems.ContainsKey(code) ? "Tryton" : "OrderHub")}");
                    continue;
                }
                var yuan = erp.DecimalOrNull("sale_price_uom");
                var fen = hub.GetProperty("price").GetProperty("fen").GetInt64();
                if (yuan is null || yuan.Value * 100m != fen)
                    priceMismatches.Add($"{code}: Tryton {yuan?.ToString(CultureInfo.InvariantCulture) ?? "none"} yuan, OrderHub {fen} fen");
                var available = hub.GetProperty("stock").GetProperty("available");
                var erpQty = (long)Math.Round(erp.Double("quantity"));
                if (available.ValueKind != JsonValueKind.Number || available.GetInt64() != erpQty)
                    stockMismatches.Add($"{code}: Tryton {erpQty}, OrderHub {available}");
            }
            Console.WriteLine($"  same page from both: Tryton {erpItems.Count} items, OrderHub {hubItems.Count} items; price mismatches {priceMismatches.Count}, stock mismatches {stockMismatches.Count}");
            foreach (var m in priceMismatches.Concat(stockMismatches).Take(10)) Console.WriteLine("    " + m);

            // Both sides receive and parse the whole page on every request.
            var warm = TimeSpan.FromSeconds(o.Warmup);
            var run = TimeSpan.FromSeconds(o.Seconds);
            var figures = new Dictionary<string, object?>();
            foreach (var clients in new[] { 1, 8 })
            {
                var erpRun = await LoadRunner.RunAsync($"Tryton live page, {clients} cl", clients, warm, run, async (_, _) =>
                    (await ErpPageAsync()).Count == pageIds.Count ? Outcome.Ok : Outcome.Error);
                Print(erpRun);
                var hubRun = await LoadRunner.RunAsync($"OrderHub page, {clients} cl", clients, warm, run, async (_, _) =>
                {
                    using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products?limit={PageItems}");
                    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var res = await http.SendAsync(req);
                    var outcome = LoadRunner.Classify(res);
                    if (outcome == Outcome.Ok)
                    {
                        using var doc = await JsonDocument.ParseAsync(await res.Content.ReadAsStreamAsync());
                        if (doc.RootElement.GetProperty("items").GetArrayLength() != hubItems.Count) return Outcome.Error;
                    }
                    return outcome;
                });
                Print(hubRun);
                var latencyRatio = erpRun.P50Ms / hubRun.P50Ms;
                var throughputRatio = hubRun.PerSecond / erpRun.PerSecond;
                Console.WriteLine($"  ratio at {clients} client{(clients == 1 ? "" : "s")}: Tryton p50 / OrderHub p50 = {latencyRatio:F1}x, OrderHub req/s / Tryton req/s = {throughputRatio:F1}x" +
                                  $"  (p99: Tryton {erpRun.P99Ms:F2} ms vs OrderHub {hubRun.P99Ms:F2} ms)");
                figures[$"clients{clients}"] = new Dictionary<string, object?>
                {
                    ["trytonLive"] = erpRun, ["orderHub"] = hubRun, ["p50Ratio"] = latencyRatio, ["p99Ratio"] = erpRun.P99Ms / hubRun.P99Ms, ["throughputRatio"] = throughputRatio,
                };
            }
            var (rss, peak) = server.Memory();
            result = new Dictionary<string, object?>
            {
                ["figure"] = "trytonSideBySide", ["database"] = "sqlite", ["erp"] = "Tryton (trytond over SQLite, loopback)", ["customer"] = Customer,
                ["pageItems"] = erpItems.Count, ["orderHubPageItems"] = hubItems.Count,
                ["priceMismatches"] = priceMismatches.Count, ["stockMismatches"] = stockMismatches.Count, ["mismatchDetails"] = priceMismatches.Concat(stockMismatches).ToList(),
                ["sync"] = synced, ["byClients"] = figures, ["serverRssMb"] = rss, ["serverPeakMb"] = peak,
            };
        }
        finally
        {
            http.Dispose();
            await server.DisposeAsync();
        }

        // (4) Freshness with Tryton: the same database, now served with the Tryton adapter and the default jobs.
        try
        {
            var fresh = await TrytonFreshness.MeasureAsync(tryton, seed, cs, Customer, changes: 20, timeout: TimeSpan.FromSeconds(30), maxPause: TimeSpan.FromSeconds(3));
            Console.WriteLine($"  freshness (Tryton stock change → OrderHub catalog, default jobs): {fresh}");
            result["freshness"] = fresh;
        }
        catch (Exception e)
        {
            Console.WriteLine($"  freshness with Tryton FAILED: {e.GetType().Name}: {e.Message}");
            result["freshnessError"] = $"{e.GetType().Name}: {e.Message}";
        }
        return result;
    }

    /// <summary>
    /// Tops the seed up with <paramref name="count"/> goods like the seeded ones (same categories and accounts), each with a
    /// list price, stock in the warehouse, and every other one a line on the customer's price list.
    /// </summary>
    private static async Task<int> AddProductsAsync(TrytonJsonRpcClient rpc, TrytonSeed seed, int count)
    {
        if (count <= 0) return 0;
        var like = (await rpc.ReadAsync("product.template", [seed.TemplateIds[TrytonSeed.Products[0].Code]],
            ["default_uom", "account_category", "categories"], CancellationToken.None)).Single();
        var unit = like.Int("default_uom");
        var lines = new List<Dictionary<string, object?>>();
        for (var i = 1; i <= count; i++)
        {
            var code = $"BEN-{i:D3}";
            var listPrice = 10m + 2.5m * i; // multiples of 0.5 yuan: 90 % of them is still whole fen
            var template = await rpc.CreateOneAsync("product.template", new()
            {
                ["name"] = $"茶具 {i:D2} 号", ["code"] = code, ["type"] = "goods",
                ["default_uom"] = unit, ["sale_uom"] = unit, ["salable"] = true, ["list_price"] = listPrice,
                ["account_category"] = like.IntOrNull("account_category"),
                ["categories"] = new object?[] { new object?[] { "add", like.Ids("categories") } },
                ["products"] = new object?[] { new object?[] { "create", new[] { new Dictionary<string, object?>() } } },
            }, CancellationToken.None);
            seed.TemplateIds[code] = template;
            seed.ProductIds[code] = (await rpc.SearchAsync("product.product", [D("template", "=", template)], CancellationToken.None)).Single();
            await seed.SetStockAsync(code, 20 + 7 * i);
            if (i % 2 == 0)
                lines.Add(new()
                {
                    ["price_list"] = seed.PriceListId, ["sequence"] = 100 + i, ["product"] = seed.ProductIds[code],
                    ["formula"] = i % 4 == 0 ? "unit_price * 0.9" : (listPrice - 1.2m).ToString("0.00", CultureInfo.InvariantCulture),
                });
        }
        if (lines.Count > 0) await rpc.CreateAsync("product.price_list.line", lines, CancellationToken.None);
        return count;
    }

    private static void Print(LoadResult r) =>
        Console.WriteLine($"  {r.Name,-28} {r.PerSecond,9:N0} req/s   p50 {r.P50Ms,7:F2} ms   p90 {r.P90Ms,7:F2} ms   p99 {r.P99Ms,7:F2} ms   max {r.MaxMs,8:F1} ms   ok {r.Ok:N0}  errors {r.Errors:N0}"
            + (r.ErrorKinds.Count > 0 ? "  (" + string.Join(", ", r.ErrorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")" : ""));

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}
