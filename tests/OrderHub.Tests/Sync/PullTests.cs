using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>ERP → OrderHub: full and incremental pulls into the catalog, bad rows recorded beside the good ones, payments once.</summary>
public sealed class PullTests
{
    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Full_then_incremental_pulls_land_in_the_catalog(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind, seedOrderHub: false);
        // The customer groups are OrderHub's own setting; the ERP's group codes match them.
        await w.Exec("INSERT INTO customer_groups (code, name, sort_order) VALUES ('KA', 'A类', 0), ('CHAIN', 'B类', 1), ('SHOP', 'C类', 2)");

        var results = await w.Sync.PullAllAsync();

        Assert.That(results.Select(r => r.Error), Is.All.Null);
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM products"), Is.EqualTo(w.Data.Products.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM products WHERE search_text = '' OR category_id IS NULL"), Is.Zero);
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM customers WHERE group_id IS NOT NULL"), Is.EqualTo(w.Data.Customers.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM stock"), Is.EqualTo(w.Data.Stock.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM customer_prices"), Is.EqualTo(w.Data.CustomerPrices.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM customer_prices WHERE source = 'erp_tracking'"),
            Is.EqualTo(w.Data.CustomerPrices.Count(p => p.Source == "erp_tracking")));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM price_list_items"), Is.EqualTo(w.Data.PriceListItems.Count));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM sync_issues"), Is.Zero);

        // A customer sees ERP stock as available stock, through the catalog.
        var customer = await w.Customer(w.Data.Customers[0].Code);
        var warehouse = await w.Scalar<string>("SELECT code FROM warehouses WHERE id = @WarehouseId", customer);
        var sku = w.Data.Stock.First(s => s.WarehouseCode == warehouse && s.OnHand > 0).Sku;
        var before = await w.Catalog.GetAsync(customer, sku);
        Assert.That(before!.Stock.Available, Is.EqualTo(w.Data.Stock.Single(s => s.Sku == sku && s.WarehouseCode == warehouse).OnHand));

        // Incremental: one stock row and one base price change in the ERP; the next pulls move exactly those.
        w.Clock.Advance(TimeSpan.FromMinutes(1));
        await w.ErpDesk.SetStockAsync(sku, warehouse, 4321, w.NowMs);
        await w.ErpDesk.SetBasePriceAsync(sku, 9999, w.NowMs);
        var stock = await w.Sync.PullStockAsync();
        var prices = await w.Sync.PullPricesAsync();

        Assert.That((stock.RowsChanged, stock.Pages), Is.EqualTo((1L, 1)));
        Assert.That(prices.RowsChanged, Is.EqualTo(1));
        var after = await w.Catalog.GetAsync(customer, sku);
        Assert.That(after!.Stock.Available, Is.EqualTo(4321));
        Assert.That(after.BasePriceFen, Is.EqualTo(9999));
        var health = await w.Health.GetAsync(w.Erp.Name);
        var stockHealth = health.Feeds.Single(f => f.Feed == SyncFeed.Stock);
        Assert.That((stockHealth.RowsChanged, stockHealth.ConsecutiveFailures, stockHealth.LagSeconds), Is.EqualTo((1L, 0, 0.0)));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Bad_rows_are_recorded_and_the_rest_of_the_page_is_applied(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        await w.Sync.PullAllAsync();
        var now = w.Clock.GetUtcNow();
        var sku = w.Data.Products[1].Sku;
        var customer = w.Data.Customers[2].Code;
        w.Erp.StockPage = new ErpPage<ErpStockLevel>([
            new("NO-SUCH-SKU", "WH-BY", 10, now),
            new(sku, "WH-BY", -5, now),
            new(sku, "WH-NEW", 77, now),
        ], "x1", false);
        w.Erp.PricePage = new ErpPage<ErpPrice>([
            new(sku, ErpPriceScope.Customer, customer, 1, 100, "USD", false, now),
            new(sku, ErpPriceScope.Customer, "C99999", 1, 100, "CNY", true, now),
            new("NO-SUCH-SKU", ErpPriceScope.Base, null, 1, 100, "CNY", false, now),
            new(sku, ErpPriceScope.Customer, customer, 1, 1234, "CNY", true, now),
        ], "x2", false);
        w.Erp.PaymentPage = new ErpPage<ErpPayment>([
            new("PAY-BAD", "C99999", 10_000, now, null),
            new("PAY-OK", customer, 10_000, now, null),
        ], "x3", false);

        var stock = await w.Sync.PullStockAsync();
        var prices = await w.Sync.PullPricesAsync();
        var payments = await w.Sync.PullPaymentsAsync();

        Assert.That((stock.Error, stock.Issues, stock.RowsChanged), Is.EqualTo(((string?)null, 2, 2L)));
        Assert.That((prices.Error, prices.Issues, prices.RowsChanged), Is.EqualTo(((string?)null, 3, 1L)));
        Assert.That((payments.Error, payments.Issues, payments.RowsChanged), Is.EqualTo(((string?)null, 1, 1L)));
        Assert.That(await w.Scalar<long>("SELECT s.on_hand FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses h ON h.id = s.warehouse_id WHERE p.sku = @sku AND h.code = 'WH-BY'", new { sku }), Is.Zero, "negative taken as 0");
        Assert.That(await w.Scalar<long>("SELECT s.on_hand FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses h ON h.id = s.warehouse_id WHERE p.sku = @sku AND h.code = 'WH-NEW'", new { sku }), Is.EqualTo(77), "new warehouse created");
        Assert.That(await w.Scalar<long>("SELECT price_fen FROM customer_prices cp JOIN products p ON p.id = cp.product_id JOIN customers c ON c.id = cp.customer_id WHERE p.sku = @sku AND c.code = @customer AND cp.source = 'erp_tracking' AND cp.min_qty = 1", new { sku, customer }), Is.EqualTo(1234));
        var health = await w.Health.GetAsync(w.Erp.Name);
        Assert.That(health.RecentIssues.Select(i => (i.Feed, i.Key)), Is.SupersetOf(new (string, string?)[]
        {
            (SyncFeed.Stock, "NO-SUCH-SKU@WH-BY"), (SyncFeed.Stock, $"{sku}@WH-BY"), (SyncFeed.Payments, "PAY-BAD"),
            (SyncFeed.Prices, $"{sku}@Customer:C99999"), (SyncFeed.Prices, "NO-SUCH-SKU"), (SyncFeed.Prices, $"{sku}@Customer:{customer}"),
        }));
        Assert.That(health.RecentIssues.Single(i => i.Key == $"{sku}@WH-BY").RowSkipped, Is.False, "taken after a correction");
        Assert.That(health.RecentIssues.Single(i => i.Key == $"{sku}@Customer:{customer}").Problem, Does.Contain("USD"));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_store_price_from_an_ERP_price_list_is_shown_with_the_lists_name_not_as_an_agreed_price(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind, seedOrderHub: false);
        await w.Sync.PullAllAsync();
        var customer = await w.Customer(w.Data.Customers[0].Code);
        var sku = w.Data.Products.First(p => p.Active).Sku;
        var now = w.Clock.GetUtcNow();
        w.Erp.PricePage = new ErpPage<ErpPrice>([
            new(sku, ErpPriceScope.Customer, customer.Code, 1, 4321, "CNY", false, now, ListName: "华南二批价"),
        ], "lists", false);

        var run = await w.Sync.PullPricesAsync();

        Assert.That(run.Error, Is.Null);
        var item = await w.Catalog.GetAsync(customer, sku);
        Assert.That(item!.Price.UnitPriceFen, Is.EqualTo(4321));
        Assert.That(item.Price.Source, Is.EqualTo(OrderHub.Domain.Pricing.PriceSource.CustomerPrice));
        Assert.That(item.Price.Reason, Is.EqualTo("价目表 华南二批价"));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_payment_is_booked_once_even_when_pulled_twice(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        await w.Sync.PullAllAsync();
        var customer = w.Data.Customers[5].Code;
        var balance = () => w.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries l JOIN customers c ON c.id = l.customer_id WHERE c.code = @customer", new { customer });
        var before = await balance();
        await w.ErpDesk.AddPaymentAsync("SK-TEST-1", customer, 50_000, w.NowMs);

        var first = await w.Sync.PullPaymentsAsync();
        var resync = await w.FullResync.RunAsync(); // forgets the cursors: every payment comes again
        var again = await w.Sync.PullPaymentsAsync();

        Assert.That(first.RowsChanged, Is.EqualTo(1));
        Assert.That(resync.Single(r => r.Feed == SyncFeed.Payments).Pages, Is.GreaterThan(0));
        Assert.That(resync.Single(r => r.Feed == SyncFeed.Payments).RowsChanged, Is.Zero);
        Assert.That(again.RowsChanged, Is.Zero);
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE external_ref = 'erp:SK-TEST-1' AND kind = 'payment' AND amount_fen = -50000"), Is.EqualTo(1));
        Assert.That(await balance(), Is.EqualTo(before - 50_000));
    }
}
