using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Application.Sync;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Erp.Demo;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>
/// OrderHub (either database) and the demo ERP in a temp file, both from the same generated distributor, with the sync and
/// push services on a <see cref="ScriptedErp"/> in front of the demo adapter. The clock is a manual one for both.
/// Orders skip both reviews, so a submitted order is queued for the ERP at once.
/// </summary>
public sealed class SyncWorld
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);

    public required Db Db { get; init; }
    public required ManualClock Clock { get; init; }
    public required DemoErp DemoErp { get; init; }
    public required DemoErpDesk ErpDesk { get; init; }
    public required DemoErpSimulator Simulator { get; init; }
    public required ScriptedErp Erp { get; init; }
    public required ErpSyncService Sync { get; init; }
    public required FullResync FullResync { get; init; }
    public required OrderPushService Push { get; init; }
    public required OutboxAdmin Outbox { get; init; }
    public required OutboxLease Lease { get; init; }
    public required SyncHealthQuery Health { get; init; }
    public required CatalogService Catalog { get; init; }
    public required CustomerContextQuery Customers { get; init; }
    public required CartService Carts { get; init; }
    public required OrderPlacement Placement { get; init; }
    public required OrderPushOptions PushOptions { get; init; }
    public required DemoDataSet Data { get; init; }

    /// <param name="seedOrderHub">Load the demo distributor into OrderHub too (as the one-command demo does); false = an empty OrderHub.</param>
    public static async Task<SyncWorld> CreateAsync(string kind, bool seedOrderHub = true)
    {
        var db = await TestDatabase.CreateAsync(kind);
        var data = DemoDataGenerator.Generate(DemoDataSize.Demo, 20261125, Start);
        if (seedOrderHub) await new DemoDataSeeder(db).SeedAsync(data, Start.ToUnixTimeMilliseconds());
        var clock = new ManualClock(Start);
        var file = Path.Combine(Path.GetTempPath(), $"orderhub-test-demo-erp-{Guid.NewGuid():N}.db");
        var demo = new DemoErp(new DemoErpOptions { FilePath = file, PageSize = 100 }, clock);
        await demo.SeedIfEmptyAsync(data);
        var erp = new ScriptedErp(new DemoErpAdapter(demo));

        var flow = new OrderFlowService(db, new OrderFlowOptions { SalesReview = false, FinanceReview = false }, clock);
        var syncOptions = new ErpSyncOptions();
        var pushOptions = new OrderPushOptions();
        var state = new SyncStateStore(db, syncOptions);
        var sync = new ErpSyncService(erp, db, flow, new FeedRunner(state, new SyncIssueCollector(), syncOptions, clock), clock);
        var lease = new OutboxLease(db);
        var outbox = new OutboxAdmin(db, clock);
        var quoter = new OrderQuoter(db, new PriceResolver(new PricingOptions()));
        return new SyncWorld
        {
            Db = db, Clock = clock, DemoErp = demo, ErpDesk = new DemoErpDesk(file), Simulator = new DemoErpSimulator(demo), Erp = erp,
            Sync = sync, FullResync = new FullResync(state, sync), Lease = lease, Outbox = outbox, PushOptions = pushOptions,
            Push = new OrderPushService(db, erp, lease, new ErpOrderBuilder(db), state, pushOptions, clock),
            Health = new SyncHealthQuery(db, outbox, clock),
            Catalog = new CatalogService(db, new PriceResolver(new PricingOptions()), new CatalogOptions(), clock),
            Customers = new CustomerContextQuery(db),
            Carts = new CartService(db, quoter, clock),
            Placement = new OrderPlacement(db, quoter, new OrderingOptions(), new OrderFlowOptions { SalesReview = false, FinanceReview = false }, clock),
            Data = data,
        };
    }

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task Exec(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    public async Task<CustomerContext> Customer(string code) =>
        (await Customers.ForCustomerAsync(await Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code })))!;

    /// <summary>A store user orders the first products it may buy with stock (a pack or the MOQ each); returns the order.</summary>
    public async Task<SubmitResult> OrderAsync(string customerCode, int lines = 2)
    {
        var customer = await Customer(customerCode);
        var userId = await Scalar<long>("SELECT id FROM customer_users WHERE customer_id = @CustomerId ORDER BY id LIMIT 1", customer);
        var owner = CartOwner.User(userId);
        var page = await Catalog.ListAsync(customer, new CatalogFilter(null, null, null, null, 50));
        var added = 0;
        foreach (var item in page.Items.Where(i => i.Stock.Available > 100))
        {
            await Carts.AddAsync(owner, customer, item.Sku, Math.Max(item.MinOrderQty, item.PackSize));
            if (++added == lines) break;
        }
        Assert.That(added, Is.EqualTo(lines), "products to order");
        var address = await Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @CustomerId ORDER BY id LIMIT 1", customer);
        return await Placement.SubmitAsync(new SubmitOrder(owner, customer, new Actor("customer_user", userId, "店主"), null, address, "请上午送货", Guid.NewGuid().ToString()));
    }

    public Task<long> OutboxIdOf(long orderId) =>
        Scalar<long>("SELECT id FROM outbox WHERE topic = 'erp.push_order' AND aggregate_id = @orderId", new { orderId });

    public Task<long> ErpOrderCount(string orderNo) =>
        ErpDesk.ScalarAsync<long>("SELECT COUNT(*) FROM orders WHERE order_number = @orderNo", new { orderNo });
}
