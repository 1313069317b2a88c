using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

/// <summary>Helpers of the appliers' bulk paths: codes to ids in one query per kind, rows written in multi-row statements.</summary>
internal static class BulkRows
{
    /// <summary>Codes per lookup query.</summary>
    private const int LookupChunk = 5_000;

    /// <summary>
    /// <c>SELECT id, {codeColumn} FROM {table} WHERE {codeColumn} IN (codes)</c> as a dictionary (ordinal, as the databases
    /// compare text). Null and duplicate codes are left out of the query.
    /// </summary>
    public static async Task<Dictionary<string, long>> IdsByCodeAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, string table,
        string codeColumn, IEnumerable<string?> codes)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var distinct = codes.Where(x => x is not null).Select(x => x!).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var chunk in distinct.Chunk(LookupChunk))
        {
            // SQLite: the codes as one JSON array parameter (an IN list of n named parameters costs n² to bind there).
            var rows = dialect == SqlDialect.Sqlite
                ? await c.QueryAsync<(long Id, string Code)>(
                    $"SELECT id, {codeColumn} FROM {table} WHERE {codeColumn} IN (SELECT value FROM json_each(@codes))",
                    new { codes = JsonSerializer.Serialize(chunk) }, tx)
                : await c.QueryAsync<(long Id, string Code)>(
                    $"SELECT id, {codeColumn} FROM {table} WHERE {dialect.InList(codeColumn, "codes")}", new { codes = chunk }, tx);
            foreach (var (id, code) in rows) found[code] = id;
        }
        return found;
    }

    /// <summary>
    /// Splits rows into rounds in which no key appears twice: round 0 holds each key's first row, round 1 its second, and
    /// so on (rows keep their order within a round). Applied round after round, a key's rows land in page order, as applied
    /// one by one; and no statement touches a row twice (PostgreSQL refuses that for ON CONFLICT DO UPDATE).
    /// </summary>
    public static List<List<TRow>> Rounds<TRow, TKey>(IEnumerable<TRow> rows, Func<TRow, TKey> key) where TKey : notnull
    {
        var rounds = new List<List<TRow>>();
        var seen = new Dictionary<TKey, int>();
        foreach (var row in rows)
        {
            var k = key(row);
            var n = seen.GetValueOrDefault(k);
            seen[k] = n + 1;
            if (rounds.Count == n) rounds.Add([]);
            rounds[n].Add(row);
        }
        return rounds;
    }

    /// <summary>
    /// Runs <c>{head} {rows} {tail}</c> for every row, in order, where {rows} is a row source with columns column1, column2, …
    /// (<c>VALUES (…)</c> on SQLite, <c>SELECT column1, … FROM</c> a staging table on PostgreSQL): the head ends where an
    /// INSERT's VALUES, a <c>FROM (</c> or an <c>IN (</c> would. Returns the rows the statements changed (as the database
    /// counts them: an upsert whose DO UPDATE WHERE is false counts 0). The rows must not repeat a key the statement
    /// matches on (see <see cref="Rounds"/>).
    /// PostgreSQL: the rows go by binary COPY into a temporary staging table (dropped again at once, and at commit at the
    /// latest), and one set-based statement reads them from it in their order: a few round trips whatever the row count.
    /// SQLite: one prepared single-row statement run for each row, which is in-process and cheaper there than a long
    /// statement (SQLite finds a named parameter by a linear search, so binding a statement of n parameters costs n²).
    /// Plain commands, not Dapper: its cache would keep every distinct statement text.
    /// </summary>
    /// <param name="types">The PostgreSQL type of each column: bigint, integer, boolean or text.</param>
    public static async Task<long> ExecuteAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, string head, string tail,
        string[] types, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return 0;
        if (dialect == SqlDialect.Postgres) return await ThroughStagingAsync((NpgsqlConnection)c, tx, head, tail, types, rows);
        long changed = 0;
        var width = types.Length;
        await using var one = c.CreateCommand();
        one.Transaction = tx;
        for (var col = 0; col < width; col++)
        {
            var p = one.CreateParameter();
            p.ParameterName = "@p" + col;
            one.Parameters.Add(p);
        }
        one.CommandText = $"{head}\nVALUES ({string.Join(", ", Enumerable.Range(0, width).Select(col => "@p" + col))})\n{tail}";
        foreach (var row in rows)
        {
            for (var col = 0; col < width; col++) one.Parameters[col].Value = row[col] ?? DBNull.Value;
            changed += one.ExecuteNonQuery();
        }
        return changed;
    }

    /// <summary>The staging table of <see cref="ExecuteAsync"/> on PostgreSQL (one at a time per connection).</summary>
    private const string Staging = "bulk_rows_staging";

    private static async Task<long> ThroughStagingAsync(NpgsqlConnection pg, DbTransaction tx, string head, string tail, string[] types,
        IReadOnlyList<object?[]> rows)
    {
        var width = types.Length;
        var columns = string.Join(", ", Enumerable.Range(1, width).Select(col => "column" + col));
        var dbTypes = types.Select(DbTypeOf).ToArray();
        await using var cmd = pg.CreateCommand();
        cmd.Transaction = (NpgsqlTransaction)tx;
        // ON COMMIT DROP as well: a statement the database refuses leaves the table to the savepoint's rollback or the commit.
        cmd.CommandText = $"CREATE TEMP TABLE {Staging} (row_order integer NOT NULL, " +
                          $"{string.Join(", ", Enumerable.Range(0, width).Select(col => $"column{col + 1} {types[col]}"))}) ON COMMIT DROP";
        await cmd.ExecuteNonQueryAsync();
        await using (var copy = await pg.BeginBinaryImportAsync($"COPY {Staging} FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                await copy.StartRowAsync();
                await copy.WriteAsync(i, NpgsqlDbType.Integer);
                for (var col = 0; col < width; col++)
                {
                    if (row[col] is not { } value) await copy.WriteNullAsync();
                    else await WriteAsync(copy, value, dbTypes[col]);
                }
            }
            await copy.CompleteAsync();
        }
        // Read in the rows' order, so rows that get new ids get them in that order (as SQLite's row-by-row run gives them).
        cmd.CommandText = $"{head}\nSELECT {columns} FROM {Staging} ORDER BY row_order\n{tail}";
        var changed = await cmd.ExecuteNonQueryAsync();
        cmd.CommandText = $"DROP TABLE {Staging}";
        await cmd.ExecuteNonQueryAsync();
        return changed;
    }

    private static NpgsqlDbType DbTypeOf(string type) => type switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "boolean" => NpgsqlDbType.Boolean,
        "text" => NpgsqlDbType.Text,
        _ => throw new NotSupportedException(type),
    };

    /// <summary>One value as its column's type (binary COPY does not convert: an int into a bigint column is refused).</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter copy, object value, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint => copy.WriteAsync(Convert.ToInt64(value), type),
        NpgsqlDbType.Integer => copy.WriteAsync(Convert.ToInt32(value), type),
        NpgsqlDbType.Boolean => copy.WriteAsync((bool)value, type),
        _ => copy.WriteAsync((string)value, type),
    };

    public static string[] Types(string list) => list.Split(',', StringSplitOptions.TrimEntries);
}
