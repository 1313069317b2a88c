namespace OrderHub.Domain.Insight;

/// <summary>Thresholds of the restock reminders (补货提醒), settings section "Restock".</summary>
public sealed class RestockOptions
{
    /// <summary>A product is "bought regularly" once the store ordered it on at least this many days (so there are two gaps).</summary>
    public int MinPurchaseDays { get; set; } = 3;
    /// <summary>Due when the days since the last purchase reach the usual interval times this factor.</summary>
    public double DueFactor { get; set; } = 1.0;
    /// <summary>Never due before this many days since the last purchase (daily buyers are not reminded every day).</summary>
    public int MinDueDays { get; set; } = 2;
    /// <summary>A reminder counts as answered (ordered) when the store orders the product within this many days after it; past that it was ignored.</summary>
    public int AnswerDays { get; set; } = 3;
    /// <summary>After this many reminders in a row for one product were ignored, stop reminding it until the store buys it again.</summary>
    public int StopAfterIgnored { get; set; } = 2;
    /// <summary>How far back a store's purchases are read.</summary>
    public int HistoryDays { get; set; } = 180;
}
