
namespace OrderHub.Domain.Insight;

/// <summary>One order as the cadence sees it: when (UTC ms) and how much.</summary>
public readonly record struct OrderPoint(long AtMs, long AmountFen);

/// <summary>A Shanghai calendar day on which the customer ordered; several orders that day count as one, amounts summed.</summary>
public readonly record struct OrderDay(DateOnly Day, long AmountFen, int Orders);

public enum CadenceAlertKind { Overdue, ValueDrop }

/// <summary>Why a customer is on its agent's list, with the numbers behind it.</summary>
public sealed record CadenceAlert(
    CadenceAlertKind Kind, string ReasonZh, string ReasonEn,
    double? UsualIntervalDays, int DaysSinceLastOrder, double? OverdueAfterDays,
    long LastOrderFen, long? PreviousMedianFen, int? PreviousOrdersCompared);

/// <summary>A customer's ordering rhythm from its own history.</summary>
/// <param name="OrderDays">Days with at least one order.</param>
/// <param name="UsualIntervalDays">Median gap between ordering days; null with fewer than MinOrders ordering days.</param>
public sealed record Cadence(
    int OrderDays, double? UsualIntervalDays, DateOnly? LastOrderDay, int? DaysSinceLastOrder, long? LastOrderFen,
    IReadOnlyList<CadenceAlert> Alerts);

/// <summary>
/// Ordering-cadence alerts (订货异常): a store that usually orders every N days and has been quiet for well over N,
/// or whose last order is far below its usual size. Pure: the caller passes the history and today's Shanghai date.
/// </summary>
public static class OrderCadence
{
    /// <summary>Orders grouped into Shanghai ordering days, oldest first (a second order the same day is a top-up, not a new cycle).</summary>
    public static IReadOnlyList<OrderDay> Days(IEnumerable<OrderPoint> orders) =>
        orders.GroupBy(o => ReportCalendar.DateOf(o.AtMs))
            .Select(g => new OrderDay(g.Key, g.Sum(o => o.AmountFen), g.Count()))
            .OrderBy(d => d.Day).ToList();

    public static Cadence Assess(IEnumerable<OrderPoint> orders, DateOnly today, InsightOptions o) => Assess(Days(orders), today, o);

    public static Cadence Assess(IReadOnlyList<OrderDay> days, DateOnly today, InsightOptions o)
    {
        if (days.Count == 0) return new Cadence(0, null, null, null, null, []);
        var last = days[^1];
        var since = Math.Max(0, ReportCalendar.DaysBetween(last.Day, today));
        var minOrders = Math.Max(3, o.MinOrders);
        if (days.Count < minOrders) return new Cadence(days.Count, null, last.Day, since, last.AmountFen, []);

        var gaps = days.Zip(days.Skip(1), (a, b) => (double)ReportCalendar.DaysBetween(a.Day, b.Day));
        var usual = InsightMath.Median(gaps)!.Value;
        var alerts = new List<CadenceAlert>();

        var overdueAfter = usual * o.OverdueFactor;
        if (since > overdueAfter && since >= o.MinOverdueDays)
            alerts.Add(new CadenceAlert(CadenceAlertKind.Overdue,
                $"已 {since} 天未下单，平时约 {Fmt(usual)} 天订一次 (超过 {Fmt(o.OverdueFactor)} 倍即提醒)",
                $"No order for {since} days; usually orders every {Fmt(usual)} days (alert beyond {Fmt(o.OverdueFactor)}×)",
                usual, since, overdueAfter, last.AmountFen, null, null));

        var previous = days.Take(days.Count - 1).TakeLast(Math.Max(1, o.DropLookback)).Select(d => (double)d.AmountFen).ToList();
        var median = (long)Math.Round(InsightMath.Median(previous)!.Value, MidpointRounding.AwayFromZero);
        if (median > 0 && last.AmountFen < o.DropRatio * median)
            alerts.Add(new CadenceAlert(CadenceAlertKind.ValueDrop,
                $"最近一单 {Money.Format(last.AmountFen)}，低于此前 {previous.Count} 单中位数 {Money.Format(median)} 的 {Fmt(o.DropRatio * 100)}%",
                $"Last order {Money.Format(last.AmountFen)} is below {Fmt(o.DropRatio * 100)}% of the median {Money.Format(median)} of the previous {previous.Count} orders",
                usual, since, null, last.AmountFen, median, previous.Count));

        return new Cadence(days.Count, usual, last.Day, since, last.AmountFen, alerts);
    }

    private static string Fmt(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
