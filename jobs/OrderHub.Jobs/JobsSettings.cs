using OrderHub.Settings;

namespace OrderHub.Jobs;

/// <summary>
/// The scheduler's settings (section <c>Jobs</c>). Each job's schedule is a sub-section named by the feature that registers
/// the work (<c>Jobs:PullStock</c>, <c>Jobs:RefreshReports</c>, …) with <c>Enabled</c>, <c>IntervalSeconds</c>, <c>Cron</c>.
/// </summary>
public sealed class JobsSettings : IValidatedSettings
{
    /// <summary>Runs the scheduler in this process. Off: the jobs only run where another process (the worker) schedules them.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Quartz's clustered ADO.NET store on PostgreSQL (several nodes share the schedule; each job runs on one node at a time).</summary>
    public bool Clustered { get; set; }
    /// <summary>PostgreSQL connection string of the clustered store; empty = <c>Database:ConnectionString</c>.</summary>
    public string? ConnectionString { get; set; }
    /// <summary>The scheduler's name; every node of one cluster must use the same.</summary>
    public string SchedulerName { get; set; } = "OrderHub";
    /// <summary>Jobs running at the same time in this process.</summary>
    public int MaxConcurrency { get; set; } = 4;
    /// <summary>Clustered store: how often each node records that it is alive (Quartz's cluster check-in). A node that
    /// stops checking in for this plus <see cref="ClusterFailoverSeconds"/> is treated as dead and its jobs move on.</summary>
    public double ClusterCheckinSeconds { get; set; } = 7.5;
    /// <summary>Clustered store: how long past a missed check-in the other nodes wait before recovering a node's jobs.</summary>
    public double ClusterFailoverSeconds { get; set; } = 7.5;

    public IEnumerable<string> Validate()
    {
        if (MaxConcurrency < 1) yield return "MaxConcurrency must be at least 1";
        if (string.IsNullOrWhiteSpace(SchedulerName)) yield return "SchedulerName must not be empty";
        if (ClusterCheckinSeconds is < 1 or > 600) yield return "ClusterCheckinSeconds must be between 1 and 600";
        if (ClusterFailoverSeconds is < 1 or > 600) yield return "ClusterFailoverSeconds must be between 1 and 600";
    }
}
