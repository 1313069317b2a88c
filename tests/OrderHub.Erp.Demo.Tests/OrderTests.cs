namespace OrderHub.Erp.Demo.Tests;

public class OrderTests : DemoErpFixture
{
    [Test]
    public async Task A_pushed_order_is_confirmed_then_shipped_after_the_configured_delays()
    {
        var (_, adapter, simulator) = await SeededAsync(o =>
        {
            o.ConfirmAfter = TimeSpan.FromSeconds(10);
            o.ShipAfter = TimeSpan.FromSeconds(60);
            o.StockMovesPerTick = 0;
            o.PaymentChancePerTick = 0;
        });
        var customer = Data.Customers[0];
        var product = Data.Products.First(p => p.Active);
        var warehouse = customer.WarehouseCode;
        var onHand = Data.Stock.Single(s => s.Sku == product.Sku && s.WarehouseCode == warehouse).OnHand;
        var stockCursor = (await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync)).Cursor;
        var customerCursor = (await ReadAllAsync<ErpCustomer>(adapter.PullCustomersAsync)).Cursor;

        var pushed = await adapter.PushOrderAsync(Order("OH-0001", customer.Code, (product.Sku, 2)), CancellationToken.None);
        var cursor = (await adapter.PullOrderStatusAsync(null, CancellationToken.None)).NextCursor;

        async Task<List<ErpOrderStatusChange>> TickAt(int seconds)
        {
            Clock.Now = Start + TimeSpan.FromSeconds(seconds);
            await simulator.TickAsync();
            var page = await adapter.PullOrderStatusAsync(cursor, CancellationToken.None);
            cursor = page.NextCursor;
            return page.Items.ToList();
        }

        Assert.That(await TickAt(9), Is.Empty);
        Assert.That(await TickAt(10), Is.EqualTo(new[] { new ErpOrderStatusChange("OH-0001", pushed.ErpOrderId, ErpOrderState.Confirmed, Start.AddSeconds(10), "已审核") }));
        Assert.That(await TickAt(59), Is.Empty);
        var shipped = await TickAt(60);
        Assert.That(shipped.Select(s => (s.OrderNumber, s.ErpOrderId, s.State, s.ChangedAt)),
            Is.EqualTo(new[] { ("OH-0001", pushed.ErpOrderId, ErpOrderState.Shipped, Start.AddSeconds(60)) }));
        Assert.That(await TickAt(120), Is.Empty);

        // Shipping shows in the other feeds too: the goods left the warehouse, the customer owes the order's total.
        var stock = (await ReadAllAsync<ErpStockLevel>(adapter.PullStockAsync, stockCursor)).Items;
        Assert.That(stock.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)), Is.EqualTo(new[] { (product.Sku, warehouse, Math.Max(0, onHand - 2)) }));
        var customers = (await ReadAllAsync<ErpCustomer>(adapter.PullCustomersAsync, customerCursor)).Items;
        Assert.That(customers.Select(c => (c.Code, c.ReceivableFen)), Is.EqualTo(new[] { (customer.Code, customer.ReceivableFen + 200) }));
    }

    [Test]
    public async Task A_tick_long_after_the_push_both_confirms_and_ships()
    {
        var (_, adapter, simulator) = await SeededAsync();
        await adapter.PushOrderAsync(Order("OH-0002", Data.Customers[1].Code, (Data.Products[1].Sku, 1)), CancellationToken.None);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var tick = await simulator.TickAsync();

        Assert.That((tick.OrdersConfirmed, tick.OrdersShipped), Is.EqualTo((1, 1)));
        var states = (await adapter.PullOrderStatusAsync(null, CancellationToken.None)).Items.Select(s => s.State);
        Assert.That(states, Is.EqualTo(new[] { ErpOrderState.Confirmed, ErpOrderState.Shipped }));
    }

    [Test]
    public async Task Push_is_idempotent_on_the_order_number()
    {
        var (_, adapter, _) = await SeededAsync();
        var order = Order("OH-0003", Data.Customers[2].Code, (Data.Products[2].Sku, 3), (Data.Products[3].Sku, 1));

        Assert.That(await adapter.FindOrderAsync("OH-0003", CancellationToken.None), Is.Null);
        var first = await adapter.PushOrderAsync(order, CancellationToken.None);
        var second = await adapter.PushOrderAsync(order, CancellationToken.None);
        var other = await adapter.PushOrderAsync(order with { OrderNumber = "OH-0004" }, CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(await adapter.FindOrderAsync("OH-0003", CancellationToken.None), Is.EqualTo(first));
        Assert.That(other.ErpOrderId, Is.Not.EqualTo(first.ErpOrderId));
    }

    [Test]
    public async Task Refused_orders_throw_rejected_and_leave_nothing()
    {
        var (erp, adapter, _) = await SeededAsync();
        var blocked = Data.Customers[3].Code;
        erp.Options.RejectCustomerCodes.Add(blocked);
        var product = Data.Products[0].Sku;

        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(Order("OH-0005", blocked, (product, 1)), CancellationToken.None));
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(Order("OH-0006", "NO-SUCH", (product, 1)), CancellationToken.None));
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(Order("OH-0007", Data.Customers[0].Code, ("NO-SUCH", 1)), CancellationToken.None));

        foreach (var n in new[] { "OH-0005", "OH-0006", "OH-0007" })
            Assert.That(await adapter.FindOrderAsync(n, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_unavailable_switch_makes_every_call_throw_until_it_is_switched_back()
    {
        var (erp, adapter, simulator) = await SeededAsync();
        erp.Options.Unavailable = true;
        var order = Order("OH-0008", Data.Customers[0].Code, (Data.Products[0].Sku, 1));

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullProductsAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullStockAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullPricesAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullCustomersAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullPaymentsAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullOrderStatusAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.FindOrderAsync("OH-0008", CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PushOrderAsync(order, CancellationToken.None));
        Assert.That(await simulator.TickAsync(), Is.Not.Null, "the ERP itself keeps working");

        erp.Options.Unavailable = false;
        Assert.That((await adapter.PushOrderAsync(order, CancellationToken.None)).OrderNumber, Is.EqualTo("OH-0008"));
    }
}
