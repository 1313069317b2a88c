using Dapper;
using OrderHub.Application.Ordering;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Staff;

public sealed class AgentRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string? WecomUserId { get; init; }
    public bool Active { get; init; }
    public long Customers { get; init; }
    /// <summary>聊天分组: which welcome text its stores get in WeChat Work (WeCom:Chat:WelcomeByGroup); null = the default.</summary>
    public string? ChatGroup { get; init; }
    public long OpenOrders { get; init; }
}

public sealed class AgentCustomerBrief
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Region { get; init; }
    public string? GroupName { get; init; }
    public long BalanceFen { get; init; }
    public long? LastOrderAt { get; init; }
}

/// <summary>The back office's view of agents (业务员) and which stores each owns; moving one store to another agent.</summary>
public sealed class AgentAssignments(Db db, TimeProvider clock)
{
    public async Task<IReadOnlyList<AgentRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AgentRow>($"""
            SELECT a.id AS Id, a.code AS Code, a.name AS Name, a.phone AS Phone, a.wecom_userid AS WecomUserId, a.active AS Active, a.chat_group AS ChatGroup,
                   (SELECT COUNT(*) FROM customers c WHERE c.agent_id = a.id AND c.active = TRUE) AS Customers,
                   (SELECT COUNT(*) FROM orders o WHERE o.agent_id = a.id
                      AND o.status IN {OrderStatusSql.Reserving}) AS OpenOrders
            FROM agents a ORDER BY a.active DESC, a.code
            """)).AsList();
    }

    /// <returns>The agent's active stores, or null when there is no such agent.</returns>
    public async Task<IReadOnlyList<AgentCustomerBrief>?> CustomersAsync(long agentId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE id = @agentId", new { agentId }) == 0) return null;
        return (await c.QueryAsync<AgentCustomerBrief>("""
            SELECT c.id AS Id, c.code AS Code, c.name AS Name, c.region AS Region, g.name AS GroupName,
                   COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.customer_id = c.id), 0) AS BalanceFen,
                   (SELECT MAX(o.created_at) FROM orders o WHERE o.customer_id = c.id) AS LastOrderAt
            FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id
            WHERE c.agent_id = @agentId AND c.active = TRUE
            ORDER BY c.code
            """, new { agentId })).AsList();
    }

    /// <summary>Moves one store to another (active) agent. Orders already placed keep their attribution.</summary>
    /// <returns>The previous agent id (null when the store had none).</returns>
    public async Task<long?> ReassignAsync(long customerId, long toAgentId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var current = await c.QuerySingleOrDefaultAsync<(long Id, long? AgentId)?>(
            "SELECT id, agent_id FROM customers WHERE id = @customerId", new { customerId }, tx)
            ?? throw AppProblem.NotFound("客户不存在", "No such customer");
        var agentActive = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE id = @toAgentId AND active = TRUE", new { toAgentId }, tx);
        if (agentActive == 0) throw AppProblem.BadRequest("目标业务员不存在或已停用", "The target agent does not exist or is not active");
        await c.ExecuteAsync("UPDATE customers SET agent_id = @toAgentId, updated_at = @now WHERE id = @customerId",
            new { customerId, toAgentId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        await tx.CommitAsync(ct);
        return current.AgentId;
    }
}
