namespace OrderHub.Domain.Insight;

public readonly record struct ParetoItem(long Id, string Code, long RevenueFen);

/// <param name="Share">This customer's share of the total, rounded to 4 decimals.</param>
/// <param name="CumulativeShare">The share of this customer and every one ranked above it.</param>
/// <param name="InKeySet">Part of the smallest prefix whose cumulative share reaches the threshold.</param>
public sealed record ParetoRow(int Rank, long Id, string Code, long RevenueFen, decimal Share, decimal CumulativeShare, bool InKeySet);

/// <summary>
/// 二八法则: customers ranked by revenue (highest first; equal revenue by code, so the ranking is stable), and the key set —
/// the smallest prefix of that ranking whose cumulative revenue reaches the threshold (80%) of the total.
/// Only customers with positive revenue are ranked.
/// </summary>
public static class Pareto
{
    public const decimal DefaultThreshold = 0.8m;

    public static IReadOnlyList<ParetoRow> Rank(IEnumerable<ParetoItem> items, decimal threshold = DefaultThreshold)
    {
        var ranked = items.Where(i => i.RevenueFen > 0)
            .OrderByDescending(i => i.RevenueFen).ThenBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Id).ToList();
        var total = ranked.Sum(i => i.RevenueFen);
        var rows = new List<ParetoRow>(ranked.Count);
        long cumulative = 0;
        var reached = false;
        for (var n = 0; n < ranked.Count; n++)
        {
            var i = ranked[n];
            var inSet = !reached; // once the prefix reaches the threshold, nobody after it is in the set
            cumulative += i.RevenueFen;
            if (!reached && cumulative >= threshold * total) reached = true;
            rows.Add(new ParetoRow(n + 1, i.Id, i.Code, i.RevenueFen, InsightMath.Share(i.RevenueFen, total)!.Value,
                InsightMath.Share(cumulative, total)!.Value, inSet));
        }
        return rows;
    }
}
