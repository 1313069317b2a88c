namespace OrderHub.Domain.Insight;

/// <summary>The stages of a store's life as a customer. The order is the ranking (higher is worse) used for "slipped".</summary>
public enum LifecycleStage { New = 0, Growing = 1, Mature = 2, Declining = 3, Dormant = 4, Churned = 5 }

/// <summary>One Shanghai ordering day of a store with the gross profit of that day's orders (fen).</summary>
public readonly record struct ProfitDay(DateOnly Day, long GrossProfitFen);

/// <summary>A store's stage with the figures that decided it.</summary>
public sealed record LifecycleAssessment(
    LifecycleStage Stage, string ReasonZh, string ReasonEn, int? DaysSinceLastOrder, double? UsualIntervalDays,
    int RecentOrderDays, int PreviousOrderDays, long RecentGrossProfitFen, long PreviousGrossProfitFen);

/// <summary>
/// 客户生命周期. Each store is judged against its own past (recency, frequency, gross profit), first rule that applies:
/// <list type="number">
/// <item>流失 Churned: no order for <see cref="LifecycleOptions.ChurnedDays"/> days or more.</item>
/// <item>休眠 Dormant: days since the last order above DormantFactor × its usual interval (median gap between ordering days)
/// and above DormantMinDays; a store with fewer than 3 ordering days uses DormantMinDays alone.</item>
/// <item>新客 New: no order yet, or the first order fewer than NewDays ago.</item>
/// <item>Compare the recent window (the last WindowDays days up to today) with the WindowDays before it —
/// 衰退 Declining: recent gross profit, or recent ordering days, below DeclineRatio × the previous window's;
/// 成长 Growing: the previous window had no orders (the store is still building up) or recent gross profit ≥ GrowthRatio × previous;
/// 成熟 Mature: otherwise.</item>
/// </list>
/// </summary>
public static class Lifecycle
{
    public static string Label(LifecycleStage s) => s switch
    {
        LifecycleStage.New => "新客",
        LifecycleStage.Growing => "成长",
        LifecycleStage.Mature => "成熟",
        LifecycleStage.Declining => "衰退",
        LifecycleStage.Dormant => "休眠",
        LifecycleStage.Churned => "流失",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>The stage name stored in the database and sent over the API (New, Growing, …).</summary>
    public static string Code(LifecycleStage s) => s.ToString();

    public static LifecycleStage Parse(string code) => Enum.Parse<LifecycleStage>(code);

    /// <summary>A move to a worse stage among the active ones (成长/成熟 → 衰退/休眠/流失, 衰退 → 休眠/流失, …); 新客 → anything is not a slip.</summary>
    public static bool Slipped(LifecycleStage from, LifecycleStage to) => from != LifecycleStage.New && to > from && to >= LifecycleStage.Declining;

    public static LifecycleAssessment Assess(IEnumerable<ProfitDay> history, DateOnly today, LifecycleOptions o)
    {
        var days = history.GroupBy(d => d.Day).Select(g => new ProfitDay(g.Key, g.Sum(d => d.GrossProfitFen)))
            .Where(d => d.Day <= today).OrderBy(d => d.Day).ToList();
        if (days.Count == 0)
            return new(LifecycleStage.New, "尚未下单", "No order yet", null, null, 0, 0, 0, 0);

        var since = ReportCalendar.DaysBetween(days[^1].Day, today);
        double? usual = days.Count >= 3
            ? InsightMath.Median(days.Zip(days.Skip(1), (a, b) => (double)ReportCalendar.DaysBetween(a.Day, b.Day)))
            : null;
        var recentStart = today.AddDays(-(o.WindowDays - 1));
        var previousStart = recentStart.AddDays(-o.WindowDays);
        var recent = days.Where(d => d.Day >= recentStart).ToList();
        var previous = days.Where(d => d.Day >= previousStart && d.Day < recentStart).ToList();
        int rd = recent.Count, pd = previous.Count;
        long rg = recent.Sum(d => d.GrossProfitFen), pg = previous.Sum(d => d.GrossProfitFen);
        LifecycleAssessment Make(LifecycleStage s, string zh, string en) => new(s, zh, en, since, usual, rd, pd, rg, pg);

        if (since >= o.ChurnedDays)
            return Make(LifecycleStage.Churned, $"已 {since} 天未下单 (≥ {o.ChurnedDays} 天为流失)", $"No order for {since} days (churned at {o.ChurnedDays})");
        var dormantAfter = Math.Max(o.DormantMinDays, usual is { } u ? u * o.DormantFactor : 0);
        if (since > dormantAfter)
            return Make(LifecycleStage.Dormant,
                usual is { } u2 ? $"已 {since} 天未下单，平时约 {Fmt(u2)} 天一单" : $"已 {since} 天未下单",
                usual is { } u3 ? $"No order for {since} days; usually every {Fmt(u3)} days" : $"No order for {since} days");
        var tenure = ReportCalendar.DaysBetween(days[0].Day, today);
        if (tenure < o.NewDays)
            return Make(LifecycleStage.New, $"首单在 {tenure} 天前", $"First order {tenure} days ago");
        if (pd == 0)
            return Make(LifecycleStage.Growing, "上一周期尚无订单，仍在起步", "No orders in the previous window: still building up");
        if (rg < o.DeclineRatio * pg || rd < o.DeclineRatio * pd)
            return Make(LifecycleStage.Declining,
                $"近 {o.WindowDays} 天 {rd} 个订货日、毛利 {Money.Format(rg)}，此前 {o.WindowDays} 天 {pd} 个、{Money.Format(pg)}",
                $"Last {o.WindowDays} days: {rd} ordering days, gross profit {Money.Format(rg)}; the {o.WindowDays} before: {pd}, {Money.Format(pg)}");
        if (rg >= o.GrowthRatio * pg)
            return Make(LifecycleStage.Growing,
                $"近 {o.WindowDays} 天毛利 {Money.Format(rg)}，高于此前的 {Money.Format(pg)}",
                $"Gross profit {Money.Format(rg)} in the last {o.WindowDays} days, up from {Money.Format(pg)}");
        return Make(LifecycleStage.Mature,
            $"近 {o.WindowDays} 天毛利 {Money.Format(rg)}，与此前 {Money.Format(pg)} 相当",
            $"Gross profit {Money.Format(rg)} in the last {o.WindowDays} days, close to {Money.Format(pg)} before");
    }

    private static string Fmt(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
