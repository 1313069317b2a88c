using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain.People;

namespace OrderHub.Application.PreReview;

/// <summary>One user of a store as its owner sees it.</summary>
public sealed class StoreUserView
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string Role { get; init; } = "";
    public bool Active { get; init; }
    public bool BoundToWeChat { get; init; }
    public long CreatedAt { get; init; }
}

/// <summary>What a signed-in store user needs to know of its own account: its role, the approval threshold and how the store pays.</summary>
public sealed record StoreAccountView(long UserId, string Role, bool IsOwner, long? OwnerApprovalAboveFen, Domain.Ordering.PaymentMode PaymentMode, int UnpaidCancelMinutes);

/// <summary>
/// 店主 / 店员 (issue #17): the owner lists the store's users, changes their role, removes one, and sets the amount above
/// which a clerk's order waits for the owner. Every write checks, in its transaction, that the caller is an active owner
/// of the store (403 otherwise) and that the store keeps at least one active owner (409).
/// </summary>
public sealed class StoreUsers(Db db, PaymentModeOptions payments, TimeProvider clock, AuthSessions? sessions = null)
{
    public static async Task<bool> IsOwnerAsync(DbConnection c, DbTransaction? tx, long userId, long customerId) =>
        await c.ExecuteScalarAsync<string?>("SELECT role FROM customer_users WHERE id = @userId AND customer_id = @customerId AND active = TRUE",
            new { userId, customerId }, tx) == StoreUserRole.Owner;

    public async Task<bool> IsOwnerAsync(long userId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await IsOwnerAsync(c, null, userId, customerId);
    }

