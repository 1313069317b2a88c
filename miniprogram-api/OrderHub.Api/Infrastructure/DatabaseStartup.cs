using OrderHub.Application.Data;
using OrderHub.Application.DemoData;

namespace OrderHub.Api.Infrastructure;

public sealed class DemoOptions
{
    /// <summary>Load the demo distributor into an empty database at start.</summary>
    public bool Seed { get; set; }
    /// <summary>demo (≈300 SKUs) or large (100k SKUs, 10k customers, 1M customer prices).</summary>
    public string Size { get; set; } = "demo";
    public int RandomSeed { get; set; } = 20261125;
}

public static class DatabaseStartup
{
    /// <summary>Applies migrations, then loads demo data into an empty database when configured.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var db = app.Services.GetRequiredService<Db>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Database");
        var applied = await new Migrator(db).MigrateAsync();
        log.LogInformation("Database {Dialect}: {Count} migration(s) applied", db.Dialect, applied.Count);

        var demo = app.Services.GetRequiredService<DemoOptions>();
        var seeder = new DemoDataSeeder(db);
        if (demo.Seed && await seeder.IsEmptyAsync())
        {
            var clock = app.Services.GetRequiredService<TimeProvider>();
            var data = DemoDataGenerator.Generate(DemoDataSize.Parse(demo.Size), demo.RandomSeed, clock.GetUtcNow());
            await seeder.SeedAsync(data, clock.GetUtcNow().ToUnixTimeMilliseconds());
            log.LogInformation("Demo data loaded: {Products} products, {Customers} customers", data.Products.Count, data.Customers.Count);
        }
    }
}
