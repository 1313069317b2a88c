using OrderHub.Domain;

namespace OrderHub.Application.Pricing;

/// <summary>A promotion shown on a product: "特价 ¥3.50", "买10赠1", "满500减50".</summary>
public sealed record PromotionBadge(long PromotionId, string Kind, string Name, string Text, long EndsAtMs)
{
    public static string TextFor(string kind, long? specialPriceFen, long? buyQty, long? freeQty, long? thresholdFen, long? discountFen) => kind switch
    {
        "special_price" => $"特价 {Money.Format(specialPriceFen ?? 0)}",
        "buy_get" => $"买{buyQty}赠{freeQty}",
        "spend_save" => $"满{Yuan(thresholdFen ?? 0)}减{Yuan(discountFen ?? 0)}",
        _ => kind,
    };

    private static string Yuan(long fen) => fen % 100 == 0 ? (fen / 100).ToString() : Money.Format(fen).TrimStart('¥');
}
