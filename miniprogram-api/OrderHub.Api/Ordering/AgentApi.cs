using System.ComponentModel;
using AutoMapper;
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
    public sealed record AgentCustomerDto(
        [property: Description("客户 (门店) id / Customer (store) id")] long Id,
        [property: Description("客户编码 / Customer code")] string Code,
        [property: Description("门店名称 / Store name")] string Name,
        [property: Description("联系人 / Contact name")] string? ContactName,
        [property: Description("电话 / Phone")] string? Phone,
        [property: Description("地址 / Address")] string? Address,
        [property: Description("客户等级 / Customer group")] string? GroupName,
        [property: Description("信用额度 (分)；0 为不限 / Credit limit in fen; 0 when none")] long CreditLimitFen,
        [property: Description("欠款余额 (分) / Balance owed in fen")] long BalanceFen,
        [property: Description("欠款余额文字 / Balance owed as text")] string BalanceText,
        [property: Description("上次下单时间 (上海时间) / Last order (Asia/Shanghai)")] string? LastOrderAt,
        [property: Description("未完成订单数 / Open orders")] long OpenOrders);

    public sealed record ShareRequest(
        [property: Description("要分享的商品编码 (与 promotionId 二选一) / SKU to share (or promotionId, not both)")] string? Sku,
        [property: Description("要分享的促销 id (与 sku 二选一) / Promotion to share (or sku, not both)")] long? PromotionId);

    public sealed record ShareLinkDto(
        [property: Description("分享码：门店从链接加购时带上 / Share code the store sends when adding to the cart from the link")] string Code,
        [property: Description("小程序页面路径 (含分享码) / Mini-program page path, share code included")] string Path,
        [property: Description("过期时间 (上海时间) / Expires at (Asia/Shanghai)")] string ExpiresAt);

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/agent").WithTags("Agent").RequireAuthorization(Policies.Agent);
        g.MapGet("/customers", Customers).WithName("AgentCustomers").WithSummary("The stores assigned to this agent, with balance and last order");
        g.MapGet("/customers/{customerId:long}", Customer).WithName("AgentCustomer").ProducesStoreNotFound().WithSummary("One assigned store");
        g.MapPost("/share-links", Share).WithName("CreateShareLink").ProducesNotFound("商品或促销不存在 / No such product or promotion").WithSummary("Share a product or promotion; orders from the link are attributed to this agent");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AgentCustomerDto>>> Customers(HttpContext http, string? q, AgentCustomers customers, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<AgentCustomerDto>>(await customers.ListAsync(http.User.UserId_(), q)));

    private static async Task<Results<Ok<AgentCustomerDto>, ProblemHttpResult>> Customer(long customerId, HttpContext http, AgentCustomers customers,
        CustomerContextQuery stores, IMapper mapper)
    {
        // Which store: StoreAccess, as every store-scoped endpoint (404 when it is not this agent's).
        if ((await StoreAccess.ResolveAsync(http.User, customerId, stores)).Problem is { } denied) return denied;
        return await customers.GetAsync(http.User.UserId_(), customerId) is { } row
            ? TypedResults.Ok(mapper.Map<AgentCustomerDto>(row))
            : Problems.NotFound("客户不存在", "No such customer");
    }

    private static async Task<Created<ShareLinkDto>> Share(ShareRequest body, HttpContext http, ShareLinks links, IMapper mapper)
    {
        var link = mapper.Map<ShareLinkDto>(await links.CreateAsync(http.User.UserId_(), body.Sku, body.PromotionId));
        return TypedResults.Created(link.Path, link);
    }
}
