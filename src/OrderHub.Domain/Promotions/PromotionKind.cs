namespace OrderHub.Domain.Promotions;

/// <summary>
/// The three kinds of promotion (促销) and the one mapping of each to its text in the database (promotions.kind),
/// the API and the console: 特价 (special_price), 买赠 (buy_get), 满减 (spend_save).
/// </summary>
public static class PromotionKind
{
    /// <summary>特价: listed items sell at a special price while the promotion runs.</summary>
    public const string SpecialPrice = "special_price";
    /// <summary>买N赠M: every N units of an item bought give M more of it free.</summary>
    public const string BuyGet = "buy_get";
    /// <summary>满X减Y: when the covered goods reach X, the order total drops by Y (once).</summary>
    public const string SpendSave = "spend_save";

    public static readonly string[] All = [SpecialPrice, BuyGet, SpendSave];

    public static bool IsKnown(string? kind) => kind is SpecialPrice or BuyGet or SpendSave;

    /// <summary>特价 / 买赠 / 满减: how a person names the kind.</summary>
    public static string Label(string kind) => kind switch
    {
        SpecialPrice => "特价",
        BuyGet => "买赠",
        SpendSave => "满减",
        _ => kind,
    };

    /// <summary>The badge a store sees on a product: "特价 ¥3.50", "买10赠1", "满500减50".</summary>
    public static string Badge(string kind, long? specialPriceFen, long? buyQty, long? freeQty, long? thresholdFen, long? discountFen) => kind switch
    {
        SpecialPrice => $"特价 {Money.Format(specialPriceFen ?? 0)}",
        BuyGet => $"买{buyQty}赠{freeQty}",
        SpendSave => $"满{Yuan(thresholdFen ?? 0)}减{Yuan(discountFen ?? 0)}",
        _ => kind,
    };

    private static string Yuan(long fen) => fen % 100 == 0 ? (fen / 100).ToString() : Money.Format(fen).TrimStart('¥');
}
