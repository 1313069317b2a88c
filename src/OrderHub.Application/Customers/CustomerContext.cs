using Dapper;
using OrderHub.Application.Chains;
using OrderHub.Application.Data;

namespace OrderHub.Application.Customers;

/// <summary>The store a request acts for: whose assortment, prices and warehouse apply.</summary>
public sealed record CustomerContext(long CustomerId, string Code, string Name, long? GroupId, long WarehouseId, long? AgentId)
{
    /// <summary>The head office (总部) of a chain branch, or null.</summary>
    public long? HeadOfficeId { get; init; }
    /// <summary>Whose prices apply when it is not the store's own (a branch priced as its head office, <c>Chains:PriceFrom</c>).</summary>
    public (long CustomerId, long? GroupId)? PricedAs { get; init; }

    /// <summary>The identity prices and promotions are looked up for: the store itself, or its head office.</summary>
    public CustomerContext ForPricing() => PricedAs is { } p ? this with { CustomerId = p.CustomerId, GroupId = p.GroupId, PricedAs = null } : this;
}

public sealed class CustomerContextQuery(Db db, ChainOptions? chains = null)
{
    private const string Select = """
        SELECT c.id AS CustomerId, c.code AS Code, c.name AS Name, c.group_id AS GroupId, c.warehouse_id AS WarehouseId, c.agent_id AS AgentId,
               h.id AS HeadOfficeId, h.group_id AS HeadOfficeGroupId
        FROM customers c LEFT JOIN customers h ON h.id = c.parent_customer_id AND h.active = TRUE
        WHERE c.id = @customerId AND c.active = TRUE
        """;

    /// <summary>The active customer, or null.</summary>
    public async Task<CustomerContext?> ForCustomerAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select, new { customerId });
        return row?.ToContext(chains);
    }

    /// <summary>The customer if it is assigned to this agent; null otherwise (the caller answers 404, never a leak).</summary>
    public async Task<CustomerContext?> ForAgentAsync(long agentId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select + " AND c.agent_id = @agentId", new { customerId, agentId });
        return row?.ToContext(chains);
    }

    /// <summary>The branch if it belongs to this head office (连锁总部); null otherwise (the caller answers 404, never a leak).</summary>
    public async Task<CustomerContext?> ForHeadOfficeAsync(long headOfficeId, long branchId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select + " AND c.parent_customer_id = @headOfficeId", new { customerId = branchId, headOfficeId });
        return row?.ToContext(chains);
    }

    private sealed class Row
    {
        public long CustomerId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long? GroupId { get; init; }
        public long WarehouseId { get; init; }
        public long? AgentId { get; init; }
        public long? HeadOfficeId { get; init; }
        public long? HeadOfficeGroupId { get; init; }
        public CustomerContext ToContext(ChainOptions? chains) => new(CustomerId, Code, Name, GroupId, WarehouseId, AgentId)
        {
            HeadOfficeId = HeadOfficeId,
            PricedAs = HeadOfficeId is { } h && chains?.PriceFrom == ChainLevel.HeadOffice ? (h, HeadOfficeGroupId) : null,
        };
    }
}
