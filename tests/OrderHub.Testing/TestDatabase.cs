using OrderHub.Application.Data;

namespace OrderHub.Testing;

/// <summary>A fresh, migrated database of either kind. Persistence tests take the kind as a parameter and run on both.</summary>
public static class TestDatabase
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public static readonly string[] Kinds = [Sqlite, Postgres];

    public static string NewConnectionString(string kind) => kind switch
    {
        Sqlite => $"Data Source={Path.Combine(Path.GetTempPath(), "orderhub-test-" + Guid.NewGuid().ToString("N")[..12] + ".db")}",
        Postgres => PostgresCluster.CreateDatabase(),
        _ => throw new ArgumentException(kind),
    };

    public static async Task<Db> CreateAsync(string kind)
    {
        var db = new Db(NewConnectionString(kind));
        await new Migrator(db).MigrateAsync();
        return db;
    }
}

/// <summary>A clock the tests move by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
