using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace OrderHub.Application.Data;

/// <summary>
/// Several statements sent as one command: one round trip on PostgreSQL (Npgsql sends them as one batch), one call on
/// SQLite. Statements written apart (the timeline, the outbox, the idempotency key) keep their own parameter names: each
/// statement's names get a prefix here (<c>@orderId</c> of the third statement is sent as <c>@s2_orderId</c>), so they
/// never meet. Read the statements that return rows in order with <see cref="QueryMultipleAsync"/>; a batch of writes
/// only runs with <see cref="ExecuteAsync"/>.
/// </summary>
public sealed partial class SqlBatch
{
    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();

    /// <summary>Each statement with only its own (prefixed) parameters: run one by one on SQLite, joined into one command otherwise.</summary>
    private readonly List<(string Sql, DynamicParameters Args)> _statements = [];

    /// <summary>How many statements the batch holds.</summary>
    public int Count => _statements.Count;

    /// <param name="args">An anonymous object, or the <see cref="DynamicParameters"/> of <see cref="MultiRow.Sql"/>.</param>
    public SqlBatch Add(string sql, object? args = null)
    {
        var prefix = $"s{Count}_";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var own = new DynamicParameters();
        foreach (var (name, value, type) in ParametersOf(args))
        {
            names.Add(name);
            own.Add(prefix + name, value, type);
        }
        // One pass over the text: every @name that is one of this statement's parameters gets the prefix.
        var text = ParameterName().Replace(sql.Trim().TrimEnd(';'), m => names.Contains(m.Groups[1].Value) ? "@" + prefix + m.Groups[1].Value : m.Value);
        _statements.Add((text, own));
        return this;
    }

    public string Sql => string.Concat(_statements.Select(x => x.Sql + ";\n"));

    /// <summary>Every statement's parameters, for the batch sent as one command (the prefixes keep their names apart).</summary>
    private DynamicParameters AllArgs()
    {
        var all = new DynamicParameters();
        foreach (var (_, args) in _statements) all.AddDynamicParams(args);
        return all;
    }

    /// <summary>
    /// Runs the writes: one command on PostgreSQL (one round trip); one statement at a time on SQLite, in process, where a
    /// multi-statement command would bind every parameter of the batch to every statement — Microsoft.Data.Sqlite looks
    /// each name up in each statement, so an order's write batch (≈300 parameters, ≈12 statements) cost milliseconds of
    /// binding inside the write lock (issue #19, 2026-12-07 profile of a submit).
    /// </summary>
    public async Task<int> ExecuteAsync(DbConnection c, DbTransaction? tx)
    {
        if (c is not Microsoft.Data.Sqlite.SqliteConnection) return await c.ExecuteAsync(Sql, AllArgs(), tx);
        var changed = 0;
        foreach (var (sql, args) in _statements) changed += await c.ExecuteAsync(sql, args, tx);
        return changed;
    }

    public Task<SqlMapper.GridReader> QueryMultipleAsync(DbConnection c, DbTransaction? tx) => c.QueryMultipleAsync(Sql, AllArgs(), tx);

    private static IEnumerable<(string Name, object? Value, DbType? Type)> ParametersOf(object? args)
    {
        switch (args)
        {
            case null:
                yield break;
            case DynamicParameters dynamic:
                foreach (var name in dynamic.ParameterNames) yield return (name, dynamic.Get<object?>(name), null);
                yield break;
            default:
                // The declared type travels with a null, as Dapper sends it for an anonymous object's property.
                foreach (var p in args.GetType().GetProperties())
                    yield return (p.Name, p.GetValue(args), (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) switch
                    {
                        var t when t == typeof(string) => DbType.String,
                        var t when t == typeof(long) => DbType.Int64,
                        var t when t == typeof(int) => DbType.Int32,
                        var t when t == typeof(bool) => DbType.Boolean,
                        _ => null,
                    });
                yield break;
        }
    }
}
