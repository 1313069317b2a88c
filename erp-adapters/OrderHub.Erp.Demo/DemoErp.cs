using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.DemoData;

namespace OrderHub.Erp.Demo;

/// <summary>
/// The simulated ERP's database: a SQLite file of its own, seeded from a <see cref="DemoDataSet"/>.
/// <see cref="DemoErpAdapter"/> is OrderHub's view of it; <see cref="DemoErpSimulator"/> plays the people working in it.
/// </summary>
public sealed class DemoErp
{
    private readonly string _connectionString;

    public DemoErp(DemoErpOptions options, TimeProvider? clock = null)
    {
        Options = options;
        Clock = clock ?? TimeProvider.System;
        var dir = Path.GetDirectoryName(Path.GetFullPath(options.FilePath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = options.FilePath, DefaultTimeout = 30 }.ToString();
    }

    public DemoErpOptions Options { get; }
    public TimeProvider Clock { get; }

    /// <summary>Creates the tables when missing.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await c.ExecuteAsync(DemoErpSchema.Sql);
        // A demo ERP file made before unit costs were kept gains the column (its products then have no cost until re-seeded).
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('products') WHERE name = 'cost_fen'") == 0)
            await c.ExecuteAsync("ALTER TABLE products ADD COLUMN cost_fen INTEGER NULL");
    }

    /// <summary>Creates the tables when missing and tells whether the ERP holds products already (seeded before).</summary>
    public async Task<bool> IsSeededAsync(CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        return await ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT EXISTS (SELECT 1 FROM products)") == 1, ct);
    }

    /// <summary>
    /// As <see cref="SeedIfEmptyAsync(DemoDataSet, CancellationToken)"/>, but builds the data set only when the ERP is empty:
    /// a large set takes seconds and hundreds of MB to generate, which a restart over a seeded file should not pay.
    /// </summary>
    public async Task<bool> SeedIfEmptyAsync(Func<DemoDataSet> generate, CancellationToken ct = default) =>
        !await IsSeededAsync(ct) && await SeedIfEmptyAsync(generate(), ct);

    /// <summary>Creates the tables and, when the ERP has no products yet, seeds it. Returns whether it seeded.</summary>
    public async Task<bool> SeedIfEmptyAsync(DemoDataSet data, CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        return await WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products", transaction: tx) > 0) return false;
            await DemoErpSeeder.SeedAsync(c, tx, data, Clock.GetUtcNow().ToUnixTimeMilliseconds());
            return true;
        }, ct);
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await work(c);
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction (SQLite: one writer at a time, so change numbers commit in order).</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        var result = await work(c, tx);
        await tx.CommitAsync(ct);
        return result;
    }
}
