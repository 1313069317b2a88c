using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoMapper;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Api.Catalog;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Tests.Api;
using OrderHub.Testing;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OrderHub.Tests.Catalog;

/// <summary>
/// The catalog page is written with each product's slow-changing half pre-serialized per snapshot (<see cref="CatalogPageJson"/>,
/// issue #19). What a store receives must be exactly what the ordinary serializer writes for the mapped
/// <see cref="CatalogPageDto"/> — for any store, prices, stock and promotions — and never stale: a price or stock change shows
/// on the very next page.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class CatalogPageJsonTests(string kind)
{
    private ApiHost _host = null!;
    private Random _rnd = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ApiHost(kind);
        _ = _host.CreateClient(); // starts the server: migrations and the demo distributor
        var seed = Environment.TickCount;
        TestContext.Out.WriteLine($"random seed {seed}");
        _rnd = new Random(seed);
        await RandomiseAsync();
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    /// <summary>
    /// A second warehouse with a third of the stores, random stock in both, contract prices and promotions from an ERP that
    /// prices to 4 decimals of a yuan (rounded to fen the way a price reaches OrderHub), then the catalog version moved as
    /// every catalog writer does.
    /// </summary>
    private async Task RandomiseAsync()
    {
        await using var c = await _host.Db.OpenAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await c.ExecuteAsync("INSERT INTO warehouses (code, name) VALUES ('WT2', '测试二仓')");
        var warehouses = (await c.QueryAsync<long>("SELECT id FROM warehouses ORDER BY id")).ToList();
        var stores = (await c.QueryAsync<long>("SELECT id FROM customers WHERE active = TRUE ORDER BY id")).ToList();
        foreach (var s in stores.Where(_ => _rnd.Next(3) == 0))
            await c.ExecuteAsync("UPDATE customers SET warehouse_id = @w WHERE id = @s", new { w = warehouses[^1], s });
        var products = (await c.QueryAsync<long>("SELECT id FROM products WHERE active = TRUE ORDER BY id")).ToList();
        // Half the products show only the ERP's image links (pre-serialized with the rest), half a picture staff uploaded
        // (its URL is written per request): the two layouts of an item.
        foreach (var p in products.Where(_ => _rnd.Next(2) == 0))
            await c.ExecuteAsync("UPDATE products SET image_id = NULL, image_urls = @urls WHERE id = @p",
                new { p, urls = JsonSerializer.Serialize(new[] { $"{ErpImageHost}/{p}-{_rnd.Next(1000)}.jpg" }) });
        await c.ExecuteAsync("DELETE FROM stock WHERE warehouse_id = @w", new { w = warehouses[^1] });
        foreach (var w in warehouses)
            foreach (var p in products)
            {
                var onHand = _rnd.Next(4) == 0 ? 0 : _rnd.Next(1, 2000);
                var reserved = onHand == 0 ? 0 : _rnd.Next(onHand + 1);
                await c.ExecuteAsync(w == warehouses[^1]
                        ? "INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at) VALUES (@p, @w, @onHand, @reserved, @now)"
                        : "UPDATE stock SET on_hand = @onHand, reserved = @reserved WHERE product_id = @p AND warehouse_id = @w",
                    new { p, w, onHand, reserved, now });
            }
        for (var i = 0; i < 60; i++)
            await c.ExecuteAsync("""
                INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at)
                SELECT @s, @p, @source, @minQty, @fen, @now WHERE NOT EXISTS
                  (SELECT 1 FROM customer_prices WHERE customer_id = @s AND product_id = @p AND source = @source AND min_qty = @minQty)
                """, new { s = Pick(stores), p = Pick(products), source = _rnd.Next(2) == 0 ? "contract" : "tracking", minQty = _rnd.Next(2) == 0 ? 1 : 24, fen = ErpFen(), now });
        // What stores paid last time (the page shows it per item), for a third of the store/product pairs.
        foreach (var s in stores)
            foreach (var p in products.Where(_ => _rnd.Next(3) == 0))
                await c.ExecuteAsync("""
                    INSERT INTO customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at) VALUES (@s, @p, @fen, @qty, @at)
                    ON CONFLICT (customer_id, product_id) DO UPDATE SET price_fen = excluded.price_fen
                    """, new { s, p, fen = ErpFen(), qty = _rnd.Next(1, 500), at = now - _rnd.Next(1, 90) * 86_400_000L });
        // 特价 on a few products (price from 4 decimals), a 买赠 aimed at one store, live now.
        var special = await c.ExecuteScalarAsync<long>("""
            INSERT INTO promotions (code, name, kind, target, starts_at, ends_at, created_at)
            VALUES ('T-SP', '测试特价', 'special_price', 'all', @from, @to, @now) RETURNING id
            """, new { from = now - 86_400_000, to = now + 3 * 86_400_000, now });
        foreach (var p in products.OrderBy(_ => _rnd.Next()).Take(12))
            await c.ExecuteAsync("INSERT INTO promotion_items (promotion_id, product_id, special_price_fen) VALUES (@special, @p, @fen)", new { special, p, fen = ErpFen() });
        var buyGet = await c.ExecuteScalarAsync<long>("""
            INSERT INTO promotions (code, name, kind, target, target_customer_id, starts_at, ends_at, buy_qty, free_qty, created_at)
            VALUES ('T-BG', '测试买赠', 'buy_get', 'customer', @store, @from, @to, 10, 1, @now) RETURNING id
            """, new { store = stores[0], from = now - 86_400_000, to = now + 86_400_000, now });
        foreach (var p in products.Take(30))
            await c.ExecuteAsync("INSERT INTO promotion_items (promotion_id, product_id) VALUES (@buyGet, @p)", new { buyGet, p });
        await CatalogVersion.BumpAsync(c);
    }

    private const string ErpImageHost = "https://erp-images.example.cn";

    /// <summary>A price as an ERP sends it, 4 decimals of a yuan (e.g. ¥12.3456), rounded half away from zero to fen.</summary>
    private long ErpFen() => (long)Math.Round(_rnd.Next(1_000, 9_999_999) / 10_000m * 100m, MidpointRounding.AwayFromZero);

    private T Pick<T>(IReadOnlyList<T> xs) => xs[_rnd.Next(xs.Count)];

    private JsonSerializerOptions Options => _host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    private IMapper Mapper => _host.Services.GetRequiredService<IMapper>();

    private async Task<CustomerContext> Context(string code)
    {
        var id = await _host.Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code });
        return (await _host.Services.GetRequiredService<CustomerContextQuery>().ForCustomerAsync(id))!;
    }

    /// <summary>What the ordinary serializer writes for this store's page now (as asked of http://localhost, like the test client).</summary>
    private async Task<byte[]> Ordinary(string store, string? after)
    {
        _host.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { Request = { Scheme = "http", Host = new HostString("localhost") } };
        var page = await _host.Services.GetRequiredService<CatalogService>().ListAsync(await Context(store), new CatalogFilter(null, null, null, after, 20));
        return JsonSerializer.SerializeToUtf8Bytes(Mapper.Map<CatalogPageDto>(page), Options);
    }

    private static void AssertSameJson(byte[] actual, byte[] expected, string what)
    {
        var (a, e) = (JsonNode.Parse(actual)!, JsonNode.Parse(expected)!);
        var (ai, ei) = (a["items"]!.AsArray(), e["items"]!.AsArray());
        for (var i = 0; i < Math.Min(ai.Count, ei.Count); i++)
            Assert.That(JsonNode.DeepEquals(ai[i], ei[i]), Is.True, $"{what}: item {i} differs\nfast:     {ai[i]!.ToJsonString()}\nexpected: {ei[i]!.ToJsonString()}");
        Assert.That(JsonNode.DeepEquals(a, e), Is.True, $"{what}: the fast page differs\nfast:     {Encoding.UTF8.GetString(actual)}\nexpected: {Encoding.UTF8.GetString(expected)}");
        Assert.That(Encoding.UTF8.GetString(actual), Is.EqualTo(Encoding.UTF8.GetString(expected)), $"{what}: same JSON, other bytes");
    }

    [Test]
    public async Task Every_store_gets_what_the_serializer_writes_on_random_pages()
    {
        List<string> stores, skus;
        await using (var c = await _host.Db.OpenAsync())
        {
            stores = (await c.QueryAsync<string>("SELECT code FROM customers WHERE active = TRUE ORDER BY id")).ToList();
            skus = (await c.QueryAsync<string>("SELECT sku FROM products WHERE active = TRUE ORDER BY sku")).ToList();
        }
        var checkedItems = 0;
        // Every live part the writer writes by hand must have been compared with something in it.
        var seen = new Dictionary<string, int> { ["lastPaid"] = 0, ["tiers"] = 0, ["promotions"] = 0, ["units > 1"] = 0, ["price.promotionId"] = 0, ["stock.available null"] = 0, ["ERP images only"] = 0, ["uploaded picture"] = 0 };
        // Several stores see the same products: the second and later see the first one's pre-serialized half.
        foreach (var store in stores.OrderBy(_ => _rnd.Next()).Take(10))
        {
            var client = await _host.CustomerAsync(store);
            foreach (var after in new[] { null, Pick(skus), Pick(skus) })
            {
                var res = await client.GetAsync("/api/catalog/products?limit=20" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
                var body = await res.Content.ReadAsByteArrayAsync();
                Assert.That((int)res.StatusCode, Is.EqualTo(200), Encoding.UTF8.GetString(body));
                AssertSameJson(body, await Ordinary(store, after), $"store {store}, after {after ?? "(start)"}");
                foreach (var item in JsonNode.Parse(body)!["items"]!.AsArray())
                {
                    checkedItems++;
                    if (item!["lastPaid"] is not null) seen["lastPaid"]++;
                    if (item["tiers"]!.AsArray().Count > 0) seen["tiers"]++;
                    if (item["promotions"]!.AsArray().Count > 0) seen["promotions"]++;
                    if (item["units"]!.AsArray().Count > 1) seen["units > 1"]++;
                    if (item["price"]!["promotionId"] is not null) seen["price.promotionId"]++;
                    if (item["stock"]!["available"] is null) seen["stock.available null"]++;
                    var images = item["imageUrls"]!.AsArray();
                    if (images.Count > 0) seen[((string)images[0]!).StartsWith(ErpImageHost, StringComparison.Ordinal) ? "ERP images only" : "uploaded picture"]++;
                }
            }
        }
        Assert.That(checkedItems, Is.GreaterThan(200), "pages with items were compared");
        TestContext.Out.WriteLine(string.Join(", ", seen.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.That(seen.Where(kv => kv.Key != "stock.available null" && kv.Value == 0).Select(kv => kv.Key), Is.Empty, "parts never seen on the compared pages");
    }

    [Test]
    public async Task A_price_stock_or_name_change_shows_on_the_next_page()
    {
        // A product of a store's first page; a contract price of ¥0.01 (below any 特价) is then the price charged.
        var store = await _host.Scalar<string>("SELECT code FROM customers WHERE active = TRUE ORDER BY id DESC LIMIT 1");
        var client = await _host.CustomerAsync(store);
        byte[] body = [];
        async Task<JsonNode> Page()
        {
            var res = await client.GetAsync("/api/catalog/products?limit=20");
            body = await res.Content.ReadAsByteArrayAsync();
            Assert.That((int)res.StatusCode, Is.EqualTo(200), Encoding.UTF8.GetString(body));
            return JsonNode.Parse(body)!;
        }
        JsonNode Item(JsonNode page, string sku) => page["items"]!.AsArray().Single(i => (string)i!["sku"]! == sku)!;
        var first = await Page();
        var item = first["items"]!.AsArray().First(i => i!["stock"]!["available"] is not null)!;
        var sku = (string)item["sku"]!;
        var available = (long)item["stock"]!["available"]!;
        var basePrice = (long)item["basePriceFen"]!;
        var productId = await _host.Scalar<long>("SELECT id FROM products WHERE sku = @sku", new { sku });
        var warehouseId = await _host.Scalar<long>("SELECT warehouse_id FROM customers WHERE code = @store", new { store });

        // Stock is live: no version move, and the next page shows it.
        await _host.Exec("UPDATE stock SET on_hand = on_hand + 37 WHERE product_id = @productId AND warehouse_id = @warehouseId", new { productId, warehouseId });
        var afterStock = await Page();
        Assert.That((long)Item(afterStock, sku)["stock"]!["available"]!, Is.EqualTo(available + 37));
        AssertSameJson(body, await Ordinary(store, null), "after a stock change");

        // The base price and name are the product's own (kept with the snapshot): the ERP sync moves the version with them.
        await using (var c = await _host.Db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE products SET base_price_fen = base_price_fen + 123, name = name || '（新）' WHERE id = @productId", new { productId });
            await CatalogVersion.BumpAsync(c);
        }
        var afterProduct = await Page();
        Assert.That((long)Item(afterProduct, sku)["basePriceFen"]!, Is.EqualTo(basePrice + 123));
        Assert.That((string)Item(afterProduct, sku)["name"]!, Does.EndWith("（新）"));

        // The store's own contract price is live too: ¥0.01 under anything else, so it is the price charged.
        await _host.Exec("""
            INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at)
            SELECT id, @productId, 'contract', 1, 1, 0 FROM customers WHERE code = @store
            """, new { productId, store });
        var afterPrice = await Page();
        Assert.That((long)Item(afterPrice, sku)["price"]!["fen"]!, Is.EqualTo(1));
        Assert.That((string)Item(afterPrice, sku)["price"]!["source"]!, Is.EqualTo("customer_price"));
        Assert.That((string)Item(afterPrice, sku)["price"]!["text"]!, Is.EqualTo("¥0.01"));
        AssertSameJson(body, await Ordinary(store, null), "after a product and a price change");
    }
}
