using OrderHub.Domain.Time;

namespace OrderHub.Application.Notifications;

/// <summary>
/// Whether a message may be pushed now: not in quiet hours (then: when), not a kind the user turned off, not past the
/// store's daily cap. Pure, so the rules can be checked with hand-picked times.
/// </summary>
public static class PushPolicy
{
    /// <summary>When quiet hours hold at <paramref name="nowMs"/>, the instant they end; otherwise null (push now).</summary>
    public static long? QuietUntil(NotificationOptions o, long nowMs)
    {
        if (o.Quiet is not { } q) return null;
        var local = ShanghaiTime.FromUnixMs(nowMs);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var crossesMidnight = q.Start > q.End;
        var inside = crossesMidnight ? time >= q.Start || time < q.End : time >= q.Start && time < q.End;
        if (!inside) return null;
        var endDay = DateOnly.FromDateTime(local.DateTime);
        if (crossesMidnight && time >= q.Start) endDay = endDay.AddDays(1);
        return new DateTimeOffset(endDay.ToDateTime(q.End), TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    }

    /// <summary>The start of the Shanghai day of <paramref name="nowMs"/> (the daily cap counts from here).</summary>
    public static long DayStart(long nowMs) => ShanghaiTime.StartOfDayMs(DateOnly.FromDateTime(ShanghaiTime.FromUnixMs(nowMs).DateTime));

    /// <summary>What a store sees beside a message that was not pushed.</summary>
    public const string MutedReason = "已关闭该类微信提醒 / this kind of WeChat message is turned off";
    /// <summary>Written on a delivery postponed to the end of quiet hours.</summary>
    public const string QuietNote = "quiet hours";
    public static string CappedReason(int cap) => $"今日微信提醒已达上限 ({cap} 条) / today's cap of {cap} WeChat messages is reached";
}
