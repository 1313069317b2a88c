using OrderHub.Erp.SqlDatabase.Tests.Support;
using static OrderHub.Erp.SqlDatabase.Tests.Support.SampleErpDatabase;

namespace OrderHub.Erp.SqlDatabase.Tests;

public class PullTests
{
    [Test]
    public async Task Full_product_pull_maps_the_erp_columns()
    {
        var erp = await CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());

        var page = await adapter.PullProductsAsync(null, CancellationToken.None);

        Assert.That(page.HasMore, Is.False);
        Assert.That(page.Items.Select(p => p.Code), Is.EqualTo(new[] { "P001", "P002", "P003" }));
        var water = page.Items[0];
        Assert.Multiple(() =>
        {
            Assert.That(water.Name, Is.EqualTo("农夫山泉饮用天然水"));
            Assert.That(water.Spec, Is.EqualTo("550ml*24"));
            Assert.That(water.Unit, Is.EqualTo("瓶"));
            Assert.That(water.PackSize, Is.EqualTo(24));
            Assert.That(water.MinOrderQty, Is.EqualTo(24));
            Assert.That(water.Barcode, Is.EqualTo("6921168509256"));
            Assert.That(water.CategoryPath, Is.EqualTo(new[] { "饮料", "饮用水" }));
            Assert.That(water.BasePriceFen, Is.EqualTo(200));
            Assert.That(water.Currency, Is.EqualTo("CNY"));
            Assert.That(water.Active, Is.True);
            Assert.That(water.ChangedAt, Is.EqualTo(Local("2025-01-10 09:00:00")));
            Assert.That(page.Items[1].MinOrderQty, Is.EqualTo(1), "NULL MinOrderQty means 1");
            Assert.That(page.Items[2].Active, Is.False, "停用");
            Assert.That(page.Items[2].CategoryPath, Is.EqualTo(new[] { "休闲食品" }));
        });
        Assert.That(adapter.Issues!.Peek(), Is.Empty);
    }

    [Test]
    public async Task Incremental_pull_returns_only_rows_changed_after_the_cursor()
    {
        var erp = await CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var products = await adapter.PullProductsAsync(null, CancellationToken.None);
        var stock = await adapter.PullStockAsync(null, CancellationToken.None);

        Assert.That((await adapter.PullProductsAsync(products.NextCursor, CancellationToken.None)).Items, Is.Empty);
        Assert.That((await adapter.PullProductsAsync(products.NextCursor, CancellationToken.None)).NextCursor, Is.EqualTo(products.NextCursor));

        await erp.ExecAsync("UPDATE inventory SET iprice = 2.20, dmodifytime = '2025-01-11 08:00:00' WHERE cinvcode = 'P001'");
        await erp.ExecAsync("UPDATE currentstock SET iquantity = 456, dmodifytime = '2025-01-11 08:00:00.5' WHERE cinvcode = 'P001' AND cwhcode = 'WH1'");

        var changed = await adapter.PullProductsAsync(products.NextCursor, CancellationToken.None);
        Assert.That(changed.Items.Select(p => (p.Code, p.BasePriceFen)), Is.EqualTo(new[] { ("P001", 220L) }));
        var stockChanged = await adapter.PullStockAsync(stock.NextCursor, CancellationToken.None);
        Assert.That(stockChanged.Items.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)), Is.EqualTo(new[] { ("P001", "WH1", 456L) }));
        Assert.That((await adapter.PullProductsAsync(changed.NextCursor, CancellationToken.None)).Items, Is.Empty);
    }

    [Test]
    public async Task Paging_returns_every_row_once_even_when_change_times_tie_across_a_page_boundary()
    {
        var erp = await CreateAsync();
        // 7 more products, 4 of which share one change time: with pages of 2 they straddle page boundaries.
        await erp.ExecAsync("""
            INSERT INTO inventory (cinvcode, cinvname, cunit, iprice, dmodifytime)
            SELECT 'Q' || n, '商品' || n, '箱', 10, CASE WHEN n BETWEEN 2 AND 5 THEN timestamp '2025-01-12 10:00:00'
                                                          ELSE timestamp '2025-01-12 10:00:00' + n * interval '1 second' END
            FROM generate_series(1, 7) n
            """);
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => o.PageSize = 2));

        var (items, cursor, calls) = await PageReader.ReadAllAsync<ErpProduct>(adapter.PullProductsAsync);

        Assert.That(items.Select(p => p.Code).Order(), Is.EqualTo(new[] { "P001", "P002", "P003", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7" }));
        Assert.That(calls, Is.GreaterThan(3));
        Assert.That((await adapter.PullProductsAsync(cursor, CancellationToken.None)).Items, Is.Empty);
    }

    [Test]
    public async Task Stock_prices_customers_and_payments_are_pulled_in_fen()
    {
        var erp = await CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());

        var stock = (await adapter.PullStockAsync(null, CancellationToken.None)).Items;
        Assert.That(stock.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)),
            Is.EqualTo(new[] { ("P001", "WH1", 480L), ("P001", "WH2", 96L), ("P002", "WH1", 240L), ("P003", "WH1", 0L) }));

        var prices = (await adapter.PullPricesAsync(null, CancellationToken.None)).Items;
        Assert.That(prices.Select(p => (p.ProductCode, p.Scope, p.ScopeCode, p.MinQty, p.PriceFen, p.IsTrackingPrice)), Is.EquivalentTo(new[]
        {
            ("P001", ErpPriceScope.Base, (string?)null, 1L, 200L, false),
            ("P002", ErpPriceScope.Base, null, 1L, 250L, false),
            ("P003", ErpPriceScope.Base, null, 1L, 700L, false),
            ("P001", ErpPriceScope.CustomerGroup, "KA", 1L, 180L, false),
            ("P001", ErpPriceScope.CustomerGroup, "KA", 240L, 176L, false),
            ("P002", ErpPriceScope.Customer, "C001", 1L, 230L, true),
        }));

        var customers = (await adapter.PullCustomersAsync(null, CancellationToken.None)).Items;
        Assert.That(customers[0], Is.EqualTo(new ErpCustomer("C001", "天河陈记超市", "陈伟", "13800000001", "广州市天河区体育西路1号", "KA",
            5_000_000, 123_456, true, Local("2025-01-10 09:20:00"))));

        var payments = (await adapter.PullPaymentsAsync(null, CancellationToken.None)).Items;
        Assert.That(payments, Is.EqualTo(new[] { new ErpPayment("SK0001", "C001", 50_000, Local("2025-01-10 15:00:00"), "转账") }));
    }

    [Test]
    public async Task A_deleted_customer_price_comes_as_a_deletion()
    {
        var erp = await CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var cursor = (await PageReader.ReadAllAsync<ErpPrice>(adapter.PullPricesAsync)).Cursor;

        await erp.ExecAsync("UPDATE price_adjust SET bdeleted = true, iprice = NULL, dmodifytime = '2025-01-11 10:00:00' WHERE ctarget = 'C001'");

        var page = await adapter.PullPricesAsync(cursor, CancellationToken.None);
        Assert.That(page.Items.Select(p => (p.ProductCode, p.ScopeCode, p.Deleted)), Is.EqualTo(new[] { ("P002", (string?)"C001", true) }));
    }

    [Test]
    public async Task Order_status_changes_are_mapped_through_the_state_map_and_pulled_incrementally()
    {
        var erp = await CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var pushed = await adapter.PushOrderAsync(SampleOrders.Sample("OH-1001"), CancellationToken.None);
        var start = await adapter.PullOrderStatusAsync(null, CancellationToken.None);
        Assert.That(start.Items, Is.Empty, "开立 (just entered) is not a state OrderHub follows");

        await erp.ExecAsync("UPDATE so_main SET cstatus = '审核' WHERE cexternalcode = 'OH-1001'");
        var confirmed = await adapter.PullOrderStatusAsync(start.NextCursor, CancellationToken.None);
        await erp.ExecAsync("UPDATE so_main SET cstatus = '发货' WHERE cexternalcode = 'OH-1001'");
        var shipped = await adapter.PullOrderStatusAsync(confirmed.NextCursor, CancellationToken.None);

        Assert.That(confirmed.Items.Select(s => (s.OrderNumber, s.ErpOrderId, s.State)), Is.EqualTo(new[] { ("OH-1001", pushed.ErpOrderId, ErpOrderState.Confirmed) }));
        Assert.That(shipped.Items.Select(s => s.State), Is.EqualTo(new[] { ErpOrderState.Shipped }));
        Assert.That(adapter.Issues!.Peek(), Is.Empty);
    }
}
