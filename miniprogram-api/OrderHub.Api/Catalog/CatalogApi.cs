using OrderHub.Api.Auth;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;

namespace OrderHub.Api.Catalog;

/// <summary>The per-customer catalog (千人千面): categories, brands, product list and detail with this customer's prices.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        // Every catalog GET answers If-None-Match with 304 when this caller's page did not change (ConditionalGet).
        var g = app.MapGroup("/api/catalog").WithTags("Catalog").RequireAuthorization().WithETag();
        g.MapGet("/categories", Categories).WithName("CatalogCategories").ProducesStoreNotFound().WithSummary("Category tree with this customer's visible product counts");
        g.MapGet("/brands", Brands).WithName("CatalogBrands").ProducesStoreNotFound().WithSummary("Brands in this customer's assortment");
        g.MapGet("/products", Products).WithName("CatalogProducts").ProducesStoreNotFound().WithSummary("Products with this customer's price and its source, promotions, stock, last price paid. q: words that must all match (name, brand, category, spec, pinyin, initials, barcode), ranked by relevance then what this store and stores like it buy, with facets on the first page; sort: sku (default) or recommended (推荐); after: the previous page's nextCursor");
        g.MapGet("/products/{sku}", Product).WithName("CatalogProduct").ProducesStoreNotFound().ProducesNotFound("商品不存在或对该门店不可见 / No such product, or not visible to this store").WithSummary("One product as this customer sees it");
        g.MapGet("/promotions", Promotions).WithName("CatalogPromotions").ProducesStoreNotFound().WithSummary("The promotions live now for this store (特价 / 买赠 / 满减, only those aimed at it), with Chinese badge text and the products they cover as it sees them");
        return app;
    }

    /// <summary>The services every catalog handler uses, bound from DI as one bundle.</summary>
    public sealed class Deps(CatalogService catalog, CustomerContextQuery customers, IMapper mapper, CatalogOptions options)
    {
        public CatalogService Catalog { get; } = catalog;
        public CustomerContextQuery Customers { get; } = customers;
        public IMapper Mapper { get; } = mapper;
        public CatalogOptions Options { get; } = options;
    }

    private static async Task<Results<Ok<IReadOnlyList<CategoryDto>>, ProblemHttpResult>> Categories(ClaimsPrincipal user, long? customerId, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<CategoryDto>>(await d.Catalog.CategoriesAsync(customer!)));
    }

    private static async Task<Results<Ok<IReadOnlyList<BrandDto>>, ProblemHttpResult>> Brands(ClaimsPrincipal user, long? customerId, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<BrandDto>>(await d.Catalog.BrandsAsync(customer!)));
    }

    private static async Task<Results<Ok<IReadOnlyList<StorePromotionDto>>, ProblemHttpResult>> Promotions(ClaimsPrincipal user, long? customerId, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers);
        if (problem is not null) return problem;
        var promotions = await d.Catalog.PromotionsAsync(customer!);
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<StorePromotionDto>>(promotions));
    }

    private static async Task<Results<CatalogPageResult, ValidationProblem, ProblemHttpResult>> Products(
        ClaimsPrincipal user, long? customerId, string? q, long? categoryId, string? brand, string? after, int? limit, string? sort, [AsParameters] Deps d)
    {
        var o = d.Options;
        var errors = new Dictionary<string, string[]>();
        if (limit is { } l && (l < 1 || l > o.MaxPageSize))
            errors["limit"] = [$"limit 必须在 1 到 {o.MaxPageSize} 之间 / limit must be between 1 and {o.MaxPageSize}"];
        if (q is { Length: > 100 }) errors["q"] = ["搜索词不能超过 100 个字符 / q must be at most 100 characters"];
        if (after is { Length: > 64 }) errors["after"] = ["分页游标无效 / after is not a valid cursor"];
        if (categoryId is <= 0) errors["categoryId"] = ["categoryId 必须为正数 / categoryId must be positive"];
        if (brand is { Length: > 64 }) errors["brand"] = ["品牌名过长 / brand is too long"];
        if (sort is not null && !CatalogSort.All.Contains(sort)) errors["sort"] = ["排序只能是 sku 或 recommended / sort must be sku or recommended"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers);
        if (problem is not null) return problem;
        var page = await d.Catalog.ListAsync(customer!, new CatalogFilter(q, categoryId, brand, after, limit ?? o.DefaultPageSize, sort));
        // The page's JSON with each product's slow-changing half pre-serialized per snapshot (CatalogPageJson), as Ok<CatalogPageDto> would write it.
        return new CatalogPageResult(page);
    }

    private static async Task<Results<Ok<CatalogItemDetailDto>, ProblemHttpResult>> Product(ClaimsPrincipal user, string sku, long? customerId, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers);
        if (problem is not null) return problem;
        var item = sku.Length > 64 ? null : await d.Catalog.GetAsync(customer!, sku);
        if (item is null) return Problems.NotFound($"商品 {Truncate(sku)} 不存在", $"Product {Truncate(sku)} not found");
        return TypedResults.Ok(d.Mapper.Map<CatalogItemDetailDto>(item));
    }

    private static string Truncate(string s) => s.Length > 32 ? s[..32] + "…" : s;
}
