using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Domain.Insight;
using OrderHub.Settings;

namespace OrderHub.Application.Insight;

/// <summary>Insight for growth (issue #18): restock reminders, lifecycle stages, retention, cross-sell gaps, gross profit.</summary>
public static class InsightServices
{
    /// <summary>Settings <c>Restock</c>, <c>Lifecycle</c>, <c>CrossSell</c>; works <c>restock-reminders</c> and <c>lifecycle</c> (daily).</summary>
    public static IServiceCollection AddInsightGrowth(this IServiceCollection services)
    {
        services.AddSettings<RestockOptions>("Restock", rules: o =>
            o.DueFactor <= 0 ? ["DueFactor must be above 0"] : o.MinPurchaseDays < 2 ? ["MinPurchaseDays must be at least 2"] : o.StopAfterIgnored < 1 ? ["StopAfterIgnored must be at least 1"] : []);
        services.AddSettings<LifecycleOptions>("Lifecycle", rules: o =>
            o.DeclineRatio >= 1 || o.DeclineRatio <= 0 ? ["DeclineRatio must be between 0 and 1"]
            : o.GrowthRatio <= 1 ? ["GrowthRatio must be above 1"]
            : o.ChurnedDays <= o.DormantMinDays ? ["ChurnedDays must be above DormantMinDays"]
            : o.WindowDays < 7 ? ["WindowDays must be at least 7"] : []);
        services.AddSettings<CrossSellOptions>("CrossSell", rules: o =>
            o.SizeFactor < 1 ? ["SizeFactor must be at least 1"] : o.MinAdoption is <= 0 or > 1 ? ["MinAdoption must be in (0, 1]"] : o.MinPeers < 1 ? ["MinPeers must be at least 1"] : []);
        services.TryAddSingleton<GrossProfitReport>();
        services.TryAddSingleton<AgentScorecardReport>();
        services.TryAddSingleton<LifecycleService>();
        services.TryAddSingleton<RetentionReport>();
        services.TryAddSingleton<CrossSellQuery>();
        services.TryAddSingleton<RestockService>();
        if (!services.ScheduledWorks().Any(w => w.Key == "restock-reminders"))
            services.AddScheduledWork<RestockReminderWork>("restock-reminders", "RestockReminders", JobSchedule.At("0 0 9 * * ?"));
        if (!services.ScheduledWorks().Any(w => w.Key == "lifecycle"))
            services.AddScheduledWork<LifecycleWork>("lifecycle", "Lifecycle", JobSchedule.At("0 30 2 * * ?"));
        return services;
    }
}

/// <summary>Daily at 09:00 Shanghai: today's restock reminders (then pushed within the notification caps).</summary>
public sealed class RestockReminderWork(RestockService restock, ILogger<RestockReminderWork> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var (stores, products) = await restock.RemindAllAsync(ct);
        log.LogInformation("Restock reminders: {Products} product(s) for {Stores} store(s)", products, stores);
    }
}

/// <summary>Nightly: every store's lifecycle stage, changes recorded.</summary>
public sealed class LifecycleWork(LifecycleService lifecycle, ILogger<LifecycleWork> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) =>
        log.LogInformation("Lifecycle: {Changed} store(s) changed stage", await lifecycle.RecomputeAsync(ct));
}
