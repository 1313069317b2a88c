using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.WeChat;

/// <summary>A binding code as its agent sees it.</summary>
public sealed record BindingCode(long Id, string Code, long CustomerId, long AgentId, long ExpiresAtMs, bool SingleUse)
{
    /// <summary>The mini-program code's scene: at most 32 characters.</summary>
    public string Scene => BindingCodes.ScenePrefix + Code;
}

/// <summary>Who a WeChat openid signs in as: an active store user or agent.</summary>
public sealed record WeChatAccount(string Role, long UserId);

/// <summary>The store user a binding created (or found, when this WeChat was already a user of that store).</summary>
public sealed record BindingResult(long CustomerUserId, long CustomerId, string Role, bool Created);

/// <summary>
/// 绑定 (OMO2C): an agent makes a short-lived code for one of its stores; the retailer scans it in the mini-program,
/// logs in, and becomes a user of that store (owner if the store has none, else clerk), which stays the agent's.
/// </summary>
public sealed class BindingCodes(Db db, TimeProvider clock, WeChatSettings settings)
{
    public const string ScenePrefix = "b=";

    /// <summary>A new code for a store of this agent (or a store without an agent). With an idempotency key a retry returns the same code.</summary>
    public async Task<(BindingCode Code, bool Replayed)> CreateAsync(long agentId, long customerId, string? idempotencyKey, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var owner = await c.QuerySingleOrDefaultAsync<(long Id, long? AgentId)?>(
            "SELECT id, agent_id FROM customers WHERE id = @customerId AND active = TRUE", new { customerId });
        // another agent's store answers exactly like an unknown one
        if (owner is null || (owner.Value.AgentId is { } a && a != agentId)) throw AppProblem.NotFound("客户不存在", "No such customer");

        var scope = $"wechat.binding_code:{agentId}";
        var hash = Idempotency.Hash(customerId);
        if (idempotencyKey is not null && await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) is { } doneId)
            return (await ByIdAsync(c, doneId, null), true);

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var code = NewCode();
        var expires = now + (long)TimeSpan.FromMinutes(Math.Max(1, settings.BindingCodeMinutes)).TotalMilliseconds;
        await using var tx = await db.BeginWriteAsync(c, ct);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO wechat_binding_codes (code, customer_id, agent_id, single_use, use_count, created_at, expires_at)
            VALUES (@code, @customerId, @agentId, @single, 0, @now, @expires) RETURNING id
            """, new { code, customerId, agentId, single = settings.BindingCodeSingleUse, now, expires }, tx);
        if (idempotencyKey is not null && !await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now))
        {
            await tx.RollbackAsync(ct);
            var first = await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null);
            return (await ByIdAsync(c, first!.Value, null), true);
        }
        await tx.CommitAsync(ct);
        return (new BindingCode(id, code, customerId, agentId, expires, settings.BindingCodeSingleUse), false);
    }

    /// <summary>
    /// A code of this store made by this agent, for showing its QR images. A code presented with another store, or of
    /// another agent, is not found; an expired one is a 410.
    /// </summary>
    public async Task<BindingCode> ForAgentAsync(long agentId, long customerId, string code, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = code.Length > 64 ? null : await c.QuerySingleOrDefaultAsync<CodeRow>(SelectCode + " WHERE b.code = @code", new { code });
        if (row is null || row.CustomerId != customerId || row.AgentId != agentId || (row.StoreAgentId is { } a && a != agentId))
            throw AppProblem.NotFound("绑定码不存在", "No such binding code");
        if (row.ExpiresAt <= clock.GetUtcNow().ToUnixTimeMilliseconds())
            throw new AppProblem(410, "绑定码已过期，请重新生成", "This binding code has expired; make a new one");
        return row.ToCode();
    }

    /// <summary>The active store user or agent this WeChat user is, if any.</summary>
    public async Task<WeChatAccount?> AccountOfAsync(string openId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var userId = await c.ExecuteScalarAsync<long?>("""
            SELECT u.id FROM customer_users u JOIN customers cu ON cu.id = u.customer_id
            WHERE u.wechat_openid = @openId AND u.active = TRUE AND cu.active = TRUE
            """, new { openId });
        if (userId is { } uid) return new WeChatAccount("customer", uid);
        var agentId = await c.ExecuteScalarAsync<long?>("SELECT id FROM agents WHERE wechat_openid = @openId AND active = TRUE", new { openId });
        return agentId is { } aid ? new WeChatAccount("agent", aid) : null;
    }

    /// <summary>The active agent whose WeChat Work user id (agents.wecom_userid) this is, if any.</summary>
    public async Task<long?> AgentOfWeComUserAsync(string wecomUserId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(wecomUserId)) return null;
        await using var c = await db.OpenAsync(ct);
        // WeChat Work user ids are case-insensitive ("不区分大小写"): compare them so
        return await c.ExecuteScalarAsync<long?>(
            "SELECT MIN(id) FROM agents WHERE LOWER(wecom_userid) = LOWER(@wecomUserId) AND active = TRUE", new { wecomUserId });
    }

    /// <summary>
    /// Redeems a code for a WeChat user: checks it (known, not expired, not used up when single-use, of the store named
    /// if one is named, its agent still active and still the store's), then creates the store user in one transaction.
    /// </summary>
    public async Task<BindingResult> RedeemAsync(string openId, string? unionId, string codeOrScene, long? customerId, string? name, string? phone, CancellationToken ct = default)
    {
        var code = CodeFrom(codeOrScene) ?? throw AppProblem.BadRequest("绑定码无效", "The binding code is not valid");
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        if (name is { Length: > 50 }) throw AppProblem.BadRequest("姓名不能超过 50 个字", "name must be at most 50 characters");
        if (phone is { Length: > 20 }) throw AppProblem.BadRequest("电话号码过长", "phone must be at most 20 characters");

        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = await c.QuerySingleOrDefaultAsync<CodeRow>(SelectCode + " WHERE b.code = @code", new { code }, tx)
            ?? throw AppProblem.NotFound("绑定码不存在，请向业务员索取新的绑定码", "No such binding code; ask your agent for a new one");
        if (customerId is { } named && named != row.CustomerId)
            throw new AppProblem(422, "绑定码不属于该门店", "This binding code belongs to another store");
        if (row.ExpiresAt <= now)
            throw new AppProblem(410, "绑定码已过期，请向业务员索取新的绑定码", "This binding code has expired; ask your agent for a new one");
        if (row.AgentActive == 0 || row.CustomerActive == 0 || (row.StoreAgentId is { } a && a != row.AgentId))
            throw new AppProblem(410, "绑定码已失效，请向业务员索取新的绑定码", "This binding code is no longer valid; ask your agent for a new one");

        // This WeChat already is someone: the same store's user signs in again; anyone else is a conflict.
        var existing = await c.QuerySingleOrDefaultAsync<(long Id, long CustomerId, string Role, long Active)?>(
            "SELECT id, customer_id, role, CASE WHEN active = TRUE THEN 1 ELSE 0 END FROM customer_users WHERE wechat_openid = @openId", new { openId }, tx);
        if (existing is { } e)
        {
            if (e.CustomerId == row.CustomerId && e.Active == 1) { await tx.RollbackAsync(ct); return new BindingResult(e.Id, e.CustomerId, e.Role, false); }
            throw AlreadyBound();
        }
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE wechat_openid = @openId", new { openId }, tx) > 0)
            throw AlreadyBound();

        var taken = await c.ExecuteAsync("""
            UPDATE wechat_binding_codes SET use_count = use_count + 1, last_used_at = @now
            WHERE id = @id AND (single_use = FALSE OR use_count = 0)
            """, new { id = row.Id, now }, tx);
        if (taken == 0) throw AppProblem.Conflict("绑定码已被使用，请向业务员索取新的绑定码", "This binding code has already been used; ask your agent for a new one");

        // the first user of a store is its owner (店主), later ones clerks (店员): one rule, StoreUsers.RoleForNewUserAsync
        var role = await PreReview.StoreUsers.RoleForNewUserAsync(c, tx, row.CustomerId);
        long userId;
        try
        {
            userId = await c.ExecuteScalarAsync<long>("""
                INSERT INTO customer_users (customer_id, name, phone, role, wechat_openid, wechat_unionid, active, created_at)
                VALUES (@cid, @name, @phone, @role, @openId, @unionId, TRUE, @now) RETURNING id
                """, new { cid = row.CustomerId, name = name ?? "微信用户", phone, role, openId, unionId, now }, tx);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            throw AlreadyBound(); // bound by a concurrent request
        }
        await c.ExecuteAsync("UPDATE wechat_binding_codes SET last_user_id = @userId WHERE id = @id", new { userId, id = row.Id }, tx);
        // the store stays its agent's; a store without one becomes this agent's
        await c.ExecuteAsync("UPDATE customers SET agent_id = @agentId, updated_at = @now WHERE id = @cid AND agent_id IS NULL",
            new { agentId = row.AgentId, cid = row.CustomerId, now }, tx);
        await tx.CommitAsync(ct);
        return new BindingResult(userId, row.CustomerId, role, true);
    }

    /// <summary>The code in "b=CODE" (a scene), "CODE", or a link ending in "?b=CODE".</summary>
    public static string? CodeFrom(string? codeOrScene)
    {
        if (string.IsNullOrWhiteSpace(codeOrScene)) return null;
        var s = Uri.UnescapeDataString(codeOrScene.Trim());
        var at = s.LastIndexOf(ScenePrefix, StringComparison.Ordinal);
        if (at >= 0 && (at == 0 || s[at - 1] is '?' or '&')) s = s[(at + ScenePrefix.Length)..];
        return s.Length is > 0 and <= 64 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_') ? s : null;
    }

    private static AppProblem AlreadyBound() =>
        AppProblem.Conflict("该微信已绑定其他门店或账号", "This WeChat account is already bound to another store or account");

    private static bool IsUniqueViolation(DbException ex) =>
        ex.SqlState == "23505" || (ex is Microsoft.Data.Sqlite.SqliteException s && s.SqliteErrorCode == 19);

    /// <summary>16 URL-safe characters (96 random bits).</summary>
    private static string NewCode() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');

    private static async Task<BindingCode> ByIdAsync(DbConnection c, long id, DbTransaction? tx) =>
        (await c.QuerySingleAsync<CodeRow>(SelectCode + " WHERE b.id = @id", new { id }, tx)).ToCode();

    private const string SelectCode = """
        SELECT b.id AS Id, b.code AS Code, b.customer_id AS CustomerId, b.agent_id AS AgentId, b.expires_at AS ExpiresAt,
               CASE WHEN b.single_use = TRUE THEN 1 ELSE 0 END AS SingleUse, b.use_count AS UseCount,
               cu.agent_id AS StoreAgentId, CASE WHEN cu.active = TRUE THEN 1 ELSE 0 END AS CustomerActive,
               CASE WHEN a.active = TRUE THEN 1 ELSE 0 END AS AgentActive
        FROM wechat_binding_codes b JOIN customers cu ON cu.id = b.customer_id JOIN agents a ON a.id = b.agent_id
        """;

    private sealed class CodeRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public long CustomerId { get; init; }
        public long AgentId { get; init; }
        public long ExpiresAt { get; init; }
        public long SingleUse { get; init; }
        public long UseCount { get; init; }
        public long? StoreAgentId { get; init; }
        public long CustomerActive { get; init; }
        public long AgentActive { get; init; }
        public BindingCode ToCode() => new(Id, Code, CustomerId, AgentId, ExpiresAt, SingleUse == 1);
    }
}
