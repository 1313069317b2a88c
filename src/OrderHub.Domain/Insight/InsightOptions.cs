namespace OrderHub.Domain.Insight;

/// <summary>Thresholds of the ordering-cadence alerts (settings section "Insight").</summary>
public sealed class InsightOptions
{
    /// <summary>A customer is overdue when the days since its last order exceed its usual interval times this factor.</summary>
    public double OverdueFactor { get; set; } = 1.5;
    /// <summary>Never an overdue alert before this many days since the last order (keeps daily buyers quiet after one missed day).</summary>
    public int MinOverdueDays { get; set; } = 3;
    /// <summary>"Order value dropped" when the last order is below this share of the median of the previous orders.</summary>
    public double DropRatio { get; set; } = 0.5;
    /// <summary>How many previous orders the drop check takes the median of.</summary>
    public int DropLookback { get; set; } = 5;
    /// <summary>A customer needs at least this many orders (ordering days) before it has a usual interval and can raise alerts.</summary>
    public int MinOrders { get; set; } = 3;
    /// <summary>How far back the alerts read each customer's orders.</summary>
    public int HistoryDays { get; set; } = 365;
}
