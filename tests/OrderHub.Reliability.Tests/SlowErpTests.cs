using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderHub.Testing;

namespace OrderHub.Reliability.Tests;

/// <summary>
/// The ERP answers every call seconds late (demo ERP <c>CallDelayMs</c>) while the pull and push jobs run against it: the
/// catalog and order submit do not wait for the ERP, so they stay fast; the orders still reach the ERP, later.
/// A behaviour check with a wide margin (each request well under the ERP's delay), not a benchmark.
/// </summary>
[NonParallelizable]
public class SlowErpTests
{
    private const int ErpDelayMs = 2000;
    private const int CatalogRequests = 50;
    private const int Submits = 10;
    private const double LimitMs = 1000;

    [Test]
    public async Task A_slow_erp_does_not_slow_the_catalog_or_order_submit()
    {
        var total = Stopwatch.StartNew();
        await using var world = World.Create(World.Sqlite, new Dictionary<string, string>
        {
            ["Erp__Demo__CallDelayMs"] = ErpDelayMs.ToString(),
            ["Jobs__PullStock__IntervalSeconds"] = "1",
            ["Sync__Push__LeaseSeconds"] = "120",
        });
        var node = await world.StartNodeAsync(PostgresCluster.FreePort());
        var shoppers = await world.ShoppersAsync(Submits + 1);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var s in shoppers) await s.SignInAsync(http, node);
        var maxIdBefore = await world.MaxOrderIdAsync();
        var stats = new ClientStats();
        var acks = new ConcurrentBag<Ack>();
        var deadline = DateTime.UtcNow.AddMinutes(2);

        // Warm-up (JIT, first queries), not measured: a few pages and one order.
        for (var i = 0; i < 3; i++) await CatalogPageAsync(http, node, shoppers[0], null);
        acks.Add((await shoppers[^1].OrderAsync(http, () => node.BaseUrl, "warm-up", stats, deadline))!);
        await Task.Delay(3000);   // the jobs are now inside slow ERP calls

        var catalogMs = new List<double>();
        string? cursor = null;
        for (var i = 0; i < CatalogRequests; i++)
        {
            var sw = Stopwatch.StartNew();
            cursor = await CatalogPageAsync(http, node, shoppers[i % Submits], cursor);
            catalogMs.Add(sw.Elapsed.TotalMilliseconds);
            if (i % (CatalogRequests / Submits) == 0)
            {
                var s = shoppers[i / (CatalogRequests / Submits)];
                var ack = await s.OrderAsync(http, () => node.BaseUrl, $"slow-{s.CustomerCode}", stats, deadline);
                Assert.That(ack, Is.Not.Null, "submit refused");
                acks.Add(ack!);
            }
            await Task.Delay(200);
        }
        var submitMs = acks.Where(a => a.Key != "warm-up").Select(a => a.SubmitMs).ToList();
        var measured = total.Elapsed;

        // The ERP really is slow: every order reached it at least one ERP delay after it was acknowledged (find, then create).
        var (orders, inErp) = await Checks.NothingLostNothingTwiceAsync(world, acks.ToList(), maxIdBefore, TimeSpan.FromSeconds(150));
        var lags = new List<long>();
        foreach (var a in acks)
            lags.Add(await world.ErpScalar<long>("SELECT created_at FROM orders WHERE order_number = @no", new { no = a.OrderNo }) - a.AckedAtMs);

        TestContext.Progress.WriteLine($"slow ERP ({ErpDelayMs} ms per call): {CatalogRequests} catalog pages max {catalogMs.Max():F0} ms, " +
            $"median {Median(catalogMs):F0} ms; {submitMs.Count} submits max {submitMs.Max():F0} ms, median {Median(submitMs):F0} ms; " +
            $"{inErp}/{orders} orders reached the ERP {lags.Min() / 1000.0:F1}–{lags.Max() / 1000.0:F1} s after their acknowledgement; " +
            $"{stats}; measured part {measured.TotalSeconds:F0} s, total {total.Elapsed.TotalSeconds:F0} s");
        Assert.That(stats.ConnectionErrors + stats.ServerErrors, Is.Zero);
        Assert.That(catalogMs, Has.All.LessThan(LimitMs), "a catalog page waited for the ERP");
        Assert.That(submitMs, Has.All.LessThan(LimitMs), "an order submit waited for the ERP");
        Assert.That(lags, Has.All.GreaterThanOrEqualTo(ErpDelayMs), "the ERP was not slow: the check proves nothing");
    }

    /// <summary>One catalog page (keyset paging); returns the next cursor, null after the last page.</summary>
    private static async Task<string?> CatalogPageAsync(HttpClient http, ServerProcess node, Shopper s, string? after)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get,
            $"{node.BaseUrl}/api/catalog/products?limit=20{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}");
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Token);
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(200), body);
        var page = JsonDocument.Parse(body).RootElement;
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.GreaterThan(0));
        return page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
    }

    private static double Median(List<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }
}
