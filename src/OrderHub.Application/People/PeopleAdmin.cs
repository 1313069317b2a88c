using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Staff;

namespace OrderHub.Application.People;

public sealed record AgentInput(string? Code, string? Name, string? Mobile, string? WecomUserId, string? Password);
public sealed record StoreUserInput(string? Name, string? Mobile, string? Role, string? Password);

public sealed class StoreUserRow
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string Role { get; init; } = "";
    public bool Active { get; init; }
    public bool HasPassword { get; init; }
    public bool WeChatBound { get; init; }
}

/// <summary>One line of a store-to-agent assignment import, and what it would do (or did).</summary>
public sealed record AssignmentLine(int Line, string? CustomerCode, string? AgentCode, string Outcome, string? Problem);

/// <summary>
/// The people a distributor needs before going live, made through the API: agents (create, edit, disable, a password
/// for mobile sign-in), store users with a mobile number and password, and stores assigned to agents in bulk.
/// </summary>
public sealed class PeopleAdmin(Db db, PasswordSignIn passwords, StaffSignInOptions options, TimeProvider clock)
{
    public Dictionary<string, string[]> ValidateAgent(AgentInput a, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating && !PeopleRules.IsCode(a.Code))
            errors["code"] = ["请填写业务员编码 (字母、数字、- _ .，最长 32) / code is required: letters, digits, - _ ., up to 32"];
        if ((creating || a.Name is not null) && !PeopleRules.IsName(a.Name))
            errors["name"] = ["请填写姓名 (最长 64 个字符) / name is required, up to 64 characters"];
        if (!string.IsNullOrEmpty(a.Mobile) && PeopleRules.NormaliseMobile(a.Mobile) is null)
            errors["mobile"] = ["手机号应为 11 位 / mobile must be an 11-digit mainland number"];
        if (a.WecomUserId is { Length: > 64 } || (a.WecomUserId?.Any(char.IsControl) ?? false))
            errors["wecomUserId"] = ["企业微信 userid 最长 64 个字符 / wecomUserId is up to 64 characters"];
        if (a.Password is not null) PasswordRule(a.Password, a.Mobile, errors);
        return errors;
    }

    public Dictionary<string, string[]> ValidateStoreUser(StoreUserInput u)
    {
        var errors = new Dictionary<string, string[]>();
        if (!PeopleRules.IsName(u.Name)) errors["name"] = ["请填写姓名 (最长 64 个字符) / name is required, up to 64 characters"];
        if (PeopleRules.NormaliseMobile(u.Mobile) is null) errors["mobile"] = ["手机号应为 11 位 / mobile must be an 11-digit mainland number"];
        if (u.Role is not null && !OrderHub.Domain.People.StoreUserRole.IsKnown(u.Role)) errors["role"] = ["角色应为 owner (店主) 或 clerk (店员) / role must be owner or clerk"];
        if (u.Password is not null) PasswordRule(u.Password, u.Mobile, errors);
        return errors;
    }

    private void PasswordRule(string password, string? mobile, Dictionary<string, string[]> errors)
    {
        if (password.Length < options.MinPasswordLength || password.Length > 128)
            errors["password"] = [$"密码长度应为 {options.MinPasswordLength} 到 128 个字符 / password must be {options.MinPasswordLength} to 128 characters"];
        else if (PeopleRules.NormaliseMobile(mobile) is null)
            errors["mobile"] = ["设置密码需要手机号 (用手机号登录) / a password needs a mobile number (it is the sign-in name)"];
    }

    public async Task<AgentRow> CreateAgentAsync(AgentInput a, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var phone = PeopleRules.NormaliseMobile(a.Mobile);
        var hash = a.Password is null ? null : passwords.Hash(a.Password);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE code = @code", new { code = a.Code!.Trim() }, tx) > 0)
            throw AppProblem.Conflict($"业务员编码 {a.Code.Trim()} 已存在", $"Agent code {a.Code.Trim()} is taken");
        if (hash is not null) await MobileFreeAsync(c, tx, phone!, null, null);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO agents (code, name, phone, wecom_userid, active, created_at, password_hash, failed_logins)
            VALUES (@code, @name, @phone, @wecom, TRUE, @now, @hash, 0) RETURNING id
            """, new { code = a.Code.Trim(), name = a.Name!.Trim(), phone, wecom = Blank(a.WecomUserId), now, hash }, tx);
        await tx.CommitAsync(ct);
        return (await AgentAsync(id, ct))!;
    }

    /// <summary>Changes what is given (name, mobile, WeChat Work userid, password); null when there is no such agent.</summary>
    public async Task<AgentRow?> UpdateAgentAsync(long id, AgentInput a, CancellationToken ct = default)
    {
        var phone = a.Mobile is null ? null : PeopleRules.NormaliseMobile(a.Mobile);
        var hash = a.Password is null ? null : passwords.Hash(a.Password);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var current = await c.QuerySingleOrDefaultAsync<(long Id, string? Phone)?>("SELECT id, phone FROM agents WHERE id = @id", new { id }, tx);
        if (current is null) return null;
        if (hash is not null || (phone is not null && await c.ExecuteScalarAsync<bool>("SELECT password_hash IS NOT NULL FROM agents WHERE id = @id", new { id }, tx)))
            await MobileFreeAsync(c, tx, phone ?? current.Value.Phone ?? "", agentId: id, userId: null);
        await c.ExecuteAsync("""
            UPDATE agents SET name = COALESCE(@name, name), phone = COALESCE(@phone, phone),
                              wecom_userid = CASE WHEN @wecomGiven THEN @wecom ELSE wecom_userid END,
                              password_hash = COALESCE(@hash, password_hash),
                              failed_logins = CASE WHEN @hash IS NULL THEN failed_logins ELSE 0 END,
                              locked_until = CASE WHEN @hash IS NULL THEN locked_until ELSE NULL END
            WHERE id = @id
            """, new { id, name = a.Name?.Trim(), phone, wecomGiven = a.WecomUserId is not null, wecom = Blank(a.WecomUserId), hash }, tx);
        await tx.CommitAsync(ct);
        return await AgentAsync(id, ct);
    }

    /// <summary>
    /// Disables or enables an agent. A disabled agent cannot sign in and its tokens stop at the next request (the host
    /// re-checks the user); its stores keep their agent until someone moves them (hand-over, or the assignment import).
    /// </summary>
    public async Task<AgentRow?> SetAgentActiveAsync(long id, bool active, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE agents SET active = @active WHERE id = @id", new { id, active }) == 0 ? null : await AgentAsync(id, ct);
    }

    public async Task<AgentRow?> AgentAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AgentRow>("""
            SELECT a.id AS Id, a.code AS Code, a.name AS Name, a.phone AS Phone, a.wecom_userid AS WecomUserId, a.active AS Active, a.chat_group AS ChatGroup,
                   (SELECT COUNT(*) FROM customers c WHERE c.agent_id = a.id AND c.active = TRUE) AS Customers, 0 AS OpenOrders
            FROM agents a WHERE a.id = @id
            """, new { id });
    }

    public async Task<IReadOnlyList<StoreUserRow>?> StoreUsersAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @customerId", new { customerId }) == 0) return null;
        return (await c.QueryAsync<StoreUserRow>(StoreUserSelect + " WHERE customer_id = @customerId ORDER BY id", new { customerId })).AsList();
    }

    /// <returns>The new user, or null when there is no such store.</returns>
    public async Task<StoreUserRow?> CreateStoreUserAsync(long customerId, StoreUserInput u, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var phone = PeopleRules.NormaliseMobile(u.Mobile)!;
        var hash = u.Password is null ? null : passwords.Hash(u.Password);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @customerId", new { customerId }, tx) == 0) return null;
        if (hash is not null) await MobileFreeAsync(c, tx, phone, null, null);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO customer_users (customer_id, name, phone, role, active, created_at, password_hash, failed_logins)
            VALUES (@customerId, @name, @phone, @role, TRUE, @now, @hash, 0) RETURNING id
            """, new { customerId, name = u.Name!.Trim(), phone, role = u.Role ?? await PreReview.StoreUsers.RoleForNewUserAsync(c, tx, customerId), now, hash }, tx);
        await tx.CommitAsync(ct);
        await using var r = await db.OpenAsync(ct);
        return await r.QuerySingleAsync<StoreUserRow>(StoreUserSelect + " WHERE id = @id", new { id });
    }

    /// <summary>
    /// Assigns stores to agents from CSV lines "customerCode,agentCode" (a header line is allowed; an empty agent code
    /// removes the agent). With <paramref name="dryRun"/> nothing changes and the answer lists what would; otherwise every
    /// valid line is applied in one transaction. Lines with problems are listed and never applied.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentLine>> ImportAssignmentsAsync(string csv, bool dryRun, CancellationToken ct = default)
    {
        var rows = new List<(int Line, string? Customer, string? Agent)>();
        var n = 0;
        foreach (var raw in csv.Replace("\r\n", "\n").Split('\n'))
        {
            n++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            var cells = line.Split(line.Contains('\t') ? '\t' : ',').Select(x => x.Trim().Trim('"').Trim()).ToArray();
            if (n == 1 && cells[0].Contains("customer", StringComparison.OrdinalIgnoreCase) || cells[0] is "门店编码" or "客户编码") continue;
            rows.Add((n, cells.ElementAtOrDefault(0), cells.ElementAtOrDefault(1)));
        }
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var customers = (await c.QueryAsync<(string Code, long Id, long? AgentId)>("SELECT code, id, agent_id FROM customers", transaction: tx))
            .ToDictionary(x => x.Code, x => (x.Id, x.AgentId), StringComparer.Ordinal);
        var agents = (await c.QueryAsync<(string Code, long Id, bool Active)>("SELECT code, id, active FROM agents", transaction: tx))
            .ToDictionary(x => x.Code, x => (x.Id, x.Active), StringComparer.Ordinal);
        var result = new List<AssignmentLine>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (line, customer, agent) in rows)
        {
            if (string.IsNullOrEmpty(customer) || !customers.TryGetValue(customer, out var cu))
            { result.Add(new(line, customer, agent, "error", $"没有编码为 {customer} 的门店 / No store with code {customer}")); continue; }
            long? agentId = null;
            if (!string.IsNullOrEmpty(agent))
            {
                if (!agents.TryGetValue(agent, out var ag)) { result.Add(new(line, customer, agent, "error", $"没有编码为 {agent} 的业务员 / No agent with code {agent}")); continue; }
                if (!ag.Active) { result.Add(new(line, customer, agent, "error", $"业务员 {agent} 已停用 / Agent {agent} is disabled")); continue; }
                agentId = ag.Id;
            }
            if (cu.AgentId == agentId) { result.Add(new(line, customer, agent, "unchanged", null)); continue; }
            result.Add(new(line, customer, agent, agentId is null ? "unassign" : "assign", null));
            if (!dryRun)
                await c.ExecuteAsync("UPDATE customers SET agent_id = @agentId, updated_at = @now WHERE id = @id", new { agentId, now, id = cu.Id }, tx);
            customers[customer] = (cu.Id, agentId);
        }
        if (!dryRun) await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>A mobile number with a password signs into exactly one account.</summary>
    private static async Task MobileFreeAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string phone, long? agentId, long? userId)
    {
        var taken = await c.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM customer_users WHERE phone = @phone AND password_hash IS NOT NULL AND active = TRUE AND (@userId IS NULL OR id <> @userId))
                 + (SELECT COUNT(*) FROM agents WHERE phone = @phone AND password_hash IS NOT NULL AND active = TRUE AND (@agentId IS NULL OR id <> @agentId))
            """, new { phone, agentId, userId }, tx);
        if (taken > 0) throw AppProblem.Conflict($"手机号 {phone} 已用于另一个账号的密码登录", $"Mobile {phone} already signs into another account");
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private const string StoreUserSelect = """
        SELECT id AS Id, customer_id AS CustomerId, name AS Name, phone AS Phone, role AS Role, active AS Active,
               CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS HasPassword, CASE WHEN wechat_openid IS NULL THEN 0 ELSE 1 END AS WeChatBound
        FROM customer_users
        """;
}
