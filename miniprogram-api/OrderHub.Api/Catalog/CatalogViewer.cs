using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Domain.People;

namespace OrderHub.Api.Catalog;

/// <summary>
/// Decides which store's catalog a caller sees. A customer user sees its own store; an agent sees a store assigned to it
/// (<c>customerId</c> required); staff may look at any store. Anything else is a 404, so nobody learns another store exists.
/// </summary>
public static class CatalogViewer
{
    public static async Task<(CustomerContext? Customer, ProblemHttpResult? Problem)> ResolveAsync(
        ClaimsPrincipal user, long? customerId, CustomerContextQuery customers)
    {
        CustomerContext? ctx;
        switch (user.Role())
        {
            case Roles.Customer:
                var own = user.CustomerIdOf();
                if (own is null || (customerId is not null && customerId != own)) return (null, NotFound());
                ctx = await customers.ForCustomerAsync(own.Value);
                if (ctx is null) return (null, Problems.Forbidden("您的门店已停用", "Your store is not active"));
                return (ctx, null);
            case Roles.Agent:
                if (customerId is null) return (null, Problems.BadRequest("请选择客户", "An agent must name the customerId it orders for"));
                ctx = await customers.ForAgentAsync(user.UserId_(), customerId.Value);
                return ctx is null ? (null, NotFound()) : (ctx, null);
            default:
                if (!user.IsStaff()) return (null, Problems.Forbidden("无权查看", "Not allowed"));
                if (customerId is null) return (null, Problems.BadRequest("请选择客户", "Staff must name the customerId to view"));
                ctx = await customers.ForCustomerAsync(customerId.Value);
                return ctx is null ? (null, NotFound()) : (ctx, null);
        }
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("客户不存在", "No such customer");
}
