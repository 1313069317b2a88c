using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderHub.Application.Sync;
using OrderHub.Erp;

namespace OrderHub.Jobs.Erp;

public static class ErpBridgeRegistration
{
    /// <summary>
    /// The ERP adapter chosen in settings and the sync services on it (pulls, order push, full resync, outbox admin, health).
    /// Needs <c>Db</c>, <c>OrderFlowService</c> and a <see cref="TimeProvider"/> registered by the host. Settings are read when
    /// first used, so a test host's overrides apply.
    /// </summary>
    public static IServiceCollection AddErpBridge(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Sync").Get<ErpSyncOptions>() ?? new ErpSyncOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Sync:Push").Get<OrderPushOptions>() ?? new OrderPushOptions());
        services.AddSingleton<SyncIssueCollector>();
        services.AddSingleton<IErpDataIssues>(sp => sp.GetRequiredService<SyncIssueCollector>());
        services.AddSingleton<DemoErpHost>();
        services.AddSingleton<ErpAdapterFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<ErpAdapterFactory>().Create());
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<FeedRunner>();
        services.AddSingleton<ErpSyncService>();
        services.AddSingleton<FullResync>();
        services.AddSingleton<OutboxLease>();
        services.AddSingleton<ErpOrderBuilder>();
        services.AddSingleton<OrderPushService>();
        services.AddSingleton<OutboxAdmin>();
        services.AddSingleton<SyncHealthQuery>();
        return services;
    }
}
