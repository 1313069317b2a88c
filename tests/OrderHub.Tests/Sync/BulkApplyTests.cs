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

    /// <summary>
    /// A second import of group and customer prices after a first one: changed prices, prices the ERP re-sends with other
    /// 4-decimal yuan that round to the same fen (unchanged), changed list names, removed prices, a removal of a price that
    /// never came, and new prices, in pages of a few hundred. The tables must hold exactly the expected rows, unchanged rows
    /// keep their updated_at, and the rows-changed count is exactly the changes.
    /// </summary>
    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_second_import_with_changed_removed_and_new_prices_leaves_exactly_the_right_rows(string kind)
    {
        var seed = Environment.TickCount;
        var rnd = new Random(seed);
        var w = await SyncWorld.CreateAsync(kind);
        await w.Exec("DELETE FROM customer_prices");
        await w.Exec("DELETE FROM price_list_items");
        var customers = w.Data.Customers.Take(12).Select(c => c.Code).ToList();
        var skus = w.Data.Products.Take(60).Select(p => p.Sku).ToList();
        var groups = w.Data.Groups.Select(g => g.Code).ToList();
        string?[] listNames = [null, "2026 年度合同", "春节跟踪价"];

        // A price as an ERP keeps it: yuan with 4 decimals, within ±0.0049 of a whole fen, so the adapter's rounding gives that fen.
        decimal Yuan(long fen) => fen / 100m + rnd.Next(-49, 50) / 10_000m;
        long Fen(decimal yuan) => ErpMoney.ToFen(yuan, SubFenPolicy.Round, out _)!.Value;
        long NewFen(long old) { long f; do f = Math.Max(0, old + rnd.Next(-500, 501)); while (f == old); return f; }

        // The model: what OrderHub must hold. Customer key: (customer, sku, tracking, min qty); group key: (group, sku, min qty).
        var customerModel = new Dictionary<(string C, string Sku, bool Tracking, long Min), (long Fen, string? List, long At)>();
        var groupModel = new Dictionary<(string G, string Sku, long Min), (long Fen, long At)>();
        var first = new List<ErpPrice>();
        var firstAt = w.Clock.GetUtcNow();
        foreach (var c in customers)
        foreach (var sku in skus.Where(_ => rnd.Next(3) > 0))
        {
            var key = (c, sku, rnd.Next(2) == 0, rnd.Next(4) == 0 ? 10L : 1L);
            var fen = rnd.Next(1, 100_000);
            var list = listNames[rnd.Next(listNames.Length)];
            customerModel[key] = (fen, list, firstAt.ToUnixTimeMilliseconds());
            first.Add(new ErpPrice(sku, ErpPriceScope.Customer, c, key.Item4, Fen(Yuan(fen)), "CNY", key.Item3, firstAt, ListName: list));
        }
        foreach (var g in groups)
        foreach (var sku in skus.Where(_ => rnd.Next(2) == 0))
        {
            var key = (g, sku, rnd.Next(3) == 0 ? 6L : 1L);
            var fen = rnd.Next(1, 100_000);
            groupModel[key] = (fen, firstAt.ToUnixTimeMilliseconds());
            first.Add(new ErpPrice(sku, ErpPriceScope.CustomerGroup, g, key.Item3, Fen(Yuan(fen)), "CNY", false, firstAt));
        }
        var (firstChanged, firstIssues, firstRowByRow) = await ImportAsync(w, first.OrderBy(_ => rnd.Next()).ToList(), rnd);
        Assert.That((firstChanged, firstIssues.Count, firstRowByRow), Is.EqualTo((customerModel.Count + groupModel.Count, 0, 0)), $"first import, seed {seed}");
        var versionAfterFirst = await w.Scalar<long>("SELECT version FROM catalog_version");

        w.Clock.Advance(TimeSpan.FromHours(1));
        var secondAt = w.Clock.GetUtcNow();
        var second = new List<ErpPrice>();
        long expectedChanged = 0;
        foreach (var (key, old) in customerModel.ToList())
        {
            switch (rnd.Next(10))
            {
                case 0 or 1 or 2: // a new price
                    var fen = NewFen(old.Fen);
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.Customer, key.C, key.Min, Fen(Yuan(fen)), "CNY", key.Tracking, secondAt, ListName: old.List));
                    customerModel[key] = (fen, old.List, secondAt.ToUnixTimeMilliseconds());
                    expectedChanged++;
                    break;
                case 3 or 4: // re-sent: other decimals, the same fen, the list name padded with blanks: unchanged
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.Customer, key.C, key.Min, Fen(Yuan(old.Fen)), "CNY", key.Tracking, secondAt,
                        ListName: old.List is null ? " " : $" {old.List} "));
                    break;
                case 5: // the same price under another list name
                    var list = old.List == listNames[1] ? listNames[2] : listNames[1];
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.Customer, key.C, key.Min, Fen(Yuan(old.Fen)), "CNY", key.Tracking, secondAt, ListName: list));
                    customerModel[key] = (old.Fen, list, secondAt.ToUnixTimeMilliseconds());
                    expectedChanged++;
                    break;
                case 6 or 7: // removed in the ERP
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.Customer, key.C, key.Min, 0, "CNY", key.Tracking, secondAt, Deleted: true));
                    customerModel.Remove(key);
                    expectedChanged++;
                    break;
                // otherwise not sent again
            }
        }
        foreach (var (key, old) in groupModel.ToList())
        {
            switch (rnd.Next(6))
            {
                case 0 or 1:
                    var fen = NewFen(old.Fen);
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.CustomerGroup, key.G, key.Min, Fen(Yuan(fen)), "CNY", false, secondAt));
                    groupModel[key] = (fen, secondAt.ToUnixTimeMilliseconds());
                    expectedChanged++;
                    break;
                case 2:
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.CustomerGroup, key.G, key.Min, Fen(Yuan(old.Fen)), "CNY", false, secondAt));
                    break;
                case 3:
                    second.Add(new ErpPrice(key.Sku, ErpPriceScope.CustomerGroup, key.G, key.Min, 0, "CNY", false, secondAt, Deleted: true));
                    groupModel.Remove(key);
                    expectedChanged++;
                    break;
            }
        }
        // New prices: other customers and tiers; and removals of prices OrderHub never had (nothing to remove, no change).
        foreach (var c in w.Data.Customers.Skip(12).Take(4).Select(x => x.Code))
        foreach (var sku in skus.Where(_ => rnd.Next(2) == 0))
        {
            var key = (c, sku, true, 1L);
            if (rnd.Next(8) == 0)
            {
                second.Add(new ErpPrice(sku, ErpPriceScope.Customer, c, 1, 0, "CNY", true, secondAt, Deleted: true));
                continue;
            }
            var fen = rnd.Next(0, 100_000);
            customerModel[key] = (fen, null, secondAt.ToUnixTimeMilliseconds());
            second.Add(new ErpPrice(sku, ErpPriceScope.Customer, c, 1, Fen(Yuan(fen)), "CNY", true, secondAt));
            expectedChanged++;
        }
        foreach (var g in groups)
        foreach (var sku in skus.Where(_ => rnd.Next(4) == 0))
        {
            var key = (g, sku, 50L);
            if (groupModel.ContainsKey(key)) continue;
            var fen = rnd.Next(1, 100_000);
            groupModel[key] = (fen, secondAt.ToUnixTimeMilliseconds());
            second.Add(new ErpPrice(sku, ErpPriceScope.CustomerGroup, g, 50, Fen(Yuan(fen)), "CNY", false, secondAt));
            expectedChanged++;
        }
        var (secondChanged, secondIssues, secondRowByRow) = await ImportAsync(w, second.OrderBy(_ => rnd.Next()).ToList(), rnd);

        Assert.That((secondIssues.Count, secondRowByRow), Is.EqualTo((0, 0)), $"no issues, every page in bulk; seed {seed}");
        Assert.That(secondChanged, Is.EqualTo(expectedChanged), $"rows changed; seed {seed}");
        var actualCustomer = (await Dump(w, """
            SELECT c.code, p.sku, cp.source, cp.min_qty, cp.price_fen, cp.list_name, cp.updated_at
            FROM customer_prices cp JOIN customers c ON c.id = cp.customer_id JOIN products p ON p.id = cp.product_id
            """)).Order(StringComparer.Ordinal).ToList();
        var expectedCustomer = customerModel.Select(x => string.Join(" | ", x.Key.C, x.Key.Sku,
                x.Key.Tracking ? PriceApplier.TrackingSource : PriceApplier.ContractSource, x.Key.Min, x.Value.Fen, x.Value.List ?? "null", x.Value.At))
            .Order(StringComparer.Ordinal).ToList();
        Assert.That(actualCustomer, Is.EqualTo(expectedCustomer), $"customer prices; seed {seed}");
        var actualGroup = (await Dump(w, """
            SELECT g.code, p.sku, i.min_qty, i.price_fen, i.updated_at
            FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id JOIN customer_groups g ON g.id = l.customer_group_id
                 JOIN products p ON p.id = i.product_id
            """)).Order(StringComparer.Ordinal).ToList();
        var expectedGroup = groupModel.Select(x => string.Join(" | ", x.Key.G, x.Key.Sku, x.Key.Min, x.Value.Fen, x.Value.At)).Order(StringComparer.Ordinal).ToList();
        Assert.That(actualGroup, Is.EqualTo(expectedGroup), $"group price-list rows; seed {seed}");
        Assert.That(await w.Scalar<long>("SELECT version FROM catalog_version"), Is.GreaterThan(versionAfterFirst), "group prices changed: the catalog snapshot is renewed");
    }

    /// <summary>Applies the prices in pages of 100–400 rows, as the feed would; returns the rows changed, the issues and the pages applied row by row.</summary>
    private static async Task<(long Changed, List<ErpDataIssue> Issues, int RowByRowPages)> ImportAsync(SyncWorld w, List<ErpPrice> prices, Random rnd)
    {
        var applier = new PriceApplier(w.Db, w.Clock);
        long changed = 0;
        var issues = new List<ErpDataIssue>();
        for (var start = 0; start < prices.Count;)
        {
            var size = rnd.Next(100, 401);
            var (n, found) = await ApplyAsync(applier, prices.Skip(start).Take(size).ToList());
            changed += n;
            issues.AddRange(found);
            start += size;
        }
        return (changed, issues, applier.RowByRowPages);
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
