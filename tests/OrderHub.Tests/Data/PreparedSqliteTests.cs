using Dapper;
using OrderHub.Application.Data;
using OrderHub.Testing;

namespace OrderHub.Tests.Data;

/// <summary>
/// The catalog's prepared SQLite read (issue #19): a command kept prepared on a kept connection must still see every
/// committed write and a changed schema, must not block when every connection is busy, and must drop a connection whose
/// read failed.
/// </summary>
public class PreparedSqliteTests
{
    private Db _db = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var c = await _db.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL); INSERT INTO probe VALUES (1, 10), (2, 20);");
    }

    private static long Sum(Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        long sum = 0;
        while (r.Read()) sum += r.GetInt64(0);
        return sum;
    }

    private Task<object?> Read(PreparedSqlite prepared, string sql, long min) =>
        prepared.TryReadAsync<object>(sql, [("min", min)], r => Sum(r), CancellationToken.None);

    [Test]
    public async Task A_kept_prepared_read_sees_each_committed_write_and_a_changed_schema()
    {
        var prepared = new PreparedSqlite(_db, 2);
        const string sql = "SELECT qty FROM probe WHERE id >= @min";
        Assert.That(await Read(prepared, sql, 1), Is.EqualTo(30L));
        await using (var c = await _db.OpenAsync()) await c.ExecuteAsync("UPDATE probe SET qty = qty + 5 WHERE id = 2");
        Assert.That(await Read(prepared, sql, 1), Is.EqualTo(35L), "the same prepared command, after a write");
        Assert.That(await Read(prepared, sql, 2), Is.EqualTo(25L), "new parameter values are bound");
        await using (var c = await _db.OpenAsync()) await c.ExecuteAsync("ALTER TABLE probe ADD COLUMN note TEXT; INSERT INTO probe (id, qty) VALUES (3, 100)");
        Assert.That(await Read(prepared, sql, 1), Is.EqualTo(135L), "after the schema changed under the prepared statement");
    }

    [Test]
    public async Task When_every_connection_is_busy_the_caller_reads_the_ordinary_way_and_a_failed_read_frees_its_connection()
    {
        var prepared = new PreparedSqlite(_db, 1);
        object? inner = "not run";
        var outer = await prepared.TryReadAsync<object>("SELECT qty FROM probe WHERE id >= @min", [("min", 1L)], r =>
        {
            inner = Read(prepared, "SELECT qty FROM probe WHERE id >= @min", 1).GetAwaiter().GetResult();
            return Sum(r);
        }, CancellationToken.None);
        Assert.That((outer, inner), Is.EqualTo(((object)30L, (object?)null)), "the one connection was leased: the inner read got none");

        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => Read(prepared, "SELECT qty FROM no_such_table WHERE id >= @min", 1));
        Assert.That(await Read(prepared, "SELECT qty FROM probe WHERE id >= @min", 2), Is.EqualTo(20L), "the failed read gave its slot back");
    }
}
