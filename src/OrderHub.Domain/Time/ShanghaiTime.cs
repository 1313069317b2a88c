namespace OrderHub.Domain.Time;

/// <summary>Times are stored as UTC Unix milliseconds and shown in Asia/Shanghai (UTC+8, no daylight saving).</summary>
public static class ShanghaiTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    private static TimeZoneInfo FindZone()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "CST"); }
    }

    public static DateTimeOffset FromUnixMs(long ms) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Zone);

    public static string Format(long ms) => FromUnixMs(ms).ToString("yyyy-MM-dd'T'HH:mm:ssK");

    public static string? Format(long? ms) => ms is { } v ? Format(v) : null;

    /// <summary>The UTC instant at which the given Shanghai calendar day starts.</summary>
    public static long StartOfDayMs(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
}
