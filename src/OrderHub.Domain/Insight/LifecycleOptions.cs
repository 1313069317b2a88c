namespace OrderHub.Domain.Insight;

/// <summary>Thresholds of the customer lifecycle stages (客户生命周期), settings section "Lifecycle". Rules: <see cref="Lifecycle"/>.</summary>
public sealed class LifecycleOptions
{
    /// <summary>A store whose first order is fewer than this many days ago is 新客.</summary>
    public int NewDays { get; set; } = 60;
    /// <summary>The length of the recent window and of the window before it that it is compared with.</summary>
    public int WindowDays { get; set; } = 90;
    /// <summary>成长 when the recent window's gross profit is at least this multiple of the previous window's.</summary>
    public double GrowthRatio { get; set; } = 1.2;
    /// <summary>衰退 when the recent window's gross profit or its number of ordering days falls below this share of the previous window's.</summary>
    public double DeclineRatio { get; set; } = 0.7;
    /// <summary>休眠 once the days since the last order exceed this multiple of the store's usual interval (and DormantMinDays).</summary>
    public double DormantFactor { get; set; } = 3;
    /// <summary>Never 休眠 before this many days without an order.</summary>
    public int DormantMinDays { get; set; } = 30;
    /// <summary>流失 once the days since the last order reach this.</summary>
    public int ChurnedDays { get; set; } = 90;
}
