using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Data;
using OrderHub.Testing.Contract;

namespace OrderHub.Console.Tests;

/// <summary>
/// The real OrderHub host on Kestrel, on a free loopback port, with a fresh SQLite database loaded with the demo
/// distributor (staff get the demo password <c>demo1234</c>). The console is served from the project's wwwroot. Every
/// response the browser or a test gets is checked against the OpenAPI document when the host is disposed.
/// </summary>
public sealed class ConsoleHost : ContractCheckedFactory<Program>
{
    public const string DemoPassword = "demo1234";
    private readonly string _dbFile = Path.Combine(Path.GetTempPath(), $"orderhub-console-{Guid.NewGuid():N}.db");
    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">More settings for this host (e.g. WeChat and WeChat Work pointed at the fake WeChat server).</param>
    public ConsoleHost(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
    }

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", $"Data Source={_dbFile}");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:History", "false"); // the pages are tested against the state the tests set up
        builder.UseSetting("urls", BaseUrl);
        // No scheduled ERP sync in the background: the pages are tested against the state the tests set up.
        builder.UseSetting("Jobs:Enabled", "false");
        // The browser tests sign in many times from one address; the per-client limit is tested on its own.
        builder.UseSetting("Auth:LoginRateLimit:PermitLimit", "10000");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public void Start() => StartServer();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public Db Db => Services.GetRequiredService<Db>();

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task Execute(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    /// <summary>A plain HTTP client on the real port (not the in-memory one).</summary>
    public HttpClient Http(string? token = null)
    {
        var c = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (token is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    public async Task<string> StaffToken(string login, string password = DemoPassword)
    {
        using var c = Http();
        var res = await c.PostAsJsonAsync("/api/auth/staff/login", new { login, password });
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// A store places an order in the mini-program's way (development login, cart, submit) — the test's setup, not the
    /// console's job. Picks the n-th store of the chain group with room in its credit and an ordinary item in stock.
    /// </summary>
    public async Task<(long Id, string OrderNo, long CustomerId)> PlaceOrderAsync(int store)
    {
        var row = await Scalar<string>($"""
            SELECT c.code || '|' || c.id || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'CHAIN' AND c.active = TRUE AND p.active = TRUE
              AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND p.base_price_fen * p.min_order_qty < 100000
              AND (c.credit_limit_fen = 0 OR c.credit_limit_fen - COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.customer_id = c.id), 0) > 500000)
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND c.id = (SELECT c2.id FROM customers c2 JOIN customer_groups g2 ON g2.id = c2.group_id
                          WHERE g2.code = 'CHAIN' AND c2.active = TRUE ORDER BY c2.code LIMIT 1 OFFSET {store})
            ORDER BY p.sku LIMIT 1
            """);
        Assert.That(row, Is.Not.Null, $"no suitable demo store #{store}");
        var parts = row.Split('|');
        using var client = Http();
        var login = await client.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = parts[0] });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var add = await client.PostAsJsonAsync("/api/cart/items", new { sku = parts[2], quantity = long.Parse(parts[3]) });
        Assert.That((int)add.StatusCode, Is.EqualTo(200), await add.Content.ReadAsStringAsync());
        var addressId = (await client.GetFromJsonAsync<JsonElement>("/api/addresses"))[0].GetProperty("id").GetInt64();
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId, note = "浏览器测试" }) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), body);
        var summary = JsonDocument.Parse(body).RootElement.GetProperty("summary");
        return (summary.GetProperty("id").GetInt64(), summary.GetProperty("orderNo").GetString()!, long.Parse(parts[1]));
    }

    /// <summary>
    /// The n-th store (with room in its credit; the next one when it has too few items in stock) places an order of 1 to 3 random in-stock items, each a random multiple
    /// of its minimum quantity, through the mini-program's API. Returns the order with what it asked for per SKU.
    /// </summary>
    public async Task<(long Id, string OrderNo, IReadOnlyDictionary<string, long> Quantities)> PlaceRandomOrderAsync(int store, Random rnd)
    {
        // Stores with room in their credit for a few thousand yuan, cycling when n runs past them.
        const string Roomy = """
            FROM customers c WHERE c.active = TRUE
              AND (c.credit_limit_fen = 0 OR c.credit_limit_fen - COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.customer_id = c.id), 0) > 600000)
            """;
        var count = await Scalar<long>("SELECT COUNT(*) " + Roomy);
        Assert.That(count, Is.GreaterThan(0), "no demo store with room in its credit");
        var code = await Scalar<string>($"SELECT c.code {Roomy} ORDER BY c.code LIMIT 1 OFFSET {store % count}");
        Assert.That(code, Is.Not.Null, $"no demo store #{store}");
        var stocked = await Scalar<string?>("""
            SELECT GROUP_CONCAT(x.sku || ':' || x.min_order_qty, ',') FROM (
              SELECT p.sku, p.min_order_qty FROM customers c JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
              WHERE c.code = @code AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40 AND p.min_order_qty % p.pack_size = 0
                AND p.base_price_fen * p.min_order_qty < 50000
                AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
                AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
                AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              ORDER BY p.sku LIMIT 5) x
            """, new { code });
        if (string.IsNullOrEmpty(stocked) || stocked.Split(',').Length < 3) return await PlaceRandomOrderAsync(store + 1, rnd);
        var items = stocked.Split(',');
        using var client = Http();
        var login = await client.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = code });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var asked = new Dictionary<string, long>();
        foreach (var item in items.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4)))
        {
            var (sku, moq) = (item.Split(':')[0], long.Parse(item.Split(':')[1]));
            var qty = moq * rnd.Next(1, 5);
            var add = await client.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty });
            Assert.That((int)add.StatusCode, Is.EqualTo(200), await add.Content.ReadAsStringAsync());
            asked[sku] = qty;
        }
        var addressId = (await client.GetFromJsonAsync<JsonElement>("/api/addresses"))[0].GetProperty("id").GetInt64();
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId, note = $"随机订单 {store}" }) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), body);
        var summary = JsonDocument.Parse(body).RootElement.GetProperty("summary");
        return (summary.GetProperty("id").GetInt64(), summary.GetProperty("orderNo").GetString()!, asked);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _dbFile, _dbFile + "-wal", _dbFile + "-shm" })
            try { File.Delete(f); } catch (IOException) { /* best effort */ }
    }
}
