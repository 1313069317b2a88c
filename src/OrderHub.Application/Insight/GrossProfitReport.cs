using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Application.Returns;
using OrderHub.Domain.Insight;

namespace OrderHub.Application.Insight;

/// <summary>What a gross-profit report is grouped by.</summary>
public enum ProfitGroupBy { Store, Agent, Product, Category, Month }

/// <summary>One row of the gross-profit report; <see cref="Key"/> is the id (store, agent, product, category) or "yyyy-MM".</summary>
public sealed record ProfitRow(string Key, string Label, int Orders, ProfitFigures Figures);

public sealed record ProfitReport(ReportPeriod Period, ProfitGroupBy GroupBy, IReadOnlyList<ProfitRow> Rows, ProfitFigures Total);

/// <summary>The one SQL form of a line's gross-profit parts (alias l = order_lines): see <see cref="GrossProfit"/>.</summary>
public static class GrossProfitSql
{
    /// <summary>Cost of the line as shipped; null when the ERP gave no cost.</summary>
    public const string LineCost = "(l.unit_cost_fen * l.quantity)";
    /// <summary>Orders whose goods left (shipped or received), alias o.</summary>
    public static readonly string Shipped = $"o.shipped_at IS NOT NULL AND {OrderStatusSql.CountsAsRevenue("o")}";
    public static readonly string Sums = $"""
        CAST(SUM(l.amount_fen) AS BIGINT) AS Revenue,
        CAST(COALESCE(SUM({LineCost}), 0) AS BIGINT) AS Cost,
        CAST(SUM(CASE WHEN l.unit_cost_fen IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS Uncosted,
        CAST(COUNT(DISTINCT o.id) AS BIGINT) AS Orders
        """;

    /// <summary>
    /// What completed returns took back (alias rl = return_lines, l its order line), per return line as <see cref="GrossProfit.Of(ShippedLine)"/>
    /// counts a returned quantity: revenue = the line amount × received ÷ ordered, rounded half up; cost = unit cost × received.
    /// </summary>
    public static readonly string ReturnedSums = """
        CAST(SUM((l.amount_fen * rl.received_quantity * 2 + l.quantity) / (2 * l.quantity)) AS BIGINT) AS Revenue,
        CAST(COALESCE(SUM(l.unit_cost_fen * rl.received_quantity), 0) AS BIGINT) AS Cost
        """;

    /// <summary>Completed returns (alias r = return_requests).</summary>
    public static readonly string CompletedReturn = $"r.status = '{ReturnStatus.Completed}' AND rl.received_quantity > 0 AND l.quantity > 0";

    /// <summary>The totals SQL gives for some lines, as <see cref="GrossProfit.Of(IEnumerable{ShippedLine})"/> would give them line by line.</summary>
    public static ProfitFigures Figures(long revenue, long cost, long uncosted) => new(revenue, cost, revenue - cost, (int)uncosted);

    /// <summary>The line's top-level category as tc (alias l = order_lines): the first segment of the product's category path "/12/34/".</summary>
    public const string TopCategoryJoin =
        "JOIN products p ON p.id = l.product_id LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN categories tc ON c.path LIKE tc.path || '%' AND tc.parent_id IS NULL";
}

/// <summary>
/// 毛利报表: revenue, cost, gross profit and margin of the lines shipped in a period (Shanghai day of 发货), grouped by store,
/// agent (the store's agent), product, top-level category or month; an agent sees its own stores only. Returns count in the
/// period they were completed (退款/冲账, Shanghai day): their revenue and cost are taken off the same group, so a month's
/// figure is what was shipped in it less what came back in it (<see cref="GrossProfitSql.ReturnedSums"/>).
/// </summary>
public sealed class GrossProfitReport(Db db)
{
    private sealed class Row
    {
        public string Key { get; set; } = ""; public string? Label { get; set; }
        public long Revenue { get; set; } public long Cost { get; set; } public long Uncosted { get; set; } public long Orders { get; set; }
    }

