using AutoMapper;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Catalog;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;
using OrderHub.Domain.People;

namespace OrderHub.Api.Ordering;

/// <summary>A store's orders (自助订货) at /api/orders, and an agent's proxy orders (代订货) for its stores under /api/agent.</summary>
public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api").WithTags("Orders").RequireAuthorization(Policies.Customer);
        mine.MapPost("/orders", Submit).WithIdempotencyKey().WithName("SubmitOrder").WithBranchTarget().ProducesConflict("库存不足 / Not enough stock").WithSummary("Place an order from the cart (Idempotency-Key required)");
        mine.MapGet("/orders", List).WithName("ListOrders").ProducesStoreNotFound().WithSummary("This store's orders, self-placed and proxy, newest first");
        mine.MapGet("/orders/frequent", Frequent).WithName("FrequentItems").WithBranchTarget().WithSummary("常购清单: what this store orders most, priced now");
        mine.MapGet("/orders/{orderNo}", Get).WithName("GetOrder").ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").WithSummary("One order with lines and its status timeline");
        mine.MapPost("/orders/{orderNo}/cancel", Cancel).WithName("CancelOrder").ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").ProducesConflict("订单当前状态不能这样操作，或刚被他人处理 / The order's current status does not allow this, or someone else just changed it").WithSummary("Cancel while the order is still in review");
        mine.MapPost("/orders/{orderNo}/receive", Receive).WithName("ReceiveOrder").ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").ProducesConflict("订单当前状态不能这样操作，或刚被他人处理 / The order's current status does not allow this, or someone else just changed it").WithSummary("Confirm receipt (收货)");
        mine.MapPost("/orders/{orderNo}/reorder", ReorderOrder).WithName("Reorder").WithBranchTarget().ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").WithSummary("再来一单: copy the order's lines into the cart at today's prices");
        mine.MapGet("/addresses", Addresses).WithName("ListAddresses").WithBranchTarget().WithSummary("This store's delivery addresses");

        var agent = app.MapGroup("/api/agent").WithTags("Agent").RequireAuthorization(Policies.Agent);
        agent.MapPost("/customers/{customerId:long}/orders", Submit).WithIdempotencyKey().WithName("SubmitProxyOrder").ProducesStoreNotFound().ProducesConflict("库存不足 / Not enough stock").WithSummary("代订货: place an order for an assigned store from the agent's cart for it (Idempotency-Key required)");
        agent.MapGet("/customers/{customerId:long}/orders", List).WithName("ListCustomerOrdersForAgent").ProducesStoreNotFound().WithSummary("An assigned store's orders");
        agent.MapGet("/orders", List).WithName("ListAgentOrders").ProducesStoreNotFound().WithSummary("Orders of all the agent's stores");
        agent.MapGet("/orders/{orderNo}", Get).WithName("GetAgentOrder").ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").WithSummary("One order of an assigned store");
        agent.MapGet("/customers/{customerId:long}/addresses", Addresses).WithName("ListCustomerAddressesForAgent").ProducesStoreNotFound()
            .WithSummary("An assigned store's delivery addresses (for a proxy order's addressId)");
        agent.MapPost("/orders/{orderNo}/cancel", Cancel).WithName("CancelAgentOrder").ProducesNotFound("订单不存在或不属于调用者 / No such order, or not the caller's").ProducesConflict("订单当前状态不能这样操作，或刚被他人处理 / The order's current status does not allow this, or someone else just changed it").WithSummary("Cancel an assigned store's order while in review");
        return app;
    }

    public sealed class Deps(OrderPlacement placement, OrderQueries queries, OrderFlowService flow, CustomerContextQuery customers, IMapper mapper)
    {
        public OrderPlacement Placement { get; } = placement;
        public OrderQueries Queries { get; } = queries;
        public OrderFlowService Flow { get; } = flow;
        public CustomerContextQuery Customers { get; } = customers;
        public IMapper Mapper { get; } = mapper;
    }

    private static async Task<Results<Created<OrderDetailDto>, Ok<OrderDetailDto>, ProblemHttpResult>> Submit(SubmitOrderRequest body, HttpContext http, [AsParameters] Deps d)
    {
        var (key, problem) = IdempotencyHeader.Read(http.Request);
        if (problem is not null) return problem;
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        var result = await d.Placement.SubmitAsync(new SubmitOrder(t.Owner, t.Customer, t.Caller.Actor, t.ProxyAgentId, body.AddressId, body.Note, key!, body.InvoiceTitleId, body.PayFirst));
        var dto = d.Mapper.Map<OrderDetailDto>(await d.Queries.GetAsync(t.Caller.Scope, result.OrderId, null));
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(dto);
        }
        return TypedResults.Created($"/api/orders/{result.OrderNo}", dto);
    }

    private static async Task<Results<Ok<OrderPageDto>, ProblemHttpResult>> List(HttpContext http, string? status, long? before, int? limit, long? customerId, [AsParameters] Deps d)
    {
        if (status is not null && !OrderStatus.IsKnown(status)) return Problems.BadRequest($"未知状态 {status}", $"Unknown status '{status}'");
        if (limit is < 1 or > 100) return Problems.BadRequest("limit 必须在 1 到 100 之间", "limit must be between 1 and 100");
        var caller = Caller.From(http.User);
        if (http.GetRouteValue("customerId") is { } routeCustomer) customerId = long.Parse(routeCustomer.ToString()!);
        // Naming a store the caller may not see is a 404, as in the catalog: nobody learns another store's orders exist.
        if (customerId is { } cid && caller.Role is Role.Agent or Role.Customer
            && (await StoreAccess.ResolveAsync(http.User, cid, d.Customers)).Problem is not null)
            return Problems.NotFound("客户不存在", "No such customer");
        var (items, next) = await d.Queries.ListAsync(caller.Scope, new OrderFilter(Status: status, CustomerId: customerId, Before: before, Limit: limit ?? 20));
        return TypedResults.Ok(new OrderPageDto(d.Mapper.Map<IReadOnlyList<OrderSummaryDto>>(items), next));
    }

    private static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Get(string orderNo, HttpContext http, [AsParameters] Deps d)
    {
        var detail = await d.Queries.GetAsync(Caller.From(http.User).Scope, null, orderNo);
        return detail is null ? Problems.NotFound("订单不存在", "Order not found") : TypedResults.Ok(d.Mapper.Map<OrderDetailDto>(detail));
    }

    private static Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Cancel(string orderNo, ReasonRequest? body, HttpContext http, [AsParameters] Deps d) =>
        Act(orderNo, OrderAction.Cancel, body?.Reason, http, d);

    private static Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Receive(string orderNo, HttpContext http, [AsParameters] Deps d) =>
        Act(orderNo, OrderAction.Receive, null, http, d);

    private static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Act(string orderNo, OrderAction action, string? reason, HttpContext http, Deps d)
    {
        var caller = Caller.From(http.User);
        var order = await d.Queries.GetAsync(caller.Scope, null, orderNo);
        if (order is null) return Problems.NotFound("订单不存在", "Order not found");
        await d.Flow.ActAsync(new OrderActionRequest(order.Summary.Id, action, caller.Actor, caller.Role, caller.Scope, reason));
        return TypedResults.Ok(d.Mapper.Map<OrderDetailDto>(await d.Queries.GetAsync(caller.Scope, order.Summary.Id, null)));
    }

    private static async Task<Ok<ReorderResultDto>> ReorderOrder(string orderNo, HttpContext http, Reorder reorder, CustomerContextQuery customers, IMapper mapper)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        return TypedResults.Ok(mapper.Map<ReorderResultDto>(await reorder.CopyToCartAsync(t.Owner, t.Customer, orderNo)));
    }

    private static async Task<Ok<IReadOnlyList<FrequentItemDto>>> Frequent(HttpContext http, CatalogService catalog, OrderingOptions options, TimeProvider clock, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        var since = clock.GetUtcNow().AddDays(-options.FrequentItemsDays).ToUnixTimeMilliseconds();
        var frequent = await d.Queries.FrequentAsync(t.Customer.CustomerId, since, 20);
        var items = (await catalog.GetManyAsync(t.Customer, frequent.Select(f => f.ProductId).ToList())).ToDictionary(i => i.ProductId);
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<FrequentItemDto>>(frequent.Where(f => items.ContainsKey(f.ProductId)).Select(f => (f, items[f.ProductId]))));
    }

    private static async Task<Ok<IReadOnlyList<AddressDto>>> Addresses(HttpContext http, DeliveryAddresses addresses, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<AddressDto>>(await addresses.ListAsync(t.Customer.CustomerId)));
    }
}
