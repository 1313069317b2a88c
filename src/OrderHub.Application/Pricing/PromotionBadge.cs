using OrderHub.Domain;

namespace OrderHub.Application.Pricing;

/// <summary>A promotion shown on a product: "特价 ¥3.50", "买10赠1", "满500减50".</summary>
public sealed record PromotionBadge(long PromotionId, string Kind, string Name, string Text, long EndsAtMs)
{
}
