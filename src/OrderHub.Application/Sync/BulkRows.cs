using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
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
    /// <param name="known">
    /// Ids already read in this run, for codes that never change their row (a product's SKU): those codes are not asked
    /// again, and the ones found are added. Only for rows this transaction reads and does not write (a row written here
    /// may be rolled back with its id).
    /// </param>
    public static async Task<Dictionary<string, long>> IdsByCodeAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, string table,
        string codeColumn, IEnumerable<string?> codes, Dictionary<string, long>? known = null)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var asked = new List<string>();
        foreach (var code in codes.Where(x => x is not null).Select(x => x!).Distinct(StringComparer.Ordinal))
        {
            if (known is not null && known.TryGetValue(code, out var id)) found[code] = id;
            else asked.Add(code);
        }
        foreach (var chunk in asked.Chunk(LookupChunk))
        {
            // SQLite: the codes as one JSON array parameter (an IN list of n named parameters costs n² to bind there).
            var rows = dialect == SqlDialect.Sqlite
                ? await c.QueryAsync<(long Id, string Code)>(
                    $"SELECT id, {codeColumn} FROM {table} WHERE {codeColumn} IN (SELECT value FROM json_each(@codes))",
                    new { codes = JsonSerializer.Serialize(chunk) }, tx)
                : await c.QueryAsync<(long Id, string Code)>(
                    $"SELECT id, {codeColumn} FROM {table} WHERE {dialect.InList(codeColumn, "codes")}", new { codes = chunk }, tx);
            foreach (var (id, code) in rows)
            {
                found[code] = id;
                if (known is not null) known[code] = id;
            }
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
    /// (<c>VALUES (…), (…)</c>, or on PostgreSQL <c>SELECT * FROM unnest(…) AS u(column1, …)</c>): the head ends where an
    /// INSERT's VALUES, a <c>FROM (</c> or an <c>IN (</c> would. Returns the rows the statements changed (as the database counts them: an
    /// upsert whose DO UPDATE WHERE is false counts 0).
    /// PostgreSQL: <paramref name="chunk"/> rows per statement, one array parameter per column (one round trip, a short
    /// statement the server prepares once). SQLite: one prepared single-row statement run for each row, which is in-process
    /// and cheaper there than a long statement (SQLite finds a named parameter by a linear search, so binding a statement
    /// of n parameters costs n²). Plain commands, not Dapper: its cache would keep every distinct statement text.
    /// </summary>
    /// <param name="types">The PostgreSQL type of each column: bigint, integer, boolean or text.</param>
    public static async Task<long> ExecuteAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, string head, string tail,
        string[] types, IReadOnlyList<object?[]> rows, int chunk)
    {
        if (rows.Count == 0) return 0;
        long changed = 0;
        var width = types.Length;
        var columns = string.Join(", ", Enumerable.Range(1, width).Select(col => "column" + col));
        if (dialect == SqlDialect.Sqlite)
        {
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
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"{head}\nSELECT * FROM unnest({string.Join(", ", Enumerable.Range(0, width).Select(col => $"${col + 1}::{types[col]}[]"))}) AS u({columns})\n{tail}";
        for (var start = 0; start < rows.Count; start += chunk)
        {
            var part = rows.Skip(start).Take(chunk).ToList();
            cmd.Parameters.Clear();
            for (var col = 0; col < width; col++)
            {
                var p = cmd.CreateParameter();
                p.Value = ColumnArray(part, col, types[col]);
                cmd.Parameters.Add(p);
            }
            changed += await cmd.ExecuteNonQueryAsync();
        }
        return changed;
    }

    /// <summary>One column of the rows as an array of its type, nulls kept.</summary>
    private static Array ColumnArray(List<object?[]> rows, int col, string type) => type switch
    {
        "bigint" => rows.Select(r => r[col] is null ? (long?)null : Convert.ToInt64(r[col])).ToArray(),
        "integer" => rows.Select(r => r[col] is null ? (int?)null : Convert.ToInt32(r[col])).ToArray(),
        "boolean" => rows.Select(r => (bool?)r[col]).ToArray(),
        "text" => rows.Select(r => (string?)r[col]).ToArray(),
        _ => throw new NotSupportedException(type),
    };

    public static string[] Types(string list) => list.Split(',', StringSplitOptions.TrimEntries);
}
