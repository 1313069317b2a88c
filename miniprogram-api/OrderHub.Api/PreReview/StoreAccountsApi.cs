using System.ComponentModel;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Application.Customers;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Ordering;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Application.PreReview;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.People;
using OrderHub.Domain.Time;

namespace OrderHub.Api.PreReview;

/// <summary>
/// 店主 / 店员 (issue #17) and the store's own steps before 业务审核: the store user's account (role, approval threshold, how
/// the store pays), the owner's management of the store's users and threshold, and the owner's approval of a clerk's order.
/// Clerks get 403 on everything but their own account.
/// </summary>
public static class StoreAccountsApi
{
    private const string OrderNotFound = "订单不存在或不属于调用者 / No such order, or not the caller's";
    private const string OrderConflict = "订单当前状态不能这样操作，或刚被他人处理 / The order's current status does not allow this, or someone else just changed it";

    public static IEndpointRouteBuilder MapStoreAccountsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/store").WithTags("Store account").RequireAuthorization(Policies.Customer);
        g.MapGet("/account", Account).WithName("GetStoreAccount").WithSummary("My role in the store (店主 owner / 店员 clerk), the owner-approval threshold and the store's payment mode");
        g.MapGet("/users", Users).WithName("ListStoreUsers").WithSummary("The store's users (owner only)");
        g.MapPut("/users/{userId:long}/role", SetRole).WithName("SetStoreUserRole").ProducesNotFound("门店没有该用户 / The store has no such user")
            .ProducesConflict("门店至少要有一位店主 / A store must keep at least one owner").WithSummary("Make a user owner or clerk (owner only)");
        g.MapDelete("/users/{userId:long}", Remove).WithName("RemoveStoreUser").ProducesNotFound("门店没有该用户 / The store has no such user")
            .ProducesConflict("不能移除自己或最后一位店主 / Cannot remove oneself or the last owner").WithSummary("Remove a user from the store (owner only); its orders stay");
        g.MapPut("/approval-threshold", SetThreshold).WithName("SetOwnerApprovalThreshold")
            .WithSummary("A clerk's order above this total (fen) waits for the owner (待店主审核); null or 0 = off (owner only)");

        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.Customer);
        orders.MapPost("/{orderNo}/owner-approve", Approve).WithName("OwnerApproveOrder").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict)
            .WithSummary("店主审核通过: the owner lets a clerk's order go on (to 待付款 or the first review step)");
        orders.MapPost("/{orderNo}/owner-reject", Reject).WithName("OwnerRejectOrder").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict)
            .WithSummary("店主驳回 with a reason: the clerk's order is rejected and its stock released");
        return app;
    }

    /// <summary>The caller's own store, through the one store-access resolver (a store user only).</summary>
    internal static async Task<long> StoreOf(HttpContext http) =>
        (await StoreAccess.RequireAsync(http.User, null, http.RequestServices.GetRequiredService<CustomerContextQuery>(), staffAllowed: false)).CustomerId;

    private static async Task<Ok<StoreAccountDto>> Account(HttpContext http, StoreUsers users, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<StoreAccountDto>(await users.AccountAsync(http.User.UserId_(), await StoreOf(http))));

    private static async Task<Ok<IReadOnlyList<StoreUserDto>>> Users(HttpContext http, StoreUsers users, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<StoreUserDto>>(await users.ListAsync(http.User.UserId_(), await StoreOf(http))));

    private static async Task<Results<Ok<StoreUserDto>, ProblemHttpResult>> SetRole([Description("门店用户 id / The store user's id")] long userId, StoreUserRoleRequest body, HttpContext http, StoreUsers users, IMapper mapper) =>
        await users.SetRoleAsync(http.User.UserId_(), await StoreOf(http), userId, body.Role) is { } u
            ? TypedResults.Ok(mapper.Map<StoreUserDto>(u))
            : Problems.NotFound("门店没有该用户", "The store has no such user");

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove([Description("门店用户 id / The store user's id")] long userId, HttpContext http, StoreUsers users) =>
        await users.RemoveAsync(http.User.UserId_(), await StoreOf(http), userId)
            ? TypedResults.NoContent()
            : Problems.NotFound("门店没有该用户", "The store has no such user");

    private static async Task<Ok<StoreAccountDto>> SetThreshold(ApprovalThresholdRequest body, HttpContext http, StoreUsers users, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<StoreAccountDto>(await users.SetApprovalThresholdAsync(http.User.UserId_(), await StoreOf(http), body.AboveFen)));

    private static Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Approve(string orderNo, HttpContext http, [AsParameters] OrdersApi.Deps d) =>
        Act(orderNo, OrderAction.ApproveOwner, null, http, d);

    private static Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Reject(string orderNo, ReasonRequest body, HttpContext http, [AsParameters] OrdersApi.Deps d) =>
        Act(orderNo, OrderAction.Reject, body.Reason, http, d);

    private static async Task<Results<Ok<OrderDetailDto>, ProblemHttpResult>> Act(string orderNo, OrderAction action, string? reason, HttpContext http, OrdersApi.Deps d)
    {
        var caller = Caller.From(http.User);
        var order = await d.Queries.GetAsync(caller.Scope, null, orderNo);
        if (order is null) return Problems.NotFound("订单不存在", "Order not found");
        await d.Flow.ActAsync(new OrderActionRequest(order.Summary.Id, action, caller.Actor, caller.Role, caller.Scope, reason));
        return TypedResults.Ok(d.Mapper.Map<OrderDetailDto>(await d.Queries.GetAsync(caller.Scope, order.Summary.Id, null)));
    }
}

