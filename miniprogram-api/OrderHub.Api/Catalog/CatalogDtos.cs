namespace OrderHub.Api.Catalog;

// The catalog's API contract. Amounts are fen (integers) with a ready "¥" text; times are Asia/Shanghai ISO-8601.

public sealed record PriceDto(long Fen, string Text, string Source, string Reason, long? PromotionId, long? TierMinQty);
public sealed record TierDto(long MinQty, long PriceFen, string Text);
public sealed record PromotionBadgeDto(long PromotionId, string Kind, string Name, string Text, string EndsAt);
public sealed record StockDto(long? Available, string Level, string LevelText);
public sealed record LastPaidDto(long PriceFen, string Text, long Quantity, string PaidAt);

public sealed record CatalogItemDto(
    string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty, string? Barcode, string? Brand,
    long? CategoryId, IReadOnlyList<string> ImageUrls, PriceDto Price, long BasePriceFen, IReadOnlyList<TierDto> Tiers,
    IReadOnlyList<PromotionBadgeDto> Promotions, StockDto Stock, LastPaidDto? LastPaid, IReadOnlyList<string> Tags, bool IsNew, bool IsHot);

public sealed record CatalogItemDetailDto(
    string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty, string? Barcode, string? Brand,
    long? CategoryId, IReadOnlyList<string> ImageUrls, PriceDto Price, long BasePriceFen, IReadOnlyList<TierDto> Tiers,
    IReadOnlyList<PromotionBadgeDto> Promotions, StockDto Stock, LastPaidDto? LastPaid, string? Description,
    IReadOnlyList<string> SellingPoints, IReadOnlyList<string> Tags, bool IsNew, bool IsHot);

/// <param name="Facets">A search's matches per category and brand; only on a search's first page.</param>
public sealed record CatalogPageDto(IReadOnlyList<CatalogItemDto> Items, string? NextCursor, CatalogFacetsDto? Facets);
public sealed record CatalogFacetsDto(IReadOnlyList<CategoryFacetDto> Categories, IReadOnlyList<BrandDto> Brands, int Total);
public sealed record CategoryFacetDto(long CategoryId, string Name, int ProductCount);
public sealed record CategoryDto(long Id, string Code, string Name, int ProductCount, IReadOnlyList<CategoryDto> Children);
public sealed record BrandDto(string Brand, int ProductCount);

/// <param name="SpecialPriceFen">特价: this product's promotion price.</param>
public sealed record PromotedProductDto(CatalogItemDto Product, long? SpecialPriceFen, string? SpecialPriceText);

/// <param name="Badge">The Chinese text to show: 特价 ¥3.50, 买10赠1, 满500减50.</param>
/// <param name="StoreWide">A 满减 on the whole order (no product list).</param>
/// <param name="ProductCount">Products it covers that this store may see; <c>Products</c> lists the first 20.</param>
public sealed record StorePromotionDto(long Id, string Kind, string KindLabel, string Name, string Badge, string StartsAt, string EndsAt,
    bool StoreWide, int ProductCount, IReadOnlyList<PromotedProductDto> Products);
