using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Insight;

namespace OrderHub.Application.Reports;

public sealed record KeyCustomer(int Rank, long CustomerId, string Code, string Name, long RevenueFen, decimal Share, decimal CumulativeShare, bool New);

/// <summary>A customer that entered or left the key set, with its revenue in both periods.</summary>
public sealed record KeyCustomerChange(long CustomerId, string Code, string Name, long RevenueFen, long PreviousRevenueFen);

/// <param name="Key">The key set of the period: the smallest prefix of the ranking that reaches 80% of revenue.</param>
/// <param name="CustomersWithRevenue">Customers with positive revenue in the period.</param>
/// <param name="Entered">In the key set now, not in the previous period's.</param>
/// <param name="Left">In the previous period's key set, not now.</param>
public sealed record KeyCustomersReport(
    ReportPeriod Period, ReportPeriod PreviousPeriod, decimal Threshold, long TotalRevenueFen, int CustomersWithRevenue,
    IReadOnlyList<KeyCustomer> Key, long PreviousTotalRevenueFen, int PreviousKeyCount,
    IReadOnlyList<KeyCustomerChange> Entered, IReadOnlyList<KeyCustomerChange> Left);

/// <summary>
/// 二八法则: customers ranked by revenue (orders not rejected/cancelled, less returns) over a period, the key set that makes 80%,
/// and who entered or left it compared with the previous period of the same length. One grouped query covers both periods.
/// </summary>
public sealed class KeyCustomersQuery(Db db)
{
    public async Task<KeyCustomersReport> GetAsync(ReportScope scope, ReportPeriod period, CancellationToken ct = default)
    {
        var prev = period.Previous;
        await using var c = await db.OpenAsync(ct);
        var args = new { from = prev.StartMs, mid = period.StartMs, to = period.EndMs, agentId = scope.AgentId };
        var scopeJoin = scope.AgentId is null ? "" : "JOIN customers sc ON sc.id = x.customer_id AND sc.agent_id = @agentId";
        var rows = (await c.QueryAsync<Row>($"""
            SELECT t.CustomerId, cu.code AS Code, cu.name AS Name, t.Cur, t.Prev
            FROM (SELECT x.customer_id AS CustomerId, CAST(SUM(x.cur) AS BIGINT) AS Cur, CAST(SUM(x.prev) AS BIGINT) AS Prev
                  FROM (SELECT o.customer_id, CASE WHEN o.created_at >= @mid THEN o.total_fen ELSE 0 END AS cur,
                               CASE WHEN o.created_at < @mid THEN o.total_fen ELSE 0 END AS prev
                        FROM orders o WHERE o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue}
                        UNION ALL
                        SELECT e.customer_id, CASE WHEN e.occurred_at >= @mid THEN e.amount_fen ELSE 0 END,
                               CASE WHEN e.occurred_at < @mid THEN e.amount_fen ELSE 0 END
                        FROM ledger_entries e WHERE e.kind = 'return' AND e.occurred_at >= @from AND e.occurred_at < @to) x
                  {scopeJoin}
                  GROUP BY x.customer_id) t
            JOIN customers cu ON cu.id = t.CustomerId
            """, args)).ToList();

        var byId = rows.ToDictionary(r => r.CustomerId);
        var current = Pareto.Rank(rows.Select(r => new ParetoItem(r.CustomerId, r.Code, r.Cur)));
        var previous = Pareto.Rank(rows.Select(r => new ParetoItem(r.CustomerId, r.Code, r.Prev)));
        var curKey = current.Where(r => r.InKeySet).Select(r => r.Id).ToHashSet();
        var prevKey = previous.Where(r => r.InKeySet).Select(r => r.Id).ToHashSet();
        KeyCustomerChange Change(long id) { var r = byId[id]; return new KeyCustomerChange(id, r.Code, r.Name, r.Cur, r.Prev); }

        return new KeyCustomersReport(period, prev, Pareto.DefaultThreshold,
            current.Sum(r => r.RevenueFen), current.Count,
            current.Where(r => r.InKeySet).Select(r => new KeyCustomer(r.Rank, r.Id, r.Code, byId[r.Id].Name, r.RevenueFen, r.Share, r.CumulativeShare, !prevKey.Contains(r.Id))).ToList(),
            previous.Sum(r => r.RevenueFen), prevKey.Count,
            current.Where(r => r.InKeySet && !prevKey.Contains(r.Id)).Select(r => Change(r.Id)).ToList(),
            previous.Where(r => r.InKeySet && !curKey.Contains(r.Id)).Select(r => Change(r.Id)).ToList());
    }

    private sealed class Row
    {
        public long CustomerId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long Cur { get; init; }
        public long Prev { get; init; }
    }
}
