using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Customers;

/// <summary>The store a request acts for: whose assortment, prices and warehouse apply.</summary>
public sealed record CustomerContext(long CustomerId, string Code, string Name, long? GroupId, long WarehouseId, long? AgentId);

public sealed class CustomerContextQuery(Db db)
{
    private const string Select = """
        SELECT id AS CustomerId, code AS Code, name AS Name, group_id AS GroupId, warehouse_id AS WarehouseId, agent_id AS AgentId
        FROM customers WHERE id = @customerId AND active = TRUE
        """;

    /// <summary>The active customer, or null.</summary>
    public async Task<CustomerContext?> ForCustomerAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select, new { customerId });
        return row?.ToContext();
    }

    /// <summary>The customer if it is assigned to this agent; null otherwise (the caller answers 404, never a leak).</summary>
    public async Task<CustomerContext?> ForAgentAsync(long agentId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select + " AND agent_id = @agentId", new { customerId, agentId });
        return row?.ToContext();
    }

    private sealed class Row
    {
        public long CustomerId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long? GroupId { get; init; }
        public long WarehouseId { get; init; }
        public long? AgentId { get; init; }
        public CustomerContext ToContext() => new(CustomerId, Code, Name, GroupId, WarehouseId, AgentId);
    }
}
