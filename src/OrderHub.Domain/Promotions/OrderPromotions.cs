namespace OrderHub.Domain.Promotions;

/// <summary>买N赠M: every <c>BuyQty</c> units bought give <c>FreeQty</c> units of the same item free.</summary>
public sealed record BuyGetOffer(long PromotionId, string Name, long BuyQty, long FreeQty);

/// <summary>满X减Y: when the covered goods reach the threshold, the order total drops by the discount (once).</summary>
/// <param name="ProductIds">The covered products; null covers everything.</param>
public sealed record SpendSaveOffer(long PromotionId, string Name, long ThresholdFen, long DiscountFen, IReadOnlySet<long>? ProductIds);

public static class OrderPromotions
{
    public static long FreeQuantity(long quantity, BuyGetOffer o) =>
        o.BuyQty <= 0 || o.FreeQty <= 0 ? 0 : quantity / o.BuyQty * o.FreeQty;

    /// <summary>The buy-get offer that gives the most free units for this quantity, if any gives some.</summary>
    public static (BuyGetOffer Offer, long Free)? BestBuyGet(long quantity, IEnumerable<BuyGetOffer> offers) =>
        offers.Select(o => (Offer: o, Free: FreeQuantity(quantity, o)))
            .Where(x => x.Free > 0)
            .OrderByDescending(x => x.Free).ThenBy(x => x.Offer.PromotionId)
            .Select(x => ((BuyGetOffer, long)?)x).FirstOrDefault();

    /// <summary>The single spend-save offer with the biggest discount whose threshold the covered lines reach. Offers do not stack.</summary>
    public static (SpendSaveOffer Offer, long DiscountFen)? BestSpendSave(IReadOnlyCollection<(long ProductId, long AmountFen)> lines, IEnumerable<SpendSaveOffer> offers)
    {
        (SpendSaveOffer, long)? best = null;
        foreach (var o in offers)
        {
            var covered = lines.Where(l => o.ProductIds is null || o.ProductIds.Contains(l.ProductId)).Sum(l => l.AmountFen);
            if (covered < o.ThresholdFen || o.DiscountFen <= 0) continue;
            var discount = Math.Min(o.DiscountFen, covered);
            if (best is null || discount > best.Value.Item2) best = (o, discount);
        }
        return best;
    }
}
