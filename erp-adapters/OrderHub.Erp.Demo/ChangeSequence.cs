using Dapper;
using Microsoft.Data.Sqlite;

namespace OrderHub.Erp.Demo;

/// <summary>The demo ERP's one change counter (see <see cref="DemoErpSchema"/>). Call only inside a write transaction.</summary>
internal static class ChangeSequence
{
    public static Task<long> NextAsync(SqliteConnection c, SqliteTransaction tx) => ReserveAsync(c, tx, 1);

    /// <summary>Reserves <paramref name="count"/> numbers and returns the first.</summary>
    public static async Task<long> ReserveAsync(SqliteConnection c, SqliteTransaction tx, long count) =>
        await c.ExecuteScalarAsync<long>("UPDATE change_seq SET value = value + @count WHERE id = 1 RETURNING value", new { count }, tx) - count + 1;
}
