using OrderHub.Domain.Catalog;
using System.Globalization;
using System.Security.Claims;
using OrderHub.Application.Catalog;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Domain;
using OrderHub.Domain.Time;
using OrderHub.Domain.Promotions;

namespace OrderHub.Api.BackOffice;

/// <summary>
/// Catalog administration for the console: products and stock (read; the ERP owns them), assortment rules, group price
/// lists with tiers, promotions (create, edit, schedule). Any staff member reads; only an admin writes.
/// </summary>
public static class CatalogAdminApi
{
    public sealed record ProductDto(long Id, string Sku, string Name, string? Spec, string Unit, long PackSize, long MinOrderQty, string? Brand,
        string? Barcode, string? CategoryName, long BasePriceFen, string BasePriceText, bool Active, long OnHand, long Reserved, long Available,
        string? ImageUrl = null, string? ThumbnailUrl = null);
    public sealed record StockDto(long ProductId, string Sku, string Name, string? Spec, string Unit, long PackSize, long WarehouseId, string WarehouseName,
        long OnHand, long Reserved, long Available, bool Low, string UpdatedAt);
    public sealed record PageDto<T>(IReadOnlyList<T> Items, string? Next);
    public sealed record CategoryDto(long Id, string Code, string Name, long? ParentId, int Depth);
    public sealed record RuleDto(long Id, long? GroupId, string? GroupName, long? CustomerId, string? CustomerCode, string? CustomerName,
        string? Sku, string? ProductName, string? CategoryName, string Effect, string EffectLabel, string CreatedAt);
    public sealed record PriceListDto(long Id, string Code, string Name, long? GroupId, string? GroupName, bool Active, long Items);
    public sealed record PriceListItemDto(string Sku, string Name, string? Spec, string Unit, long BasePriceFen, string BasePriceText,
        long MinQty, long PriceFen, string PriceText, string UpdatedAt);
    public sealed record ProductContentDto(string Sku, string Name, string? Description, IReadOnlyList<string> SellingPoints, IReadOnlyList<string> Tags,
        bool IsNew, bool IsHot, int? SortOrder, string? UpdatedAt, string? UpdatedBy);
    /// <summary>The whole content (a PUT replaces it): absent lists are empty, absent flags false, no sortOrder leaves the product unpositioned.</summary>
    public sealed record ProductContentRequest(string? Description, IReadOnlyList<string>? SellingPoints, IReadOnlyList<string>? Tags, bool? IsNew, bool? IsHot, int? SortOrder);
    public sealed record SetPriceRequest(string? Sku, long? MinQty, long? PriceFen);
    public sealed record PromotionDto(long Id, string Code, string Name, string Kind, string KindLabel, string Target, string TargetLabel,
        long? TargetGroupId, string? TargetCustomerCode, string StartsAt, string EndsAt, string State, string StateLabel,
        long? BuyQty, long? FreeQty, long? ThresholdFen, long? DiscountFen, bool Active, string? Description, long ItemCount,
        IReadOnlyList<PromotionItemDto>? Items);
    public sealed record PromotionItemDto(string Sku, string Name, string? Spec, long BasePriceFen, long? SpecialPriceFen, string? SpecialPriceText);
    /// <summary>startsAt / endsAt: ISO-8601; without an offset they are Asia/Shanghai times ("2026-01-01T00:00").</summary>
    public sealed record PromotionRequest(string? Code, string? Name, string? Kind, string? Target, long? TargetGroupId, string? TargetCustomerCode,
        string? StartsAt, string? EndsAt, long? BuyQty, long? FreeQty, long? ThresholdFen, long? DiscountFen, bool? Active, string? Description,
        IReadOnlyList<PromotionItemInput>? Items);

