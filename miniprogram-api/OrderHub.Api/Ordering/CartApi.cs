using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;

namespace OrderHub.Api.Ordering;

/// <summary>The cart: a store user's own at /api/cart, an agent's proxy cart for a store at /api/agent/customers/{customerId}/cart.</summary>
public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        Map(app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(Policies.Customer).WithBranchTarget(), "");
        // An agent's cart for a store: the store is resolved by StoreAccess (404 when it is not the agent's).
        Map(app.MapGroup("/api/agent/customers/{customerId:long}/cart").WithTags("Agent").RequireAuthorization(Policies.Agent).ProducesStoreNotFound(), "Agent");
        return app;
    }

    private static void Map(RouteGroupBuilder g, string who)
    {
        g.MapGet("", Get).WithName($"{who}GetCart").WithSummary("The cart priced now: lines, 买赠 gifts, 满减 discount, short items");
        g.MapPost("/items", Add).WithName($"{who}AddToCart").ProducesNotFound(ProductNotFound).WithSummary("Add a quantity of an item (must respect pack size and MOQ)");
        g.MapPut("/items/{sku}", Set).WithName($"{who}SetCartQuantity").ProducesNotFound(ProductNotFound).WithSummary("Set an item's quantity");
        g.MapDelete("/items/{sku}", Remove).WithName($"{who}RemoveFromCart").WithSummary("Remove an item");
        g.MapDelete("", Clear).WithName($"{who}ClearCart").WithSummary("Empty the cart");
    }

    private const string ProductNotFound = "商品不存在或对该门店不可见 / No such product, or not visible to this store";

    public sealed class Deps(CartService carts, CustomerContextQuery customers, IMapper mapper, ShareLinks shares)
    {
        public CartService Carts { get; } = carts;
        public CustomerContextQuery Customers { get; } = customers;
        public IMapper Mapper { get; } = mapper;
        public ShareLinks Shares { get; } = shares;
    }

    private static async Task<Ok<CartDto>> Get(HttpContext http, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        return TypedResults.Ok(d.Mapper.Map<CartDto>(await d.Carts.GetAsync(t.Owner, t.Customer)));
    }

    private static async Task<Ok<CartDto>> Add(AddToCartRequest body, HttpContext http, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        var shareAgent = t.ProxyAgentId is null ? await d.Shares.CreditedAgentAsync(body.ShareCode, body.Sku ?? "", t.Customer) : null;
        await d.Carts.AddAsync(t.Owner, t.Customer, body.Sku ?? "", body.Quantity, shareAgent, unit: body.Unit, shareCode: body.ShareCode);
        return TypedResults.Ok(d.Mapper.Map<CartDto>(await d.Carts.GetAsync(t.Owner, t.Customer)));
    }

    private static async Task<Ok<CartDto>> Set(string sku, SetQuantityRequest body, HttpContext http, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        await d.Carts.SetAsync(t.Owner, t.Customer, sku, body.Quantity, unit: body.Unit);
        return TypedResults.Ok(d.Mapper.Map<CartDto>(await d.Carts.GetAsync(t.Owner, t.Customer)));
    }

    private static async Task<Ok<CartDto>> Remove(string sku, HttpContext http, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        await d.Carts.RemoveAsync(t.Owner, t.Customer, sku);
        return TypedResults.Ok(d.Mapper.Map<CartDto>(await d.Carts.GetAsync(t.Owner, t.Customer)));
    }

    private static async Task<NoContent> Clear(HttpContext http, [AsParameters] Deps d)
    {
        var t = await StoreTarget.ResolveAsync(http, d.Customers);
        await d.Carts.ClearAsync(t.Owner, t.Customer);
        return TypedResults.NoContent();
    }
}
