using Dapper;
using OrderHub.Application.Chains;
using OrderHub.Application.Common;
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

    /// <summary>A store read in this request's first round trip, with its session (<see cref="SessionAndStoreAsync"/>).</summary>
    private sealed record ReadWithSession(long CustomerId, CustomerContext? Context);

    private static readonly AsyncLocal<ReadWithSession?> ThisRequest = new();

    /// <summary>
    /// One round trip for what every request of a store user needs first: whether its sign-in session is live
    /// (<see cref="AuthSessions.LiveSql"/>) and its store as <see cref="ForCustomerAsync"/> reads it (null: not active).
    /// Issue #19: the two were two round trips on every catalog page. Hand the store to <see cref="KeepForThisRequest"/>.
    /// </summary>
    public async Task<(bool SessionLive, CustomerContext? Store)> SessionAndStoreAsync(string sessionId, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition($"{AuthSessions.LiveSql};\n{Select}", new { sessionId, customerId }, cancellationToken: ct));
        var live = await grid.ReadSingleAsync<long>() == 1;
        var row = await grid.ReadSingleOrDefaultAsync<Row>();
        return (live, row?.ToContext(chains));
    }

    /// <summary>
    /// Keeps the store <see cref="SessionAndStoreAsync"/> read for the rest of this request (an <see cref="AsyncLocal{T}"/>:
    /// call it from the middleware's own method, before the rest of the pipeline runs), so <see cref="ForOwnStoreAsync"/>
    /// does not read it again.
    /// </summary>
    public static void KeepForThisRequest(long customerId, CustomerContext? store) => ThisRequest.Value = new ReadWithSession(customerId, store);

    /// <summary>A store user's own store: as read with its session at the start of this request, or read now.</summary>
    public Task<CustomerContext?> ForOwnStoreAsync(long customerId, CancellationToken ct = default) =>
        ThisRequest.Value is { } kept && kept.CustomerId == customerId ? Task.FromResult(kept.Context) : ForCustomerAsync(customerId, ct);

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
