using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;

namespace OrderHub.Benchmarks;

/// <summary>What the order run measured and what its checks found afterwards.</summary>
/// <param name="CartUpdate">Cart PUTs (set a line's quantity; each answers the re-priced cart) while every store fills its cart at once.</param>
/// <param name="Submit">The submits alone: <c>POST /api/orders</c> of every store at once; per second over the submit phases' wall time.</param>
/// <param name="OkSubmits">Successful submits of every round, warm-up included (the database check counts those too).</param>
/// <param name="OrdersCreated">Orders in the database after the run less before it.</param>
public sealed record OrderRunResult(
    int Stores, int LinesPerCart, int WarmupRounds, int Rounds, double RoundsSeconds, int ProductsToppedUp, long ToppedUpOnHand, double TopUpSyncSeconds,
    LoadResult CartUpdate, LoadResult Submit,
    long OkSubmits, long DistinctOrderNumbers, long OrdersCreated, bool OneOrderPerOkSubmit,
    bool ReplayReturnedSameOrder, string ReplayDetail, long OrdersAfterReplay,
    long NegativeStockRows, long ReservedIncrease, long NewOrderLineQuantity);

/// <summary>
/// Order submit under concurrency, measured apart from the cart. Each round: every store (one client and one cart per store,
/// as many distinct stores as there are clients) fills a cart of 10 different lines with <c>PUT /api/cart/items/{sku}</c>,
/// all stores at once — these PUTs are the cart-update figure; when every cart is full, every store submits at once with
/// a fresh <c>Idempotency-Key</c> — these POSTs alone are the submit figure. Carts left by a refused or failed submit are
/// emptied after the submit phase, outside its clock. The first round is a warm-up and is not in the figures.
/// Afterwards: no stock row below zero, exactly one order per successful submit, a replayed key returns the same order,
/// and the reservations grew by exactly the new orders' quantities.
/// </summary>
public static class OrderRun
{
    private const int LinesPerCart = 10;

