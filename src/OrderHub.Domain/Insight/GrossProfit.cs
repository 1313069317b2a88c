namespace OrderHub.Domain.Insight;

/// <summary>
/// One order line as shipped, for gross profit: what the store was charged for it and what the goods cost.
/// <paramref name="AmountFen"/> is the line amount (0 for a 买赠 gift); <paramref name="UnitCostFen"/> the product's cost
/// per base unit when the line shipped (from the ERP's cost feed), null when the ERP gave none.
/// </summary>
public readonly record struct ShippedLine(long Quantity, long AmountFen, long? UnitCostFen, long ReturnedQuantity = 0);

/// <summary>Revenue, cost and gross profit of some lines; <see cref="Margin"/> is GP / revenue (4 decimals).</summary>
public sealed record ProfitFigures(long RevenueFen, long CostFen, long GrossProfitFen, int LinesWithoutCost)
{
    public static readonly ProfitFigures Zero = new(0, 0, 0, 0);
    public decimal? Margin => InsightMath.Share(GrossProfitFen, RevenueFen);
    public ProfitFigures Plus(ProfitFigures b) => new(RevenueFen + b.RevenueFen, CostFen + b.CostFen, GrossProfitFen + b.GrossProfitFen, LinesWithoutCost + b.LinesWithoutCost);
}

/// <summary>
/// 毛利: per line as shipped, revenue = the line amount less the returned share of it (amount × returned / quantity, rounded
/// half away from zero), cost = unit cost × (quantity − returned). A gift line has no revenue and full cost — the gift is
/// what the promotion cost. A line with no known cost counts its revenue with zero cost and is counted in LinesWithoutCost,
/// so a report can say how much of its figure is uncosted.
/// </summary>
public static class GrossProfit
{
    public static ProfitFigures Of(ShippedLine l)
    {
        var kept = Math.Max(0, l.Quantity - Math.Min(l.Quantity, l.ReturnedQuantity));
        var revenue = l.Quantity == 0 ? 0 : l.AmountFen - (long)Math.Round((decimal)l.AmountFen * (l.Quantity - kept) / l.Quantity, MidpointRounding.AwayFromZero);
        var cost = (l.UnitCostFen ?? 0) * kept;
        return new ProfitFigures(revenue, cost, revenue - cost, l.UnitCostFen is null ? 1 : 0);
    }

    public static ProfitFigures Of(IEnumerable<ShippedLine> lines) => lines.Aggregate(ProfitFigures.Zero, (acc, l) => acc.Plus(Of(l)));
}