/// <summary>Things only a store's owner does (invoice titles, users): a clerk gets 403. Agents and staff are not store users
/// and pass (their own access is checked by the endpoint).</summary>
public static class StoreOwnerCheck
{
    public static async Task<ProblemHttpResult?> DenyClerkAsync(HttpContext http)
    {
        if (Roles.Parse(http.User.Role()) != Role.Customer) return null;
        var users = http.RequestServices.GetRequiredService<StoreUsers>();
        return await users.IsOwnerAsync(http.User.UserId_(), await StoreAccountsApi.StoreOf(http))
            ? null
            : Problems.Of(403, "只有店主可以管理发票抬头，店员可在下单时选择", "Only the store owner manages invoice titles; clerks pick one at checkout");
    }
}

public sealed record StoreAccountDto(
    [property: Description("当前用户 id / The signed-in user's id")] long UserId,
    [property: Description("角色：owner 店主 / clerk 店员 / The user's role in the store: owner or clerk")] string Role,
    [property: Description("角色名称 / The role as shown")] string RoleLabel,
    [property: Description("是否店主 / Whether the user is an owner")] bool IsOwner,
    [property: Description("店员订单超过此金额 (分) 需店主审核；null 为不需要 / A clerk's order above this total (fen) waits for the owner; null = off")] long? OwnerApprovalAboveFen,
    [property: Description("门店付款方式：credit 货到/账期，prepay 先付款后审核，either 下单时选择 / How the store pays: credit, prepay (before review) or either (chosen at checkout)")] string PaymentMode,
    [property: Description("付款方式说明 / The payment mode as shown")] string PaymentModeLabel,
    [property: Description("待付款订单超过多少分钟未付自动取消 / Minutes after which an unpaid 待付款 order is cancelled")] int UnpaidCancelMinutes);

public sealed record StoreUserDto(
    [property: Description("用户 id / User id")] long Id,
    [property: Description("姓名 / Name")] string Name,
    [property: Description("手机号 / Mobile number")] string? Phone,
    [property: Description("角色：owner 店主 / clerk 店员 / Role: owner or clerk")] string Role,
    [property: Description("角色名称 / The role as shown")] string RoleLabel,
    [property: Description("是否有效 (移除后为 false) / Active (false once removed)")] bool Active,
    [property: Description("是否已绑定微信 / Whether a WeChat account is bound")] bool BoundToWeChat,
    [property: Description("加入时间 (北京时间) / Added at (Asia/Shanghai)")] string CreatedAt);

public sealed record StoreUserRoleRequest(
    [property: Description("owner 店主 或 clerk 店员 / owner or clerk")] string? Role);

public sealed record ApprovalThresholdRequest(
    [property: Description("店员订单超过此金额 (分) 需店主审核；null 或 0 为关闭；等于此金额不需审核 / A clerk's order strictly above this total (fen) waits for the owner; null or 0 = off; an order equal to it does not wait")] long? AboveFen);

/// <summary>Store account view records → API contract.</summary>
public sealed class PreReviewMappingProfile : Profile
{
    public PreReviewMappingProfile()
    {
        CreateMap<StoreAccountView, StoreAccountDto>()
            .ForCtorParam(nameof(StoreAccountDto.RoleLabel), o => o.MapFrom(s => StoreUserRole.Label(s.Role)))
            .ForCtorParam(nameof(StoreAccountDto.PaymentMode), o => o.MapFrom(s => s.PaymentMode.Name()))
            .ForCtorParam(nameof(StoreAccountDto.PaymentModeLabel), o => o.MapFrom(s => s.PaymentMode.Label()));
        CreateMap<StoreUserView, StoreUserDto>()
            .ForCtorParam(nameof(StoreUserDto.RoleLabel), o => o.MapFrom(s => StoreUserRole.Label(s.Role)))
            .ForCtorParam(nameof(StoreUserDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAt)));
    }
}
