namespace OrderHub.Jobs;

/// <summary>When one job runs: every <see cref="IntervalSeconds"/>, or on a Quartz <see cref="Cron"/> expression (with seconds, Asia/Shanghai).</summary>
public sealed class JobSchedule
{
    public bool Enabled { get; set; } = true;
    public int? IntervalSeconds { get; set; }
    /// <summary>Wins over the interval when set, e.g. "0 0 3 * * ?" = 03:00 every day.</summary>
    public string? Cron { get; set; }
}

/// <summary>Settings of the scheduled jobs (section <c>Jobs</c>).</summary>
public sealed class JobsSettings
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

    public JobSchedule PullStock { get; set; } = new() { IntervalSeconds = 3 };
    public JobSchedule PullPrices { get; set; } = new() { IntervalSeconds = 30 };
    public JobSchedule PullProducts { get; set; } = new() { IntervalSeconds = 60 };
    public JobSchedule PullCustomers { get; set; } = new() { IntervalSeconds = 60 };
    public JobSchedule PullPayments { get; set; } = new() { IntervalSeconds = 30 };
    public JobSchedule PullOrderStatus { get; set; } = new() { IntervalSeconds = 5 };
    public JobSchedule PushOrders { get; set; } = new() { IntervalSeconds = 2 };
    public JobSchedule FullResync { get; set; } = new() { Cron = "0 0 3 * * ?" };
    /// <summary>Only with <c>Erp:Adapter = Demo</c>: the simulated ERP's people at work.</summary>
    public JobSchedule DemoErpTick { get; set; } = new() { IntervalSeconds = 5 };
    /// <summary>Only with <c>WeChat:Enabled</c>: sends due subscribe messages (needs the WeChat services of the API host).</summary>
    public JobSchedule WeChatDispatch { get; set; } = new() { IntervalSeconds = 30 };
    /// <summary>Only with <c>WeCom:Enabled</c>: re-queries and retries WeChat Work customer transfers of agent hand-overs.</summary>
    public JobSchedule WeComHandOverFollowUp { get; set; } = new() { IntervalSeconds = 900 };
    /// <summary>Recomputes the report aggregates of the days changed since the last run (reports refresh before reading anyway).</summary>
    public JobSchedule RefreshReports { get; set; } = new() { IntervalSeconds = 10 };
}
