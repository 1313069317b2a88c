using OrderHub.Application.Pricing;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Stock;

namespace OrderHub.Application.Catalog;

public sealed class CatalogOptions
{
    /// <summary>Exact: show the available quantity. Level: show only 有货/少量/缺货.</summary>
    public StockDisplayMode StockDisplay { get; set; } = StockDisplayMode.Exact;
    /// <summary>With Level display, fewer than this many packs available shows as 少量.</summary>
    public int LowStockPacks { get; set; } = 3;
    public int DefaultPageSize { get; set; } = 20;
    public int MaxPageSize { get; set; } = 100;
}

/// <summary>
/// Filters of a product list. <c>After</c> is the cursor the previous page returned: its last SKU in SKU order, a position
/// ("@40") in the 推荐 order or in a search's ranking. <c>Sort</c> is a <see cref="CatalogSort"/> (ignored by a search, which
/// ranks by relevance).
/// </summary>
public sealed record CatalogFilter(string? Search, long? CategoryId, string? Brand, string? After, int Limit, string? Sort = null);

/// <summary>The orders a store can list the catalog in.</summary>
public static class CatalogSort
{
    /// <summary>By SKU (the default).</summary>
    public const string Sku = "sku";
    /// <summary>推荐: the staff's sort position, then 热销, then 新品, then SKU.</summary>
    public const string Recommended = "recommended";
    public static readonly string[] All = [Sku, Recommended];
}

/// <summary>A search's matches counted per category (the product's own category) and per brand, and in all.</summary>
public sealed record CatalogFacets(IReadOnlyList<CategoryFacet> Categories, IReadOnlyList<BrandCount> Brands, int Total);
public sealed record CategoryFacet(long CategoryId, string Name, int ProductCount);

/// <summary>What a person added to a product (the ERP does not own it): description, selling points, tags, flags, sort position.</summary>
public sealed record ProductContent(string? Description, IReadOnlyList<string> SellingPoints, IReadOnlyList<string> Tags, bool IsNew, bool IsHot, int? SortOrder);

/// <param name="Available">Null where the distributor shows only levels.</param>
public sealed record StockInfo(long? Available, string Level, string LevelText);

public sealed record CatalogItem(
    long ProductId, string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty,
    string? Barcode, string? Brand, long? CategoryId, IReadOnlyList<string> ImageUrls,
    ResolvedPrice Price, long BasePriceFen, IReadOnlyList<PriceTier> Tiers,
    IReadOnlyList<PromotionBadge> Promotions, StockInfo Stock, LastPaid? LastPaid, string? Description,
    IReadOnlyList<string> SellingPoints, IReadOnlyList<string> Tags, bool IsNew, bool IsHot, IReadOnlyList<CatalogUnit> Units)
{
    /// <summary>The display half this item was built from, shared by every store's item of the product under one snapshot
    /// (the API keeps its pre-serialized JSON beside it); null for items built elsewhere.</summary>
    public ProductDisplay? Display { get; init; }
}

/// <summary>A unit a store may order the product in (瓶, 箱 = 24 瓶), priced for this store; pack size and MOQ in that unit.</summary>
public sealed record CatalogUnit(string Name, int Factor, bool IsBase, ResolvedPrice Price, int PackSize, int MinOrderQty);

/// <param name="Facets">Only on the first page of a search.</param>
public sealed record CatalogPage(IReadOnlyList<CatalogItem> Items, string? NextCursor, CatalogFacets? Facets = null);

public sealed record CategoryNode(long Id, string Code, string Name, long? ParentId, int ProductCount, IReadOnlyList<CategoryNode> Children);

public sealed record BrandCount(string Brand, int ProductCount);

/// <summary>A product a store promotion covers, as this store sees it; <c>SpecialPriceFen</c> for 特价.</summary>
public sealed record PromotedProduct(CatalogItem Item, long? SpecialPriceFen);

/// <summary>
/// A promotion live for one store (特价 / 买赠 / 满减) with its Chinese badge text and the products it covers that the store
/// may see (at most <see cref="CatalogService.MaxPromotedProducts"/>; <c>ProductCount</c> says how many in all).
/// </summary>
public sealed record StorePromotion(long Id, string Kind, string KindLabel, string Name, string Badge, long StartsAtMs, long EndsAtMs,
    bool StoreWide, int ProductCount, IReadOnlyList<PromotedProduct> Products);
