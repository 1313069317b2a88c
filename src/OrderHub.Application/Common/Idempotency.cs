using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Common;

/// <summary>The same idempotency key was sent again with a different request.</summary>
public sealed class IdempotencyKeyReusedException() : Exception("Idempotency-Key reused with a different request / 同一幂等键用于不同请求");

/// <summary>
/// Idempotency keys for writes a client may retry. Usage, inside the write's own transaction:
/// <code>
/// if (await Idempotency.FindAsync(c, scope, key, hash, null) is { } done) return Replay(done);
/// … do the work in tx …
/// if (!await Idempotency.TryRecordAsync(c, tx, scope, key, hash, newId, now)) { rollback; return Replay(await FindAsync(…)); }
/// commit;
/// </code>
/// The key row commits with the work or not at all, so a crash between never leaves a key without its result.
/// </summary>
public static class Idempotency
{
    /// <returns>The resource created by the first request with this key, or null if the key is new.</returns>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different request.</exception>
    public static async Task<long?> FindAsync(DbConnection c, string scope, string key, string requestHash, DbTransaction? tx)
    {
        var row = await c.QuerySingleOrDefaultAsync<(string Hash, long? Id)?>(
            "SELECT request_hash, resource_id FROM idempotency_keys WHERE scope = @scope AND idem_key = @key", new { scope, key }, tx);
        if (row is null) return null;
        if (row.Value.Hash != requestHash) throw new IdempotencyKeyReusedException();
        return row.Value.Id;
    }

    /// <summary>
    /// Inside a write transaction: waits until no other transaction works on the same key, then looks it up again.
    /// A resend that arrives while the first request is still running thus waits for it and replays its result, instead
    /// of finding the first request's consequences (an emptied cart) without its key. SQLite's write transaction
    /// (BEGIN IMMEDIATE) already serialises writers; PostgreSQL takes a transaction-scoped advisory lock on the key.
    /// </summary>
    public static async Task<long?> LockAndFindAsync(DbConnection c, DbTransaction tx, string scope, string key, string requestHash)
    {
        if (c is Npgsql.NpgsqlConnection)
        {
            var lockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\u001f" + key)), 0);
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@lockKey)", new { lockKey }, tx);
        }
        return await FindAsync(c, scope, key, requestHash, tx);
    }

    /// <summary>
    /// The key claimed for this request as the first statement of its write transaction, ready to join a batch with the
    /// transaction's first reads: it returns one row when the key is new — the request goes on, and <see cref="Complete"/>
    /// names its result before the commit — and none when another request has it: then <see cref="FindAsync"/> (in the same
    /// transaction) gives that request's result to replay, or refuses a different request. A request with the same key still
    /// running holds the key's row, so PostgreSQL makes this insert wait until that request commits or rolls back (what
    /// <see cref="LockAndFindAsync"/> does with an advisory lock, without its two round trips); SQLite's write transaction
    /// already serialises. The claim never commits without its result: the transaction completes it or rolls back.
    /// </summary>
    public static SqlBatch Claim(SqlBatch batch, string scope, string key, string requestHash, long nowMs) =>
        batch.Add("""
            INSERT INTO idempotency_keys (scope, idem_key, request_hash, resource_id, created_at)
            VALUES (@scope, @key, @requestHash, NULL, @nowMs)
            ON CONFLICT (scope, idem_key) DO NOTHING
            RETURNING created_at
            """, new { scope, key, requestHash, nowMs });

    /// <summary>Names the result of a request whose key was <see cref="Claim"/>ed, in its transaction.</summary>
    public static SqlBatch Complete(SqlBatch batch, string scope, string key, long resourceId) =>
        batch.Add("UPDATE idempotency_keys SET resource_id = @resourceId WHERE scope = @scope AND idem_key = @key", new { scope, key, resourceId });

    /// <returns>False when another request recorded the same key first (the caller rolls back and replays).</returns>
    public static async Task<bool> TryRecordAsync(DbConnection c, DbTransaction tx, string scope, string key, string requestHash, long resourceId, long nowMs) =>
        await c.ExecuteAsync("""
            INSERT INTO idempotency_keys (scope, idem_key, request_hash, resource_id, created_at)
            VALUES (@scope, @key, @requestHash, @resourceId, @nowMs)
            ON CONFLICT (scope, idem_key) DO NOTHING
            """, new { scope, key, requestHash, resourceId, nowMs }, tx) == 1;

    /// <summary>A stable hash of the parts of a request that must match for a replay.</summary>
    public static string Hash(params object?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p?.ToString() ?? "∅")))));
}

/// <summary>Who did something, for the timeline and the ledger.</summary>
public sealed record Actor(string Kind, long? Id, string Name)
{
    public static readonly Actor System = new("system", null, "系统");
    public static Actor Erp(string name) => new("erp", null, name);
}
