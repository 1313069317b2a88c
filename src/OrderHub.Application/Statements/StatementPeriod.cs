using System.Globalization;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Statements;

/// <summary>
/// A statement period: Asia/Shanghai calendar dates, both inclusive. An entry belongs to the period when it occurred
/// at or after Shanghai midnight starting <see cref="From"/> and before Shanghai midnight ending <see cref="To"/>.
/// </summary>
public sealed record StatementPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;
    private static readonly DateOnly MinDate = new(2000, 1, 1);
    private static readonly DateOnly MaxDate = new(2099, 12, 31);

    /// <summary>UTC ms of the first instant of the period.</summary>
    public long StartMs => ShanghaiTime.StartOfDayMs(From);

    /// <summary>UTC ms of the first instant after the period (exclusive end).</summary>
    public long EndMs => ShanghaiTime.StartOfDayMs(To.AddDays(1));

    public int Days => To.DayNumber - From.DayNumber + 1;

    public override string ToString() => $"{Format(From)} 至 {Format(To)}";

    public static string Format(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads from/to as yyyy-MM-dd. With neither given, the period is this Shanghai month so far; one alone is an error.
    /// </summary>
    /// <returns>The period, or null with per-field errors ("中文 / English").</returns>
    public static (StatementPeriod? Period, Dictionary<string, string[]> Errors) Parse(string? from, string? to, DateOnly today)
    {
        var (range, errors) = ParseRange(from, to, today, "对账期间");
        return (range is { } r ? new StatementPeriod(r.From, r.To) : null, errors);
    }

    /// <summary>
    /// The shared reading of a from/to pair of Shanghai dates (statements, reports): both yyyy-MM-dd, from ≤ to, at most
    /// <see cref="MaxDays"/> days; neither given = this month so far. <paramref name="zhNoun"/> names the period in messages.
    /// </summary>
    public static ((DateOnly From, DateOnly To)? Range, Dictionary<string, string[]> Errors) ParseRange(string? from, string? to, DateOnly today, string zhNoun)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
            return ((new DateOnly(today.Year, today.Month, 1), today), errors);
        var f = ParseDate("from", "开始日期", from, errors);
        var t = ParseDate("to", "结束日期", to, errors);
        if (f is { } a && t is { } b)
        {
            if (a > b) errors["to"] = ["结束日期不能早于开始日期 / to must not be before from"];
            else if (b.DayNumber - a.DayNumber + 1 > MaxDays)
                errors["to"] = [$"{zhNoun}不能超过 {MaxDays} 天 / The period must be at most {MaxDays} days"];
        }
        return errors.Count > 0 ? (null, errors) : ((f!.Value, t!.Value), errors);
    }

    /// <summary>A yyyy-MM-dd date between 2000 and 2099, or null with an error recorded for the field.</summary>
    public static DateOnly? ParseDate(string field, string zhName, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"请填写{zhName} (yyyy-MM-dd) / {field} is required (yyyy-MM-dd)"];
            return null;
        }
        if (text.Length != 10 || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            errors[field] = [$"{zhName}格式应为 yyyy-MM-dd / {field} must be a date like 2026-11-30"];
            return null;
        }
        if (d < MinDate || d > MaxDate)
        {
            errors[field] = [$"{zhName}超出范围 (2000-01-01 至 2099-12-31) / {field} must be between 2000-01-01 and 2099-12-31"];
            return null;
        }
        return d;
    }
}
