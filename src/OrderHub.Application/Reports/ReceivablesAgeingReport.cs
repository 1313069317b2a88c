using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <param name="CreditFen">Unapplied credit (the customer paid more than it owes), ≥ 0.</param>
public sealed record CustomerAgeing(long CustomerId, string Code, string Name, long? AgentId, string? AgentName, long BalanceFen, AgeingBuckets Buckets, long CreditFen);

/// <param name="Customers">Customers that owe something (largest first), up to the limit asked for.</param>
/// <param name="CustomerCount">How many customers owe something in all.</param>
/// <param name="Totals">Open debits by age over every customer in scope.</param>
/// <param name="CreditTotalFen">Unapplied credit over every customer in scope.</param>
public sealed record AgeingReport(DateOnly AsOf, IReadOnlyList<CustomerAgeing> Customers, int CustomerCount, AgeingBuckets Totals, long CreditTotalFen);

/// <summary>
/// Receivables ageing (应收账龄) as of today, FIFO: payments, returns and credits settle the oldest debits first.
/// One aggregate over the ledgers gives each customer's balance and its debits in the three recent buckets;
/// <see cref="ReceivableAgeing.FromTotals"/> turns those into FIFO buckets (the open debits are always the newest).
/// </summary>
public sealed class ReceivablesAgeingReport(Db db, TimeProvider clock)
{
    public async Task<AgeingReport> GetAsync(ReportScope scope, int limit, CancellationToken ct = default)
    {
        var asOf = ShanghaiTime.Today(clock);
        long Start(int bucket) => ShanghaiTime.StartOfDayMs(ReceivableAgeing.BucketStart(asOf, bucket));
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>($"""
            SELECT t.CustomerId, cu.code AS Code, cu.name AS Name, cu.agent_id AS AgentId, a.name AS AgentName, t.Balance, t.D0, t.D1, t.D2
            FROM (SELECT e.customer_id AS CustomerId, CAST(SUM(e.amount_fen) AS BIGINT) AS Balance,
                         CAST(SUM(CASE WHEN e.amount_fen > 0 AND e.occurred_at >= @b0 THEN e.amount_fen ELSE 0 END) AS BIGINT) AS D0,
                         CAST(SUM(CASE WHEN e.amount_fen > 0 AND e.occurred_at >= @b1 AND e.occurred_at < @b0 THEN e.amount_fen ELSE 0 END) AS BIGINT) AS D1,
                         CAST(SUM(CASE WHEN e.amount_fen > 0 AND e.occurred_at >= @b2 AND e.occurred_at < @b1 THEN e.amount_fen ELSE 0 END) AS BIGINT) AS D2
                  FROM ledger_entries e {(scope.AgentId is null ? "" : "JOIN customers sc ON sc.id = e.customer_id AND sc.agent_id = @agentId")}
                  GROUP BY e.customer_id
                  HAVING SUM(e.amount_fen) <> 0) t
            JOIN customers cu ON cu.id = t.CustomerId
            LEFT JOIN agents a ON a.id = cu.agent_id
            """, new { b0 = Start(0), b1 = Start(1), b2 = Start(2), agentId = scope.AgentId })).ToList();

        var all = rows.Select(r => new CustomerAgeing(r.CustomerId, r.Code, r.Name, r.AgentId, r.AgentName, r.Balance,
                ReceivableAgeing.FromTotals(r.Balance, r.D0, r.D1, r.D2), Math.Max(0, -r.Balance)))
            .ToList();
        var owing = all.Where(x => x.BalanceFen > 0).OrderByDescending(x => x.BalanceFen).ThenBy(x => x.Code, StringComparer.Ordinal).ToList();
        var totals = owing.Aggregate(AgeingBuckets.Zero, (s, x) => s.Plus(x.Buckets));
        return new AgeingReport(asOf, owing.Take(limit).ToList(), owing.Count, totals, all.Sum(x => x.CreditFen));
    }

    private sealed class Row
    {
        public long CustomerId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long? AgentId { get; init; }
        public string? AgentName { get; init; }
        public long Balance { get; init; }
        public long D0 { get; init; }
        public long D1 { get; init; }
        public long D2 { get; init; }
    }
}
