using OrderHub.Domain.Pricing;
using OrderHub.Domain.Promotions;

namespace OrderHub.Domain.Catalog;

/// <summary>
/// A unit a product can be ordered in (单位): the base unit (瓶, factor 1) or a larger one (箱 = 24 瓶).
/// Stock, reservations and pack/MOQ settings are always in base units; a larger unit is how a store orders and what it pays per.
/// </summary>
/// <param name="Name">The unit's name as shown and as the API takes it (箱).</param>
/// <param name="Factor">Base units in one of this unit (24).</param>
/// <param name="PriceFen">The ERP's own price for one of this unit, when it has one; null = base price × factor.</param>
/// <param name="ErpCode">The ERP's code for this unit, when the ERP knows it (orders reach the ERP in it); null = push in base units.</param>
public sealed record ProductUnit(string Name, int Factor, long? PriceFen = null, string? ErpCode = null)
{
    public bool IsBase => Factor == 1;

    public static ProductUnit Base(string name) => new(name, 1);
}

/// <summary>
/// The one place unit arithmetic happens: base ↔ unit quantities, the price per unit, pack size and MOQ in the unit shown,
/// and 买赠 gifts in whole units of the rule's unit. Cart, pricing, placement, ERP push and the catalog all call this.
/// </summary>
public static class UnitConversion
{
    /// <summary>The product's units, base first then by factor; the base unit is always there even if the ERP sent none.</summary>
    public static IReadOnlyList<ProductUnit> UnitsOf(string baseUnit, IEnumerable<ProductUnit>? larger) =>
        [ProductUnit.Base(baseUnit), .. (larger ?? []).Where(u => u.Factor > 1 && u.Name != baseUnit).GroupBy(u => u.Name).Select(g => g.First()).OrderBy(u => u.Factor).ThenBy(u => u.Name, StringComparer.Ordinal)];

    /// <summary>The unit named <paramref name="name"/> (null or empty = the base unit), or null when the product has no such unit.</summary>
    public static ProductUnit? Find(IReadOnlyList<ProductUnit> units, string? name) =>
        string.IsNullOrWhiteSpace(name) ? units[0] : units.FirstOrDefault(u => u.Name == name.Trim());

    public static long ToBase(long quantity, ProductUnit unit) => checked(quantity * unit.Factor);

    /// <summary>
    /// How a base quantity is shown in the unit a store chose: in that unit when it divides evenly, else in the base unit
    /// (49 瓶 cannot be shown in 箱 of 24). Returns the unit used and the quantity in it.
    /// </summary>
    public static (ProductUnit Unit, long Quantity) Shown(long baseQuantity, ProductUnit chosen, ProductUnit baseUnit) =>
        baseQuantity % chosen.Factor == 0 ? (chosen, baseQuantity / chosen.Factor) : (baseUnit, baseQuantity);

    /// <summary>
    /// The price of one <paramref name="unit"/> given the price resolved per base unit. The ERP's own unit price is used when the
    /// base-unit price is the product's base price (a list price for the case); any other rule (agreed price, tracking price,
    /// price list, promotion) is a per-base-unit price and is multiplied by the factor. Fen × whole factor is exact.
    /// </summary>
    public static ResolvedPrice PricePerUnit(ResolvedPrice perBase, ProductUnit unit)
    {
        if (unit.IsBase) return perBase;
        if (perBase.Source == PriceSource.BasePrice && unit.PriceFen is { } own)
            return perBase with { UnitPriceFen = own, Reason = $"{perBase.Reason} ({unit.Name}价)" };
        return perBase with { UnitPriceFen = checked(perBase.UnitPriceFen * unit.Factor), Reason = $"{perBase.Reason} × {unit.Factor}" };
    }

    /// <summary>Yuan (an ERP's price, often with 4 decimals) × factor → fen, rounded half-up once at the end (never per base unit).</summary>
    public static long UnitPriceFen(decimal yuanPerBase, int factor) =>
        decimal.ToInt64(decimal.Round(yuanPerBase * factor * 100m, 0, MidpointRounding.AwayFromZero));

    /// <summary>Fen per base unit, rounded half-up: what a whole-unit price is worth per base unit (ERPs that only take base units).</summary>
    public static long PerBaseFen(long unitPriceFen, int factor) =>
        factor <= 1 ? unitPriceFen : decimal.ToInt64(decimal.Round((decimal)unitPriceFen / factor, 0, MidpointRounding.AwayFromZero));

    /// <summary>
    /// 箱规 in the unit shown: the smallest number of <paramref name="unit"/> that is a whole number of packs
    /// (pack 6 瓶, 箱 of 24 → 1 箱; pack 36 瓶, 箱 of 24 → 3 箱).
    /// </summary>
    public static int PackSizeIn(int packSizeBase, ProductUnit unit)
    {
        var pack = Math.Max(1, packSizeBase);
        return pack / Gcd(pack, unit.Factor);
    }

    /// <summary>起订量 in the unit shown: the fewest <paramref name="unit"/> reaching the base MOQ (MOQ 30 瓶, 箱 of 24 → 2 箱).</summary>
    public static int MinOrderQtyIn(int minOrderQtyBase, ProductUnit unit)
    {
        var moq = Math.Max(1, minOrderQtyBase);
        return (moq + unit.Factor - 1) / unit.Factor;
    }

    /// <summary>
    /// 买N赠M where N and M count <paramref name="ruleUnit"/>: the free quantity, in base units, for a line of
    /// <paramref name="baseQuantity"/>. Only whole rule units count (50 瓶 are 2 箱 of 24 for a per-箱 rule), and the gift is whole
    /// rule units (a per-瓶 rule may break a case: 4 瓶 free on 48; a per-箱 rule gives whole cases).
    /// </summary>
    public static long FreeBaseQuantity(long baseQuantity, BuyGetOffer offer, ProductUnit ruleUnit) =>
        checked(OrderPromotions.FreeQuantity(baseQuantity / ruleUnit.Factor, offer) * ruleUnit.Factor);

    /// <summary>
    /// Of several 买N赠M offers (each counting in its own unit), the one giving the most base units free, ties to the lower
    /// promotion id; null when none gives anything. The gift is whole units of the winning rule's unit.
    /// </summary>
    public static (BuyGetOffer Offer, ProductUnit Unit, long FreeUnits)? BestGift(long baseQuantity, IEnumerable<(BuyGetOffer Offer, ProductUnit Unit)> offers) =>
        offers.Select(x => (x.Offer, x.Unit, FreeBase: FreeBaseQuantity(baseQuantity, x.Offer, x.Unit)))
            .Where(x => x.FreeBase > 0)
            .OrderByDescending(x => x.FreeBase).ThenBy(x => x.Offer.PromotionId)
            .Select(x => ((BuyGetOffer, ProductUnit, long)?)(x.Offer, x.Unit, x.FreeBase / x.Unit.Factor)).FirstOrDefault();

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return Math.Abs(a);
    }
}
