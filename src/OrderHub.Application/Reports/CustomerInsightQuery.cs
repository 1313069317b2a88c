using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Visits;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <summary>Revenue of one window: order totals (not rejected/cancelled, by Shanghai order date) less returns (ledger kind return).</summary>
public sealed record RevenueFigure(DateOnly From, DateOnly To, long Orders, long OrdersFen, long ReturnsFen)
{
    public long RevenueFen => OrdersFen + ReturnsFen;
}

public sealed record InsightItem(long ProductId, string Sku, string Name, long Quantity, long AmountFen, long Orders);

/// <summary>What an agent or the back office needs to know about one customer, as of today (Shanghai).</summary>
/// <param name="AverageIntervalDays">Mean days between its orders (first to last order date over count − 1); null with fewer than 2 orders.</param>
/// <param name="SelfOrderShare">Self-orders / all orders (self + proxy); null with no orders.</param>
/// <param name="TopItems">Its top items by amount, all time (gift lines excluded).</param>
public sealed record CustomerInsight(
    long CustomerId, string Code, string Name, long? AgentId, string? AgentName, DateOnly AsOf,
    RevenueFigure ThisYear, RevenueFigure LastMonth, RevenueFigure ThisMonth,
    long OrderCount, string? LastOrderNo, long? LastOrderAtMs, long? LastOrderFen, double? AverageIntervalDays,
    long ReceivableFen, long? LastContactAtMs, int? DaysSinceLastContact,
    long StoreVisitsThisMonth, long StoreVisitsAllTime, long CallsThisMonth, long CallsAllTime,
    long SelfOrders, long ProxyOrders, decimal? SelfOrderShare,
    IReadOnlyList<InsightItem> TopItems, Cadence Cadence);

/// <summary>Per-customer insight: a handful of indexed queries on one customer's orders, ledger and visits.</summary>
public sealed class CustomerInsightQuery(Db db, TimeProvider clock, InsightOptions options)
{
    public const int TopItemCount = 5;

    /// <returns>Null when the customer does not exist or (for an agent's scope) is not assigned to the agent.</returns>
    public async Task<CustomerInsight?> GetAsync(ReportScope scope, long customerId, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        await using var c = await db.OpenAsync(ct);
        var customer = await c.QuerySingleOrDefaultAsync<CustomerRow>("""
            SELECT cu.id AS Id, cu.code AS Code, cu.name AS Name, cu.agent_id AS AgentId, a.name AS AgentName
            FROM customers cu LEFT JOIN agents a ON a.id = cu.agent_id
            WHERE cu.id = @customerId AND (@agentId IS NULL OR cu.agent_id = @agentId)
            """, new { customerId, agentId = scope.AgentId });
        if (customer is null) return null;

        var orders = (await c.QueryAsync<OrderRow>($"""
            SELECT o.order_no AS OrderNo, o.created_at AS CreatedAt, o.total_fen AS TotalFen, o.channel AS Channel
            FROM orders o WHERE o.customer_id = @customerId AND {ReportSql.CountsAsRevenue}
            ORDER BY o.created_at, o.id
            """, new { customerId })).ToList();
        var ledger = (await c.QueryAsync<(string Kind, long OccurredAt, long AmountFen)>(
            "SELECT kind, occurred_at, amount_fen FROM ledger_entries WHERE customer_id = @customerId", new { customerId })).ToList();
        var visits = (await c.QueryAsync<(string Kind, long At)>("SELECT kind, at FROM visits WHERE customer_id = @customerId", new { customerId })).ToList();
        var top = (await c.QueryAsync<InsightItemRow>($"""
            SELECT t.ProductId, p.sku AS Sku, p.name AS Name, t.Quantity, t.AmountFen, t.Orders
            FROM (SELECT l.product_id AS ProductId, CAST(SUM(l.quantity) AS BIGINT) AS Quantity, CAST(SUM(l.amount_fen) AS BIGINT) AS AmountFen,
                         COUNT(DISTINCT o.id) AS Orders
                  FROM orders o JOIN order_lines l ON l.order_id = o.id
                  WHERE o.customer_id = @customerId AND {ReportSql.CountsAsRevenue} AND l.is_gift = FALSE
                  GROUP BY l.product_id) t
            JOIN products p ON p.id = t.ProductId
            ORDER BY t.AmountFen DESC, p.sku
            LIMIT {TopItemCount}
            """, new { customerId })).Select(r => new InsightItem(r.ProductId, r.Sku, r.Name, r.Quantity, r.AmountFen, r.Orders)).ToList();

        var monthStart = ReportCalendar.MonthStart(today);
        RevenueFigure Window(DateOnly from, DateOnly to)
        {
            long start = ShanghaiTime.StartOfDayMs(from), end = ShanghaiTime.StartOfDayMs(to.AddDays(1));
            var inWindow = orders.Where(o => o.CreatedAt >= start && o.CreatedAt < end).ToList();
            var returns = ledger.Where(e => e.Kind == "return" && e.OccurredAt >= start && e.OccurredAt < end).Sum(e => e.AmountFen);
            return new RevenueFigure(from, to, inWindow.Count, inWindow.Sum(o => o.TotalFen), returns);
        }

        var last = orders.Count > 0 ? orders[^1] : null;
        double? averageInterval = orders.Count < 2 ? null
            : Math.Round(ReportCalendar.DaysBetween(ReportCalendar.DateOf(orders[0].CreatedAt), ReportCalendar.DateOf(last!.CreatedAt)) / (double)(orders.Count - 1), 1);
        long? lastContact = visits.Count > 0 ? visits.Max(v => v.At) : null;
        var monthStartMs = ShanghaiTime.StartOfDayMs(monthStart);
        var self = orders.Count(o => o.Channel == "self");
        var proxy = orders.Count(o => o.Channel == "proxy");

        return new CustomerInsight(customer.Id, customer.Code, customer.Name, customer.AgentId, customer.AgentName, today,
            Window(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31)),
            Window(monthStart.AddMonths(-1), monthStart.AddDays(-1)),
            Window(monthStart, monthStart.AddMonths(1).AddDays(-1)),
            orders.Count, last?.OrderNo, last?.CreatedAt, last?.TotalFen, averageInterval,
            ledger.Sum(e => e.AmountFen), lastContact,
            lastContact is { } lc ? Math.Max(0, ReportCalendar.DaysBetween(ReportCalendar.DateOf(lc), today)) : null,
            visits.Count(v => v.Kind == VisitKinds.StoreVisit && v.At >= monthStartMs), visits.Count(v => v.Kind == VisitKinds.StoreVisit),
            visits.Count(v => v.Kind == VisitKinds.Call && v.At >= monthStartMs), visits.Count(v => v.Kind == VisitKinds.Call),
            self, proxy, InsightMath.Share(self, self + proxy),
            top, OrderCadence.Assess(orders.Select(o => new OrderPoint(o.CreatedAt, o.TotalFen)), today, options));
    }

    private sealed class CustomerRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long? AgentId { get; init; }
        public string? AgentName { get; init; }
    }

    private sealed class OrderRow
    {
        public string OrderNo { get; init; } = "";
        public long CreatedAt { get; init; }
        public long TotalFen { get; init; }
        public string Channel { get; init; } = "";
    }

    private sealed class InsightItemRow
    {
        public long ProductId { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public long Quantity { get; init; }
        public long AmountFen { get; init; }
        public long Orders { get; init; }
    }
}
