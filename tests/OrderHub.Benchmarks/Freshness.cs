using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;

namespace OrderHub.Benchmarks;

/// <param name="MaxPauseSeconds">Before each change the run waits a random 0..this long, so changes are committed at random moments of the pull schedule.</param>
public sealed record FreshnessResult(string Erp, int Changes, int Seen, double P50Seconds, double MaxSeconds, double MinSeconds, double MaxPauseSeconds)
{
    public static FreshnessResult Of(string erp, int changes, List<double> seconds, TimeSpan maxPause)
    {
        seconds.Sort();
        return new FreshnessResult(erp, changes, seconds.Count, seconds.Count == 0 ? double.NaN : seconds[(seconds.Count - 1) / 2],
            seconds.Count == 0 ? double.NaN : seconds[^1], seconds.Count == 0 ? double.NaN : seconds[0], maxPause.TotalSeconds);
    }

    public override string ToString() =>
        $"p50 {P50Seconds:F2} s, max {MaxSeconds:F2} s (min {MinSeconds:F2} s), seen {Seen}/{Changes}";
}

/// <summary>
/// Freshness: a stock change committed in the ERP (the demo ERP's own SQLite file, written as its people would) is timed
/// until the catalog shows it to a store served from that warehouse, with the server's default job settings.
/// Changes are committed after a random pause: committing right after the last change became visible would always land
/// just after a pull and measure the worst case every time.
/// </summary>
public static class Freshness
{
    public static async Task<FreshnessResult> MeasureAsync(Db db, string erpFile, HttpClient http, string token, int changes, TimeSpan timeout, TimeSpan maxPause)
    {
        await using var c = await db.OpenAsync();
        // A store and products it may buy in its warehouse.
        var (customerCode, warehouseCode) = await c.QuerySingleAsync<(string, string)>(
            "SELECT c.code, w.code FROM customers c JOIN warehouses w ON w.id = c.warehouse_id ORDER BY c.id LIMIT 1");
        var skus = (await c.QueryAsync<string>("""
            SELECT p.sku FROM products p WHERE p.active = TRUE
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))
            ORDER BY p.sku
            """)).ToArray();
        var rnd = new Random(5);
        var seconds = new List<double>();
        var misses = 0;
        await using var erp = new SqliteConnection($"Data Source={erpFile};Default Timeout=30");
        await erp.OpenAsync();
        for (var i = 0; i < changes; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rnd.NextDouble() * maxPause.TotalMilliseconds));
            var sku = skus[rnd.Next(skus.Length)];
            var reserved = await c.ExecuteScalarAsync<long>(
                "SELECT COALESCE(s.reserved, 0) FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = @sku AND w.code = @warehouseCode",
                new { sku, warehouseCode });
            var onHand = reserved + 10_000 + rnd.Next(1, 5_000) * 12L;
            await using (var tx = erp.BeginTransaction(deferred: false))
            {
                var seq = await erp.ExecuteScalarAsync<long>("UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value", transaction: tx);
                var changed = await erp.ExecuteAsync("UPDATE stock SET on_hand = @onHand, changed_at = @now, seq = @seq WHERE product_code = @sku AND warehouse_code = @warehouseCode",
                    new { onHand, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), seq, sku, warehouseCode }, tx);
                // No stock row for this product in that warehouse: choose another one (not a change, not counted).
                if (changed == 0) { tx.Rollback(); if (++misses > 1_000) throw new InvalidOperationException("No stock rows in the store's warehouse"); i--; continue; }
                tx.Commit();
            }
            var committed = Stopwatch.StartNew();
            while (committed.Elapsed < timeout)
            {
                var req = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products/{Uri.EscapeDataString(sku)}");
                req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var res = await http.SendAsync(req);
                if (res.IsSuccessStatusCode)
                {
                    var item = await res.Content.ReadFromJsonAsync<JsonElement>();
                    if (item.GetProperty("stock").GetProperty("available").GetInt64() == onHand - reserved) { seconds.Add(committed.Elapsed.TotalSeconds); break; }
                }
                await Task.Delay(50);
            }
        }
        return FreshnessResult.Of("demo ERP", changes, seconds, maxPause);
    }
}
