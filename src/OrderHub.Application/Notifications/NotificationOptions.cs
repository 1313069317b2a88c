using System.Globalization;
using OrderHub.Settings;

namespace OrderHub.Application.Notifications;

/// <summary>
/// Section <c>Notifications</c>: how much WeChat may nag a store. Every message stays in the mini-program's 消息 list;
/// these rules only decide whether it is also pushed as a subscribe message, and when.
/// </summary>
public sealed class NotificationOptions : IValidatedSettings
{
    /// <summary>At most this many subscribe messages per store per Shanghai day (all its users together); 0 = no cap.
    /// Past the cap a message is held: not pushed, shown in the list as held and why.</summary>
    public int DailyPushCapPerStore { get; set; } = 5;

    /// <summary>e.g. "22:00-08:00" (Shanghai time): no push in this window; what falls in it is pushed when it ends.
    /// Empty (the default) = none: a distributor whose stores order at night chooses its own window.</summary>
    public string QuietHours { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (DailyPushCapPerStore < 0) yield return "DailyPushCapPerStore must be 0 (no cap) or more";
        if (!string.IsNullOrWhiteSpace(QuietHours) && ParseQuietHours(QuietHours) is null)
            yield return "QuietHours must be empty or HH:mm-HH:mm, e.g. 22:00-08:00";
    }

    /// <summary>The quiet window as (start, end) times of day; the window may cross midnight. Null when none or unreadable.</summary>
    public (TimeOnly Start, TimeOnly End)? Quiet => string.IsNullOrWhiteSpace(QuietHours) ? null : ParseQuietHours(QuietHours);

    private static (TimeOnly, TimeOnly)? ParseQuietHours(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        if (!TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)) return null;
        if (!TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)) return null;
        return start == end ? null : (start, end);
    }
}
