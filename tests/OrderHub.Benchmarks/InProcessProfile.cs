using System.Diagnostics;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
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
        async Task<double> Time(Func<int, Task> work)
        {
            for (var i = 0; i < 100; i++) await work(i);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) await work(i);
            return sw.Elapsed.TotalMilliseconds * 1000 / iterations;
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
    }
}
