using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;
using OrderHub.DemoData;
using OrderHub.Erp;
using OrderHub.Erp.Demo;
using OrderHub.Settings;

namespace OrderHub.Demo;

/// <summary>Section <c>Demo</c>: the demo distributor of the one-command run.</summary>
public sealed class DemoOptions : IValidatedSettings
{
    /// <summary>Load the demo distributor into an empty database at start.</summary>
    public bool Seed { get; set; }
    /// <summary>demo (≈300 SKUs) or large (100k SKUs, 10k customers, 1M customer prices).</summary>
    public string Size { get; set; } = "demo";
    public int RandomSeed { get; set; } = 20261125;
    /// <summary>With the demo size: a year of orders, payments and returns before today (<see cref="DemoHistoryGenerator"/>), so the reports and insight have figures on the first run.</summary>
    public bool History { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (Size.ToLowerInvariant() is not ("demo" or "small" or "large")) yield return $"Size '{Size}' must be demo or large";
    }
}

public static class DemoRegistration
{
    /// <summary>The demo distributor: with <c>Demo:Seed = true</c> an empty database gets the generated data set at start. Harmless when off.</summary>
    public static IServiceCollection AddOrderHubDemo(this IServiceCollection services)
    {
        services.AddSettings<DemoOptions>("Demo");
        services.AddSingleton<IDatabaseSeed, DemoDatabaseSeed>();
        return services;
    }

    /// <summary>For hosts where staff sign in (the API): with <c>Demo:Seed</c>, staff without a password get the demo password.</summary>
    public static IServiceCollection AddDemoStaffPasswords(this IServiceCollection services) => services.AddHostedService<DemoStaffPasswords>();

    /// <summary>The in-process demo ERP (section <c>Erp:Demo</c>) as this process's <see cref="IErpAdapter"/>, with its simulator's tick as scheduled work.</summary>
    public static IServiceCollection AddDemoErp(this IServiceCollection services, string section = "Erp:Demo")
    {
        services.AddSettings<DemoOptions>("Demo");
        services.AddSettings<DemoErpOptions>(section, rules: o => o.PageSize < 1 ? ["PageSize must be at least 1"] : []);
        services.AddSingleton<DemoErpHost>();
        services.AddSingleton<IErpAdapter>(sp =>
        {
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Erp").LogInformation("ERP adapter: demo ERP (in process)");
            return new SeededDemoErpAdapter(sp.GetRequiredService<DemoErpHost>());
        });
        services.AddScheduledWork<DemoErpTick>("demo-erp-tick", "DemoErpTick", JobSchedule.Every(5));
        return services;
    }
}

/// <summary>With <c>Demo:Seed</c>: the generated distributor into an empty OrderHub database.</summary>
internal sealed class DemoDatabaseSeed(DemoOptions demo, Db db, TimeProvider clock, InitialImport import, ILogger<DemoDatabaseSeed> log,
    OrderHub.Application.Media.ImageStore images) : IDatabaseSeed
{
    public async Task SeedAsync(CancellationToken ct)
    {
        if (!demo.Seed) return;
        var seeder = new DemoDataSeeder(db);
        if (await seeder.IsEmptyAsync(ct))
        {
            var size = DemoDataSize.Parse(demo.Size);
            var data = DemoDataGenerator.Generate(size, demo.RandomSeed, clock.GetUtcNow());
            // The large benchmark set gets its year of orders from the benchmark (tests/OrderHub.Benchmarks/DemoOrderHistory.cs).
            var history = demo.History && size == DemoDataSize.Demo ? DemoHistoryGenerator.Generate(data, demo.RandomSeed, clock.GetUtcNow()) : null;
            await seeder.SeedAsync(data, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct, history);
            // Every demo product gets a real picture, so no image link of the demo answers 404 (the large benchmark set has none).
            if (data.Products.Count <= DemoProductPictures.MaxProducts) await DemoProductPictures.AddAsync(db, images, data, ct);
            log.LogInformation("Demo data loaded: {Products} products, {Customers} customers, {Orders} orders of history", data.Products.Count, data.Customers.Count,
                history?.Orders.Count ?? 0);
        }
        // The demo ERP is seeded from the same data set: what the first import would bring is here already.
        await import.MarkCompleteAsync(ct);
    }
}
