using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Settings;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;
using OrderHub.Jobs.Quartz;
using Quartz;

namespace OrderHub.Jobs;

/// <summary>One job as this process schedules it: the registered work and its schedule after the settings.</summary>
public sealed record ScheduledJob(string Key, Type WorkType, JobSchedule Schedule);

public static class JobsRegistration
{
    /// <summary>
    /// The jobs this process schedules: every work the features registered (see <see cref="ScheduledWorkRegistration"/>)
    /// whose schedule, after <c>Jobs:&lt;Setting&gt;</c>, is enabled.
    /// </summary>
    public static IReadOnlyList<ScheduledJob> Scheduled(IServiceCollection services, IConfiguration configuration) =>
        services.ScheduledWorks()
            .Select(w => new ScheduledJob(w.Key, w.WorkType, ScheduleOf(w, configuration)))
            .Where(j => j.Schedule.Enabled)
            .ToList();

    private static JobSchedule ScheduleOf(ScheduledWork work, IConfiguration configuration)
    {
        var d = work.DefaultSchedule;
        var schedule = new JobSchedule { Enabled = d.Enabled, IntervalSeconds = d.IntervalSeconds, Cron = d.Cron };
        var section = configuration.GetSection($"Jobs:{work.Setting}");
        section.Bind(schedule);
        // A cron set in the settings wins; an interval set in the settings wins over a default cron.
        if (section["IntervalSeconds"] is not null && section["Cron"] is null) schedule.Cron = null;
        if (schedule.IntervalSeconds is < 1 && string.IsNullOrWhiteSpace(schedule.Cron))
            throw new InvalidOperationException($"设置错误 Setting Jobs:{work.Setting}:IntervalSeconds must be at least 1");
        if (!string.IsNullOrWhiteSpace(schedule.Cron) && !IsCron(schedule.Cron))
            throw new InvalidOperationException($"设置错误 Setting Jobs:{work.Setting}:Cron '{schedule.Cron}' is not a Quartz cron expression (with seconds, e.g. \"0 0 3 * * ?\")");
        return schedule;
    }

    private static bool IsCron(string expression)
    {
        try { _ = new CronExpression(expression); return true; }
        catch (FormatException) { return false; }
    }

    /// <summary>
    /// Quartz.NET running every scheduled work registered so far (call it after the features), from section <c>Jobs</c>:
    /// the RAM store (one node), or with <c>Jobs:Clustered = true</c> Quartz's clustered ADO.NET store on PostgreSQL
    /// (tables created at start when absent). With <c>Jobs:Enabled = false</c> nothing is scheduled in this process.
    /// </summary>
    public static IServiceCollection AddOrderHubJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<JobsSettings>("Jobs", strict: false);
        var settings = configuration.GetSection("Jobs").Get<JobsSettings>() ?? new JobsSettings();
        if (!settings.Enabled) return services;

        var jobs = Scheduled(services, configuration);
        var storeConnection = settings.Clustered ? ClusterConnection(settings, configuration) : null;
        if (storeConnection is not null)
            services.AddHostedService(sp => new QuartzSchema(storeConnection, sp.GetRequiredService<ILogger<QuartzSchema>>()));

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                // In one process every RAM scheduler needs a name of its own (test hosts start several);
                // every node of a cluster shares one name and gets a generated instance id.
                s.InstanceName = storeConnection is null ? $"{settings.SchedulerName}-{Guid.NewGuid():N}" : settings.SchedulerName;
                if (storeConnection is not null) s.GenerateInstanceId = true;
            });
            q.UseDefaultThreadPool(Math.Max(1, settings.MaxConcurrency));
            if (storeConnection is null)
                q.UseInMemoryStore();
            else
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(storeConnection);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = TimeSpan.FromSeconds(settings.ClusterCheckinSeconds);
                        cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(settings.ClusterFailoverSeconds);
                    });
                    store.UseSystemTextJsonSerializer();
                });
            foreach (var job in jobs)
            {
                q.AddJob(typeof(ScheduledWorkJob<>).MakeGenericType(job.WorkType), j => j.WithIdentity(job.Key).StoreDurably());
                q.AddTrigger(t =>
                {
                    t.ForJob(job.Key).WithIdentity(job.Key + "-trigger").StartNow();
                    if (!string.IsNullOrWhiteSpace(job.Schedule.Cron))
                        t.WithCronSchedule(job.Schedule.Cron, c => c.InTimeZone(ShanghaiTime.Zone));
                    else
                        t.WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(1, job.Schedule.IntervalSeconds ?? 60))).RepeatForever());
                });
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static string ClusterConnection(JobsSettings settings, IConfiguration configuration)
    {
        var cs = string.IsNullOrWhiteSpace(settings.ConnectionString) ? configuration["Database:ConnectionString"] : settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(cs) || Db.DetectDialect(cs) != SqlDialect.Postgres)
            throw new InvalidOperationException("设置错误 Setting Jobs:Clustered needs a PostgreSQL connection string (Jobs:ConnectionString or Database:ConnectionString with Host=…).");
        return cs;
    }
}
