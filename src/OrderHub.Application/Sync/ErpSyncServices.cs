using OrderHub.Application.Customers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Settings;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

public static class ErpSyncServices
{
    /// <summary>
    /// The sync services on the ERP adapter (pulls, order push, full resync, outbox admin, health) and their scheduled work.
    /// The adapter itself (<see cref="IErpAdapter"/>) is registered by the adapter's own project, chosen by the host.
    /// Settings: <c>Sync</c>, <c>Sync:Push</c>; schedules: <c>Jobs:PullStock</c> … (see appsettings.template.json).
    /// </summary>
    public static IServiceCollection AddErpSync(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<ErpSyncOptions>("Sync", strict: false);
        services.AddSettings<OrderPushOptions>("Sync:Push");
        services.AddSettings<ErpOptions>("Erp", strict: false);
        services.TryAddSingleton<WarehouseRule>();
        services.TryAddSingleton<SyncIssueCollector>();
        services.TryAddSingleton<IErpDataIssues>(sp => sp.GetRequiredService<SyncIssueCollector>());
        services.TryAddSingleton<SyncStateStore>();
        services.TryAddSingleton<FeedRunner>();
        services.TryAddSingleton<ErpSyncService>();
        services.TryAddSingleton<FullResync>();
        services.TryAddSingleton<OutboxLease>();
        services.TryAddSingleton<ErpOrderBuilder>();
        services.TryAddSingleton<OrderPushService>();
        services.TryAddSingleton<OutboxAdmin>();
        services.TryAddSingleton<SyncHealthQuery>();
        services.TryAddSingleton<InitialImport>();

        if (services.ScheduledWorks().Any(w => w.Key == "pull-stock")) return services;
        services.AddScheduledWork<RunInitialImport>("initial-import", "InitialImport", JobSchedule.Every(10));
        services.AddScheduledWork<PullStock>("pull-stock", "PullStock", JobSchedule.Every(3));
        services.AddScheduledWork<PullPrices>("pull-prices", "PullPrices", JobSchedule.Every(30));
        services.AddScheduledWork<PullProducts>("pull-products", "PullProducts", JobSchedule.Every(60));
        services.AddScheduledWork<PullCustomers>("pull-customers", "PullCustomers", JobSchedule.Every(60));
        services.AddScheduledWork<PullPayments>("pull-payments", "PullPayments", JobSchedule.Every(30));
        services.AddScheduledWork<PullOrderStatus>("pull-order-status", "PullOrderStatus", JobSchedule.Every(5));
        services.AddScheduledWork<PushOrders>("push-orders", "PushOrders", JobSchedule.Every(2));
        services.AddScheduledWork<FullResyncWork>("full-resync", "FullResync", JobSchedule.At("0 0 3 * * ?"));
        return services;
    }
}
