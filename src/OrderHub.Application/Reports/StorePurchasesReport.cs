using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <summary>One month of a store's purchases: orders, what it paid (order totals, after 满减) and the quantity of goods bought.</summary>
public sealed record StorePurchaseMonth(string Month, long Orders, long AmountFen, long Quantity);

/// <summary>
/// One top-level category of a store's purchases: line amounts (before order-level 满减, as <see cref="SalesReports"/> counts
/// categories) and quantities of goods bought (free 买赠 goods are not bought and are left out).
/// </summary>
public sealed record StorePurchaseCategory(long CategoryId, string Name, long Orders, long AmountFen, long Quantity);

public sealed record StorePurchases(ReportPeriod Period, IReadOnlyList<StorePurchaseMonth> Months, IReadOnlyList<StorePurchaseCategory> Categories,
    long Orders, long AmountFen, long Quantity);

/// <summary>
/// 手机报表 for a store owner: what my store bought, by month and by category, over a period. The orders that count are
/// the reports' revenue rule (<see cref="ReportSql.CountsAsRevenue"/>: all but rejected and cancelled); months are Shanghai
/// calendar months, every month of the period listed (zero when nothing was bought). A store has at most a few thousand
/// lines a year, so the rows are read and grouped here, the same on SQLite and PostgreSQL.
/// </summary>
public sealed class StorePurchasesReport(Db db)
{
    public async Task<StorePurchases> ForStoreAsync(long customerId, ReportPeriod period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { customerId, from = period.StartMs, to = period.EndMs };
        var orders = (await c.QueryAsync<(long Id, long CreatedAt, long TotalFen)>($"""
            SELECT o.id, o.created_at, o.total_fen FROM orders o
            WHERE o.customer_id = @customerId AND o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue}
            """, args)).ToList();
        var lines = (await c.QueryAsync<LineRow>($"""
            SELECT o.id AS OrderId, o.created_at AS CreatedAt, p.category_path AS CategoryPath, l.quantity AS Quantity, l.amount_fen AS AmountFen
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
            WHERE o.customer_id = @customerId AND o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue} AND l.is_gift = FALSE
            """, args)).ToList();
        var categories = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM categories WHERE parent_id IS NULL")).ToDictionary(x => x.Id, x => x.Name);

        var quantityByMonth = lines.GroupBy(l => MonthOf(l.CreatedAt)).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var months = new List<StorePurchaseMonth>();
        for (var m = new DateOnly(period.From.Year, period.From.Month, 1); m <= period.To; m = m.AddMonths(1))
        {
            var key = m.ToString("yyyy-MM");
            var inMonth = orders.Where(o => MonthOf(o.CreatedAt) == key).ToList();
            months.Add(new StorePurchaseMonth(key, inMonth.Count, inMonth.Sum(o => o.TotalFen), quantityByMonth.GetValueOrDefault(key)));
        }
        var byCategory = lines.GroupBy(l => TopCategory(l.CategoryPath))
            .Select(g => new StorePurchaseCategory(g.Key, categories.GetValueOrDefault(g.Key, "未分类"), g.Select(l => l.OrderId).Distinct().Count(),
                g.Sum(l => l.AmountFen), g.Sum(l => l.Quantity)))
            .OrderByDescending(x => x.AmountFen).ThenBy(x => x.CategoryId).ToList();
        return new StorePurchases(period, months, byCategory, orders.Count, orders.Sum(o => o.TotalFen), lines.Sum(l => l.Quantity));
    }

    private static string MonthOf(long ms) => ShanghaiTime.FromUnixMs(ms).ToString("yyyy-MM");

    /// <summary>The top-level category of a path "/12/34/": 12 (0 for a product without a category).</summary>
    private static long TopCategory(string? path) =>
        path?.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && long.TryParse(first, out var id) ? id : 0;

    private sealed class LineRow
    {
        public long OrderId { get; init; }
        public long CreatedAt { get; init; }
        public string? CategoryPath { get; init; }
        public long Quantity { get; init; }
        public long AmountFen { get; init; }
    }
}
