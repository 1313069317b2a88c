using System.Data.Common;
using System.Net.Sockets;
using Dapper;

namespace OrderHub.Erp.SqlDatabase.Database;

/// <summary>
/// Opens connections to the ERP database and turns driver errors into the port's exceptions:
/// cannot connect / timeout / deadlock → <see cref="ErpUnavailableException"/>;
/// a refused write → <see cref="ErpRejectedException"/>; anything else (usually a mistake in the configured SQL)
/// → <see cref="InvalidOperationException"/> naming the query.
/// </summary>
internal sealed class ErpDatabase(SqlDatabaseErpOptions options)
{
    private readonly ErpDatabaseProvider _provider = ErpDatabaseProvider.For(options.Provider);

    public int CommandTimeout => options.CommandTimeoutSeconds;

    public CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken ct) =>
        new(sql, parameters, tx, options.CommandTimeoutSeconds, cancellationToken: ct);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException("The ERP database connection string is not set.");
        var connection = _provider.CreateConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when ((e is DbException or TimeoutException or SocketException or IOException) && !ct.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new ErpUnavailableException($"Cannot connect to the ERP database: {e.Message}", e);
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection, translating errors. <paramref name="what"/> names the query for messages.</summary>
    public async Task<T> RunAsync<T>(string what, bool isWrite, Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            return await work(connection);
        }
        catch (Exception e) when (Translate(e, what, isWrite, ct) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The port exception for <paramref name="e"/>, or null to let it through (cancellation, our own exceptions).</summary>
    public Exception? Translate(Exception e, string what, bool isWrite, CancellationToken ct)
    {
        if (ct.IsCancellationRequested && e is OperationCanceledException) return null;
        return e switch
        {
            ErpUnavailableException or ErpRejectedException or ErpQueryContractException => null,
            DbException db when _provider.IsTransient(db) => new ErpUnavailableException($"ERP database {what}: {db.Message}", db),
            DbException db when isWrite && _provider.IsRefusal(db) => new ErpRejectedException($"ERP database refused {what}: {db.Message}", db),
            DbException db => new InvalidOperationException($"ERP query {what} failed (check its SQL in the settings): {db.Message}", db),
            TimeoutException or SocketException or IOException => new ErpUnavailableException($"ERP database {what}: {e.Message}", e),
            _ => null,
        };
    }
}