    /// <summary>The role a user gets when bound or created without one: owner when the store has no active owner yet, else clerk.</summary>
    public static async Task<string> RoleForNewUserAsync(DbConnection c, DbTransaction tx, long customerId) =>
        await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM customer_users WHERE customer_id = @customerId AND role = '{StoreUserRole.Owner}' AND active = TRUE",
            new { customerId }, tx) > 0 ? StoreUserRole.Clerk : StoreUserRole.Owner;

    public async Task<StoreAccountView> AccountAsync(long userId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleAsync<(string Role, long? Threshold, string? GroupCode)>("""
            SELECT u.role, cu.owner_approval_above_fen, g.code
            FROM customer_users u JOIN customers cu ON cu.id = u.customer_id LEFT JOIN customer_groups g ON g.id = cu.group_id
            WHERE u.id = @userId AND u.customer_id = @customerId
            """, new { userId, customerId });
        return new StoreAccountView(userId, row.Role, row.Role == StoreUserRole.Owner, row.Threshold is > 0 ? row.Threshold : null,
            payments.For(row.GroupCode), payments.UnpaidCancelMinutes);
    }

    public async Task<IReadOnlyList<StoreUserView>> ListAsync(long callerId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await RequireOwnerAsync(c, null, callerId, customerId);
        return (await c.QueryAsync<StoreUserView>(Select + $" WHERE customer_id = @customerId ORDER BY active DESC, CASE role WHEN '{StoreUserRole.Owner}' THEN 0 ELSE 1 END, id",
            new { customerId })).AsList();
    }

    /// <returns>The changed user, or null when the store has no such user.</returns>
    public async Task<StoreUserView?> SetRoleAsync(long callerId, long customerId, long userId, string? role, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await RequireOwnerAsync(c, tx, callerId, customerId);
        var target = await c.QuerySingleOrDefaultAsync<(string Role, bool Active)?>(
            "SELECT role, active FROM customer_users WHERE id = @userId AND customer_id = @customerId", new { userId, customerId }, tx);
        // another store's user is a 404 whatever the body says (nobody learns it exists); then the role is checked
        if (target is not { Active: true }) return null;
        if (!StoreUserRole.IsKnown(role))
            throw AppProblem.BadRequest("角色应为 owner (店主) 或 clerk (店员)", "role must be owner or clerk");
        if (target.Value.Role == StoreUserRole.Owner && role == StoreUserRole.Clerk)
            await KeepAnOwnerAsync(c, tx, customerId, userId);
        await c.ExecuteAsync("UPDATE customer_users SET role = @role WHERE id = @userId", new { role, userId }, tx);
        await tx.CommitAsync(ct);
        return await GetAsync(userId, ct);
    }

    /// <summary>Removes a user from the store: the account is deactivated (its sign-ins stop working); its orders stay.</summary>
    /// <returns>False when the store has no such active user.</returns>
    public async Task<bool> RemoveAsync(long callerId, long customerId, long userId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await RequireOwnerAsync(c, tx, callerId, customerId);
        if (userId == callerId)
            throw AppProblem.Conflict("不能移除自己，请让另一位店主操作", "An owner cannot remove themselves; ask another owner");
        var role = await c.ExecuteScalarAsync<string?>("SELECT role FROM customer_users WHERE id = @userId AND customer_id = @customerId AND active = TRUE",
            new { userId, customerId }, tx);
        if (role is null) return false;
        if (role == StoreUserRole.Owner) await KeepAnOwnerAsync(c, tx, customerId, userId);
        await c.ExecuteAsync("UPDATE customer_users SET active = FALSE, wechat_openid = NULL WHERE id = @userId", new { userId }, tx);
        await tx.CommitAsync(ct);
        // its signed-in phones stop at once, not when the active-user cache expires
        if (sessions is not null) await sessions.RevokeUserAsync(AuthSessions.KindOf(Roles.Customer), userId, AuthSessions.Disabled, ct: ct);
        return true;
    }

    /// <summary>Sets the amount (fen) above which a clerk's order waits for the owner; null or 0 switches it off.</summary>
    public async Task<StoreAccountView> SetApprovalThresholdAsync(long callerId, long customerId, long? aboveFen, CancellationToken ct = default)
    {
        if (aboveFen is < 0 or > 100_000_000_000)
            throw AppProblem.BadRequest("审核金额应在 0 到 10 亿元之间", "The approval threshold must be between 0 and 1,000,000,000 yuan");
        await using (var c = await db.OpenAsync(ct))
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            await RequireOwnerAsync(c, tx, callerId, customerId);
            await c.ExecuteAsync("UPDATE customers SET owner_approval_above_fen = @v, updated_at = @now WHERE id = @customerId",
                new { v = aboveFen is > 0 ? aboveFen : null, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), customerId }, tx);
            await tx.CommitAsync(ct);
        }
        return await AccountAsync(callerId, customerId, ct);
    }

    /// <summary>403 unless the caller is an active owner of the store: clerks may not manage users, thresholds or invoice titles.</summary>
    public static async Task RequireOwnerAsync(DbConnection c, DbTransaction? tx, long callerId, long customerId)
    {
        if (!await IsOwnerAsync(c, tx, callerId, customerId))
            throw AppProblem.Forbidden("只有店主可以进行此操作", "Only the store owner may do this");
    }

    private static async Task KeepAnOwnerAsync(DbConnection c, DbTransaction tx, long customerId, long leavingUserId)
    {
        var others = await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM customer_users WHERE customer_id = @customerId AND role = '{StoreUserRole.Owner}' AND active = TRUE AND id <> @leavingUserId",
            new { customerId, leavingUserId }, tx);
        if (others == 0) throw AppProblem.Conflict("门店至少要有一位店主", "A store must keep at least one owner");
    }

    private async Task<StoreUserView?> GetAsync(long userId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StoreUserView>(Select + " WHERE id = @userId", new { userId });
    }

    private const string Select = """
        SELECT id AS Id, name AS Name, phone AS Phone, role AS Role, active AS Active,
               CASE WHEN wechat_openid IS NULL THEN FALSE ELSE TRUE END AS BoundToWeChat, created_at AS CreatedAt FROM customer_users
        """;
}
