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

    public IEnumerable<string> Validate()
    {
        if (MaxConcurrency < 1) yield return "MaxConcurrency must be at least 1";
        if (string.IsNullOrWhiteSpace(SchedulerName)) yield return "SchedulerName must not be empty";
    }
}
