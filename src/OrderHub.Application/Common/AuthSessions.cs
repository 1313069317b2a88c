using System.Security.Cryptography;
using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Common;

/// <summary>
/// Sign-in sessions (table <c>auth_sessions</c>, migration 0013). Every token carries its session id; the API checks on
/// each authenticated request that the session is live, so revoking it stops every token of it at once, on every node.
/// Refresh tokens rotate: each carries the session's refresh sequence number and is good once; presenting an old one
/// (a replayed, maybe stolen, token) ends the whole session.
/// </summary>
public sealed class AuthSessions(Db db, TimeProvider clock)
{
    public const string PasswordChanged = "password_changed";
    public const string Disabled = "disabled";
    public const string RefreshReused = "refresh_reused";

    /// <summary>customer | agent | staff: the table a user id belongs to.</summary>
    public static string KindOf(string role) => role switch { "customer" => "customer", "agent" => "agent", _ => "staff" };

    public async Task<string> StartAsync(string userKind, long userId, CancellationToken ct = default)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("INSERT INTO auth_sessions (id, user_kind, user_id, refresh_seq, created_at) VALUES (@id, @userKind, @userId, 0, @now)",
            new { id, userKind, userId, now = Now() });
        return id;
    }

    /// <summary>1 when the session <c>@sessionId</c> exists and is not revoked, else 0.</summary>
    public const string LiveSql = "SELECT COUNT(*) FROM auth_sessions WHERE id = @sessionId AND revoked_at IS NULL";

    /// <summary>True when the session exists and is not revoked.</summary>
    public async Task<bool> IsLiveAsync(string sessionId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(LiveSql, new { sessionId }) == 1;
    }

    /// <summary>
    /// Uses the refresh token with sequence number <paramref name="seq"/>: true (and the next token must carry seq + 1) when
    /// it is the session's current one; otherwise the token was used before, and the session is revoked.
    /// </summary>
    public async Task<bool> RotateAsync(string sessionId, long seq, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = Now();
        var moved = await c.ExecuteAsync("""
            UPDATE auth_sessions SET refresh_seq = refresh_seq + 1, refreshed_at = @now
            WHERE id = @sessionId AND refresh_seq = @seq AND revoked_at IS NULL
            """, new { sessionId, seq, now });
        if (moved == 1) return true;
        await c.ExecuteAsync("UPDATE auth_sessions SET revoked_at = @now, revoked_reason = @reason WHERE id = @sessionId AND revoked_at IS NULL",
            new { sessionId, now, reason = RefreshReused });
        return false;
    }

    /// <summary>Ends every live session of a user, but <paramref name="exceptSessionId"/> (the caller's own, when it changes its own password).</summary>
    public async Task<int> RevokeUserAsync(string userKind, long userId, string reason, string? exceptSessionId = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("""
            UPDATE auth_sessions SET revoked_at = @now, revoked_reason = @reason
            WHERE user_kind = @userKind AND user_id = @userId AND revoked_at IS NULL AND id <> @except
            """, new { userKind, userId, reason, now = Now(), except = exceptSessionId ?? "" });
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
