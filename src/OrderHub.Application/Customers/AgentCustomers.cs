using Dapper;
using OrderHub.Application.Ordering;
using OrderHub.Application.Data;

namespace OrderHub.Application.Customers;

public sealed class AgentCustomerRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? ContactName { get; init; }
    public string? Phone { get; init; }
    public string? Address { get; init; }
    public string? GroupName { get; init; }
    public long CreditLimitFen { get; init; }
    public long BalanceFen { get; init; }
    public long? LastOrderAt { get; init; }
    public long OpenOrders { get; init; }
}

/// <summary>The stores assigned to an agent, with what each owes and when it last ordered.</summary>
public sealed class AgentCustomers(Db db)
{
    private static readonly string Select = $"""
        SELECT c.id AS Id, c.code AS Code, c.name AS Name, c.contact_name AS ContactName, c.phone AS Phone, c.address AS Address,
               g.name AS GroupName, c.credit_limit_fen AS CreditLimitFen,
               COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.customer_id = c.id), 0) AS BalanceFen,
               (SELECT MAX(o.created_at) FROM orders o WHERE o.customer_id = c.id) AS LastOrderAt,
               (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id AND o.status IN {OrderStatusSql.Reserving}) AS OpenOrders
        FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id
        WHERE c.agent_id = @agentId AND c.active = TRUE
        """;

    public async Task<IReadOnlyList<AgentCustomerRow>> ListAsync(long agentId, string? search, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var q = SqlText.Contains(search);
        return (await c.QueryAsync<AgentCustomerRow>(Select + $" AND (@q IS NULL OR LOWER(c.name) LIKE @q{SqlText.LikeEscape} OR LOWER(c.code) LIKE @q{SqlText.LikeEscape}) ORDER BY c.code",
            new { agentId, q })).ToList();
    }

    public async Task<AgentCustomerRow?> GetAsync(long agentId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AgentCustomerRow>(Select + " AND c.id = @customerId", new { agentId, customerId });
    }
}
