namespace OrderHub.Domain.Insight;

public static class InsightMath
{
    /// <summary>The median; of an even count, the mean of the two middle values. Null for an empty list.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return null;
        var mid = v.Length / 2;
        return v.Length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /// <summary>part / whole rounded to 4 decimals (0.8123); null when whole is 0.</summary>
    public static decimal? Share(long part, long whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
