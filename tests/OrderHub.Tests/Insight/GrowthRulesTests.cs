using OrderHub.Domain.Insight;

namespace OrderHub.Tests.Insight;

/// <summary>The pure rules of issue #18 on small hand-computed data: restock due, lifecycle stage, cohorts, cross-sell, gross profit.</summary>
public sealed class GrowthRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 15);
    private static DateOnly Ago(int days) => Today.AddDays(-days);

    // ---- restock ------------------------------------------------------------------------------------------------------

    /// <summary>红牛 bought every 9 days (8, 9, 10, 9 → median 9), 24, 24, 48, 24, 24 cans; last purchase 12 days ago.</summary>
    private static ProductPurchase[] RedBull(int lastDaysAgo) =>
        [new(Ago(lastDaysAgo + 36), 24), new(Ago(lastDaysAgo + 28), 24), new(Ago(lastDaysAgo + 19), 48), new(Ago(lastDaysAgo + 9), 24), new(Ago(lastDaysAgo), 24)];

    [Test]
    public void A_store_that_buys_every_9_days_and_is_12_days_late_is_reminded_with_its_usual_quantity()
    {
        var a = Restock.Assess("红牛", RedBull(12), [], Today, new RestockOptions());
        Assert.That(a.State, Is.EqualTo(RestockState.Due));
        Assert.That(a.UsualIntervalDays, Is.EqualTo(9));
        Assert.That(a.UsualQuantity, Is.EqualTo(24)); // median of 24 24 24 24 48
        Assert.That(a.DaysSinceLastPurchase, Is.EqualTo(12));
        Assert.That(a.ReasonZh, Is.EqualTo("您通常每 9 天订一次红牛，上次是 12 天前"));
    }

    [TestCase(8, RestockState.NotDue)]
    [TestCase(9, RestockState.Due)]
    public void Due_from_the_usual_interval_on(int lastDaysAgo, RestockState expected) =>
        Assert.That(Restock.Assess("红牛", RedBull(lastDaysAgo), [], Today, new RestockOptions()).State, Is.EqualTo(expected));

    [Test]
    public void Two_purchases_are_not_a_habit_and_two_purchases_the_same_day_are_one()
    {
        Assert.That(Restock.Assess("红牛", [new(Ago(30), 24), new(Ago(20), 24)], [], Today, new RestockOptions()).State, Is.EqualTo(RestockState.Irregular));
        var sameDay = Restock.Assess("红牛", [new(Ago(30), 24), new(Ago(20), 12), new(Ago(20), 12)], [], Today, new RestockOptions());
        Assert.That(sameDay.PurchaseDays, Is.EqualTo(2));
    }

    [Test]
    public void A_pending_reminder_is_not_repeated_an_ignored_one_is_once_and_two_ignored_mute_the_product()
    {
        var o = new RestockOptions(); // answer within 3 days, stop after 2 ignored
        var history = RedBull(12); // last purchase 12 days ago
        Assert.That(Restock.Assess("红牛", history, [new(Ago(2))], Today, o).State, Is.EqualTo(RestockState.AlreadyReminded));
        var once = Restock.Assess("红牛", history, [new(Ago(4))], Today, o);
        Assert.That((once.State, once.IgnoredInARow), Is.EqualTo((RestockState.Due, 1)));
        var twice = Restock.Assess("红牛", history, [new(Ago(8)), new(Ago(4))], Today, o);
        Assert.That((twice.State, twice.IgnoredInARow), Is.EqualTo((RestockState.Muted, 2)));
    }

    [Test]
    public void Buying_again_answers_a_reminder_and_ends_the_mute()
    {
        var o = new RestockOptions();
        // Reminded 30 and 26 days ago, both ignored; then bought 20, 11 and 2 days ago → the mute is over, not due (2 < 9).
        ProductPurchase[] history = [new(Ago(56), 24), new(Ago(47), 24), new(Ago(38), 24), new(Ago(20), 24), new(Ago(11), 24), new(Ago(2), 24)];
        var a = Restock.Assess("红牛", history, [new(Ago(30)), new(Ago(26))], Today, o);
        Assert.That((a.State, a.IgnoredInARow), Is.EqualTo((RestockState.NotDue, 0)));
        Assert.That(Restock.OutcomeOf(new(Ago(13)), [Ago(11)], Today, o), Is.EqualTo(ReminderOutcome.Ordered));
        Assert.That(Restock.OutcomeOf(new(Ago(15)), [Ago(11)], Today, o), Is.EqualTo(ReminderOutcome.Ignored));
        Assert.That(Restock.OutcomeOf(new(Ago(1)), [Ago(11)], Today, o), Is.EqualTo(ReminderOutcome.Pending));
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------------

    /// <summary>Ordering days every <paramref name="every"/> days from <paramref name="fromAgo"/> down to <paramref name="toAgo"/>, each with this gross profit.</summary>
    private static IEnumerable<ProfitDay> Every(int every, int fromAgo, int toAgo, long gp) =>
        Enumerable.Range(0, (fromAgo - toAgo) / every + 1).Select(i => new ProfitDay(Ago(fromAgo - i * every), gp));

    [Test]
    public void A_mature_store_that_halves_its_orders_slides_to_declining()
    {
        var o = new LifecycleOptions(); // windows of 90 days: recent = days 0..89 ago, previous = 90..179 ago
        // A year of weekly orders (¥100 gross profit each): previous window 13 ordering days (174 … 90 days ago), recent 12 (83 … 6).
        var steady = Every(7, 356, 6, 10_000).ToList();
        var m = Lifecycle.Assess(steady, Today, o);
        Assert.That(m.Stage, Is.EqualTo(LifecycleStage.Mature), m.ReasonZh);
        // The same store ordering only every 14 days in the recent window: 7 days × ¥100 vs 13 × ¥100 → below 0.7.
        var sliding = Every(7, 356, 90, 10_000).Concat(Every(14, 88, 4, 10_000)).ToList();
        var d = Lifecycle.Assess(sliding, Today, o);
        Assert.That((d.Stage, d.RecentOrderDays, d.PreviousOrderDays), Is.EqualTo((LifecycleStage.Declining, 7, 13)), d.ReasonZh);
        Assert.That((d.RecentGrossProfitFen, d.PreviousGrossProfitFen), Is.EqualTo((70_000L, 130_000L)));
        Assert.That(Lifecycle.Slipped(m.Stage, d.Stage), Is.True);
        Assert.That(d.ReasonZh, Does.Contain("近 90 天 7 个订货日"));
    }

    [TestCase(0, LifecycleStage.Mature)]     // 13 ordering days in each window
    [TestCase(21, LifecycleStage.Mature)]    // 3 × 7 = 21 is not beyond; 10 ordering days recently vs 13 is above 0.7
    [TestCase(30, LifecycleStage.Declining)] // beyond 3 × 7 but not beyond the 30-day floor: not dormant; 9 ordering days recently < 0.7 × 13
    [TestCase(31, LifecycleStage.Dormant)]
    [TestCase(89, LifecycleStage.Dormant)]
    [TestCase(90, LifecycleStage.Churned)]
    public void Recency_against_its_own_interval(int quietDays, LifecycleStage expected) =>
        Assert.That(Lifecycle.Assess(Every(7, 392 + quietDays, quietDays, 10_000), Today, new LifecycleOptions()).Stage, Is.EqualTo(expected));

    [Test]
    public void New_and_growing_stores()
    {
        var o = new LifecycleOptions();
        Assert.That(Lifecycle.Assess([], Today, o).Stage, Is.EqualTo(LifecycleStage.New));
        Assert.That(Lifecycle.Assess(Every(7, 50, 1, 10_000), Today, o).Stage, Is.EqualTo(LifecycleStage.New));
        // First order 80 days ago: past 新客, nothing in the previous window → 成长.
        Assert.That(Lifecycle.Assess(Every(7, 80, 3, 10_000), Today, o).Stage, Is.EqualTo(LifecycleStage.Growing));
        // Weekly ¥100 before, weekly ¥130 now → 1.3 ≥ 1.2 → 成长.
        var up = Every(7, 174, 90, 10_000).Concat(Every(7, 83, 6, 13_000));
        Assert.That(Lifecycle.Assess(up, Today, o).Stage, Is.EqualTo(LifecycleStage.Growing));
        Assert.That(Lifecycle.Label(LifecycleStage.Declining), Is.EqualTo("衰退"));
        Assert.That(Lifecycle.Slipped(LifecycleStage.New, LifecycleStage.Churned), Is.False);
        Assert.That(Lifecycle.Slipped(LifecycleStage.Growing, LifecycleStage.Mature), Is.False);
    }

    // ---- cohorts ------------------------------------------------------------------------------------------------------

    private static DateOnly M(int year, int month) => new(year, month, 1);

    [Test]
    public void A_cohort_table()
    {
        // January 2026: A, B, C, D start. After 1 month (Feb) A, B, C order; after 3 (Apr) A, B; after 6 (Jul) A; after 12 (Jan 2027) not over yet.
        // June 2026: E, F start; July E; September E, F; December (the running month) is not shown.
        StoreMonths S(long id, params DateOnly[] months) => new(id, months);
        var rows = Cohorts.Build([
            S(1, M(2026, 1), M(2026, 2), M(2026, 4), M(2026, 7)),
            S(2, M(2026, 1), M(2026, 2), M(2026, 4)),
            S(3, M(2026, 1), M(2026, 2)),
            S(4, M(2026, 1)),
            S(5, M(2026, 6), M(2026, 7), M(2026, 9)),
            S(6, M(2026, 6), M(2026, 9), M(2026, 12)),
            S(7)], M(2026, 12));
        Assert.That(rows.Select(r => (r.Month, r.Stores)), Is.EqualTo(new[] { (M(2026, 1), 4), (M(2026, 6), 2) }));
        var jan = rows[0].Retained;
        Assert.That(jan[0]!.Value.Share, Is.EqualTo(0.75m));
        Assert.That(jan[1]!.Value.Share, Is.EqualTo(0.5m));
        Assert.That(jan[2]!.Value.Share, Is.EqualTo(0.25m));
        Assert.That(jan[3], Is.Null);
        var jun = rows[1].Retained;
        Assert.That((jun[0]!.Value.Stores, jun[1]!.Value.Stores, jun[2], jun[3]), Is.EqualTo((1, 2, (CohortCell?)null, (CohortCell?)null)));
    }

    // ---- gross profit -------------------------------------------------------------------------------------------------

    [Test]
    public void Gross_profit_with_a_gift_a_return_and_an_uncosted_line()
    {
        ShippedLine[] lines =
        [
            new(24, 9_600, 320),            // 24 × ¥4.00 = ¥96, cost 24 × ¥3.20 = ¥76.80 → ¥19.20
            new(2, 0, 320),                 // 买赠 gift: no revenue, cost ¥6.40
            new(10, 3_333, 250, ReturnedQuantity: 3), // ¥33.33 less 3/10 (¥10.00 rounded) = ¥23.33; cost 7 × ¥2.50 = ¥17.50 → ¥5.83
            new(5, 1_000, null),            // cost unknown: revenue ¥10, counted as uncosted
        ];
        var f = GrossProfit.Of(lines);
        Assert.That(f.RevenueFen, Is.EqualTo(9_600 + 0 + 2_333 + 1_000));
        Assert.That(f.CostFen, Is.EqualTo(7_680 + 640 + 1_750));
        Assert.That(f.GrossProfitFen, Is.EqualTo(12_933 - 10_070));
        Assert.That(f.LinesWithoutCost, Is.EqualTo(1));
        Assert.That(f.Margin, Is.EqualTo(0.2214m)); // 2 863 / 12 933
    }

    // ---- cross-sell ---------------------------------------------------------------------------------------------------

    private static PeerStore Store(long id, long revenue, params (long Product, long Category, long Gp)[] products) =>
        new(id, 1, "杭州", revenue, products.ToDictionary(p => p.Product, p => (p.Category, p.Gp)));

    [Test]
    public void A_cross_sell_gap_from_three_similar_stores()
    {
        // Drinks = category 10 (products 100 红牛, 101 东鹏); snacks = 20 (200 薯片); dairy = 30 (300 酸奶).
        var me = Store(1, 100_000, (100, 10, 5_000));
        PeerStore[] others =
        [
            Store(2, 120_000, (100, 10, 6_000), (101, 10, 3_000), (200, 20, 4_000)),
            Store(3, 90_000, (100, 10, 4_000), (101, 10, 2_000), (200, 20, 2_000), (300, 30, 9_000)),
            Store(4, 150_000, (100, 10, 5_000), (200, 20, 3_000)),
            Store(5, 400_000, (300, 30, 90_000)),                     // four times my size: not similar
            Store(6, 100_000, (300, 30, 90_000)) with { Region = "宁波" }, // other region: not similar
        ];
        var gaps = CrossSell.Gaps(me, others, new CrossSellOptions());
        // Snacks (category 20): 3 of 3 buy, mean (4000+2000+3000)/3 = 3000 → expected 3000.
        // 东鹏 (product 101, in drinks which I buy): 2 of 3, mean 2500 → 1667.
        // Dairy (30): 1 of 3 → 0.33 below the 0.5 adoption floor; not listed.
        Assert.That(gaps.Select(g => (g.Kind, g.Id, g.PeersBuying, g.ExpectedGrossProfitFen)),
            Is.EqualTo(new[] { (GapKind.Category, 20L, 3, 3_000L), (GapKind.Product, 101L, 2, 1_667L) }));
        Assert.That(CrossSell.Gaps(me, others.Take(2), new CrossSellOptions()), Is.Empty, "two similar stores are too few");
    }
}
