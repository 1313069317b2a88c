using System.Data.Common;
using Dapper;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>
/// The appliers' bulk path (a page in a few set-based statements) against the row-by-row one: same rows, same issues, same
/// counts; a page the database refuses falls back to row by row and loses only the refused row.
/// </summary>
public sealed class BulkApplyTests
{
    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_row_the_database_refuses_sends_the_page_row_by_row_and_only_that_row_is_lost(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        await w.Sync.PullAllAsync();
        // A rule the sync's own checks do not know: the database refuses on_hand 666 and a customer price of 666.
        if (kind == TestDatabase.Postgres)
        {
            await w.Exec("ALTER TABLE stock ADD CONSTRAINT ck_test_no_666 CHECK (on_hand <> 666)");
            await w.Exec("ALTER TABLE customer_prices ADD CONSTRAINT ck_test_no_666 CHECK (price_fen <> 666)");
        }
        else
        {
            foreach (var (table, column) in new[] { ("stock", "on_hand"), ("customer_prices", "price_fen") })
            foreach (var op in new[] { "INSERT", "UPDATE" })
                await w.Exec($"CREATE TRIGGER tr_test_no_666_{table}_{op} BEFORE {op} ON {table} WHEN NEW.{column} = 666 BEGIN SELECT RAISE(ABORT, 'no 666'); END");
        }
        var now = w.Clock.GetUtcNow();
        var rows = w.Data.Stock.Take(10).ToList();
        var page = rows.Select((s, i) => new ErpStockLevel(s.Sku, s.WarehouseCode, i == 4 ? 666 : s.OnHand + 1000 + i, now))
            .Prepend(new ErpStockLevel("NO-SUCH-SKU", "WH-BY", 1, now)).ToList();

        var applier = new StockApplier(w.Db, w.Clock);
        var (changed, issues) = await ApplyAsync(applier, page);

        Assert.That(applier.RowByRowPages, Is.EqualTo(1), "the bulk page was refused and applied row by row");
        Assert.That(changed, Is.EqualTo(9));
        Assert.That(issues.Select(i => i.Key), Is.EqualTo(new[] { "NO-SUCH-SKU@WH-BY", $"{rows[4].Sku}@{rows[4].WarehouseCode}" }));
        Assert.That(issues[1].Problem, Does.StartWith("数据库拒绝该行 / The database refused the row"));
        for (var i = 0; i < rows.Count; i++)
            Assert.That(await OnHand(w, rows[i].Sku, rows[i].WarehouseCode), Is.EqualTo(i == 4 ? rows[i].OnHand : rows[i].OnHand + 1000 + i));

        // The same through the feed: the issue reaches the health page, the rest of the page lands.
        var sku = w.Data.Products[3].Sku;
        var customers = w.Data.Customers.Take(5).Select(c => c.Code).ToList();
        w.Erp.PricePage = new ErpPage<ErpPrice>(
            customers.Select((code, i) => new ErpPrice(sku, ErpPriceScope.Customer, code, 1, i == 2 ? 666 : 7000 + i, "CNY", true, now)).ToList(), "bulk-1", false);
        var prices = await w.Sync.PullPricesAsync();
        Assert.That((prices.Error, prices.Issues, prices.RowsChanged), Is.EqualTo(((string?)null, 1, 4L)));
        var health = await w.Health.GetAsync(w.Erp.Name);
        Assert.That(health.RecentIssues.Single(i => i.Feed == SyncFeed.Prices).Key, Is.EqualTo($"{sku}@Customer:{customers[2]}"));
        Assert.That(await w.Scalar<long>("""
            SELECT COUNT(*) FROM customer_prices cp JOIN products p ON p.id = cp.product_id
            WHERE p.sku = @sku AND cp.source = 'erp_tracking' AND cp.min_qty = 1 AND cp.price_fen BETWEEN 7000 AND 7004
            """, new { sku }), Is.EqualTo(4));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Duplicate_keys_in_a_page_apply_as_row_by_row_last_wins(string kind)
    {
        var bulk = await SyncWorld.CreateAsync(kind);
        var rows = await SyncWorld.CreateAsync(kind);
        await bulk.Sync.PullAllAsync();
        await rows.Sync.PullAllAsync();
        var now = bulk.Clock.GetUtcNow();
        var d = bulk.Data;
        string sku1 = d.Products[1].Sku, sku2 = d.Products[2].Sku;
        string wh = d.Stock.First(s => s.Sku == sku1).WarehouseCode;
        string cust1 = d.Customers[1].Code, cust2 = d.Customers[2].Code;
        var group = d.Groups[0].Code;

        ErpProduct Product(string code, string name, long price) =>
            new(code, name, "1kg", "袋", 1, 1, null, "测试", ["测试类", name.Length > 3 ? "长" : "短"], price, "CNY", true, now);
        var products = new List<ErpProduct>
        {
            Product(sku1, "甲一", 100), Product("NEW-DUP", "新品", 200), Product(sku1, "甲二二", 300), Product("", "无码", 1),
            Product("NEW-DUP", "新品改名", 250), Product(sku2, "乙", 400),
        };
        var stock = new List<ErpStockLevel>
        {
            new(sku1, wh, 5, now), new(sku1, wh, 7, now), new(sku2, wh, 3, now), new(sku1, wh, 7, now), new(sku1, "WH-DUP", -1, now),
            new(sku1, "WH-DUP", 0, now), new(sku1, "WH-DUP", 9, now), new("NO-SUCH", wh, 1, now), new(sku2, " ", 1, now),
        };
        var prices = new List<ErpPrice>
        {
            new(sku1, ErpPriceScope.Base, null, 1, 500, "CNY", false, now), new(sku1, ErpPriceScope.Base, null, 1, 600, "CNY", false, now),
            new(sku1, ErpPriceScope.Base, null, 1, 600, "CNY", false, now), new(sku2, ErpPriceScope.Base, null, 2, 600, "CNY", false, now),
            new(sku1, ErpPriceScope.CustomerGroup, group, 10, 90, "CNY", false, now), new(sku1, ErpPriceScope.CustomerGroup, group, 10, 80, "CNY", false, now),
            new(sku1, ErpPriceScope.CustomerGroup, group, 10, 80, "CNY", false, now, Deleted: true), new(sku1, ErpPriceScope.CustomerGroup, group, 10, 70, "CNY", false, now),
            new(sku2, ErpPriceScope.CustomerGroup, "NO-GROUP", 1, 70, "CNY", false, now),
            new(sku1, ErpPriceScope.Customer, cust1, 1, 100, "CNY", true, now), new(sku1, ErpPriceScope.Customer, cust1, 1, 200, "CNY", true, now),
            new(sku1, ErpPriceScope.Customer, cust1, 1, 200, "CNY", false, now), new(sku1, ErpPriceScope.Customer, cust1, 1, 0, "CNY", true, now, Deleted: true),
            new(sku1, ErpPriceScope.Customer, cust1, 1, 300, "CNY", true, now), new(sku2, ErpPriceScope.Customer, cust2, 0, 300, "CNY", true, now),
            new(sku2, ErpPriceScope.Customer, cust2, 1, 300, "USD", true, now), new(sku2, ErpPriceScope.Customer, cust2, 1, 310, "CNY", true, now),
            new(sku2, ErpPriceScope.Customer, cust2, 1, 310, "CNY", true, now),
        };
        var customers = new List<ErpCustomer>
        {
            new(cust1, "店一", "张", "138", null, group, 1000, 0, true, now), new("NEW-C", "新店", null, null, "地址一", "NO-GROUP", -5, 0, true, now),
            new(cust1, "店一改", "李", null, "新地址", null, 2000, 10, true, now), new("NEW-C", "新店改", "王", "139", "地址二", group, 5, 0, false, now),
            new("", "无码", null, null, null, null, 0, 0, true, now),
        };

        var outcome = new Dictionary<SyncWorld, (long Changed, List<ErpDataIssue> Issues)[]>();
        foreach (var (w, rowByRow) in new[] { (bulk, false), (rows, true) })
        {
            w.Clock.Advance(TimeSpan.FromMinutes(1));
            var productApplier = new ProductApplier(w.Db, w.Clock) { RowByRowOnly = rowByRow };
            var stockApplier = new StockApplier(w.Db, w.Clock) { RowByRowOnly = rowByRow };
            var customerApplier = new CustomerApplier(w.Db, w.Clock, new OrderHub.Application.Customers.WarehouseRule(w.Db, new OrderHub.Application.Customers.ErpOptions(), w.Clock)) { RowByRowOnly = rowByRow };
            var priceApplier = new PriceApplier(w.Db, w.Clock) { RowByRowOnly = rowByRow };
            var results = new[]
            {
                await ApplyAsync(productApplier, products), await ApplyAsync(stockApplier, stock),
                await ApplyAsync(customerApplier, customers), await ApplyAsync(priceApplier, prices),
            };
            Assert.That(productApplier.RowByRowPages + stockApplier.RowByRowPages + customerApplier.RowByRowPages + priceApplier.RowByRowPages,
                Is.EqualTo(rowByRow ? 4 : 0));
            outcome[w] = results;
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.That(outcome[bulk][i].Changed, Is.EqualTo(outcome[rows][i].Changed), $"rows changed, applier {i}");
            Assert.That(outcome[bulk][i].Issues.Select(x => (x.Feed, x.Key, x.Problem, x.RowSkipped)),
                Is.EqualTo(outcome[rows][i].Issues.Select(x => (x.Feed, x.Key, x.Problem, x.RowSkipped))), $"issues, applier {i}");
        }
        foreach (var sql in StateQueries)
            Assert.That(await Dump(bulk, sql), Is.EqualTo(await Dump(rows, sql)), sql);

        // Last wins, as the rows came.
        Assert.That(await OnHand(bulk, sku1, wh), Is.EqualTo(7));
        Assert.That(await OnHand(bulk, sku1, "WH-DUP"), Is.EqualTo(9));
        Assert.That(await bulk.Scalar<string>("SELECT name FROM products WHERE sku = 'NEW-DUP'"), Is.EqualTo("新品改名"));
        Assert.That(await bulk.Scalar<long>("SELECT base_price_fen FROM products WHERE sku = @sku1", new { sku1 }), Is.EqualTo(600));
        Assert.That(await bulk.Scalar<long>("""
            SELECT price_fen FROM customer_prices cp JOIN products p ON p.id = cp.product_id JOIN customers c ON c.id = cp.customer_id
            WHERE p.sku = @sku1 AND c.code = @cust1 AND cp.source = 'erp_tracking'
            """, new { sku1, cust1 }), Is.EqualTo(300));
        Assert.That(await bulk.Scalar<long>("""
            SELECT i.price_fen FROM price_list_items i JOIN products p ON p.id = i.product_id WHERE p.sku = @sku1 AND i.min_qty = 10
            """, new { sku1 }), Is.EqualTo(70));
        Assert.That(await bulk.Scalar<string>("SELECT a.address FROM customer_addresses a JOIN customers c ON c.id = a.customer_id WHERE c.code = 'NEW-C'"),
            Is.EqualTo("地址一"), "the first address became the default, as row by row");
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_second_identical_import_changes_no_stock_or_price_row(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind, seedOrderHub: false);
        await w.Exec("INSERT INTO customer_groups (code, name, sort_order) VALUES ('KA', 'A类', 0), ('CHAIN', 'B类', 1), ('SHOP', 'C类', 2)");

        var first = await w.Sync.PullAllAsync();
        var stockUpdatedAt = await Dump(w, "SELECT product_id, warehouse_id, updated_at FROM stock ORDER BY 1, 2");
        var version = await w.Scalar<long>("SELECT version FROM catalog_version");
        w.Clock.Advance(TimeSpan.FromHours(1));
        var second = await w.FullResync.RunAsync();

        Assert.That(first.Concat(second).Select(r => r.Error), Is.All.Null);
        var firstStock = first.Single(r => r.Feed == SyncFeed.Stock);
        Assert.That(firstStock.RowsChanged, Is.EqualTo(w.Data.Stock.Count));
        Assert.That(first.Single(r => r.Feed == SyncFeed.Prices).RowsChanged, Is.GreaterThanOrEqualTo(w.Data.CustomerPrices.Count + w.Data.PriceListItems.Count));
        Assert.That(second.Single(r => r.Feed == SyncFeed.Stock).RowsChanged, Is.Zero);
        Assert.That(second.Single(r => r.Feed == SyncFeed.Prices).RowsChanged, Is.Zero);
        Assert.That(await Dump(w, "SELECT product_id, warehouse_id, updated_at FROM stock ORDER BY 1, 2"), Is.EqualTo(stockUpdatedAt), "unchanged rows keep their updated_at");
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM sync_issues"), Is.Zero);
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM stock"), Is.EqualTo(w.Data.Stock.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM customer_prices"), Is.EqualTo(w.Data.CustomerPrices.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM price_list_items"), Is.EqualTo(w.Data.PriceListItems.Count));
        // Products are upserted whatever they hold (as before), so the catalog version moves; price lists did not change.
        Assert.That(await w.Scalar<long>("SELECT version FROM catalog_version"), Is.GreaterThan(version));
    }

    private static readonly string[] StateQueries =
    [
        "SELECT sku, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_path, base_price_fen, active, search_text, updated_at FROM products ORDER BY sku",
        "SELECT code, name, parent_id, path FROM categories ORDER BY code",
        "SELECT p.sku, h.code, s.on_hand, s.reserved, s.updated_at FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses h ON h.id = s.warehouse_id ORDER BY 1, 2",
        "SELECT code, name FROM warehouses ORDER BY code",
        "SELECT l.code, p.sku, i.min_qty, i.price_fen, i.updated_at FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id JOIN products p ON p.id = i.product_id ORDER BY 1, 2, 3",
        "SELECT code, name, customer_group_id, active FROM price_lists ORDER BY code",
        "SELECT c.code, p.sku, cp.source, cp.min_qty, cp.price_fen, cp.updated_at FROM customer_prices cp JOIN customers c ON c.id = cp.customer_id JOIN products p ON p.id = cp.product_id ORDER BY 1, 2, 3, 4",
        "SELECT code, name, contact_name, phone, address, group_id, warehouse_id, credit_limit_fen, erp_receivable_fen, active, created_at, updated_at FROM customers ORDER BY code",
        "SELECT c.code, a.label, a.contact_name, a.phone, a.address, a.is_default, a.active FROM customer_addresses a JOIN customers c ON c.id = a.customer_id ORDER BY 1, 5",
        "SELECT version FROM catalog_version",
    ];

    private static async Task<List<string>> Dump(SyncWorld w, string sql)
    {
        await using var c = await w.Db.OpenAsync();
        var rows = await c.QueryAsync(sql);
        return rows.Select(r => string.Join(" | ", ((IDictionary<string, object?>)r).Values.Select(v => v switch
        {
            null => "null",
            bool b => b ? "1" : "0",
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }))).ToList();
    }

    private static Task<long> OnHand(SyncWorld w, string sku, string warehouse) => w.Scalar<long>(
        "SELECT s.on_hand FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses h ON h.id = s.warehouse_id WHERE p.sku = @sku AND h.code = @warehouse",
        new { sku, warehouse });

    private static async Task<(long Changed, List<ErpDataIssue> Issues)> ApplyAsync<T>(IPageApplier<T> applier, IReadOnlyList<T> page)
    {
        var issues = new List<ErpDataIssue>();
        var changed = await applier.ApplyAsync(page, (DbConnection _, DbTransaction _, IReadOnlyCollection<ErpDataIssue> found) =>
        {
            issues.AddRange(found);
            return Task.CompletedTask;
        }, CancellationToken.None);
        return (changed, issues);
    }
}
