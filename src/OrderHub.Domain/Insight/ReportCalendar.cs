using System.Globalization;

namespace OrderHub.Domain.Insight;

/// <summary>
/// Shanghai calendar days as integers, so SQL can bucket by day with the same integer arithmetic on both databases:
/// <c>(ms + 28 800 000) / 86 400 000</c> is the number of Shanghai days since 1970-01-01. Weeks and months are
/// made from days in C#, never with a database's date functions.
/// </summary>
public static class ReportCalendar
{
    public const long DayMs = 86_400_000;
    public const long OffsetMs = 8 * 3_600_000;
    /// <summary>The SQL expression of a column's Shanghai day number.</summary>
    public static string DaySql(string column) => $"(({column} + {OffsetMs}) / {DayMs})";

    private static readonly DateOnly Epoch = new(1970, 1, 1);

    public static long DayNumber(long utcMs) => (long)Math.Floor((utcMs + OffsetMs) / (double)DayMs);
    public static DateOnly DateOf(long utcMs) => DateOnly.FromDayNumber(Epoch.DayNumber + (int)DayNumber(utcMs));
    public static DateOnly DateOfDayNumber(long dayNumber) => DateOnly.FromDayNumber(Epoch.DayNumber + (int)dayNumber);
    public static long DayNumberOf(DateOnly d) => d.DayNumber - Epoch.DayNumber;

    /// <summary>Whole Shanghai calendar days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    public static DateOnly MonthStart(DateOnly d) => new(d.Year, d.Month, 1);
    public static DateOnly WeekStart(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7)); // Monday

    public static string DayKey(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    /// <summary>ISO week: "2026-W49" (weeks start on Monday).</summary>
    public static string WeekKey(DateOnly d)
    {
        var dt = d.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dt)}-W{ISOWeek.GetWeekOfYear(dt):00}");
    }
    public static string MonthKey(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    public static string MonthLabel(DateOnly d) => string.Create(CultureInfo.InvariantCulture, $"{d.Year}年{d.Month}月");
    public static string WeekLabel(DateOnly monday) => $"{DayKey(monday)} 至 {DayKey(monday.AddDays(6))}";
}
