using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;
using OrderHub.Testing;

namespace OrderHub.Reliability.Tests;

/// <summary>
/// One OrderHub installation for a reliability test: its database (a SQLite file or a fresh PostgreSQL database), the demo
/// ERP's SQLite file, and the settings every node gets. Nodes are the real server (<see cref="ServerProcess"/>) on loopback.
/// The first node started seeds the demo distributor; the demo ERP seeds itself from the same generator on first use.
/// </summary>
public sealed class World : IAsyncDisposable
{
    public const string Sqlite = TestDatabase.Sqlite;
    public const string Postgres = TestDatabase.Postgres;

    /// <summary>Statuses in which an order holds a stock reservation.</summary>
    public const string OpenStatuses = "'pending_sales_review','pending_finance_review','pending_outbound','pending_shipment'";

    private readonly Dictionary<string, string> _settings;
    private readonly List<ServerProcess> _nodes = [];
    private readonly string _dir;
    private bool _seeded;

    private World(string kind, string connectionString, string dir, Dictionary<string, string> settings)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _dir = dir;
        ErpFile = Path.Combine(dir, "demo-erp.db");
        Db = new Db(connectionString);
        _settings = settings;
        _settings["Erp__Demo__FilePath"] = ErpFile;
    }

    public string Kind { get; }
    public string ConnectionString { get; }
    public string ErpFile { get; }
    public Db Db { get; }

    /// <summary>
    /// Orders go to the ERP at submit (both reviews off), the push job runs every second, the demo ERP confirms after 1 s and
    /// ships after 2 s (so orders also leave their reservation while the test runs), short leases so a killed node's claims
    /// come free quickly. <paramref name="extra"/> wins.
    /// </summary>
    public static World Create(string kind, IDictionary<string, string>? extra = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderhub-reliability-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var cs = kind == Sqlite ? $"Data Source={Path.Combine(dir, "orderhub.db")}" : PostgresCluster.CreateDatabase();
        var settings = new Dictionary<string, string>
        {
            ["OrderFlow__SalesReview"] = "false",
            ["OrderFlow__FinanceReview"] = "false",
            ["Erp__Adapter"] = "Demo",
            ["Erp__Demo__ConfirmAfter"] = "00:00:01",
            ["Erp__Demo__ShipAfter"] = "00:00:02",
            ["Jobs__PushOrders__IntervalSeconds"] = "1",
            ["Jobs__DemoErpTick__IntervalSeconds"] = "1",
            ["Jobs__PullOrderStatus__IntervalSeconds"] = "1",
            ["Sync__Push__LeaseSeconds"] = "10",
            ["Sync__Push__BatchSize"] = "200",
            ["Sync__Push__BackoffBaseSeconds"] = "1",
            ["Sync__Push__BackoffMaxSeconds"] = "5",
            ["Sync__FeedLeaseSeconds"] = "15",
            ["Auth__UserCheckSeconds"] = "0",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        return new World(kind, cs, dir, settings);
    }

    /// <summary>Starts a node (the first one seeds the demo data). Retries a start that fails (e.g. the port not yet free after a kill).</summary>
    public async Task<ServerProcess> StartNodeAsync(int port, IDictionary<string, string>? extra = null)
    {
        var s = new Dictionary<string, string>(_settings);
        if (!_seeded) s["Demo__Seed"] = "true";
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) s[k] = v;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var node = await ServerProcess.StartAsync(ConnectionString, s, port);
                _seeded = true;
                lock (_nodes) _nodes.Add(node);
                return node;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await Task.Delay(500);
            }
        }
    }

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<List<T>> Query<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).AsList();
    }

    /// <summary>
    /// Up to <paramref name="count"/> stores that may order, each with an item it may buy with plenty of stock in its
    /// warehouse: no assortment rule touches the store, its group (allow rules), the product or its category, no promotion
    /// on the product, not 白酒, MOQ a multiple of the pack size. Stores share items, so reservations contend.
    /// </summary>
    public async Task<List<Shopper>> ShoppersAsync(int count)
    {
        var stores = await Query<(string Code, long Id, long WarehouseId)>("""
            SELECT c.code, c.id, c.warehouse_id FROM customers c
            WHERE c.active = TRUE
              AND EXISTS (SELECT 1 FROM customer_users u WHERE u.customer_id = c.id AND u.active = TRUE)
              AND EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_group_id = c.group_id AND r.effect = 'allow')
            ORDER BY c.code
            """);
        var items = await Query<(string Sku, long WarehouseId, long Qty)>("""
            SELECT p.sku, s.warehouse_id, p.min_order_qty FROM products p JOIN stock s ON s.product_id = p.id
            WHERE p.active = TRUE AND p.min_order_qty > 0 AND p.min_order_qty % p.pack_size = 0
              AND s.on_hand - s.reserved >= p.min_order_qty * 300
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id
                              OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY p.sku
            """);
        var byWarehouse = items.GroupBy(i => i.WarehouseId).ToDictionary(g => g.Key, g => g.ToList());
        var shoppers = new List<Shopper>();
        foreach (var s in stores)
        {
            if (shoppers.Count == count) break;
            if (!byWarehouse.TryGetValue(s.WarehouseId, out var list) || list.Count == 0) continue;
            var item = list[shoppers.Count % list.Count];
            shoppers.Add(new Shopper(s.Code, s.Id, item.Sku, item.Qty));
        }
        Assert.That(shoppers, Has.Count.EqualTo(count), $"only {shoppers.Count} stores with an orderable item ({stores.Count} stores, {items.Count} items)");
        return shoppers;
    }

    public Task<long> MaxOrderIdAsync() => Scalar<long>("SELECT COALESCE(MAX(id), 0) FROM orders");

    /// <summary>Waits until no outbox row is pending (or failed) any more; returns the rows still not sent.</summary>
    public async Task<long> WaitForOutboxToDrainAsync(TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var open = await Scalar<long>("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'");
            if (open == 0 || DateTime.UtcNow > until) return open;
            await Task.Delay(500);
        }
    }

    /// <summary>Stock rows whose reservation is not the sum of the lines of the orders that hold one (should be none).</summary>
    public Task<List<string>> ReservationMismatchesAsync() => Query<string>($"""
        SELECT s.product_id || '@' || s.warehouse_id || ': reserved ' || s.reserved || ', open lines ' || COALESCE(x.q, 0)
        FROM stock s LEFT JOIN (
            SELECT l.product_id, o.warehouse_id, SUM(l.quantity) AS q FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.status IN ({OpenStatuses}) GROUP BY l.product_id, o.warehouse_id) x
          ON x.product_id = s.product_id AND x.warehouse_id = s.warehouse_id
        WHERE s.reserved <> COALESCE(x.q, 0)
        ORDER BY s.product_id, s.warehouse_id
        """);

    /// <summary>The demo ERP's orders: order number → how many ERP orders carry it.</summary>
    public async Task<Dictionary<string, long>> ErpOrdersAsync()
    {
        await using var c = new SqliteConnection($"Data Source={ErpFile};Default Timeout=30");
        await c.OpenAsync();
        return (await c.QueryAsync<(string No, long N)>("SELECT order_number, COUNT(*) FROM orders GROUP BY order_number"))
            .ToDictionary(r => r.No, r => r.N);
    }

    public async Task<T> ErpScalar<T>(string sql, object? args = null)
    {
        await using var c = new SqliteConnection($"Data Source={ErpFile};Default Timeout=30");
        await c.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async ValueTask DisposeAsync()
    {
        List<ServerProcess> nodes;
        lock (_nodes) nodes = [.. _nodes];
        foreach (var n in nodes) await n.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
