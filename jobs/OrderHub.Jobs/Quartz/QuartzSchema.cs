using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderHub.Jobs.Quartz;

/// <summary>
/// Creates Quartz's tables (tables_postgres.sql beside this file) in the clustered store's PostgreSQL database when they are
/// absent, like a migration run at start. Registered before the scheduler, so it has its tables when it starts.
/// An advisory lock keeps two nodes starting together from racing.
/// </summary>
public sealed class QuartzSchema(string connectionString, ILogger<QuartzSchema> log) : IHostedService
{
    private const long LockKey = 704212;

    public static IEnumerable<string> Statements()
    {
        using var stream = typeof(QuartzSchema).Assembly.GetManifestResourceStream("OrderHub.Jobs.Quartz.tables_postgres.sql")
            ?? throw new InvalidOperationException("tables_postgres.sql is not embedded");
        var sql = new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n");
        return sql.Split("\n--;;\n").Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0);
    }

    /// <returns>Whether the tables were created now.</returns>
    public static async Task<bool> EnsureAsync(string connectionString, CancellationToken ct = default)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        await c.ExecuteAsync("SELECT pg_advisory_lock(@LockKey)", new { LockKey });
        try
        {
            if (await c.ExecuteScalarAsync<bool>("SELECT to_regclass('qrtz_locks') IS NOT NULL AND to_regclass('qrtz_job_status') IS NOT NULL")) return false;
            await using var tx = await c.BeginTransactionAsync(ct);
            foreach (var statement in Statements()) await c.ExecuteAsync(statement, transaction: tx);
            await tx.CommitAsync(ct);
            return true;
        }
        finally
        {
            await c.ExecuteAsync("SELECT pg_advisory_unlock(@LockKey)", new { LockKey });
        }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        if (await EnsureAsync(connectionString, ct)) log.LogInformation("Quartz job store tables created");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
