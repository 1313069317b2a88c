using System.Security.Claims;
using OrderHub.Application.Common;
using OrderHub.Application.OrderFlow;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>The signed-in caller as the application layer sees it: who (for the timeline), which role, which orders it may touch.</summary>
public sealed record Caller(Actor Actor, Role Role, OrderScope Scope)
{
    public static Caller From(ClaimsPrincipal user)
    {
        var role = Roles.Parse(user.Role()) ?? throw new InvalidOperationException($"Unknown role claim '{user.Role()}'");
        var id = user.UserId_();
        var name = user.FindFirstValue(ClaimTypes.Name) ?? role.Name();
        return role switch
        {
            Role.Customer => new(new Actor("customer_user", id, name), role, OrderScope.OfCustomer(user.CustomerIdOf() ?? -1)),
            Role.Agent => new(new Actor("agent", id, name), role, OrderScope.OfAgent(id)),
            _ => new(new Actor("staff", id, name), role, OrderScope.Any),
        };
    }
}
