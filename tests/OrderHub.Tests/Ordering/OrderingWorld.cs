using OrderHub.Domain.People;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Testing;
using OrderHub.Tests.Catalog;

namespace OrderHub.Tests.Ordering;

/// <summary>A fresh database with the hand-computable catalog of <see cref="CatalogTestData"/> and the ordering services on it.</summary>
public sealed class OrderingWorld
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    public required Db Db { get; init; }
    public required ManualClock Clock { get; init; }
    public required OrderFlowOptions Flow { get; init; }
    public required OrderingOptions Options { get; init; }
    public required CartService Carts { get; init; }
    public required OrderPlacement Placement { get; init; }
    public required OrderFlowService OrderFlow { get; init; }
    public required OrderQueries Queries { get; init; }
    public required Reorder Reorder { get; init; }
    public required CustomerContextQuery Customers { get; init; }

    public static async Task<OrderingWorld> CreateAsync(string kind, OrderFlowOptions? flow = null)
    {
        var db = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(db).SeedAsync(CatalogTestData.Build(Start.ToUnixTimeMilliseconds()), Start.ToUnixTimeMilliseconds());
        var clock = new ManualClock(Start);
        var quoter = new OrderQuoter(db, new PriceResolver(new PricingOptions()));
        var options = new OrderingOptions();
        flow ??= new OrderFlowOptions();
        return new OrderingWorld
        {
            Db = db, Clock = clock, Flow = flow, Options = options,
            Carts = new CartService(db, quoter, clock),
            Placement = new OrderPlacement(db, quoter, options, flow, clock),
            OrderFlow = new OrderFlowService(db, flow, clock),
            Queries = new OrderQueries(db),
            Reorder = new Reorder(db, quoter, clock),
            Customers = new CustomerContextQuery(db),
        };
    }

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

    public async Task<(CartOwner Owner, CustomerContext Customer, Actor Actor)> StoreUser(string code)
    {
        var customer = await Customer(code);
        var userId = await Scalar<long>("SELECT id FROM customer_users WHERE customer_id = @CustomerId ORDER BY id LIMIT 1", customer);
        return (CartOwner.User(userId), customer, new Actor("customer_user", userId, "老板" + code));
    }

    public Task<long> AddressOf(CustomerContext c) => Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @CustomerId", c);

    /// <summary>A store user fills its cart and submits; returns the order id.</summary>
    public async Task<SubmitResult> OrderAsync(string customerCode, params (string Sku, long Qty)[] lines)
    {
        var (owner, customer, actor) = await StoreUser(customerCode);
        foreach (var (sku, qty) in lines) await Carts.AddAsync(owner, customer, sku, qty);
        return await Placement.SubmitAsync(new SubmitOrder(owner, customer, actor, null, await AddressOf(customer), null, Guid.NewGuid().ToString()));
    }

    public Task<string> ActAs(string role, long orderId, OrderAction action, string? reason = null, bool financeOverride = false) =>
        OrderFlow.ActAsync(new OrderActionRequest(orderId, action, new Actor("staff", 1, role), Roles.Parse(role)!.Value, OrderScope.Any, reason, financeOverride));

    public Task<long> Reserved(string sku, string warehouse = "W1") => Scalar<long>(
        "SELECT s.reserved FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = @sku AND w.code = @warehouse",
        new { sku, warehouse });

    public Task<long> OnHand(string sku, string warehouse = "W1") => Scalar<long>(
        "SELECT s.on_hand FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = @sku AND w.code = @warehouse",
        new { sku, warehouse });

    public Task<string> StatusOf(long orderId) => Scalar<string>("SELECT status FROM orders WHERE id = @orderId", new { orderId });
}

public static class Refused
{
    /// <summary>Asserts that the call is refused with this status and returns the problem.</summary>
    public static async Task<AppProblem> With(int status, Func<Task> call)
    {
        var e = Assert.ThrowsAsync<AppProblem>(async () => await call());
        Assert.That(e!.Status, Is.EqualTo(status), e.Message);
        Assert.That(e.Zh, Is.Not.Empty);
        Assert.That(e.En, Is.Not.Empty);
        return await Task.FromResult(e);
    }
}