    public static IEndpointRouteBuilder MapCatalogAdminApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin/catalog").WithTags("Back office: catalog").RequireAuthorization(Policies.Staff);
        g.MapGet("/products", Products).WithName("AdminProducts").WithSummary("Every product with base price and stock over all warehouses (q, categoryId; keyset paging by SKU)");
        g.MapGet("/products/{sku}/content", Content).WithName("AdminProductContent").ProducesNotFound("商品不存在 / No such product").WithSummary("What a person added to a product (description, selling points, tags, 新品/热销, 推荐 sort position); the ERP does not own it");
        g.MapPut("/products/{sku}/content", SetContent).RequireAuthorization(Policies.Admin).WithName("AdminSetProductContent").ProducesNotFound("商品不存在 / No such product").WithSummary("Save a product's content; an ERP sync never overwrites it (admin)");
        g.MapGet("/stock", Stock).WithName("AdminStock").WithSummary("Stock per product and warehouse: on hand, reserved by open orders, available (q, warehouseId, low)");
        g.MapGet("/categories", Categories).WithName("AdminCategories").WithSummary("The category tree, flat, in tree order");
        g.MapGet("/groups", (ProductAdmin p) => p.GroupsAsync()).WithName("AdminCustomerGroups").WithSummary("Customer groups (等级)");
        g.MapGet("/warehouses", (ProductAdmin p) => p.WarehousesAsync()).WithName("AdminWarehouses").WithSummary("Warehouses");

        g.MapGet("/assortment-rules", Rules).WithName("AdminAssortmentRules").WithSummary("Assortment rules (groupId, customerCode)");
        g.MapPost("/assortment-rules", CreateRule).RequireAuthorization(Policies.Admin).WithName("AdminCreateAssortmentRule").WithSummary("Add an allow/deny rule for a group or customer on a product or category (admin)");
        g.MapDelete("/assortment-rules/{id:long}", DeleteRule).RequireAuthorization(Policies.Admin).WithName("AdminDeleteAssortmentRule").ProducesNotFound("规则不存在 / No such rule").WithSummary("Remove a rule (admin)");

        g.MapGet("/price-lists", PriceLists).WithName("AdminPriceLists").WithSummary("Group price lists");
        g.MapGet("/price-lists/{id:long}/items", PriceListItems).WithName("AdminPriceListItems").ProducesNotFound("价目表不存在 / No such price list").WithSummary("A price list's tiers (q)");
        g.MapPut("/price-lists/{id:long}/items", SetPrice).RequireAuthorization(Policies.Admin).WithName("AdminSetPrice").ProducesNotFound("价目表不存在 / No such price list").WithSummary("Set one tier's price, adding it if new (admin)");
        g.MapDelete("/price-lists/{id:long}/items/{sku}", RemovePrice).RequireAuthorization(Policies.Admin).WithName("AdminRemovePrice").ProducesNotFound("该价格不存在 / No such price tier").WithSummary("Remove one tier (minQty) (admin)");

