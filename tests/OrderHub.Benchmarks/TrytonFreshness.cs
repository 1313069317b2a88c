using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Erp.Tryton.Tests.Support;
using OrderHub.Testing;

namespace OrderHub.Benchmarks;

/// <summary>
/// Freshness with Tryton: the real server with the Tryton adapter and its default job settings (stock pulled every 3 s),
/// on the database the side-by-side synced from that Tryton; a stock count is committed in Tryton over JSON-RPC as a
/// Tryton user would (an inventory confirmed: its done stock move changes the quantity) and timed until OrderHub's
/// catalog shows the new quantity to the customer served from that warehouse. Changes are committed after a random pause,
/// so they land at random moments of the pull schedule.
/// </summary>
public static class TrytonFreshness
{
    public static async Task<FreshnessResult> MeasureAsync(TrytonServer tryton, TrytonSeed seed, string connectionString, string customerCode,
        int changes, TimeSpan timeout, TimeSpan maxPause)
    {
        await using var server = await ServerProcess.StartAsync(connectionString, new Dictionary<string, string>
        {
            // Jobs as configured by default (Jobs:Enabled and every schedule untouched).
            ["Erp__Adapter"] = "Tryton", ["Erp__Tryton__Url"] = tryton.Url, ["Erp__Tryton__Database"] = TrytonServer.DatabaseName,
            ["Erp__Tryton__Username"] = TrytonServer.AdminLogin, ["Erp__Tryton__Password"] = TrytonServer.AdminPassword,
            ["Erp__Tryton__WarehouseCodes__0"] = TrytonSeed.WarehouseCode,
        }, checkContract: false);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var token = await server.TokenAsync(http, new { customerCode });
        async Task<long?> AvailableAsync(string code)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products/{Uri.EscapeDataString(code)}");
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var res = await http.SendAsync(req);
            if (!res.IsSuccessStatusCode) return null;
            var available = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetProperty("available");
            return available.ValueKind == JsonValueKind.Number ? available.GetInt64() : null;
        }

        // Goods the customer sees in OrderHub (a service has no stock to count).
        var services = TrytonSeed.Products.Where(p => !p.IsGoods).Select(p => p.Code).ToHashSet();
        var goods = new List<string>();
        foreach (var code in seed.ProductIds.Keys.Where(k => !services.Contains(k)).Order(StringComparer.Ordinal))
            if (await AvailableAsync(code) is not null) goods.Add(code);
        if (goods.Count == 0) throw new InvalidOperationException("No Tryton goods visible in OrderHub's catalog");

        var rnd = new Random(11);
        var seconds = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rnd.NextDouble() * maxPause.TotalMilliseconds));
            var code = goods[rnd.Next(goods.Count)];
            var quantity = 1_000 + i * 37 + rnd.Next(1, 30); // a new count every time, never the current one
            await seed.SetStockAsync(code, quantity); // returns once Tryton has committed the confirmed inventory
            var committed = Stopwatch.StartNew();
            while (committed.Elapsed < timeout)
            {
                if (await AvailableAsync(code) == quantity) { seconds.Add(committed.Elapsed.TotalSeconds); break; }
                await Task.Delay(50);
            }
        }
        return FreshnessResult.Of("Tryton 6.0 (JSON-RPC)", changes, seconds, maxPause);
    }
}
