namespace OrderHub.Domain.Insight;

/// <summary>Thresholds of the cross-sell gaps (品类空白), settings section "CrossSell".</summary>
public sealed class CrossSellOptions
{
    /// <summary>Similar stores have revenue within this factor of the store's (0.5× … 2×), besides the same group and region.</summary>
    public double SizeFactor { get; set; } = 2;
    /// <summary>No gaps are named with fewer similar stores than this.</summary>
    public int MinPeers { get; set; } = 3;
    /// <summary>A product or category is a gap only when at least this share of the similar stores buy it.</summary>
    public double MinAdoption { get; set; } = 0.5;
    /// <summary>How far back purchases are read (and the period the expected gross profit is per).</summary>
    public int HistoryDays { get; set; } = 90;
    /// <summary>The most gaps listed per store.</summary>
    public int MaxGaps { get; set; } = 10;
}

/// <summary>A store for cross-sell: its group, region, revenue in the period, and gross profit per product (product → (category, GP)).</summary>
public sealed record PeerStore(long Id, long? GroupId, string? Region, long RevenueFen, IReadOnlyDictionary<long, (long CategoryId, long GrossProfitFen)> Products);

public enum GapKind { Category, Product }

/// <summary>A category or product similar stores buy and this store does not.</summary>
/// <param name="PeersBuying">How many of the similar stores buy it.</param>
/// <param name="Adoption">PeersBuying / similar stores.</param>
/// <param name="AverageGrossProfitFen">Mean gross profit per buying peer in the period.</param>
/// <param name="ExpectedGrossProfitFen">Adoption × mean gross profit: what this store is expected to bring in the period, the ranking key.</param>
public sealed record CrossSellGap(GapKind Kind, long Id, long CategoryId, int PeersBuying, int Peers, decimal Adoption, long AverageGrossProfitFen, long ExpectedGrossProfitFen);

/// <summary>
/// 品类空白: the stores like this one — same customer group, same region, revenue within SizeFactor of its own — and what
/// they buy that it does not: whole categories first considered, then products in categories it does buy. Each gap is ranked
/// by expected gross profit = adoption (share of similar stores buying it) × their mean gross profit on it in the period.
/// Fewer than MinPeers similar stores: no gaps (too little to say).
/// </summary>
public static class CrossSell
{
    public static bool IsSimilar(PeerStore store, PeerStore other, CrossSellOptions o)
    {
        if (other.Id == store.Id || other.GroupId != store.GroupId || !string.Equals(other.Region, store.Region, StringComparison.Ordinal)) return false;
        if (store.RevenueFen <= 0 || other.RevenueFen <= 0) return store.RevenueFen == other.RevenueFen;
        var ratio = (double)other.RevenueFen / store.RevenueFen;
        return ratio <= o.SizeFactor && ratio >= 1 / o.SizeFactor;
    }

    public static IReadOnlyList<CrossSellGap> Gaps(PeerStore store, IEnumerable<PeerStore> candidates, CrossSellOptions o)
    {
        var peers = candidates.Where(c => IsSimilar(store, c, o)).ToList();
        if (peers.Count < Math.Max(1, o.MinPeers)) return [];
        var ownCategories = store.Products.Values.Select(v => v.CategoryId).ToHashSet();
        var gaps = new List<CrossSellGap>();

        CrossSellGap? Gap(GapKind kind, long id, long categoryId, IReadOnlyList<long> gpPerBuyer)
        {
            if (gpPerBuyer.Count == 0) return null;
            var adoption = (decimal)gpPerBuyer.Count / peers.Count;
            if (adoption < (decimal)o.MinAdoption) return null;
            var mean = (long)Math.Round((decimal)gpPerBuyer.Sum() / gpPerBuyer.Count, MidpointRounding.AwayFromZero);
            var expected = (long)Math.Round(adoption * mean, MidpointRounding.AwayFromZero);
            return new CrossSellGap(kind, id, categoryId, gpPerBuyer.Count, peers.Count, Math.Round(adoption, 4, MidpointRounding.AwayFromZero), mean, expected);
        }

        var categories = peers.SelectMany(p => p.Products.Values.Select(v => v.CategoryId)).Distinct().Where(c => !ownCategories.Contains(c));
        foreach (var cat in categories)
            if (Gap(GapKind.Category, cat, cat, peers.Where(p => p.Products.Values.Any(v => v.CategoryId == cat))
                    .Select(p => p.Products.Values.Where(v => v.CategoryId == cat).Sum(v => v.GrossProfitFen)).ToList()) is { } g)
                gaps.Add(g);

        var products = peers.SelectMany(p => p.Products.Where(kv => ownCategories.Contains(kv.Value.CategoryId) && !store.Products.ContainsKey(kv.Key))
            .Select(kv => (Product: kv.Key, kv.Value.CategoryId, kv.Value.GrossProfitFen)));
        foreach (var prod in products.GroupBy(x => (x.Product, x.CategoryId)))
            if (Gap(GapKind.Product, prod.Key.Product, prod.Key.CategoryId, prod.Select(x => x.GrossProfitFen).ToList()) is { } g)
                gaps.Add(g);

        return gaps.OrderByDescending(g => g.ExpectedGrossProfitFen).ThenBy(g => g.Kind).ThenBy(g => g.Id).Take(Math.Max(1, o.MaxGaps)).ToList();
    }
}