        g.MapGet("/promotions", Promotions).WithName("AdminPromotions").WithSummary("Promotions (state=live|upcoming|ended)");
        g.MapGet("/promotions/{id:long}", Promotion).WithName("AdminPromotion").ProducesNotFound("促销不存在 / No such promotion").WithSummary("One promotion with its items");
        g.MapPost("/promotions", CreatePromotion).RequireAuthorization(Policies.Admin).WithName("AdminCreatePromotion").ProducesConflict("促销编码已存在 / The promotion code is taken").WithSummary("Create and schedule a promotion (admin)");
        g.MapPut("/promotions/{id:long}", UpdatePromotion).RequireAuthorization(Policies.Admin).WithName("AdminUpdatePromotion").ProducesNotFound("促销不存在 / No such promotion").ProducesConflict("促销编码已存在 / The promotion code is taken").WithSummary("Edit or reschedule a promotion (admin)");
        return app;
    }

    private static ValidationProblem? PageErrors(int? limit, string? q, string? after)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > 200) errors["limit"] = ["limit 必须在 1 到 200 之间 / limit must be between 1 and 200"];
        if (q is { Length: > 100 }) errors["q"] = ["搜索词不能超过 100 个字符 / q must be at most 100 characters"];
        if (after is { Length: > 64 }) errors["after"] = ["分页游标无效 / after is not a valid cursor"];
        return errors.Count > 0 ? Problems.Validation(errors) : null;
    }

    private static async Task<Results<Ok<PageDto<ProductDto>>, ValidationProblem>> Products(string? q, long? categoryId, string? after, int? limit, ProductAdmin products,
        OrderHub.Application.Media.ImageStore images, IMapper mapper)
    {
        if (PageErrors(limit, q, after) is { } bad) return bad;
        var (items, next) = await products.ListAsync(q, categoryId, after, limit ?? 50);
        return TypedResults.Ok(new PageDto<ProductDto>(mapper.Map<IReadOnlyList<ProductDto>>(items, images), next));
    }

    private static async Task<Results<Ok<ProductContentDto>, ProblemHttpResult>> Content(string sku, ProductContentAdmin content, IMapper mapper) =>
        await content.GetAsync(sku) is { } row ? TypedResults.Ok(mapper.Map<ProductContentDto>(row)) : Problems.NotFound($"商品 {sku} 不存在", $"Product {sku} not found");

    private static async Task<Results<Ok<ProductContentDto>, ValidationProblem, ProblemHttpResult>> SetContent(
        string sku, ProductContentRequest? body, ClaimsPrincipal user, ProductContentAdmin content, IMapper mapper)
    {
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交商品内容 / send the product content"] });
        var input = ProductContentAdmin.Clean(new ProductContent(body.Description, body.SellingPoints ?? [], body.Tags ?? [], body.IsNew ?? false, body.IsHot ?? false, body.SortOrder));
        if (ProductContentAdmin.Check(input) is { Count: > 0 } errors) return Problems.Validation(errors);
        var by = user.FindFirstValue(ClaimTypes.Name) ?? "staff";
        if (!await content.SetAsync(sku, input, by)) return Problems.NotFound($"商品 {sku} 不存在", $"Product {sku} not found");
        return TypedResults.Ok(mapper.Map<ProductContentDto>((await content.GetAsync(sku))!));
    }

    private static async Task<Results<Ok<PageDto<StockDto>>, ValidationProblem>> Stock(string? q, long? warehouseId, bool? low, string? after, int? limit, ProductAdmin products, IMapper mapper)
    {
        if (PageErrors(limit, q, after) is { } bad) return bad;
        var (items, next) = await products.StockAsync(q, warehouseId, low ?? false, after, limit ?? 50);
        return TypedResults.Ok(new PageDto<StockDto>(mapper.Map<IReadOnlyList<StockDto>>(items), next));
    }

    private static async Task<Ok<IReadOnlyList<CategoryDto>>> Categories(ProductAdmin products, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<CategoryDto>>(await products.CategoriesAsync()));

    private static async Task<Ok<IReadOnlyList<RuleDto>>> Rules(long? groupId, string? customerCode, AssortmentAdmin rules, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<RuleDto>>(await rules.ListAsync(groupId, customerCode)));

    private static async Task<Created<RuleDto>> CreateRule(AssortmentRuleInput body, AssortmentAdmin rules, IMapper mapper)
    {
        var r = await rules.CreateAsync(body);
        return TypedResults.Created($"/api/admin/catalog/assortment-rules/{r.Id}", mapper.Map<RuleDto>(r));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(long id, AssortmentAdmin rules) =>
        await rules.DeleteAsync(id) ? TypedResults.NoContent() : Problems.NotFound("规则不存在", "No such rule");

    private static async Task<Ok<IReadOnlyList<PriceListDto>>> PriceLists(PriceListAdmin lists, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<PriceListDto>>(await lists.ListAsync()));

    private static async Task<Results<Ok<IReadOnlyList<PriceListItemDto>>, ProblemHttpResult>> PriceListItems(long id, string? q, int? limit, PriceListAdmin lists, IMapper mapper) =>
        await lists.ItemsAsync(id, q, limit ?? 100) is { } items
            ? TypedResults.Ok(mapper.Map<IReadOnlyList<PriceListItemDto>>(items))
            : Problems.NotFound("价目表不存在", "No such price list");

    private static async Task<Results<NoContent, ValidationProblem>> SetPrice(long id, SetPriceRequest? body, PriceListAdmin lists)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Sku) || body.PriceFen is null)
            return Problems.Validation(new() { ["sku"] = ["请填写商品编码和价格 / give sku and priceFen"] });
        await lists.SetItemAsync(id, body.Sku, body.MinQty ?? 1, body.PriceFen.Value);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemovePrice(long id, string sku, long? minQty, PriceListAdmin lists) =>
        await lists.RemoveItemAsync(id, sku, minQty ?? 1) ? TypedResults.NoContent() : Problems.NotFound("该价格不存在", "No such price tier");

    private static async Task<Ok<IReadOnlyList<PromotionDto>>> Promotions(string? state, PromotionAdmin promotions, TimeProvider clock, IMapper mapper) =>
        TypedResults.Ok(mapper.MapAt<IReadOnlyList<PromotionDto>>(await promotions.ListAsync(state), clock));

    private static async Task<Results<Ok<PromotionDto>, ProblemHttpResult>> Promotion(long id, PromotionAdmin promotions, TimeProvider clock, IMapper mapper) =>
        await promotions.GetAsync(id) is { } p
            ? TypedResults.Ok(mapper.MapAt<PromotionDto>(p, clock))
            : Problems.NotFound("促销不存在", "No such promotion");

    private static async Task<Results<Created<PromotionDto>, ValidationProblem>> CreatePromotion(PromotionRequest? body, PromotionAdmin promotions, TimeProvider clock, IMapper mapper)
    {
        var (input, errors) = Input(body);
        if (errors.Count > 0) return Problems.Validation(errors);
        var id = await promotions.CreateAsync(input!);
        var p = (await promotions.GetAsync(id))!.Value;
        return TypedResults.Created($"/api/admin/catalog/promotions/{id}", mapper.MapAt<PromotionDto>(p, clock));
    }

    private static async Task<Results<Ok<PromotionDto>, ValidationProblem>> UpdatePromotion(long id, PromotionRequest? body, PromotionAdmin promotions, TimeProvider clock, IMapper mapper)
    {
        var (input, errors) = Input(body);
        if (errors.Count > 0) return Problems.Validation(errors);
        await promotions.UpdateAsync(id, input!);
        var p = (await promotions.GetAsync(id))!.Value;
        return TypedResults.Ok(mapper.MapAt<PromotionDto>(p, clock));
    }

    private static (PromotionInput? Input, Dictionary<string, string[]> Errors) Input(PromotionRequest? b)
    {
        if (b is null) return (null, new() { ["body"] = ["请提交促销内容 / Send the promotion as JSON"] });
        var errors = new Dictionary<string, string[]>();
        long? starts = ParseTime(b.StartsAt), ends = ParseTime(b.EndsAt);
        if (!string.IsNullOrEmpty(b.StartsAt) && starts is null) errors["startsAt"] = ["开始时间格式有误 / startsAt is not a valid time"];
        if (!string.IsNullOrEmpty(b.EndsAt) && ends is null) errors["endsAt"] = ["结束时间格式有误 / endsAt is not a valid time"];
        var input = new PromotionInput(b.Code, b.Name, b.Kind, b.Target, b.TargetGroupId, b.TargetCustomerCode, starts, ends, b.BuyQty, b.FreeQty,
            b.ThresholdFen, b.DiscountFen, b.Active, b.Description, b.Items);
        foreach (var (k, v) in PromotionAdmin.Validate(input)) errors.TryAdd(k, v);
        return (input, errors);
    }

    /// <summary>ISO-8601 with an offset, or a Shanghai local time without one.</summary>
    private static long? ParseTime(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (s.Contains('Z') || s.LastIndexOf('+') > 0 || s.LastIndexOf('-') > 9)
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out var withOffset) ? withOffset.ToUnixTimeMilliseconds() : null;
        return DateTime.TryParse(s, CultureInfo.InvariantCulture, styles, out var local)
            ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.FromHours(8)).ToUnixTimeMilliseconds()
            : null;
    }
}
