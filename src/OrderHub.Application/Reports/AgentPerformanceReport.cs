using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;

namespace OrderHub.Application.Reports;

/// <summary>One agent's figures for a period.</summary>
/// <param name="ProxyFen">Its own proxy orders (代订货).</param>
/// <param name="OwnerFen">Self-orders of the customers it owns.</param>
/// <param name="ShareLinkFen">Orders placed through its share links.</param>
/// <param name="Customers">Customers assigned to it now.</param>
/// <param name="SelfOrderingCustomers">Its customers that placed at least one self-order in the period.</param>
/// <param name="ConvertedCustomers">Its customers whose first self-order ever falls in the period (converted to self-ordering).</param>
public sealed record AgentPerformance(
    long AgentId, string Code, string Name, bool Active,
    long AttributedOrders, long AttributedFen, long ProxyFen, long OwnerFen, long ShareLinkFen,
    long Customers, long SelfOrderingCustomers, long ConvertedCustomers, long StoreVisits, long Calls);

public sealed record AgentPerformanceReport(ReportPeriod Period, IReadOnlyList<AgentPerformance> Agents);

/// <summary>
/// Agent performance: revenue attributed to each agent (orders.agent_id, by attribution proxy / owner / share_link),
/// conversion of its customers to self-ordering, and its visits and calls. Four grouped queries, one row per agent.
/// </summary>
public sealed class AgentPerformanceQuery(Db db)
{
    public async Task<AgentPerformanceReport> GetAsync(ReportPeriod period, long? agentId = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { from = period.StartMs, to = period.EndMs, agentId };
        var agents = (await c.QueryAsync<AgentRow>(
            "SELECT id AS Id, code AS Code, name AS Name, active AS Active FROM agents WHERE (@agentId IS NULL OR id = @agentId) ORDER BY code", args)).ToList();

        var revenue = (await c.QueryAsync<(long AgentId, string? Attribution, long Orders, long Fen)>($"""
            SELECT o.agent_id, o.attribution, COUNT(*), CAST(SUM(o.total_fen) AS BIGINT)
            FROM orders o
            WHERE o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue} AND o.agent_id IS NOT NULL
              AND (@agentId IS NULL OR o.agent_id = @agentId)
            GROUP BY o.agent_id, o.attribution
            """, args)).ToList();

        var customers = (await c.QueryAsync<(long AgentId, long Count)>(
            "SELECT agent_id, COUNT(*) FROM customers WHERE agent_id IS NOT NULL AND active = TRUE AND (@agentId IS NULL OR agent_id = @agentId) GROUP BY agent_id", args))
            .ToDictionary(x => x.AgentId, x => x.Count);

        // Customers that self-ordered in the period; converted when they had no self-order (not rejected/cancelled) before it.
        var selfOrdering = (await c.QueryAsync<(long AgentId, long Ordering, long Converted)>($"""
            SELECT cu.agent_id, COUNT(*),
                   CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM orders b WHERE b.customer_id = s.customer_id AND b.channel = 'self'
                                              AND b.created_at < @from AND {OrderStatusSql.CountsAsRevenue("b")}) THEN 0 ELSE 1 END) AS BIGINT)
            FROM (SELECT DISTINCT o.customer_id FROM orders o
                  WHERE o.channel = 'self' AND o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue}) s
            JOIN customers cu ON cu.id = s.customer_id
            WHERE cu.agent_id IS NOT NULL AND (@agentId IS NULL OR cu.agent_id = @agentId)
            GROUP BY cu.agent_id
            """, args)).ToDictionary(x => x.AgentId);

        var visits = (await c.QueryAsync<(long AgentId, string Kind, long Count)>("""
            SELECT agent_id, kind, COUNT(*) FROM visits
            WHERE at >= @from AND at < @to AND (@agentId IS NULL OR agent_id = @agentId)
            GROUP BY agent_id, kind
            """, args)).ToList();

        long Fen(long id, string attribution) => revenue.Where(r => r.AgentId == id && r.Attribution == attribution).Sum(r => r.Fen);
        var rows = agents.Select(a => new AgentPerformance(a.Id, a.Code, a.Name, a.Active,
                revenue.Where(r => r.AgentId == a.Id).Sum(r => r.Orders), revenue.Where(r => r.AgentId == a.Id).Sum(r => r.Fen),
                Fen(a.Id, "proxy"), Fen(a.Id, "owner"), Fen(a.Id, "share_link"),
                customers.GetValueOrDefault(a.Id), selfOrdering.GetValueOrDefault(a.Id).Ordering, selfOrdering.GetValueOrDefault(a.Id).Converted,
                visits.Where(v => v.AgentId == a.Id && v.Kind == Visits.VisitKinds.StoreVisit).Sum(v => v.Count),
                visits.Where(v => v.AgentId == a.Id && v.Kind == Visits.VisitKinds.Call).Sum(v => v.Count)))
            .OrderByDescending(r => r.AttributedFen).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        return new AgentPerformanceReport(period, rows);
    }

    private sealed class AgentRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public bool Active { get; init; }
    }
}
