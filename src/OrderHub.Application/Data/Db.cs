using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrderHub.Application.Data;

public enum SqlDialect { Sqlite, Postgres }

/// <summary>
/// Opens connections to OrderHub's database. SQLite (embedded, the default) or PostgreSQL, chosen by the
/// connection string: one with a <c>Host=</c> key is PostgreSQL, anything else is a SQLite file.
/// All SQL in OrderHub is written to run on both.
/// </summary>
public sealed class Db
{
    public SqlDialect Dialect { get; }
    public string ConnectionString { get; }
    private readonly NpgsqlDataSource? _pg;
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Initialized = new();
    private static readonly object Marker = new();

    /// <summary>The embedded default of the one-command run: a SQLite file under data/.</summary>
    public const string DefaultConnectionString = "Data Source=data/orderhub.db";

    public Db(string connectionString)
    {
        Dialect = DetectDialect(connectionString);
        if (Dialect == SqlDialect.Postgres)
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            // The same statements run all day: let Npgsql prepare them on the server after two uses.
            if (b.MaxAutoPrepare == 0) { b.MaxAutoPrepare = 100; b.AutoPrepareMinUsages = 2; }
            // OrderHub leaves no session state on a connection it gives back (no SET, temp table or LISTEN; its advisory
            // locks are transaction-scoped or released in a finally), so the pool need not reset each connection: the
            // reset ran RESET ALL, CLOSE ALL, UNLISTEN, pg_advisory_unlock_all and two DISCARDs before every next use.
            if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
                b.NoResetOnClose = true;
            ConnectionString = b.ToString();
            _pg = NpgsqlDataSource.Create(ConnectionString);
        }
        else
        {
            var b = new SqliteConnectionStringBuilder(connectionString);
            if (b.DataSource is { Length: > 0 } path && path != ":memory:" && !b.DataSource.StartsWith("file:", StringComparison.Ordinal))
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            }
            b.Pooling = true;
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until this many seconds pass.
            if (b.DefaultTimeout < 30) b.DefaultTimeout = 30;
            ConnectionString = b.ToString();
        }
    }

    public static SqlDialect DetectDialect(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(p => p.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("Server=", StringComparison.OrdinalIgnoreCase))
            ? SqlDialect.Postgres : SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_pg is not null) return await _pg.OpenConnectionAsync(ct);
        var c = new SqliteConnection(ConnectionString);
        await c.OpenAsync(ct);
        // Pooled connections keep their native handle: set it up once per handle, not on every open.
        if (c.Handle is { } handle && !Initialized.TryGetValue(handle, out _))
        {
            await using var cmd = c.CreateCommand();
            // WAL lets readers run beside one writer; busy_timeout makes writers wait instead of failing.
            cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
            await cmd.ExecuteNonQueryAsync(ct);
            Initialized.AddOrUpdate(handle, Marker);
        }
        return c;
    }

    public DbConnection Open() => OpenAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Begins a write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE) so that two writers
    /// never deadlock upgrading read locks; on PostgreSQL it is an ordinary READ COMMITTED transaction.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct = default)
    {
        if (connection is SqliteConnection s)
            return s.BeginTransaction(deferred: false);
        return await connection.BeginTransactionAsync(ct);
    }
}

public static class SqlText
{
    /// <summary>Written after every <c>LIKE @param</c> whose pattern comes from <see cref="Contains"/>: backslash escapes (SQLite has no default).</summary>
    public const string LikeEscape = " ESCAPE '\\'";

    /// <summary>
    /// A LIKE pattern for "contains this text", lower-cased, with the user's own <c>%</c>, <c>_</c> and <c>\</c> matched
    /// literally (so <c>q=_</c> finds an underscore, not everything); null for no search. Use with <see cref="LikeEscape"/>.
    /// </summary>
    public static string? Contains(string? term) =>
        string.IsNullOrWhiteSpace(term) ? null
            : "%" + term.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>
    /// "column is one of the values of @param". Dapper expands <c>IN @ids</c> into a list on SQLite, but sends a real
    /// array to PostgreSQL, where the form is <c>= ANY(@ids)</c>.
    /// </summary>
    public static string InList(this SqlDialect dialect, string column, string param) =>
        dialect == SqlDialect.Postgres ? $"{column} = ANY(@{param})" : $"{column} IN @{param}";
}
