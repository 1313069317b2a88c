namespace OrderHub.Domain.Insight;

/// <summary>One purchase of one product by one store: its Shanghai day and quantity (base units, gifts excluded).</summary>
public readonly record struct ProductPurchase(DateOnly Day, long Quantity);

public enum ReminderOutcome { Pending, Ordered, Ignored }

/// <summary>A past reminder of one product and what the store did with it.</summary>
public readonly record struct PastReminder(DateOnly Day);

public enum RestockState
{
    /// <summary>Not bought regularly enough to have a usual interval.</summary>
    Irregular,
    /// <summary>Regular, not due yet.</summary>
    NotDue,
    /// <summary>Due: remind the store.</summary>
    Due,
    /// <summary>Due, but a reminder sent since the last purchase is still waiting for an answer.</summary>
    AlreadyReminded,
    /// <summary>Due, but the store ignored the last reminders in a row: stay quiet until it buys the product again.</summary>
    Muted,
}

/// <summary>What the restock rule says about one product for one store.</summary>
/// <param name="UsualIntervalDays">Median gap between the days the store bought the product.</param>
/// <param name="UsualQuantity">Median quantity per purchase day — what "加入购物车" puts in the cart.</param>
public sealed record RestockAssessment(
    RestockState State, int PurchaseDays, double? UsualIntervalDays, long? UsualQuantity, DateOnly? LastPurchaseDay,
    int? DaysSinceLastPurchase, int IgnoredInARow, string? ReasonZh, string? ReasonEn)
{
    public bool ShouldRemind => State == RestockState.Due;
}

/// <summary>
/// 补货提醒: from one store's own purchases of one product — the usual interval (median gap between purchase days) and the
/// usual quantity (median per purchase day) — a regularly bought product is due once the days since its last purchase
/// reach the usual interval (× <see cref="RestockOptions.DueFactor"/>). Reminders learn: a reminder followed by a purchase
/// of the product within <see cref="RestockOptions.AnswerDays"/> was answered; one that was not, ignored; after
/// <see cref="RestockOptions.StopAfterIgnored"/> ignored reminders in a row (with no purchase since) the product is muted
/// until the store buys it again. Pure: the caller passes the history, the past reminders and today's Shanghai date.
/// </summary>
public static class Restock
{
    public static ReminderOutcome OutcomeOf(PastReminder r, IReadOnlyList<DateOnly> purchaseDays, DateOnly today, RestockOptions o)
    {
        if (purchaseDays.Any(d => d >= r.Day && ReportCalendar.DaysBetween(r.Day, d) <= o.AnswerDays)) return ReminderOutcome.Ordered;
        return ReportCalendar.DaysBetween(r.Day, today) > o.AnswerDays ? ReminderOutcome.Ignored : ReminderOutcome.Pending;
    }

    public static RestockAssessment Assess(string productName, IEnumerable<ProductPurchase> purchases, IEnumerable<PastReminder> reminders,
        DateOnly today, RestockOptions o)
    {
        var days = purchases.GroupBy(p => p.Day).Select(g => (Day: g.Key, Qty: g.Sum(p => p.Quantity)))
            .Where(d => d.Qty > 0).OrderBy(d => d.Day).ToList();
        if (days.Count == 0) return new(RestockState.Irregular, 0, null, null, null, null, 0, null, null);
        var last = days[^1].Day;
        var since = Math.Max(0, ReportCalendar.DaysBetween(last, today));
        if (days.Count < Math.Max(2, o.MinPurchaseDays))
            return new(RestockState.Irregular, days.Count, null, null, last, since, 0, null, null);

        var usual = InsightMath.Median(days.Zip(days.Skip(1), (a, b) => (double)ReportCalendar.DaysBetween(a.Day, b.Day)))!.Value;
        var qty = (long)Math.Round(InsightMath.Median(days.Select(d => (double)d.Qty))!.Value, MidpointRounding.AwayFromZero);

        // Only reminders since the last purchase matter: a purchase answers or resets everything before it.
        var purchaseDays = days.Select(d => d.Day).ToList();
        var open = reminders.Where(r => r.Day >= last).OrderBy(r => r.Day).ToList();
        var ignored = 0;
        var pending = false;
        foreach (var r in open)
        {
            var outcome = OutcomeOf(r, purchaseDays, today, o);
            if (outcome == ReminderOutcome.Ignored) ignored++;
            else if (outcome == ReminderOutcome.Pending) pending = true;
        }

        var dueAfter = usual * o.DueFactor;
        if (since < dueAfter || since < o.MinDueDays)
            return new(RestockState.NotDue, days.Count, usual, qty, last, since, ignored, null, null);

        var zh = $"您通常每 {Fmt(usual)} 天订一次{productName}，上次是 {since} 天前";
        var en = $"You usually order {productName} every {Fmt(usual)} days; the last time was {since} days ago";
        var state = ignored >= Math.Max(1, o.StopAfterIgnored) ? RestockState.Muted
            : pending ? RestockState.AlreadyReminded
            : RestockState.Due;
        return new(state, days.Count, usual, qty, last, since, ignored, zh, en);
    }

    private static string Fmt(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
