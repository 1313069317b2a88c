using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Ordering;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;

namespace OrderHub.Api.MiniProgram;

/// <summary>
/// What the mini-program's agent mode needs and the API lacked: the delivery addresses of an assigned store, so a proxy order
/// (<c>POST /api/agent/customers/{customerId}/orders</c>, which takes an <c>addressId</c>) can be submitted.
/// Access goes through the one store resolver (<see cref="StoreTarget"/>): another agent's store is a 404.
/// </summary>
public static class AgentStoreAddressesApi
{
    public static IEndpointRouteBuilder MapMiniProgramApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/api/agent").WithTags("Agent").RequireAuthorization(Policies.Agent);
        agent.MapGet("/customers/{customerId:long}/addresses", Addresses).WithName("ListCustomerAddressesForAgent")
            .WithSummary("An assigned store's delivery addresses (for a proxy order's addressId)");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AddressDto>>> Addresses(HttpContext http, Db db, CustomerContextQuery customers)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<(long Id, string? Label, string ContactName, string Phone, string Address, bool IsDefault)>(
            "SELECT id, label, contact_name, phone, address, is_default FROM customer_addresses WHERE customer_id = @CustomerId AND active = TRUE ORDER BY is_default DESC, id",
            new { t.Customer.CustomerId });
        return TypedResults.Ok<IReadOnlyList<AddressDto>>(rows.Select(r => new AddressDto(r.Id, r.Label, r.ContactName, r.Phone, r.Address, r.IsDefault)).ToList());
    }
}