    public async Task<ProfitReport> GetAsync(ReportScope scope, ReportPeriod period, ProfitGroupBy by, long? agentId = null, CancellationToken ct = default)
    {
        var (key, label, join) = by switch
        {
            ProfitGroupBy.Store => ("CAST(cu.id AS TEXT)", "MAX(cu.name)", ""),
            ProfitGroupBy.Agent => ("CAST(COALESCE(cu.agent_id, 0) AS TEXT)", "MAX(a.name)", "LEFT JOIN agents a ON a.id = cu.agent_id"),
            ProfitGroupBy.Product => ("CAST(l.product_id AS TEXT)", "MAX(l.name)", ""),
            // The top-level category: the first segment of the product's category path "/12/34/".
            ProfitGroupBy.Category => ("COALESCE(CAST(tc.id AS TEXT), '0')", "MAX(tc.name)", GrossProfitSql.TopCategoryJoin),
            ProfitGroupBy.Month => ($"CAST({ReportCalendar.DaySql("{at}")} AS TEXT)", "NULL", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(by)),
        };
        await using var c = await db.OpenAsync(ct);
        var args = new { from = period.StartMs, to = period.EndMs, scopeAgent = scope.AgentId, agentId };
        var shippedKey = key.Replace("{at}", "o.shipped_at");
        var rows = (await c.QueryAsync<Row>($"""
            SELECT {shippedKey} AS Key, {label} AS Label, {GrossProfitSql.Sums}
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers cu ON cu.id = o.customer_id {join}
            WHERE {GrossProfitSql.Shipped} AND o.shipped_at >= @from AND o.shipped_at < @to
              AND (@scopeAgent IS NULL OR cu.agent_id = @scopeAgent) AND (@agentId IS NULL OR cu.agent_id = @agentId)
            GROUP BY {shippedKey}
            """, args)).ToList();
        var returnedKey = key.Replace("{at}", "r.completed_at");
        var returned = (await c.QueryAsync<Row>($"""
            SELECT {returnedKey} AS Key, {label} AS Label, {GrossProfitSql.ReturnedSums}
            FROM return_requests r JOIN return_lines rl ON rl.return_id = r.id JOIN order_lines l ON l.id = rl.order_line_id
                 JOIN orders o ON o.id = l.order_id JOIN customers cu ON cu.id = o.customer_id {join}
            WHERE {GrossProfitSql.CompletedReturn} AND r.completed_at >= @from AND r.completed_at < @to
              AND (@scopeAgent IS NULL OR cu.agent_id = @scopeAgent) AND (@agentId IS NULL OR cu.agent_id = @agentId)
            GROUP BY {returnedKey}
            """, args)).ToList();
        foreach (var back in returned)
        {
            var row = rows.FirstOrDefault(r => r.Key == back.Key);
            if (row is null) rows.Add(row = new Row { Key = back.Key, Label = back.Label });
            row.Revenue -= back.Revenue;
            row.Cost -= back.Cost;
        }

        IEnumerable<ProfitRow> result;
        if (by == ProfitGroupBy.Month)
            // Days → Shanghai months in C# (never a database's date functions).
            result = rows.GroupBy(r => ReportCalendar.MonthStart(ReportCalendar.DateOfDayNumber(long.Parse(r.Key))))
                .OrderBy(g => g.Key)
                .Select(g => new ProfitRow(ReportCalendar.MonthKey(g.Key), ReportCalendar.MonthLabel(g.Key), (int)g.Sum(r => r.Orders),
                    GrossProfitSql.Figures(g.Sum(r => r.Revenue), g.Sum(r => r.Cost), g.Sum(r => r.Uncosted))));
        else
            result = rows.Select(r => new ProfitRow(r.Key, r.Label ?? (r.Key == "0" ? "（无）" : r.Key), (int)r.Orders, GrossProfitSql.Figures(r.Revenue, r.Cost, r.Uncosted)))
                .OrderByDescending(r => r.Figures.GrossProfitFen).ThenBy(r => r.Key, StringComparer.Ordinal);
        var list = result.ToList();
        return new ProfitReport(period, by, list, list.Aggregate(ProfitFigures.Zero, (a, r) => a.Plus(r.Figures)));
    }
}
