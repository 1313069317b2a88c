using OrderHub.Domain.Insight;

namespace OrderHub.Tests.Reports;

/// <summary>The pure calculations behind the reports: ordering cadence, Pareto, FIFO ageing, Shanghai day arithmetic.</summary>
public sealed class InsightRulesTests
{
    private static readonly InsightOptions Defaults = new();
    private static readonly DateOnly Today = new(2026, 12, 15);

    /// <summary>Orders on the given days before today (10:00 Beijing), with amounts.</summary>
    private static IEnumerable<OrderPoint> History(params (int DaysAgo, long Fen)[] orders) =>
        orders.Select(o => new OrderPoint(new DateTimeOffset(Today.AddDays(-o.DaysAgo).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(), o.Fen));

    private static (int, long)[] Weekly(int lastDaysAgo, int count, long fen = 100_000) =>
        Enumerable.Range(0, count).Select(i => (lastDaysAgo + 7 * i, fen)).ToArray();

    [Test]
    public void A_regular_weekly_store_quiet_for_12_days_is_overdue()
    {
        var c = OrderCadence.Assess(History(Weekly(12, 6)), Today, Defaults);
        Assert.That(c.UsualIntervalDays, Is.EqualTo(7));
        Assert.That(c.DaysSinceLastOrder, Is.EqualTo(12));
        var alert = c.Alerts.Single();
        Assert.That(alert.Kind, Is.EqualTo(CadenceAlertKind.Overdue));
        Assert.That(alert.OverdueAfterDays, Is.EqualTo(10.5));
        Assert.That(alert.ReasonZh, Does.Contain("已 12 天未下单").And.Contain("约 7 天"));
    }

    [Test]
    public void The_same_store_at_8_days_is_not()
    {
        var c = OrderCadence.Assess(History(Weekly(8, 6)), Today, Defaults);
        Assert.That(c.UsualIntervalDays, Is.EqualTo(7));
        Assert.That(c.Alerts, Is.Empty);
        // 10 days is still within 1.5 × 7; 11 is past it.
        Assert.That(OrderCadence.Assess(History(Weekly(10, 6)), Today, Defaults).Alerts, Is.Empty);
        Assert.That(OrderCadence.Assess(History(Weekly(11, 6)), Today, Defaults).Alerts.Single().Kind, Is.EqualTo(CadenceAlertKind.Overdue));
    }

    [Test]
    public void An_irregular_store_is_judged_by_its_median_gap()
    {
        // Gaps (oldest first) 3, 20, 5, 15, 9 → sorted 3 5 9 15 20, median 9, overdue after 13.5 days.
        int[] gaps = [3, 20, 5, 15, 9];
        (int, long)[] At(int last)
        {
            var days = new List<int> { last };
            foreach (var g in gaps.Reverse()) days.Add(days[^1] + g);
            return days.Select(d => (d, 100_000L)).ToArray();
        }
        Assert.That(OrderCadence.Assess(History(At(13)), Today, Defaults).UsualIntervalDays, Is.EqualTo(9));
        Assert.That(OrderCadence.Assess(History(At(13)), Today, Defaults).Alerts, Is.Empty);
        Assert.That(OrderCadence.Assess(History(At(14)), Today, Defaults).Alerts.Single().Kind, Is.EqualTo(CadenceAlertKind.Overdue));
    }

    [Test]
    public void A_store_with_one_or_no_orders_never_fires()
    {
        Assert.That(OrderCadence.Assess(History(), Today, Defaults).Alerts, Is.Empty);
        Assert.That(OrderCadence.Assess(History(), Today, Defaults).DaysSinceLastOrder, Is.Null);
        var one = OrderCadence.Assess(History((200, 100_000)), Today, Defaults);
        Assert.That(one.Alerts, Is.Empty);
        Assert.That(one.UsualIntervalDays, Is.Null);
        Assert.That(one.DaysSinceLastOrder, Is.EqualTo(200));
        // Two orders are not a rhythm yet either (MinOrders 3), however long ago and however small.
        Assert.That(OrderCadence.Assess(History((100, 100_000), (107, 900_000)), Today, Defaults).Alerts, Is.Empty);
    }

    [Test]
    public void A_drop_in_order_value_fires()
    {
        // Previous five 100k, 120k, 80k, 100k, 90k → median 100k; last 40k < 50% of it. Ordered yesterday, so not overdue.
        var c = OrderCadence.Assess(History((1, 40_000), (8, 90_000), (15, 100_000), (22, 80_000), (29, 120_000), (36, 100_000), (43, 1_000)), Today, Defaults);
        var alert = c.Alerts.Single();
        Assert.That(alert.Kind, Is.EqualTo(CadenceAlertKind.ValueDrop));
        Assert.That(alert.PreviousMedianFen, Is.EqualTo(100_000));
        Assert.That(alert.PreviousOrdersCompared, Is.EqualTo(5), "only the previous N orders (the 1,000 fen one is older)");
        Assert.That(alert.LastOrderFen, Is.EqualTo(40_000));
        Assert.That(alert.ReasonZh, Does.Contain("¥400.00").And.Contain("¥1,000.00"));
    }

    [Test]
    public void A_steady_store_does_not_fire()
    {
        var c = OrderCadence.Assess(History((2, 95_000), (9, 100_000), (16, 105_000), (23, 100_000), (30, 98_000)), Today, Defaults);
        Assert.That(c.Alerts, Is.Empty);
        // Exactly half the median is not below it.
        Assert.That(OrderCadence.Assess(History((2, 50_000), (9, 100_000), (16, 100_000)), Today, Defaults).Alerts, Is.Empty);
        Assert.That(OrderCadence.Assess(History((2, 49_999), (9, 100_000), (16, 100_000)), Today, Defaults).Alerts.Single().Kind, Is.EqualTo(CadenceAlertKind.ValueDrop));
    }

    [Test]
    public void Orders_of_one_Shanghai_day_are_one_ordering_day_and_thresholds_come_from_settings()
    {
        // A top-up order the same day neither makes a 0-day gap nor looks like a drop.
        var c = OrderCadence.Assess(History((12, 100_000), (12, 5_000), (19, 100_000), (26, 100_000)), Today, Defaults);
        Assert.That(c.OrderDays, Is.EqualTo(3));
        Assert.That(c.UsualIntervalDays, Is.EqualTo(7));
        Assert.That(c.Alerts.Select(a => a.Kind), Is.EqualTo(new[] { CadenceAlertKind.Overdue }));
        // A daily buyer after 2 quiet days: past 1.5 × 1 but under MinOverdueDays (3).
        Assert.That(OrderCadence.Assess(History((2, 100), (3, 100), (4, 100), (5, 100)), Today, Defaults).Alerts, Is.Empty);
        Assert.That(OrderCadence.Assess(History((3, 100), (4, 100), (5, 100), (6, 100)), Today, Defaults).Alerts, Has.Count.EqualTo(1));
        // A stricter factor makes 9 days overdue for the weekly store.
        Assert.That(OrderCadence.Assess(History(Weekly(9, 6)), Today, new InsightOptions { OverdueFactor = 1.2 }).Alerts, Has.Count.EqualTo(1));
    }

    [Test]
    public void Pareto_takes_the_smallest_prefix_reaching_80_percent_and_breaks_ties_by_code()
    {
        // Total 1,000: A 400, then B and C tie at 200 (B first by code), D 100, E 100, F 0 (not ranked).
        var rows = Pareto.Rank([new(5, "E", 100), new(3, "C", 200), new(1, "A", 400), new(2, "B", 200), new(4, "D", 100), new(6, "F", 0)]);
        Assert.That(rows.Select(r => r.Code), Is.EqualTo(new[] { "A", "B", "C", "D", "E" }));
        Assert.That(rows.Select(r => r.CumulativeShare), Is.EqualTo(new[] { 0.4m, 0.6m, 0.8m, 0.9m, 1.0m }));
        Assert.That(rows.Select(r => r.Share), Is.EqualTo(new[] { 0.4m, 0.2m, 0.2m, 0.1m, 0.1m }));
        Assert.That(rows.Where(r => r.InKeySet).Select(r => r.Code), Is.EqualTo(new[] { "A", "B", "C" }), "C reaches exactly 80%");
        // A tie straddling the line: 500, 300, 300 (total 1,100): 500+300 = 72.7% < 80%, so the prefix needs the second 300 too.
        var tie = Pareto.Rank([new(1, "X", 500), new(3, "Z", 300), new(2, "Y", 300)]);
        Assert.That(tie.Where(r => r.InKeySet).Select(r => r.Code), Is.EqualTo(new[] { "X", "Y", "Z" }));
        // 600, 200, 200: 600+200 = 80% exactly; of the two tied, the one first by code is in the set.
        var edge = Pareto.Rank([new(1, "X", 600), new(3, "Z", 200), new(2, "Y", 200)]);
        Assert.That(edge.Where(r => r.InKeySet).Select(r => r.Code), Is.EqualTo(new[] { "X", "Y" }));
        Assert.That(Pareto.Rank([]), Is.Empty);
        Assert.That(Pareto.Rank([new(1, "X", 5)]).Single().InKeySet, Is.True);
    }

    [Test]
    public void Fifo_ageing_settles_the_oldest_debits_first()
    {
        var asOf = new DateOnly(2026, 12, 15);
        LedgerMovement M(int daysAgo, long fen) => new(asOf.AddDays(-daysAgo), fen);
        // Debits 100 (120 days), 100 (75), 100 (45), 100 (30), 100 (0); a payment of 150 made recently still settles the oldest.
        var (b, credit) = ReceivableAgeing.Fifo([M(120, 100), M(75, 100), M(45, 100), M(30, 100), M(0, 100), M(1, -150)], asOf);
        Assert.That(b, Is.EqualTo(new AgeingBuckets(200, 100, 50, 0)));
        Assert.That(credit, Is.Zero);
        Assert.That(b, Is.EqualTo(ReceivableAgeing.FromTotals(350, 200, 100, 100)), "the aggregate form agrees");
        // Age 30 is the first bucket, 31 the second; 60/61 and 90/91 likewise.
        Assert.That(new[] { 0, 30, 31, 60, 61, 90, 91 }.Select(ReceivableAgeing.BucketOf), Is.EqualTo(new[] { 0, 0, 1, 1, 2, 2, 3 }));
        // Overpaid: nothing open, the surplus is unapplied credit.
        var (none, surplus) = ReceivableAgeing.Fifo([M(10, 100), M(5, -130)], asOf);
        Assert.That(none, Is.EqualTo(AgeingBuckets.Zero));
        Assert.That(surplus, Is.EqualTo(30));
        Assert.That(ReceivableAgeing.FromTotals(-30, 100, 0, 0), Is.EqualTo(AgeingBuckets.Zero));
    }

    [Test]
    public void Fifo_and_aggregate_forms_agree_on_random_ledgers()
    {
        var rnd = new Random(7);
        var asOf = new DateOnly(2026, 12, 15);
        for (var run = 0; run < 500; run++)
        {
            var moves = Enumerable.Range(0, rnd.Next(0, 12))
                .Select(_ => new LedgerMovement(asOf.AddDays(-rnd.Next(0, 200)), rnd.Next(2) == 0 ? rnd.Next(1, 1000) : -rnd.Next(1, 800))).ToList();
            var balance = moves.Sum(m => m.AmountFen);
            long D(int from, int to) => moves.Where(m => m.AmountFen > 0 && ReportCalendar.DaysBetween(m.Day, asOf) is var age && age >= from && age <= to).Sum(m => m.AmountFen);
            var (fifo, credit) = ReceivableAgeing.Fifo(moves, asOf);
            Assert.That(ReceivableAgeing.FromTotals(balance, D(0, 30), D(31, 60), D(61, 90)), Is.EqualTo(fifo));
            Assert.That(fifo.TotalFen - credit, Is.EqualTo(balance));
        }
    }

    [Test]
    public void Shanghai_days_are_integer_arithmetic_on_utc_ms()
    {
        var lastEvening = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(); // 15:30 UTC
        var midnight = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        Assert.That(ReportCalendar.DateOf(lastEvening), Is.EqualTo(new DateOnly(2026, 11, 30)));
        Assert.That(ReportCalendar.DateOf(midnight), Is.EqualTo(new DateOnly(2026, 12, 1)));
        Assert.That(ReportCalendar.DateOf(midnight - 1), Is.EqualTo(new DateOnly(2026, 11, 30)));
        Assert.That(ReportCalendar.DateOfDayNumber((lastEvening + ReportCalendar.OffsetMs) / ReportCalendar.DayMs), Is.EqualTo(new DateOnly(2026, 11, 30)));
        Assert.That(ReportCalendar.WeekStart(new DateOnly(2026, 12, 6)), Is.EqualTo(new DateOnly(2026, 11, 30)), "Sunday belongs to the week from Monday");
        Assert.That(ReportCalendar.WeekKey(new DateOnly(2026, 11, 30)), Is.EqualTo("2026-W49"));
        Assert.That(ReportCalendar.WeekKey(new DateOnly(2027, 1, 1)), Is.EqualTo("2026-W53"));
    }
}
