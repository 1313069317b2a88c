namespace OrderHub.Erp.Demo.Tests;

public class PullTests : DemoErpFixture
{
    [Test]
    public async Task A_full_pull_returns_the_whole_seeded_distributor()
    {
        var (_, adapter, _) = await SeededAsync();

        var products = (await ReadAllAsync<ErpProduct>(adapter.PullProductsAsync)).Items;
        var stock = (await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync)).Items;
        var prices = (await ReadAllAsync<ErpPrice>(adapter.PullPricesAsync)).Items;
        var customers = (await ReadAllAsync<ErpCustomer>(adapter.PullCustomersAsync)).Items;

        Assert.That(products.Select(p => p.Code), Is.EqualTo(Data.Products.Select(p => p.Sku)));
        Assert.That(stock, Has.Count.EqualTo(Data.Stock.Count));
        Assert.That(prices, Has.Count.EqualTo(Data.Products.Count + Data.PriceListItems.Count + Data.CustomerPrices.Count));
        Assert.That(customers.Select(c => (c.Code, c.ReceivableFen)), Is.EqualTo(Data.Customers.Select(c => (c.Code, c.ReceivableFen))));
        Assert.That((await ReadAllAsync<ErpPayment>(adapter.PullPaymentsAsync)).Items, Is.Empty);

        var first = Data.Products[0];
        Assert.That(products[0], Is.EqualTo(products[0] with
        {
            Name = first.Name, Unit = first.Unit, PackSize = first.PackSize, BasePriceFen = first.BasePriceFen, Currency = "CNY", ChangedAt = Start,
        }));
        Assert.That(products[0].CategoryPath, Is.EqualTo(new[] { "饮料", "饮用水" }));
        Assert.That(prices.Count(p => p.Scope == ErpPriceScope.CustomerGroup && p.ScopeCode == "KA"), Is.EqualTo(Data.Products.Count * 2));
        Assert.That(prices.Count(p => p.IsTrackingPrice), Is.EqualTo(Data.CustomerPrices.Count(p => p.Source == "erp_tracking")));
        Assert.That(stock.Sum(s => s.OnHand), Is.EqualTo(Data.Stock.Sum(s => s.OnHand)));
    }

    [Test]
    public async Task After_a_tick_an_incremental_pull_returns_only_what_changed()
    {
        var (_, adapter, simulator) = await SeededAsync(o => { o.StockMovesPerTick = 4; o.PaymentChancePerTick = 1; });
        var (stockBefore, stockCursor) = await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync);
        var productCursor = (await ReadAllAsync<ErpProduct>(adapter.PullProductsAsync)).Cursor;
        var priceCursor = (await ReadAllAsync<ErpPrice>(adapter.PullPricesAsync)).Cursor;
        var customerCursor = (await ReadAllAsync<ErpCustomer>(adapter.PullCustomersAsync)).Cursor;
        var paymentCursor = (await ReadAllAsync<ErpPayment>(adapter.PullPaymentsAsync)).Cursor;

        Clock.Advance(TimeSpan.FromSeconds(5));
        var tick = await simulator.TickAsync();

        var moved = (await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync, stockCursor)).Items;
        Assert.That(tick.StockMoves, Is.EqualTo(4));
        Assert.That(moved, Has.Count.InRange(1, 4));
        foreach (var m in moved)
        {
            var before = stockBefore.Single(s => s.ProductCode == m.ProductCode && s.WarehouseCode == m.WarehouseCode);
            Assert.That(m.OnHand, Is.Not.EqualTo(before.OnHand).And.GreaterThanOrEqualTo(0));
            Assert.That(m.ChangedAt, Is.EqualTo(Clock.Now));
        }
        Assert.That((await adapter.PullProductsAsync(productCursor, CancellationToken.None)).Items, Is.Empty);
        Assert.That((await adapter.PullPricesAsync(priceCursor, CancellationToken.None)).Items, Is.Empty);

        var payments = (await ReadAllAsync<ErpPayment>(adapter.PullPaymentsAsync, paymentCursor)).Items;
        var customers = (await ReadAllAsync<ErpCustomer>(adapter.PullCustomersAsync, customerCursor)).Items;
        Assert.That(payments, Has.Count.EqualTo(1));
        Assert.That(customers.Select(c => c.Code), Is.EqualTo(new[] { payments[0].CustomerCode }));
        Assert.That(customers[0].ReceivableFen,
            Is.EqualTo(Data.Customers.Single(c => c.Code == payments[0].CustomerCode).ReceivableFen - payments[0].AmountFen));

        var (again, _) = await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync, (await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync, stockCursor)).Cursor);
        Assert.That(again, Is.Empty);
    }

    [Test]
    public async Task The_same_seed_gives_the_same_moves()
    {
        var (_, adapterA, simulatorA) = await SeededAsync();
        var (_, adapterB, simulatorB) = await SeededAsync();
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(5));
            await simulatorA.TickAsync();
            await simulatorB.TickAsync();
        }

        var a = (await ReadAllAsync<ErpStockLevel>(adapterA.PullStockAsync)).Items;
        var b = (await ReadAllAsync<ErpStockLevel>(adapterB.PullStockAsync)).Items;
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.Select(s => s.OnHand), Is.Not.EqualTo(Data.Stock.Select(s => s.OnHand)));
    }

    [Test]
    public async Task A_second_instance_on_the_same_file_keeps_the_data_and_does_not_seed_again()
    {
        var (erp, adapter, _) = await SeededAsync();
        var cursor = (await ReadAllAsync<ErpProduct>(adapter.PullProductsAsync)).Cursor;

        var reopened = new DemoErp(erp.Options, Clock);
        Assert.That(await reopened.SeedIfEmptyAsync(Data), Is.False);
        Assert.That((await ReadAllAsync<ErpProduct>(new DemoErpAdapter(reopened).PullProductsAsync)).Cursor, Is.EqualTo(cursor));
    }
}
