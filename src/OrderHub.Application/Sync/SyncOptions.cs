using OrderHub.Settings;

namespace OrderHub.Application.Sync;

/// <summary>Settings of the pulls (section <c>Sync</c>).</summary>
public sealed class ErpSyncOptions : IValidatedSettings
{
    public IEnumerable<string> Validate()
    {
        if (MaxPagesPerRun < 1) yield return "MaxPagesPerRun must be at least 1";
        if (FeedLeaseSeconds < 10) yield return "FeedLeaseSeconds must be at least 10";
        if (IssuesKept < 1) yield return "IssuesKept must be at least 1";
    }

    /// <summary>Most pages one run of a feed applies; the rest waits for the next run (keeps one run short).</summary>
    public int MaxPagesPerRun { get; set; } = 50;
    /// <summary>A run holds its feed this long at most; a crashed run's feed is free again after it.</summary>
    public int FeedLeaseSeconds { get; set; } = 300;
    /// <summary>How many recent sync issues are kept; older ones are deleted.</summary>
    public int IssuesKept { get; set; } = 1000;
}

/// <summary>Settings of the order push (section <c>Sync:Push</c>).</summary>
public sealed class OrderPushOptions : IValidatedSettings
{
    public IEnumerable<string> Validate()
    {
        if (BatchSize < 1) yield return "BatchSize must be at least 1";
        if (LeaseSeconds < 5) yield return "LeaseSeconds must be at least 5";
        if (BackoffBaseSeconds < 1 || BackoffMaxSeconds < BackoffBaseSeconds) yield return "BackoffBaseSeconds must be at least 1 and BackoffMaxSeconds at least BackoffBaseSeconds";
    }

    /// <summary>Outbox rows taken per run.</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>A claimed row is held this long; if the sender dies, another run takes it after the lease (and finds the order in the ERP first).</summary>
    public int LeaseSeconds { get; set; } = 120;
    /// <summary>First retry delay after the ERP was unavailable; doubles with each attempt…</summary>
    public int BackoffBaseSeconds { get; set; } = 5;
    /// <summary>…up to this.</summary>
    public int BackoffMaxSeconds { get; set; } = 600;

    public TimeSpan BackoffFor(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var seconds = Math.Min((double)BackoffMaxSeconds, BackoffBaseSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(Math.Max(1, seconds));
    }
}
