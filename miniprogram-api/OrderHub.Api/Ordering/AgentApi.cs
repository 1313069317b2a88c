using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Ordering;

/// <summary>An agent's own stores and share links. Carts and proxy orders for a store are in CartApi and OrdersApi.</summary>
public static class AgentApi
{
    public sealed record AgentCustomerDto(long Id, string Code, string Name, string? ContactName, string? Phone, string? Address, string? GroupName,
        long CreditLimitFen, long BalanceFen, string BalanceText, string? LastOrderAt, long OpenOrders);
    public sealed record ShareRequest(string? Sku, long? PromotionId);
    public sealed record ShareLinkDto(string Code, string Path, string ExpiresAt);

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/agent").WithTags("Agent").RequireAuthorization(Policies.Agent);
        g.MapGet("/customers", Customers).WithName("AgentCustomers").WithSummary("The stores assigned to this agent, with balance and last order");
        g.MapGet("/customers/{customerId:long}", Customer).WithName("AgentCustomer").WithSummary("One assigned store");
        g.MapPost("/share-links", Share).WithName("CreateShareLink").WithSummary("Share a product or promotion; orders from the link are attributed to this agent");
        return app;
    }

    private static AgentCustomerDto Dto(AgentCustomerRow r) => new(r.Id, r.Code, r.Name, r.ContactName, r.Phone, r.Address, r.GroupName,
        r.CreditLimitFen, r.BalanceFen, Domain.Money.Format(r.BalanceFen), ShanghaiTime.Format(r.LastOrderAt), r.OpenOrders);

    private static async Task<Ok<IReadOnlyList<AgentCustomerDto>>> Customers(HttpContext http, string? q, AgentCustomers customers) =>
        TypedResults.Ok<IReadOnlyList<AgentCustomerDto>>((await customers.ListAsync(http.User.UserId_(), q)).Select(Dto).ToList());

    private static async Task<Results<Ok<AgentCustomerDto>, ProblemHttpResult>> Customer(long customerId, HttpContext http, AgentCustomers customers) =>
        await customers.GetAsync(http.User.UserId_(), customerId) is { } row ? TypedResults.Ok(Dto(row)) : Problems.NotFound("客户不存在", "No such customer");

    private static async Task<Created<ShareLinkDto>> Share(ShareRequest body, HttpContext http, ShareLinks links)
    {
        var link = await links.CreateAsync(http.User.UserId_(), body.Sku, body.PromotionId);
        var path = link.Sku is not null ? $"pages/product/index?sku={Uri.EscapeDataString(link.Sku)}&share={link.Code}" : $"pages/promotion/index?id={link.PromotionId}&share={link.Code}";
        return TypedResults.Created(path, new ShareLinkDto(link.Code, path, ShanghaiTime.Format(link.ExpiresAtMs)));
    }
}
