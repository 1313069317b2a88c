namespace OrderHub.Application.Templates;

/// <summary>What a recurring order does on its day: leave a draft for the owner to confirm, or submit the order.</summary>
public static class RecurringMode
{
    public const string Draft = "draft";
    public const string Submit = "submit";
    public static readonly string[] All = [Draft, Submit];
}

/// <summary>What became of one occurrence of a recurring order.</summary>
public static class OccurrenceOutcome
{
    public const string Pending = "pending";
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Failed = "failed";
}

/// <summary>
/// The one rule of which Shanghai days a recurring order falls on: on the weekdays of a mask (bit 0 = Monday … bit 6 =
/// Sunday), or every N days counting from the start day; never before the start day.
/// </summary>
public static class Recurrence
{
    public static int Mask(IEnumerable<DayOfWeek> days) => days.Aggregate(0, (m, d) => m | 1 << Index(d));

    public static bool FallsOn(int? weekdays, int? everyDays, DateOnly start, DateOnly day)
    {
        if (day < start) return false;
        if (weekdays is { } mask) return (mask & 1 << Index(day.DayOfWeek)) != 0;
        return everyDays is > 0 and var n && (day.DayNumber - start.DayNumber) % n == 0;
    }

    /// <summary>Monday = 0 … Sunday = 6.</summary>
    private static int Index(DayOfWeek d) => ((int)d + 6) % 7;

    /// <summary>Chinese text of a schedule, e.g. "每周一、周四" or "每 3 天".</summary>
    public static string Describe(int? weekdays, int? everyDays)
    {
        if (weekdays is { } mask)
        {
            string[] names = ["一", "二", "三", "四", "五", "六", "日"];
            return ("每周" + string.Join("、", Enumerable.Range(0, 7).Where(i => (mask & 1 << i) != 0).Select(i => "周" + names[i]))).Replace("每周周", "每周");
        }
        return $"每 {everyDays} 天";
    }
}
