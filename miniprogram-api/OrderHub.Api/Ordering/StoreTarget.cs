using System.Security.Claims;
using OrderHub.Api.Auth;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;
using OrderHub.Domain.People;

namespace OrderHub.Api.Ordering;

/// <summary>
/// The store a cart or order call acts for, and whose cart it is. A customer user acts for its own store with its own cart;
/// an agent acts for an assigned store (route value <c>customerId</c>) with its proxy cart for that store. Anything else: 404.
/// </summary>
public sealed record StoreTarget(CartOwner Owner, CustomerContext Customer, Caller Caller, long? ProxyAgentId)
{
    public static async Task<StoreTarget> ResolveAsync(HttpContext http, CustomerContextQuery customers)
    {
        var user = http.User;
        var caller = Caller.From(user);
        if (caller.Role == Role.Customer)
        {
            var customer = await customers.ForCustomerAsync(user.CustomerIdOf() ?? -1)
                ?? throw AppProblem.Forbidden("您的门店已停用", "Your store is not active");
            return new StoreTarget(CartOwner.User(user.UserId_()), customer, caller, null);
        }
        if (caller.Role == Role.Agent && long.TryParse(http.GetRouteValue("customerId")?.ToString(), out var customerId))
        {
            var customer = await customers.ForAgentAsync(user.UserId_(), customerId)
                ?? throw AppProblem.NotFound("客户不存在", "No such customer");
            return new StoreTarget(CartOwner.Agent(user.UserId_()), customer, caller, user.UserId_());
        }
        throw AppProblem.NotFound("客户不存在", "No such customer");
    }
}
