using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>
/// The one answer to "which store may this caller act for", used by every store-scoped endpoint (catalog, cart, orders,
/// the agent's store pages, visits, insight). A customer user acts for its own store (a chain's head office also for its branches); an agent for a store assigned to it
/// (<c>customerId</c> required); staff for any store where the endpoint allows staff. Anything else is a 404, so nobody
/// learns that another store exists; a disabled store's own user gets 403.
/// </summary>
public static class StoreAccess
{
    /// <summary>Why a caller may not act for the store: the one answer both forms below give.</summary>
    private sealed record Denial(int Status, string Zh, string En);

    public static async Task<(CustomerContext? Customer, ProblemHttpResult? Problem)> ResolveAsync(
        ClaimsPrincipal user, long? customerId, CustomerContextQuery customers, bool staffAllowed = true)
    {
        var (customer, denial) = await DecideAsync(user, customerId, customers, staffAllowed);
        return (customer, denial is null ? null : Problems.Of(denial.Status, denial.Zh, denial.En));
    }

    /// <summary>As <see cref="ResolveAsync"/>, for services that answer problems by throwing (<see cref="AppProblem"/>).</summary>
    public static async Task<CustomerContext> RequireAsync(ClaimsPrincipal user, long? customerId, CustomerContextQuery customers, bool staffAllowed = true)
    {
        var (customer, denial) = await DecideAsync(user, customerId, customers, staffAllowed);
        return customer ?? throw new AppProblem(denial!.Status, denial.Zh, denial.En);
    }

    private static async Task<(CustomerContext?, Denial?)> DecideAsync(ClaimsPrincipal user, long? customerId, CustomerContextQuery customers, bool staffAllowed)
    {
        CustomerContext? ctx;
        switch (Roles.Parse(user.Role()))
        {
            case Role.Customer:
                var own = user.CustomerIdOf();
                if (own is null) return (null, NotFound);
                // A chain's head office (连锁总部) acts for any of its branches; any other store stays a 404.
                if (customerId is { } branch && branch != own)
                    return await customers.ForHeadOfficeAsync(own.Value, branch) is { } b ? (b, null) : (null, NotFound);
                ctx = await customers.ForOwnStoreAsync(own.Value);
                return ctx is null ? (null, new Denial(403, "您的门店已停用", "Your store is not active")) : (ctx, null);
            case Role.Agent:
                if (customerId is null) return (null, new Denial(400, "请选择客户", "An agent must name the customerId it acts for"));
                ctx = await customers.ForAgentAsync(user.UserId_(), customerId.Value);
                return ctx is null ? (null, NotFound) : (ctx, null);
            case { } role when role.IsStaff() && staffAllowed:
                if (customerId is null) return (null, new Denial(400, "请选择客户", "Staff must name the customerId to view"));
                ctx = await customers.ForCustomerAsync(customerId.Value);
                return ctx is null ? (null, NotFound) : (ctx, null);
            case { } role when role.IsStaff():
                return (null, NotFound);
            default:
                return (null, new Denial(403, "无权查看", "Not allowed"));
        }
    }

    private static readonly Denial NotFound = new(404, "客户不存在", "No such customer");
}
