using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;
using OrderHub.Jobs.Erp;
using OrderHub.Jobs.Jobs;
using OrderHub.Jobs.Quartz;
using Quartz;

namespace OrderHub.Jobs;

public static class JobsRegistration
{
    /// <summary>Every job: its key, class and schedule in <see cref="JobsSettings"/>.</summary>
    public static readonly IReadOnlyList<(string Key, Type Type, Func<JobsSettings, JobSchedule> Schedule)> All =
    [
        ("pull-stock", typeof(PullStockJob), s => s.PullStock),
        ("pull-prices", typeof(PullPricesJob), s => s.PullPrices),
        ("pull-products", typeof(PullProductsJob), s => s.PullProducts),
        ("pull-customers", typeof(PullCustomersJob), s => s.PullCustomers),
        ("pull-payments", typeof(PullPaymentsJob), s => s.PullPayments),
        ("pull-order-status", typeof(PullOrderStatusJob), s => s.PullOrderStatus),
        ("push-orders", typeof(PushOrdersJob), s => s.PushOrders),
        ("full-resync", typeof(FullResyncJob), s => s.FullResync),
        ("demo-erp-tick", typeof(DemoErpTickJob), s => s.DemoErpTick),
        ("wechat-dispatch", typeof(OrderHub.Application.WeChat.DispatchWeChatMessagesJob), s => s.WeChatDispatch),
        ("wecom-hand-over-follow-up", typeof(OrderHub.Application.WeChat.FollowUpWeComHandOversJob), s => s.WeComHandOverFollowUp),
        ("refresh-reports", typeof(RefreshReportsJob), s => s.RefreshReports),
    ];

    /// <summary>
    /// The jobs this process schedules: those enabled in settings; the demo ERP's tick only with the demo adapter;
    /// WeChat message sending only with WeChat on, the WeChat Work hand-over follow-up only with WeChat Work on.
    /// </summary>
    public static List<(string Key, Type Type, Func<JobsSettings, JobSchedule> Schedule)> Scheduled(JobsSettings settings, IConfiguration configuration)
    {
        var demo = ErpAdapterFactory.Chosen(configuration).Equals("Demo", StringComparison.OrdinalIgnoreCase);
        var weChat = configuration.GetValue("WeChat:Enabled", false);
        var weCom = configuration.GetValue("WeCom:Enabled", false);
        return All.Where(j => j.Schedule(settings).Enabled
                              && (j.Type != typeof(DemoErpTickJob) || demo)
                              && (j.Type != typeof(OrderHub.Application.WeChat.DispatchWeChatMessagesJob) || weChat)
                              && (j.Type != typeof(OrderHub.Application.WeChat.FollowUpWeComHandOversJob) || weCom)).ToList();
    }

    /// <summary>
    /// Quartz.NET with OrderHub's jobs, scheduled from section <c>Jobs</c>: the RAM store (one node), or with
    /// <c>Jobs:Clustered = true</c> Quartz's clustered ADO.NET store on PostgreSQL (tables created at start when absent).
    /// Needs the services of <see cref="ErpBridgeRegistration.AddErpBridge"/>. With <c>Jobs:Enabled = false</c> nothing is scheduled.
    /// </summary>
    public static IServiceCollection AddOrderHubJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("Jobs").Get<JobsSettings>() ?? new JobsSettings();
        foreach (var job in All) services.AddTransient(job.Type);
        if (!settings.Enabled) return services;

        var jobs = Scheduled(settings, configuration);
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
                    store.UseClustering();
                    store.UseSystemTextJsonSerializer();
                });
            foreach (var (key, type, schedule) in jobs)
            {
                q.AddJob(type, j => j.WithIdentity(key).StoreDurably());
                var when = schedule(settings);
                q.AddTrigger(t =>
                {
                    t.ForJob(key).WithIdentity(key + "-trigger").StartNow();
                    if (!string.IsNullOrWhiteSpace(when.Cron))
                        t.WithCronSchedule(when.Cron, c => c.InTimeZone(ShanghaiTime.Zone));
                    else
                        t.WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(1, when.IntervalSeconds ?? 60))).RepeatForever());
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
            throw new InvalidOperationException("Jobs:Clustered needs a PostgreSQL connection string (Jobs:ConnectionString or Database:ConnectionString with Host=…).");
        return cs;
    }
}
