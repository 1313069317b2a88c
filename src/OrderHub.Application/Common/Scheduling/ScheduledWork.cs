using Microsoft.Extensions.DependencyInjection;

namespace OrderHub.Application.Common.Scheduling;

/// <summary>
/// Work that runs on a schedule (a pull from the ERP, the order push, a refresh). The feature that owns the work registers it
/// with <see cref="ScheduledWorkRegistration.AddScheduledWork{TWork}"/>; the jobs project runs every registered work as a
/// Quartz job (one at a time per work, RAM or clustered store). Features know nothing of Quartz.
/// </summary>
public interface IScheduledWork
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>When one job runs: every <see cref="IntervalSeconds"/>, or on a Quartz <see cref="Cron"/> expression (with seconds, Asia/Shanghai).</summary>
public sealed class JobSchedule
{
    public bool Enabled { get; set; } = true;
    public int? IntervalSeconds { get; set; }
    /// <summary>Wins over the interval when set, e.g. "0 0 3 * * ?" = 03:00 every day.</summary>
    public string? Cron { get; set; }

    public static JobSchedule Every(int seconds) => new() { IntervalSeconds = seconds };
    public static JobSchedule At(string cron) => new() { Cron = cron };
}

/// <summary>
/// One scheduled work: its job key, the settings section that may change its schedule (<c>Jobs:&lt;Setting&gt;</c>, e.g.
/// <c>Jobs:PullStock:IntervalSeconds</c>) and the schedule used when the settings say nothing.
/// </summary>
public sealed record ScheduledWork(string Key, string Setting, Type WorkType, JobSchedule DefaultSchedule);

public static class ScheduledWorkRegistration
{
    /// <summary>Registers <typeparamref name="TWork"/> to run on a schedule (see <see cref="ScheduledWork"/>).</summary>
    public static IServiceCollection AddScheduledWork<TWork>(this IServiceCollection services, string key, string setting, JobSchedule defaultSchedule)
        where TWork : class, IScheduledWork
    {
        if (services.ScheduledWorks().Any(w => w.Key == key))
            throw new InvalidOperationException($"Scheduled work '{key}' is registered twice.");
        services.AddTransient<TWork>();
        services.AddSingleton(new ScheduledWork(key, setting, typeof(TWork), defaultSchedule));
        return services;
    }

    /// <summary>Every work registered so far, in registration order (read before the container is built).</summary>
    public static IReadOnlyList<ScheduledWork> ScheduledWorks(this IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(ScheduledWork) && d.ImplementationInstance is ScheduledWork)
            .Select(d => (ScheduledWork)d.ImplementationInstance!).ToList();
}
