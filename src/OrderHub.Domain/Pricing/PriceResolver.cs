namespace OrderHub.Domain.Pricing;

public sealed class PricingOptions
{
    /// <summary>The rules in the order they are tried; the first that has a price wins.</summary>
    public PriceSource[] Order { get; set; } =
        [PriceSource.Promotion, PriceSource.CustomerPrice, PriceSource.TrackingPrice, PriceSource.GroupPriceList, PriceSource.BasePrice];

    /// <summary>A promotion price is used only when it is below what the customer would pay without it.</summary>
    public bool PromotionOnlyWhenCheaper { get; set; } = true;
}

/// <summary>
/// Resolves the unit price of one product for one customer and quantity. Pure: same inputs, same answer.
/// Rules, in the configured order: promotion → customer price → tracking price → group price list (tiers) → base price.
/// </summary>
public sealed class PriceResolver(PricingOptions options)
{
    public ResolvedPrice Resolve(PriceInputs inputs, long quantity, long nowMs)
    {
        if (quantity < 1) quantity = 1;
        foreach (var rule in options.Order)
        {
            var price = rule == PriceSource.Promotion
                ? PromotionPrice(inputs, quantity, nowMs)
                : Rule(rule, inputs, quantity);
            if (price is not null) return price;
        }
        // Base price is the floor even if the configuration left it out.
        return Base(inputs);
    }

    private ResolvedPrice? PromotionPrice(PriceInputs inputs, long quantity, long nowMs)
    {
        // The lowest live offer, the lower promotion id on a tie (the first such in the list). A loop, not OrderBy: this runs
        // for every item of every catalog page, and the sort's iterators and comparers were a fifth of a page's allocations.
        SpecialPriceOffer? best = null;
        var offers = inputs.SpecialPrices;
        for (var i = 0; i < offers.Count; i++)
        {
            var o = offers[i];
            if (o.StartsAtMs > nowMs || nowMs >= o.EndsAtMs) continue;
            if (best is null || o.PriceFen < best.PriceFen || (o.PriceFen == best.PriceFen && o.PromotionId < best.PromotionId)) best = o;
        }
        if (best is null) return null;
        if (options.PromotionOnlyWhenCheaper)
        {
            var without = ResolveWithout(inputs, quantity);
            if (without.UnitPriceFen <= best.PriceFen) return null;
        }
        return new ResolvedPrice(best.PriceFen, PriceSource.Promotion, $"促销特价 {best.Name}", PromotionId: best.PromotionId);
    }

    private ResolvedPrice ResolveWithout(PriceInputs inputs, long quantity)
    {
        foreach (var rule in options.Order)
        {
            if (rule == PriceSource.Promotion) continue;
            if (Rule(rule, inputs, quantity) is { } p) return p;
        }
        return Base(inputs);
    }

    private static ResolvedPrice? Rule(PriceSource rule, PriceInputs inputs, long quantity) => rule switch
    {
        PriceSource.CustomerPrice => Tier(inputs.CustomerPrices, quantity) is { } t
            ? new ResolvedPrice(t.PriceFen, PriceSource.CustomerPrice,
                TierReason(inputs.CustomerPriceListName is { } list ? $"价目表 {list}" : "客户协议价", t), TierMinQty: t.MinQty) : null,
        PriceSource.TrackingPrice => Tier(inputs.TrackingPrices, quantity) is { } t
            ? new ResolvedPrice(t.PriceFen, PriceSource.TrackingPrice, "客户跟踪价 (ERP)", TierMinQty: t.MinQty) : null,
        PriceSource.GroupPriceList => Tier(inputs.GroupTiers, quantity) is { } t
            ? new ResolvedPrice(t.PriceFen, PriceSource.GroupPriceList, TierReason($"价目表 {inputs.GroupPriceListName}", t), TierMinQty: t.MinQty) : null,
        PriceSource.BasePrice => Base(inputs),
        _ => null,
    };

    private static ResolvedPrice Base(PriceInputs inputs) => new(inputs.BasePriceFen, PriceSource.BasePrice, "基础价");

    /// <summary>The tier with the highest start at or below the quantity.</summary>
    private static PriceTier? Tier(IReadOnlyList<PriceTier> tiers, long quantity)
    {
        PriceTier? best = null;
        for (var i = 0; i < tiers.Count; i++)
        {
            var t = tiers[i];
            if (t.MinQty <= quantity && (best is null || t.MinQty > best.MinQty)) best = t;
        }
        return best;
    }

    private static string TierReason(string name, PriceTier t) => t.MinQty > 1 ? $"{name} (满 {t.MinQty} 件)" : name;
}
