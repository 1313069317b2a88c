using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrderHub.Application;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.Jobs;

namespace OrderHub.Hosting;

/// <summary>
/// The composition root every OrderHub process shares: the API host, the worker and the test hosts call
/// <see cref="AddOrderHub"/> and <see cref="PrepareDatabaseAsync"/>, so nothing is registered twice by hand.
/// Host-only concerns (HTTP, tokens, WeChat endpoints) stay in the host.
/// </summary>
public static class OrderHubHosting
{
    /// <summary>
    /// Every feature's services and settings (validated at start), the demo distributor, the ERP adapter chosen by
    /// <c>Erp:Adapter</c>, and last the scheduler running every registered work. Host-level features that register
    /// scheduled work of their own (the API host's WeChat) go in <paramref name="features"/>, so the scheduler sees it.
    /// </summary>
    public static IServiceCollection AddOrderHub(this IServiceCollection services, IConfiguration configuration,
        Action<IServiceCollection>? features = null)
    {
        services.AddOrderHubApplication(configuration);
        services.AddOrderHubDemo();
        services.AddChosenErpAdapter(configuration);
        features?.Invoke(services);
        // Gives the GC's free memory back once the process has been quiet a while (Memory section).
        services.AddSingleton(MemoryTrimSettings.From(configuration));
        services.TryAddSingleton<IMemoryProbe, IdleMemoryTrim.Runtime>();
        services.AddHostedService<IdleMemoryTrim>();
        // Last: the scheduler picks up the work every feature registered above.
        services.AddOrderHubJobs(configuration);
        return services;
    }

    /// <summary>Applies the migrations, then every registered <see cref="IDatabaseSeed"/> (the demo data when it is on).</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<Db>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Database");
        var applied = await new Migrator(db).MigrateAsync();
        log.LogInformation("Database {Dialect}: {Count} migration(s) applied", db.Dialect, applied.Count);
        foreach (var seed in services.GetServices<IDatabaseSeed>()) await seed.SeedAsync(ct);
    }
}
