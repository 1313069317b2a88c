namespace OrderHub.Domain.Pricing;

/// <summary>A price that starts at a quantity (1 = every quantity).</summary>
public sealed record PriceTier(long MinQty, long PriceFen);

/// <summary>A special-price promotion offer for one product, with its time window [StartsAtMs, EndsAtMs).</summary>
public sealed record SpecialPriceOffer(long PromotionId, string Name, long PriceFen, long StartsAtMs, long EndsAtMs);

/// <summary>Every candidate price of one product for one customer. Loaded by the application layer, resolved here.</summary>
/// <param name="CustomerPriceListName">The ERP price list the customer's own prices came from, when the ERP named one (shown instead of 客户协议价).</param>
public sealed record PriceInputs(
    long BasePriceFen,
    IReadOnlyList<PriceTier> CustomerPrices,
    IReadOnlyList<PriceTier> TrackingPrices,
    string? GroupPriceListName,
    IReadOnlyList<PriceTier> GroupTiers,
    IReadOnlyList<SpecialPriceOffer> SpecialPrices,
    string? CustomerPriceListName = null);

/// <summary>The price a customer pays for one unit at a quantity, and why.</summary>
public sealed record ResolvedPrice(long UnitPriceFen, PriceSource Source, string Reason, long? PromotionId = null, long? TierMinQty = null);
