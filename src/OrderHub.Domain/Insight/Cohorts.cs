namespace OrderHub.Domain.Insight;

/// <summary>One store's ordering months (the first of each Shanghai month it ordered in).</summary>
public sealed record StoreMonths(long StoreId, IReadOnlyCollection<DateOnly> Months);

/// <summary>One cohort row: the stores whose first order fell in <paramref name="Month"/>, and per offset the share still ordering.</summary>
/// <param name="Retained">Per offset in <see cref="Cohorts.Offsets"/>: stores that ordered in the month that many months after the
/// cohort month, and their share of the cohort; null while that month is not over.</param>
public sealed record CohortRow(DateOnly Month, int Stores, IReadOnlyList<CohortCell?> Retained);

public readonly record struct CohortCell(int Months, int Stores, decimal Share);

/// <summary>
/// 留存 (retention by monthly cohort): stores are grouped by the Shanghai month of their first order; a store is "still
/// ordering after k months" when it placed an order in calendar month cohort + k. A cell is shown only once that month has
/// ended (before <paramref name="currentMonth"/>), so a running month never shows a false drop.
/// </summary>
public static class Cohorts
{
    public static readonly int[] Offsets = [1, 3, 6, 12];

    public static IReadOnlyList<CohortRow> Build(IEnumerable<StoreMonths> stores, DateOnly currentMonth)
    {
        currentMonth = ReportCalendar.MonthStart(currentMonth);
        return stores.Where(s => s.Months.Count > 0)
            .Select(s => (First: s.Months.Min(), Set: s.Months.Select(ReportCalendar.MonthStart).ToHashSet()))
            .GroupBy(s => ReportCalendar.MonthStart(s.First))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var size = g.Count();
                var cells = Offsets.Select(k =>
                {
                    var m = g.Key.AddMonths(k);
                    if (m >= currentMonth) return (CohortCell?)null;
                    var n = g.Count(s => s.Set.Contains(m));
                    return new CohortCell(k, n, InsightMath.Share(n, size)!.Value);
                }).ToList();
                return new CohortRow(g.Key, size, cells);
            }).ToList();
    }
}