    public static async Task<OrderRunResult> RunAsync(Db db, string erpFile, HttpClient http, IReadOnlyList<string> storeTokens, int clients,
        TimeSpan measured, TimeSpan maxRoundsTime)
    {
        await using var c = await db.OpenAsync();
        // Products every benchmark store may buy: active, outside 白酒 and any product or category assortment rule.
        var eligible = (await c.QueryAsync<(string Sku, int Pack, int Moq)>("""
            SELECT p.sku, p.pack_size, p.min_order_qty FROM products p WHERE p.active = TRUE
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))
            ORDER BY p.sku
            """)).ToArray();
        // At most 5,000 of them (the large set has 100k): enough that 64 carts of 10 lines rarely touch the same stock row twice.
        var pick = new Random(8);
        var products = eligible.Length <= 5_000 ? eligible : eligible.OrderBy(_ => pick.Next()).Take(5_000).OrderBy(p => p.Sku, StringComparer.Ordinal).ToArray();

        // Enough stock. The demo data's stock runs out after a few hundred orders and the run then measures 409 refusals. OrderHub's
        // on-hand comes from the ERP (the stock pull overwrites it and never touches reservations), so the stock is raised where
        // it lives: in the demo ERP's own file, as a goods receipt there would (a new change number per row). The stock pull job
        // brings it over like any other change; its simulated people are off in this run, so nothing moves it back down.
        const long onHand = 10_000_000;
        var topUp = Stopwatch.StartNew();
        var rows = await TopUpErpStockAsync(erpFile, products.Select(p => p.Sku).ToList(), onHand);
        while (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock WHERE on_hand >= @onHand", new { onHand }) < rows)
        {
            if (topUp.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"The raised ERP stock did not reach OrderHub within 3 minutes ({rows} rows)");
            await Task.Delay(200);
        }
        var topUpSeconds = topUp.Elapsed.TotalSeconds;

        var stores = Math.Min(clients, storeTokens.Count);
        HttpRequestMessage Req(HttpMethod method, int store, string url)
        {
            var m = new HttpRequestMessage(method, url);
            m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", storeTokens[store]);
            return m;
        }
        var addresses = new long[stores];
        for (var w = 0; w < stores; w++)
        {
            using var r = await http.SendAsync(Req(HttpMethod.Get, w, "/api/addresses"));
            r.EnsureSuccessStatusCode();
            addresses[w] = (await r.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64();
        }
        // Every benchmark cart starts empty.
        for (var w = 0; w < stores; w++) { using var _ = await http.SendAsync(Req(HttpMethod.Delete, w, "/api/cart")); }

        var ordersBefore = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders");
        var lastOrderIdBefore = await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM orders") ?? 0;
        var reservedBefore = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(reserved), 0) FROM stock");

        var putMs = new ConcurrentBag<double>();
        var submitMs = new ConcurrentBag<double>();
        long putOk = 0, putRefused = 0, putErrors = 0, subOk = 0, subRefused = 0, subErrors = 0;
        var putKinds = new ConcurrentDictionary<string, long>();
        var subKinds = new ConcurrentDictionary<string, long>();
        var okSubmits = new ConcurrentBag<(int Store, string Key, string OrderNo)>();
        double fillWall = 0, submitWall = 0;
        var rounds = 0;
        var roundsClock = new Stopwatch();

        for (var round = 0; ; round++)
        {
            var warmup = round == 0;
            if (!warmup)
            {
                if (round == 1) roundsClock.Start();
                // Enough rounds for the submit phases to add up to the measured time, within a cap on the whole (the fills take longer).
                if (rounds >= 3 && (submitWall >= measured.TotalSeconds || roundsClock.Elapsed >= maxRoundsTime)) break;
            }

            // Fill: every store sets 10 different lines at once; pack size and MOQ respected.
            var fill = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, stores).Select(async w =>
            {
                var rnd = new Random(round * 10_007 + w);
                foreach (var (sku, pack, moq) in products.OrderBy(_ => rnd.Next()).Take(LinesPerCart).ToList())
                {
                    var qty = Math.Max(pack, (moq + pack - 1) / pack * pack);
                    var put = Req(HttpMethod.Put, w, $"/api/cart/items/{Uri.EscapeDataString(sku)}");
                    put.Content = JsonContent.Create(new { quantity = qty });
                    var t0 = Stopwatch.GetTimestamp();
                    Outcome outcome;
                    try { using var r = await http.SendAsync(put); outcome = LoadRunner.Classify(r); }
                    catch (Exception e) { outcome = Outcome.Error; if (!warmup) putKinds.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1); }
                    if (warmup) continue;
                    if (outcome == Outcome.Ok) { putMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds); Interlocked.Increment(ref putOk); }
                    else if (outcome == Outcome.Refused) Interlocked.Increment(ref putRefused);
                    else Interlocked.Increment(ref putErrors);
                }
            }));
            if (!warmup) fillWall += fill.Elapsed.TotalSeconds;
            var putStatuses = LoadRunner.TakeStatuses();
            if (!warmup) foreach (var (k, v) in putStatuses) putKinds.AddOrUpdate(k, v, (_, n) => n + v);

            // Submit: every store at once, the cart already full.
            var leftCarts = new ConcurrentBag<int>();
            var phase = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, stores).Select(async w =>
            {
                var key = Guid.NewGuid().ToString("N");
                var post = Req(HttpMethod.Post, w, "/api/orders");
                post.Headers.Add("Idempotency-Key", key);
                post.Content = JsonContent.Create(new { addressId = addresses[w] });
                var t0 = Stopwatch.GetTimestamp();
                Outcome outcome;
                HttpResponseMessage? r = null;
                try { r = await http.SendAsync(post); outcome = LoadRunner.Classify(r); }
                catch (Exception e) { outcome = Outcome.Error; subKinds.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1); }
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                using (r)
                {
                    if (outcome == Outcome.Ok && r!.Headers.Contains("Idempotent-Replayed"))
                    {
                        outcome = Outcome.Error; // a fresh key must never be answered as a replay
                        subKinds.AddOrUpdate("replay of a fresh key", 1, (_, n) => n + 1);
                    }
                    if (outcome == Outcome.Ok)
                        okSubmits.Add((w, key, (await r!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("orderNo").GetString()!));
                    else leftCarts.Add(w);
                }
                if (warmup) return;
                if (outcome == Outcome.Ok) { submitMs.Add(ms); Interlocked.Increment(ref subOk); }
                else if (outcome == Outcome.Refused) Interlocked.Increment(ref subRefused);
                else Interlocked.Increment(ref subErrors);
            }));
            if (!warmup) { submitWall += phase.Elapsed.TotalSeconds; rounds++; }
            var subStatuses = LoadRunner.TakeStatuses();
            if (!warmup) foreach (var (k, v) in subStatuses) subKinds.AddOrUpdate(k, v, (_, n) => n + v);

            // Outside the clock: empty what a refused or failed submit left, so the next round starts from empty carts.
            foreach (var w in leftCarts) { using var _ = await http.SendAsync(Req(HttpMethod.Delete, w, "/api/cart")); }
        }
        var roundsSeconds = roundsClock.Elapsed.TotalSeconds;

        var cart = LoadRunner.Summarize($"cart update (PUT, {LinesPerCart}/store)", stores, fillWall, putMs, putOk, putRefused, putErrors, putKinds);
        var submit = LoadRunner.Summarize($"order submit ({LinesPerCart} lines)", stores, submitWall, submitMs, subOk, subRefused, subErrors, subKinds);

        // Checks. Exactly one order per successful submit (warm-up round included: its orders are in the database too).
        var ordersCreated = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders") - ordersBefore;
        var ok = okSubmits.ToList();
        var distinct = ok.Select(o => o.OrderNo).Distinct().LongCount();
        // A replay of one key (same store, same body) must answer the same order and make none.
        var replayed = false;
        var replayDetail = "no successful submit to replay";
        if (ok.Count > 0)
        {
            var (w, key, orderNo) = ok[0];
            var post = Req(HttpMethod.Post, w, "/api/orders");
            post.Headers.Add("Idempotency-Key", key);
            post.Content = JsonContent.Create(new { addressId = addresses[w] });
            using var r = await http.SendAsync(post);
            var body = await r.Content.ReadAsStringAsync();
            var again = r.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("summary").GetProperty("orderNo").GetString() : null;
            var header = r.Headers.TryGetValues("Idempotent-Replayed", out var v) ? string.Join(",", v) : "(none)";
            replayed = r.IsSuccessStatusCode && again == orderNo && header == "true";
            replayDetail = $"key {key[..8]}…: HTTP {(int)r.StatusCode}, Idempotent-Replayed {header}, order {again ?? body[..Math.Min(200, body.Length)]} (first answer {orderNo})";
        }
        var ordersAfterReplay = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders") - ordersBefore;
        var negative = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock WHERE on_hand - reserved < 0");
        var reservedIncrease = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(reserved), 0) FROM stock") - reservedBefore;
        var lineQty = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE order_id > @lastOrderIdBefore", new { lastOrderIdBefore });

        return new OrderRunResult(stores, LinesPerCart, 1, rounds, roundsSeconds, products.Length, onHand, topUpSeconds, cart, submit,
            ok.Count, distinct, ordersCreated, ordersCreated == ok.Count && distinct == ok.Count,
            replayed, replayDetail, ordersAfterReplay, negative, reservedIncrease, lineQty);
    }

    /// <summary>Sets on-hand of <paramref name="skus"/> in every warehouse of the demo ERP, in one ERP transaction. Returns the rows written.</summary>
    private static async Task<long> TopUpErpStockAsync(string erpFile, IReadOnlyList<string> skus, long onHand)
    {
        await using var erp = new SqliteConnection($"Data Source={erpFile};Default Timeout=30");
        await erp.OpenAsync();
        var warehouses = (await erp.QueryAsync<string>("SELECT code FROM warehouses ORDER BY code")).ToList();
        var count = (long)skus.Count * warehouses.Count;
        await using var tx = erp.BeginTransaction(deferred: false);
        var seq = await erp.ExecuteScalarAsync<long>("UPDATE change_seq SET value = value + @count WHERE id = 1 RETURNING value", new { count }, tx) - count + 1;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await erp.ExecuteAsync("""
            INSERT INTO stock (product_code, warehouse_code, on_hand, changed_at, seq) VALUES (@sku, @warehouse, @onHand, @now, @seq)
            ON CONFLICT (product_code, warehouse_code) DO UPDATE SET on_hand = excluded.on_hand, changed_at = excluded.changed_at, seq = excluded.seq
            """, skus.SelectMany(sku => warehouses.Select(warehouse => (sku, warehouse))).Select((x, i) => new { x.sku, x.warehouse, onHand, now, seq = seq + i }), tx);
        tx.Commit();
        return count;
    }
}
