using System.Data.Common;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace OrderHub.Erp.SqlDatabase.Database;

/// <summary>What differs between the database kinds: the driver and which errors are transient or a refusal.</summary>
internal abstract class ErpDatabaseProvider
{
    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>True for faults that may pass on their own: lost connection, timeout, deadlock, server shutting down.</summary>
    public abstract bool IsTransient(DbException e);

    /// <summary>True when the database refused the data for good: constraint violation, bad value, an error raised by the ERP's own code.</summary>
    public abstract bool IsRefusal(DbException e);

    public static ErpDatabaseProvider For(string provider) => provider.Trim().ToLowerInvariant() switch
    {
        "sqlserver" or "mssql" => new SqlServerProvider(),
        "postgresql" or "postgres" or "npgsql" => new PostgreSqlProvider(),
        _ => throw new ArgumentException($"Unknown ERP database provider '{provider}' (SqlServer|PostgreSQL)"),
    };
}

internal sealed class SqlServerProvider : ErpDatabaseProvider
{
    // Timeout, deadlock, lock timeout, network/login faults, database not available, Azure throttling.
    private static readonly HashSet<int> TransientNumbers =
        [-2, -1, 0, 2, 53, 64, 121, 233, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10061, 11001, 40143, 40197, 40501, 40613, 49918, 49919, 49920];
    // Duplicate key, FK/check violation, NULL into NOT NULL, truncation, conversion failure, arithmetic overflow.
    private static readonly HashSet<int> RefusalNumbers = [2627, 2601, 547, 515, 8152, 2628, 245, 8114, 8115, 241];

    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public override bool IsTransient(DbException e) =>
        e is SqlException s && (TransientNumbers.Contains(s.Number) || s.Class >= 20);

    public override bool IsRefusal(DbException e) =>
        e is SqlException s && (RefusalNumbers.Contains(s.Number) || s.Number >= 50000); // >= 50000: RAISERROR/THROW in the ERP's procedure
}

internal sealed class PostgreSqlProvider : ErpDatabaseProvider
{
    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override bool IsTransient(DbException e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08") || p.SqlState.StartsWith("53") || p.SqlState.StartsWith("57P")
                               || p.SqlState is "57014" or "40001" or "40P01" or "55P03",
        NpgsqlException => true, // socket, timeout, protocol: nothing the data did
        _ => e.IsTransient,
    };

    // 22: data exception (bad value, too long), 23: integrity constraint violation, P0001: RAISE EXCEPTION in the ERP's function.
    public override bool IsRefusal(DbException e) =>
        e is PostgresException p && (p.SqlState.StartsWith("22") || p.SqlState.StartsWith("23") || p.SqlState == "P0001");
}
