using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;

namespace OrderHub.Api.Catalog;

/// <summary>A store's favourites (收藏), beside the catalog they come from. An agent acts for one of its stores with customerId; staff may read them.</summary>
public static class FavouritesApi
{
    public static IEndpointRouteBuilder MapFavouritesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/catalog/favourites").WithTags("Favourites").RequireAuthorization().ProducesStoreNotFound();
        g.MapGet("", List).WithName("Favourites").WithSummary("This store's favourites as the catalog shows them (today's price, stock), newest first");
        g.MapPut("/{sku}", Add).WithName("AddFavourite").ProducesNotFound("商品不存在或对该门店不可见 / No such product, or not visible to this store").WithSummary("Mark a product as a favourite (repeating it keeps one); 404 for a product the store cannot see");
        g.MapDelete("/{sku}", Remove).WithName("RemoveFavourite").WithSummary("Remove a favourite (removing one that is not there is not an error)");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CatalogItemDto>>, ProblemHttpResult>> List(ClaimsPrincipal user, long? customerId,
        CustomerContextQuery customers, Favourites favourites, IMapper mapper)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, customers);
        if (problem is not null) return problem;
        return TypedResults.Ok(mapper.Map<IReadOnlyList<CatalogItemDto>>(await favourites.ListAsync(customer!)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Add(ClaimsPrincipal user, string sku, long? customerId,
        CustomerContextQuery customers, Favourites favourites)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, customers, staffAllowed: false);
        if (problem is not null) return problem;
        if (sku.Length > 64 || !await favourites.AddAsync(customer!, sku))
            return Problems.NotFound($"商品 {Truncate(sku)} 不存在", $"Product {Truncate(sku)} not found");
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(ClaimsPrincipal user, string sku, long? customerId,
        CustomerContextQuery customers, Favourites favourites)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, customers, staffAllowed: false);
        if (problem is not null) return problem;
        await favourites.RemoveAsync(customer!, sku);
        return TypedResults.NoContent();
    }

    private static string Truncate(string s) => s.Length > 32 ? s[..32] + "…" : s;
}
