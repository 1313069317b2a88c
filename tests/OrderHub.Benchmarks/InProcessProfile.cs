using System.Diagnostics;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;

namespace OrderHub.Benchmarks;

/// <summary>
/// `--profile`: the catalog page's application work without HTTP, one caller, so its cost per page can be compared
/// with the HTTP figures (what is left is the web stack, JSON and the load generator sharing the cores).
/// </summary>
public static class InProcessProfile
{
    public static async Task RunAsync(Db db, int iterations = 2000)
    {
        await using var c = await db.OpenAsync();
        var customerIds = (await c.QueryAsync<long>("SELECT id FROM customers ORDER BY id LIMIT 64")).ToArray();
        var skus = (await c.QueryAsync<string>("SELECT sku FROM products ORDER BY sku")).ToArray();
        var customers = new CustomerContextQuery(db);
        var catalog = new CatalogService(db, new PriceResolver(new PricingOptions()), new CatalogOptions(), TimeProvider.System);
        var rnd = new Random(1);
        var allocated = new List<double>(); // KB per call, in the order Time was called (one caller, no server: all of it is the call's)
        async Task<double> Time(Func<int, Task> work)
        {
            for (var i = 0; i < 100; i++) await work(i);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) await work(i);
            var us = sw.Elapsed.TotalMilliseconds * 1000 / iterations;
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / iterations);
            return us;
        }
        var contexts = new List<CustomerContext>();
        foreach (var id in customerIds) contexts.Add((await customers.ForCustomerAsync(id))!);
        var open = await Time(async _ => { await using var x = await db.OpenAsync(); });
        var ctx = await Time(async i => await customers.ForCustomerAsync(customerIds[i % customerIds.Length]));
        var page = await Time(async i => await catalog.ListAsync(contexts[i % contexts.Count], new CatalogFilter(null, null, null, skus[rnd.Next(skus.Length)], 20)));
        var one = await Time(async i => await catalog.GetAsync(contexts[i % contexts.Count], skus[rnd.Next(skus.Length)]));
        var products = (await c.QueryAsync<(long Id, long Base)>("SELECT id, base_price_fen FROM products ORDER BY id")).ToArray();
        var book = await Time(async i =>
        {
            await using var x = await db.OpenAsync();
            var start = rnd.Next(products.Length - 20);
            await OrderHub.Application.Pricing.CustomerPriceBook.LoadAsync(x, db.Dialect, contexts[i % contexts.Count], products[start..(start + 20)].Select(p => (p.Id, p.Base)).ToList(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        });
        var listSql = await Time(async i =>
        {
            await using var x = await db.OpenAsync();
            var cx = contexts[i % contexts.Count];
            await x.QueryAsync($"SELECT p.id FROM products p LEFT JOIN stock s ON s.product_id = p.id AND s.warehouse_id = @w WHERE {Assortment.VisibleTo} AND p.sku > @after ORDER BY p.sku LIMIT 21",
                new { customerId = cx.CustomerId, groupId = cx.GroupId, w = cx.WarehouseId, after = skus[rnd.Next(skus.Length)] });
        });
        var empty = await Time(async i => await catalog.ListAsync(contexts[i % contexts.Count], new CatalogFilter(null, null, null, "ZZZZZZ", 20)));
        var firstPage = await Time(async i => await catalog.ListAsync(contexts[i % contexts.Count], new CatalogFilter(null, null, null, null, 20)));
        // Searches as a shopkeeper types them: pinyin initials, a Chinese word, two words (the old search matched only one word).
        string[] queries = ["ksf", "牛奶", "康师傅 牛肉", "kele"];
        var search = await Time(async i => await catalog.ListAsync(contexts[i % contexts.Count], new CatalogFilter(queries[i % queries.Length], null, null, null, 20)));
        Console.WriteLine($"  in-process: empty page {empty:F0} µs, first page {firstPage:F0} µs, search page (20; {string.Join(" | ", queries)}) {search:F0} µs");
        // Typos: the exact pass finds few or none, so the near-match pass (TypoSearch) scans the snapshot too.
        string[] typos = ["康帅傅", "kangshfu", "特伦苏", "hongshaoniuruo"];
        var typo = await Time(async i => await catalog.ListAsync(contexts[i % contexts.Count], new CatalogFilter(typos[i % typos.Length], null, null, null, 20)));
        Console.WriteLine($"  in-process: typo search page (20; {string.Join(" | ", typos)}) {typo:F0} µs");
        Console.WriteLine($"  in-process parts: price book for 20 products {book:F0} µs, visible-products list query {listSql:F0} µs");
        Console.WriteLine($"  in-process, one caller: open connection {open:F0} µs, customer context {ctx:F0} µs, catalog page (20) {page:F0} µs, product {one:F0} µs");
        Console.WriteLine($"  allocated per call: open connection {allocated[0]:F1} KB, customer context {allocated[1]:F1} KB, catalog page (20) {allocated[2]:F1} KB, product {allocated[3]:F1} KB, price book for 20 {allocated[4]:F1} KB");
    }

    /// <summary>
    /// The round trips of one order submit and of one catalog page, in order, each with its time (<see cref="RoundTripLog"/>),
    /// the total, and what is not the database. The submit is what <c>POST /api/orders</c> does without HTTP: the store's
    /// context (StoreTarget), <see cref="OrderPlacement.SubmitAsync"/> with a 10-line cart, and the order read back for the
    /// answer; the HTTP request adds the session check (one primary-key read, ActiveUserCheck), not counted here.
    /// </summary>
    public static async Task RoundTripsAsync(Db db, string kind)
    {
        await RoundTripLog.HookSqlitePool(db);
        await using var c = await db.OpenAsync();
        var customers = new CustomerContextQuery(db);
        var clock = TimeProvider.System;
        var quoter = new OrderQuoter(db, new PriceResolver(new PricingOptions()));
        var carts = new CartService(db, quoter, clock);
        var placement = new OrderPlacement(db, quoter, new OrderingOptions(), new OrderFlowOptions(), clock);
        var queries = new OrderQueries(db);
        var catalog = new CatalogService(db, new PriceResolver(new PricingOptions()), new CatalogOptions(), clock);
        // Stores with a user and an address, and products any store may buy, with stock enough for many orders.
        var stores = (await c.QueryAsync<(long CustomerId, long UserId, long AddressId)>("""
            SELECT cu.customer_id, MIN(cu.id), MIN(a.id) FROM customer_users cu JOIN customer_addresses a ON a.customer_id = cu.customer_id AND a.active = TRUE
            WHERE cu.active = TRUE GROUP BY cu.customer_id ORDER BY cu.customer_id LIMIT 30
            """)).ToList();
        await c.ExecuteAsync("UPDATE stock SET on_hand = 10000000");
        var products = (await c.QueryAsync<(string Sku, int Pack, int Moq)>("""
            SELECT p.sku, p.pack_size, p.min_order_qty FROM products p WHERE p.active = TRUE
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))
            ORDER BY p.sku
            """)).ToArray();
        var rnd = new Random(19);
        RoundTripLog? log = null;
        void Phase(string name) => log?.Phase(name);
        async Task<(Func<Task> Submit, CustomerContext Customer)> Prepare(int i)
        {
            var (customerId, userId, addressId) = stores[i % stores.Count];
            var customer = (await customers.ForCustomerAsync(customerId))!;
            var owner = CartOwner.User(userId);
            await carts.ClearAsync(owner, customer);
            foreach (var p in products.OrderBy(_ => rnd.Next()).Take(10))
                await carts.SetAsync(owner, customer, p.Sku, (long)p.Pack * Math.Max(1, (p.Moq + p.Pack - 1) / p.Pack));
            var key = Guid.NewGuid().ToString("N");
            return (async () =>
            {
                var ctx = (await customers.ForCustomerAsync(customerId))!;
                Phase("submit");
                var r = await placement.SubmitAsync(new SubmitOrder(owner, ctx, new Actor("customer_user", userId, "店主"), null, addressId, null, key));
                // SQLite's COMMIT is a statement the hook sees; PostgreSQL's is a round trip without an activity.
                if (kind == "postgres") log?.Returned("COMMIT");
                Phase("answer");
                await queries.GetAsync(OrderScope.OfCustomer(customerId), r.OrderId, null);
            }, customer);
        }

        // Warm-up (JIT, Npgsql's auto-prepare after two uses), then a median of unrecorded submits, then one recorded.
        // ORDERHUB_BENCH_SUBMITS raises the number of unrecorded submits, e.g. to profile them with dotnet-trace.
        var times = new List<double>();
        var unrecorded = int.Parse(Environment.GetEnvironmentVariable("ORDERHUB_BENCH_SUBMITS") ?? "25");
        for (var i = 0; i < unrecorded; i++)
        {
            var (submit, _) = await Prepare(i);
            var sw = Stopwatch.StartNew();
            await submit();
            if (i >= 5) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        // Dapper keeps one entry (and emits one reader and one parameter writer) per distinct SQL text: text that changes
        // with every call grows it, and the JIT with it. Print what 10 more submits added.
        var cachedBefore = Dapper.SqlMapper.GetCachedSQL().Select(x => x.Item2).ToHashSet();
        for (var i = 100_000; i < 100_010; i++) await (await Prepare(i)).Submit();
        var added = Dapper.SqlMapper.GetCachedSQL().Select(x => x.Item2).Where(x => !cachedBefore.Contains(x)).ToList();
        Console.WriteLine($"  Dapper's SQL cache: {cachedBefore.Count} texts after {unrecorded} submits, {added.Count} new after 10 more");
        foreach (var sql in added.Take(5)) Console.WriteLine($"    new: {sql.ReplaceLineEndings(" ")[..Math.Min(300, sql.Length)]}");
        var (one, customerOne) = await Prepare(99);
        double total;
        using (log = new RoundTripLog())
        {
            log.Phase("context");
            var sw = Stopwatch.StartNew();
            await one();
            total = sw.Elapsed.TotalMilliseconds;
            Print(kind, "order submit (10-line cart, reservation, Idempotency-Key; context → submit → answer)", log.Trips, total, times);
        }
        log = null;

        var skus = products.Select(p => p.Sku).ToArray();
        var pageTimes = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            await catalog.ListAsync(customerOne, new CatalogFilter(null, null, null, skus[rnd.Next(skus.Length)], 20));
            if (i >= 50) pageTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        using (log = new RoundTripLog())
        {
            log.Phase("page");
            var sw = Stopwatch.StartNew();
            await catalog.ListAsync(customerOne, new CatalogFilter(null, null, null, skus[rnd.Next(skus.Length)], 20));
            total = sw.Elapsed.TotalMilliseconds;
            Print(kind, "catalog page (CatalogService.ListAsync, 20 items)", log.Trips, total, pageTimes);
        }
        log = null;
    }

    private static void Print(string kind, string what, IReadOnlyList<RoundTripLog.Trip> trips, double totalMs, List<double> unrecorded)
    {
        var inDb = trips.Sum(t => t.Ms);
        unrecorded.Sort();
        var (median, min) = unrecorded.Count > 0 ? (unrecorded[unrecorded.Count / 2], unrecorded[0]) : (double.NaN, double.NaN);
        var unit = kind == "postgres" ? "round trips" : "statements (SQLite: in process, no network)";
        Console.WriteLine($"\n  {what} — {kind}: {trips.Count} {unit}");
        Console.WriteLine($"    {"#",3}  {"phase",-8} {"ms",7}  round trip");
        for (var i = 0; i < trips.Count; i++)
            Console.WriteLine($"    {i + 1,3}  {trips[i].Phase,-8} {trips[i].Ms,7:F3}  {RoundTripLog.Label(trips[i].Sql)}");
        Console.WriteLine("    by phase: " + string.Join(", ", trips.GroupBy(t => t.Phase).Select(g => $"{g.Key} {g.Count()} ({g.Sum(t => t.Ms):F2} ms)")));
        Console.WriteLine($"    total {totalMs:F2} ms: database {inDb:F2} ms, not the database {totalMs - inDb:F2} ms" +
                          $" (unrecorded runs: median {median:F2} ms, fastest {min:F2} ms of {unrecorded.Count})");
    }
}
