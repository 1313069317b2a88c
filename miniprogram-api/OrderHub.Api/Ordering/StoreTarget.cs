using System.Security.Claims;
using OrderHub.Api.Auth;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;
using OrderHub.Domain.People;

namespace OrderHub.Api.Ordering;

/// <summary>
/// The store a cart or order call acts for, and whose cart it is. A customer user acts for its own store with its own cart;
/// a chain's head office for one of its branches (query <c>branchId</c>); an agent acts for an assigned store (route value <c>customerId</c>) with its proxy cart for that store. Anything else: 404.
/// </summary>
public sealed record StoreTarget(CartOwner Owner, CustomerContext Customer, Caller Caller, long? ProxyAgentId)
{
    /// <summary>The query parameter with which a head office's user names one of its branches.</summary>
    public const string BranchParameter = "branchId";

    public static async Task<StoreTarget> ResolveAsync(HttpContext http, CustomerContextQuery customers)
    {
        var user = http.User;
        var caller = Caller.From(user);
        // Carts and orders are a store's own or its agent's; staff act on orders through the back office, not here.
        long? routeCustomer = caller.Role == Role.Agent && long.TryParse(http.GetRouteValue("customerId")?.ToString(), out var id) ? id : null;
        // A chain's head office names the branch it acts for (?branchId=): that branch's cart, prices and addresses.
        long? branch = caller.Role == Role.Customer && long.TryParse(http.Request.Query[BranchParameter], out var b) ? b : null;
        var customer = await StoreAccess.RequireAsync(user, caller.Role == Role.Agent ? routeCustomer ?? -1 : branch, customers, staffAllowed: false);
        return caller.Role == Role.Agent
            ? new StoreTarget(CartOwner.Agent(user.UserId_()), customer, caller, user.UserId_())
            : new StoreTarget(CartOwner.User(user.UserId_()), customer, caller, null);
    }
}
