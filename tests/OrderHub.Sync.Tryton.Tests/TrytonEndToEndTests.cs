using OrderHub.Domain.People;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Application.Sync;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Erp.Tryton;
using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using OrderHub.Testing;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Sync.Tryton.Tests;

/// <summary>
/// OrderHub synced from a real Tryton by its own jobs: the catalog shows Tryton's products, stock and customer prices; changes
/// in Tryton arrive after one run of the pull jobs; an approved order becomes exactly one Tryton sale (also when the push is
/// forced to run again); shipping it in Tryton ships it in OrderHub. The steps build on each other, in order.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class TrytonEndToEndTests
{
    private const string Customer = TrytonSeed.TieredCustomer; // C001: price list TEA-001 82.00, from 10 pieces 78.50
    private Db _db = null!;
    private TrytonErpAdapter _erp = null!;
    private TrytonJsonRpcClient _rpc = null!;
    private ErpSyncService _sync = null!;
    private OrderPushService _push = null!;
    private CatalogService _catalog = null!;
    private CartService _carts = null!;
    private OrderPlacement _placement = null!;
    private OrderFlowService _flow = null!;
    private static SubmitResult _order = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await SeededTryton.StartAsync();
        _db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        _erp = SeededTryton.NewAdapter();
        _rpc = new TrytonJsonRpcClient(SeededTryton.Server.AdminOptions());
        var clock = TimeProvider.System;
        var flowOptions = new OrderFlowOptions();
        _flow = new OrderFlowService(_db, flowOptions, clock);
        var state = new SyncStateStore(_db, new ErpSyncOptions());
        _sync = new ErpSyncService(_erp, _db, _flow, new FeedRunner(state, new SyncIssueCollector(), new ErpSyncOptions(), clock), clock);
        _push = new OrderPushService(_db, _erp, new OutboxLease(_db), new ErpOrderBuilder(_db), state, new OrderPushOptions(), clock);
        var resolver = new PriceResolver(new PricingOptions());
        var quoter = new OrderQuoter(_db, resolver);
        _catalog = new CatalogService(_db, resolver, new CatalogOptions(), clock);
        _carts = new CartService(_db, quoter, clock);
        _placement = new OrderPlacement(_db, quoter, new OrderingOptions(), flowOptions, clock);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _erp?.Dispose();
        _rpc?.Dispose();
        await SeededTryton.StopAsync();
    }

    [Test, Order(1)]
    public async Task OrderHub_synced_from_Tryton_shows_its_products_stock_and_customer_prices()
    {
        var started = DateTime.UtcNow;
        var results = await new FullResync(new SyncStateStore(_db, new ErpSyncOptions()), _sync).RunAsync();
        TestContext.Progress.WriteLine($"Full sync from Tryton: {string.Join(", ", results.Select(r => $"{r.Feed} {r.RowsChanged}"))} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        Assert.That(results.Select(r => r.Error), Is.All.Null);
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM products"), Is.EqualTo(TrytonSeed.Products.Length));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM customers"), Is.EqualTo(TrytonSeed.Customers.Length));
        var c001 = await CustomerAsync();
        var tea = (await _catalog.GetAsync(c001, "TEA-001"))!;
        Assert.That(tea.Name, Is.EqualTo("铁观音 500g"));
        Assert.That(tea.Stock.Available, Is.EqualTo(100));
        Assert.That(tea.Price.UnitPriceFen, Is.EqualTo(8200), tea.Price.Reason);
        Assert.That(tea.Tiers.Select(t => (t.MinQty, t.PriceFen)), Does.Contain((10L, 7850L)));
        Assert.That(tea.BasePriceFen, Is.EqualTo(8500));
        Assert.That(await Scalar<string>("SELECT category_path FROM products WHERE sku = 'TEA-001'"), Does.Match(@"^/\d+/\d+/$"));
    }

    [Test, Order(2)]
    public async Task Stock_and_a_price_changed_in_Tryton_show_after_one_run_of_the_pull_jobs()
    {
        await SeededTryton.Seed.SetStockAsync("TEA-001", 80);
        await SeededTryton.Seed.SetPriceListLineAsync("TEA-001", null, "80.00");

        await new PullStock(_sync, NullLogger<PullStock>.Instance).RunAsync(default);
        await new PullPrices(_sync, NullLogger<PullPrices>.Instance).RunAsync(default);

        var tea = (await _catalog.GetAsync(await CustomerAsync(), "TEA-001"))!;
        Assert.That(tea.Stock.Available, Is.EqualTo(80));
        Assert.That(tea.Price.UnitPriceFen, Is.EqualTo(8000));
    }

    [Test, Order(3)]
    public async Task An_approved_order_becomes_exactly_one_Tryton_sale_even_when_the_push_runs_again()
    {
        var customer = await CustomerAsync();
        var userId = await Scalar<long>("""
            INSERT INTO customer_users (customer_id, name, phone, role, active, created_at) VALUES (@CustomerId, '店主', '13800000001', 'owner', TRUE, 0) RETURNING id
            """, customer);
        var owner = CartOwner.User(userId);
        await _carts.AddAsync(owner, customer, "TEA-001", 12);
        await _carts.AddAsync(owner, customer, "CUP-001", 2);
        var address = await Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @CustomerId", customer);
        _order = await _placement.SubmitAsync(new SubmitOrder(owner, customer, new Actor("customer_user", userId, "店主"), null, address, "OrderHub 测试单", Guid.NewGuid().ToString()));
        await Act(OrderAction.ApproveSales, "clerk");
        await Act(OrderAction.ApproveFinance, "finance");

        await PushJob();
        var sales = await SalesAsync();
        Assert.That(sales, Has.Count.EqualTo(1));
        Assert.That(await Scalar<string>("SELECT erp_order_id FROM orders WHERE id = @OrderId", _order), Is.EqualTo(sales[0].Id.ToString()));
        var lines = await _rpc.ReadAsync("sale.line", sales[0].Ids("lines"), ["product", "quantity", "unit_price"], default);
        Assert.That(lines.Select(l => (l.Int("product"), l.Double("quantity"), l.DecimalOrNull("unit_price"))), Is.EquivalentTo(new[]
        {
            (SeededTryton.Seed.ProductIds["TEA-001"], 12.0, (decimal?)78.50m),
            (SeededTryton.Seed.ProductIds["CUP-001"], 2.0, (decimal?)10.80m),
        }));

        // Force a retry: the row goes back to pending as if the acknowledgement had been lost.
        await Exec("UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE aggregate_id = @OrderId", _order);
        await PushJob();
        Assert.That(await SalesAsync(), Has.Count.EqualTo(1));
        Assert.That(await Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @OrderId", _order), Is.EqualTo("sent"));
    }

    [Test, Order(4)]
    public async Task Shipping_the_sale_in_Tryton_ships_the_order_in_OrderHub()
    {
        var erpId = await Scalar<string>("SELECT erp_order_id FROM orders WHERE id = @OrderId", _order);
        await new PullOrderStatus(_sync, NullLogger<PullOrderStatus>.Instance).RunAsync(default);
        await SeededTryton.Seed.ShipSaleAsync(int.Parse(erpId));

        await new PullOrderStatus(_sync, NullLogger<PullOrderStatus>.Instance).RunAsync(default);

        Assert.That(await Scalar<string>("SELECT status FROM orders WHERE id = @OrderId", _order), Is.EqualTo(OrderStatus.Shipped));
        Assert.That(OrderStatus.Label(OrderStatus.Shipped), Does.Contain("发货"));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @OrderId AND actor_kind = 'erp' AND to_status = 'shipped'", _order), Is.EqualTo(1));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @OrderId AND action = 'erp_confirmed'", _order), Is.EqualTo(1));
    }

    [Test, Order(5)]
    public async Task A_push_interrupted_after_Tryton_quoted_the_sale_is_resumed_to_confirmed_and_only_then_marked_sent()
    {
        var order = await PlaceApprovedOrderAsync("C002", ("POT-001", 1));
        // The earlier push died right after Tryton quoted the sale: a quotation carries the order number.
        var saleId = await SeededTryton.Seed.CreateQuotationAsync(order.OrderNo, "C002", "POT-001");

        await PushJob();

        var sales = await _rpc.SearchReadAsync("sale.sale", [D("reference", "=", order.OrderNo)], ["state"], default);
        Assert.That(sales.Select(x => x.Id), Is.EqualTo(new[] { saleId }), "the same sale, not a second one");
        Assert.That(sales[0].String("state"), Is.AnyOf("confirmed", "processing"), "resumed from quotation");
        Assert.That(await Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @OrderId", order), Is.EqualTo("sent"));
    }

    [Test, Order(6)]
    public async Task A_push_Tryton_cannot_confirm_is_parked_with_Tryton_s_message_as_a_sync_issue_not_marked_sent()
    {
        // C004 has a 1 000 yuan credit limit: Tryton warns on confirm, and AcceptConfirmWarnings is off.
        var order = await PlaceApprovedOrderAsync(TrytonSeed.SmallCreditCustomer, ("TEA-001", 15));

        await PushJob();

        var sale = (await _rpc.SearchReadAsync("sale.sale", [D("reference", "=", order.OrderNo)], ["state"], default)).Single();
        Assert.That(sale.String("state"), Is.EqualTo("quotation"));
        Assert.That(await Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @OrderId", order), Is.EqualTo("failed"));
        Assert.That(await Scalar<string>("SELECT last_error FROM outbox WHERE aggregate_id = @OrderId", order), Does.Contain("credit limit"));
        Assert.That(await Scalar<string>($"SELECT problem FROM sync_issues WHERE feed = '{SyncFeed.OrderPush}' AND item_key = @OrderNo", order),
            Does.Contain("credit limit").And.Contain(sale.Id.ToString()));
        Assert.That(await Scalar<string?>("SELECT erp_order_id FROM orders WHERE id = @OrderId", order), Is.Null);
    }

    [Test, Order(7)]
    public async Task A_price_Tryton_no_longer_charges_is_pushed_as_ordered_and_recorded_as_a_sync_issue()
    {
        var order = await PlaceApprovedOrderAsync(Customer, ("CUP-001", 3)); // 10.80: 90 % of the 12.00 list price
        await SeededTryton.Seed.SetListPriceAsync("CUP-001", 14.00m);      // Tryton would now charge 12.60

        await PushJob();

        Assert.That(await Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @OrderId", order), Is.EqualTo("sent"));
        var sale = (await _rpc.SearchReadAsync("sale.sale", [D("reference", "=", order.OrderNo)], ["lines"], default)).Single();
        Assert.That((await _rpc.ReadAsync("sale.line", sale.Ids("lines"), ["unit_price"], default)).Single().DecimalOrNull("unit_price"),
            Is.EqualTo(10.80m), "PriceMismatch = KeepOrderPrice: what the customer ordered at");
        Assert.That(await Scalar<string>($"SELECT problem FROM sync_issues WHERE feed = '{SyncFeed.OrderPush}' AND item_key = @OrderNo", order),
            Does.Contain("CUP-001").And.Contain("10.80").And.Contain("12.6"));
    }

    private async Task<SubmitResult> PlaceApprovedOrderAsync(string customerCode, params (string Sku, int Quantity)[] lines)
    {
        var customer = (await new CustomerContextQuery(_db).ForCustomerAsync(await Scalar<long>("SELECT id FROM customers WHERE code = @customerCode", new { customerCode })))!;
        var userId = await Scalar<long>("""
            INSERT INTO customer_users (customer_id, name, phone, role, active, created_at) VALUES (@CustomerId, '店员', @phone, 'owner', TRUE, 0) RETURNING id
            """, new { customer.CustomerId, phone = "139" + Random.Shared.Next(10_000_000, 99_999_999) });
        var owner = CartOwner.User(userId);
        foreach (var (sku, quantity) in lines) await _carts.AddAsync(owner, customer, sku, quantity);
        var address = await Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @CustomerId", customer);
        var order = await _placement.SubmitAsync(new SubmitOrder(owner, customer, new Actor("customer_user", userId, "店员"), null, address, null, Guid.NewGuid().ToString()));
        foreach (var (action, role) in new[] { (OrderAction.ApproveSales, "clerk"), (OrderAction.ApproveFinance, "finance") })
            await _flow.ActAsync(new OrderActionRequest(order.OrderId, action, new Actor("staff", 1, role), Roles.Parse(role)!.Value, OrderScope.Any, FinanceOverride: true));
        return order;
    }

    private Task PushJob() => new PushOrders(_push, NullLogger<PushOrders>.Instance).RunAsync(default);

    private Task<string> Act(OrderAction action, string role) =>
        _flow.ActAsync(new OrderActionRequest(_order.OrderId, action, new Actor("staff", 1, role), Roles.Parse(role)!.Value, OrderScope.Any, FinanceOverride: true));

    private async Task<List<TrytonRecord>> SalesAsync() =>
        (await _rpc.SearchReadAsync("sale.sale", [D("reference", "=", _order.OrderNo)], ["lines", "state"], default)).ToList();

    private async Task<CustomerContext> CustomerAsync() =>
        (await new CustomerContextQuery(_db).ForCustomerAsync(await Scalar<long>("SELECT id FROM customers WHERE code = @Customer", new { Customer })))!;

    private async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await _db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task Exec(string sql, object? args = null)
    {
        await using var c = await _db.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }
}
