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

/// <summary>Filters of a product list. <c>After</c> is the keyset cursor: the last SKU of the previous page.</summary>
public sealed record CatalogFilter(string? Search, long? CategoryId, string? Brand, string? After, int Limit);

/// <param name="Available">Null where the distributor shows only levels.</param>
public sealed record StockInfo(long? Available, string Level, string LevelText);

public sealed record CatalogItem(
    long ProductId, string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty,
    string? Barcode, string? Brand, long? CategoryId, IReadOnlyList<string> ImageUrls,
    ResolvedPrice Price, long BasePriceFen, IReadOnlyList<PriceTier> Tiers,
    IReadOnlyList<PromotionBadge> Promotions, StockInfo Stock, LastPaid? LastPaid, string? Description);

public sealed record CatalogPage(IReadOnlyList<CatalogItem> Items, string? NextCursor);

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
