using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Insight;

namespace OrderHub.Application.Reports;

public enum SalesGroupBy { Day, Week, Month, Category, Brand, Region, Agent, CustomerGroup }

public static class SalesGroupByNames
{
    public static readonly IReadOnlyDictionary<string, SalesGroupBy> ByName = new Dictionary<string, SalesGroupBy>(StringComparer.OrdinalIgnoreCase)
    {
        ["day"] = SalesGroupBy.Day, ["week"] = SalesGroupBy.Week, ["month"] = SalesGroupBy.Month, ["category"] = SalesGroupBy.Category,
        ["brand"] = SalesGroupBy.Brand, ["region"] = SalesGroupBy.Region, ["agent"] = SalesGroupBy.Agent, ["customerGroup"] = SalesGroupBy.CustomerGroup,
    };
    public static string Names => string.Join("|", ByName.Keys);
    public static bool IsLineBased(this SalesGroupBy g) => g is SalesGroupBy.Category or SalesGroupBy.Brand;
}

/// <summary>Optional filters of the sales reports. AgentId is the customers' assigned agent (customers.agent_id).</summary>
/// <param name="CategoryId">groupBy=category only: break this category down into its children (default: the top-level categories).</param>
public sealed record SalesFilter(long? AgentId = null, long? GroupId = null, string? Region = null, long? CategoryId = null);

/// <summary>One row of a sales report.</summary>
/// <param name="Orders">Orders counted (for category/brand: orders with at least one line of it).</param>
/// <param name="GrossFen">Order totals (for category/brand: line amounts before order-level 满减 discounts).</param>
/// <param name="ReturnsFen">Returns (ledger kind return) of the period, ≤ 0; null for category/brand, which a return does not name.</param>
/// <param name="RevenueFen">Gross plus returns.</param>
public sealed record SalesRow(string Key, string Label, long Orders, long GrossFen, long? ReturnsFen, long RevenueFen);

/// <summary>Order-level totals of the period: what every row of a time, region, agent or group report adds up to.</summary>
public sealed record SalesTotals(long Orders, long GrossFen, long ReturnsFen, long RevenueFen);

public sealed record SalesReport(ReportPeriod Period, SalesGroupBy GroupBy, IReadOnlyList<SalesRow> Rows, SalesTotals Totals);

public sealed record TopProduct(int Rank, long ProductId, string Sku, string Name, string? Brand, long Quantity, long AmountFen, long Orders);

/// <summary>
/// Sales by day, week, month, category, brand, region, agent or customer group; top products. Revenue is order totals of
/// orders not rejected or cancelled, by Shanghai order date, less the returns (ledger kind return) of the period.
/// One set-based query per figure; days are bucketed by integer arithmetic, weeks and months in C#.
/// <para>
/// Whole-company reports (no agent scope and no AgentId, GroupId or Region filter) read the maintained daily aggregates
/// of <see cref="ReportAggregates"/> (orders per day; products, brands and category nodes per day; products per month),
/// refreshed first so they are always current: a year costs a few hundred rows per brand or category instead of every
/// order line. The aggregates have no customer dimension, so a report filtered by customer (an agent's stores, a group,
/// a region) keeps the raw queries, which the orders and lines indexes keep cheap for such a slice; so do region, agent
/// and group reports, which group by customer. Both paths give the same figures.
/// </para>
/// </summary>
public sealed partial class SalesReports(Db db)
{
    public const int MaxTopProducts = 100;
    private readonly ReportAggregates _aggregates = new(db);

    public async Task<SalesReport> SalesAsync(ReportScope scope, ReportPeriod period, SalesGroupBy groupBy, SalesFilter f, CancellationToken ct = default)
    {
        var p = Parameters(scope, period, f);
        var customers = CustomerWhere(scope, f);
        var aggregated = customers.Length == 0;
        if (aggregated) await _aggregates.RefreshAsync(ct);
        await using var c = await db.OpenAsync(ct);

        // Order-level totals (and the rows of time/customer dimensions).
        var orderKey = groupBy switch
        {
            SalesGroupBy.Day or SalesGroupBy.Week or SalesGroupBy.Month => ReportCalendar.DaySql("o.created_at"),
            SalesGroupBy.Region => "c.region",
            SalesGroupBy.Agent => "c.agent_id",
            SalesGroupBy.CustomerGroup => "c.group_id",
            _ => "NULL",
        };
        var needCustomer = customers.Length > 0 || groupBy is SalesGroupBy.Region or SalesGroupBy.Agent or SalesGroupBy.CustomerGroup;
        var orderRows = (aggregated && !needCustomer
            // Per day from the aggregate: the time rows as they are, and the totals of brand and category.
            ? await c.QueryAsync<KeyRow>("""
                SELECT CAST(day AS TEXT) AS Key, orders AS Orders, total_fen AS Fen FROM report_daily_orders WHERE day >= @day1 AND day <= @day2
                """, p)
            : await c.QueryAsync<KeyRow>($"""
                SELECT CAST({orderKey} AS TEXT) AS Key, COUNT(*) AS Orders, CAST(SUM(o.total_fen) AS BIGINT) AS Fen
                FROM orders o {(needCustomer ? "JOIN customers c ON c.id = o.customer_id" : "")}
                WHERE o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue}{customers}
                GROUP BY 1
                """, p)).ToList();
        var returnKey = orderKey.Replace("o.created_at", "e.occurred_at");
        var returnRows = (await c.QueryAsync<KeyRow>($"""
            SELECT CAST({returnKey} AS TEXT) AS Key, COUNT(*) AS Orders, CAST(SUM(e.amount_fen) AS BIGINT) AS Fen
            FROM ledger_entries e {(needCustomer ? "JOIN customers c ON c.id = e.customer_id" : "")}
            WHERE e.kind = 'return' AND e.occurred_at >= @from AND e.occurred_at < @to{customers}
            GROUP BY 1
            """, p)).ToList();
        var totals = new SalesTotals(orderRows.Sum(r => r.Orders), orderRows.Sum(r => r.Fen), returnRows.Sum(r => r.Fen),
            orderRows.Sum(r => r.Fen) + returnRows.Sum(r => r.Fen));

        IReadOnlyList<SalesRow> rows = groupBy switch
        {
            SalesGroupBy.Day or SalesGroupBy.Week or SalesGroupBy.Month => TimeRows(period, groupBy, orderRows, returnRows),
            SalesGroupBy.Region => Merge(orderRows, returnRows, k => k ?? "未设置区域"),
            SalesGroupBy.Agent => Merge(orderRows, returnRows, await NamesAsync(c, "agents", "无业务员")),
            SalesGroupBy.CustomerGroup => Merge(orderRows, returnRows, await NamesAsync(c, "customer_groups", "未分组")),
            SalesGroupBy.Brand => (aggregated ? await AggregatedBrandRowsAsync(c, p) : await LineRowsAsync(c, "p.brand", "", p, customers)).Select(r =>
                new SalesRow(r.Key ?? "", r.Key ?? "无品牌", r.Orders, r.Fen, null, r.Fen)).OrderByDescending(r => r.RevenueFen).ThenBy(r => r.Key, StringComparer.Ordinal).ToList(),
            SalesGroupBy.Category => await CategoryRowsAsync(c, f.CategoryId, p, customers, aggregated),
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy)),
        };
        return new SalesReport(period, groupBy, rows, totals);
    }

    /// <summary>
    /// The best-selling products of the period by amount (gift lines excluded). Whole-company: from the monthly product
    /// aggregate for the period's whole months and the daily one for the days around them; with a customer filter: raw lines.
    /// </summary>
    public async Task<IReadOnlyList<TopProduct>> TopProductsAsync(ReportScope scope, ReportPeriod period, SalesFilter f, int limit, CancellationToken ct = default)
    {
        var p = Parameters(scope, period, f);
        p.Add("limit", limit);
        var customers = CustomerWhere(scope, f);
        if (customers.Length == 0)
        {
            await _aggregates.RefreshAsync(ct);
            await using var a = await db.OpenAsync(ct);
            AddMonthSplit(p, period);
            var fromAggregates = await a.QueryAsync<TopRow>("""
                SELECT t.ProductId, pr.sku AS Sku, pr.name AS Name, pr.brand AS Brand, t.Quantity, t.AmountFen, t.Orders
                FROM (SELECT u.product_id AS ProductId, CAST(SUM(u.quantity) AS BIGINT) AS Quantity, CAST(SUM(u.amount_fen) AS BIGINT) AS AmountFen,
                             CAST(SUM(u.orders) AS BIGINT) AS Orders
                      FROM (SELECT product_id, quantity, amount_fen, orders FROM report_monthly_products WHERE month >= @month1 AND month <= @month2
                            UNION ALL
                            SELECT product_id, quantity, amount_fen, orders FROM report_daily_products
                            WHERE (day >= @head1 AND day <= @head2) OR (day >= @tail1 AND day <= @tail2)) u
                      GROUP BY u.product_id) t
                JOIN products pr ON pr.id = t.ProductId
                ORDER BY t.AmountFen DESC, pr.sku
                LIMIT @limit
                """, p);
            return fromAggregates.Select((r, i) => new TopProduct(i + 1, r.ProductId, r.Sku, r.Name, r.Brand, r.Quantity, r.AmountFen, r.Orders)).ToList();
        }
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<TopRow>($"""
            SELECT t.ProductId, pr.sku AS Sku, pr.name AS Name, pr.brand AS Brand, t.Quantity, t.AmountFen, t.Orders
            FROM (SELECT l.product_id AS ProductId, CAST(SUM(l.quantity) AS BIGINT) AS Quantity, CAST(SUM(l.amount_fen) AS BIGINT) AS AmountFen,
                         COUNT(DISTINCT o.id) AS Orders
                  FROM orders o {(customers.Length > 0 ? "JOIN customers c ON c.id = o.customer_id" : "")}
                  JOIN order_lines l ON l.order_id = o.id
                  WHERE o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue} AND l.is_gift = FALSE{customers}
                  GROUP BY l.product_id) t
            JOIN products pr ON pr.id = t.ProductId
            ORDER BY t.AmountFen DESC, pr.sku
            LIMIT @limit
            """, p);
        return rows.Select((r, i) => new TopProduct(i + 1, r.ProductId, r.Sku, r.Name, r.Brand, r.Quantity, r.AmountFen, r.Orders)).ToList();
    }

    // ---- dimensions --------------------------------------------------------------------------------------------------

    private static List<SalesRow> TimeRows(ReportPeriod period, SalesGroupBy g, List<KeyRow> orders, List<KeyRow> returns)
    {
        DateOnly BucketStart(DateOnly d) => g switch { SalesGroupBy.Week => ReportCalendar.WeekStart(d), SalesGroupBy.Month => ReportCalendar.MonthStart(d), _ => d };
        var buckets = new SortedDictionary<DateOnly, (long Orders, long Gross, long Returns)>();
        for (var d = BucketStart(period.From); d <= period.To; d = g switch { SalesGroupBy.Week => d.AddDays(7), SalesGroupBy.Month => d.AddMonths(1), _ => d.AddDays(1) })
            buckets[d] = (0, 0, 0);
        foreach (var r in orders)
        {
            var b = BucketStart(ReportCalendar.DateOfDayNumber(long.Parse(r.Key!)));
            var x = buckets.GetValueOrDefault(b);
            buckets[b] = (x.Orders + r.Orders, x.Gross + r.Fen, x.Returns);
        }
        foreach (var r in returns)
        {
            var b = BucketStart(ReportCalendar.DateOfDayNumber(long.Parse(r.Key!)));
            var x = buckets.GetValueOrDefault(b);
            buckets[b] = (x.Orders, x.Gross, x.Returns + r.Fen);
        }
        return buckets.Select(kv => new SalesRow(
            g switch { SalesGroupBy.Week => ReportCalendar.WeekKey(kv.Key), SalesGroupBy.Month => ReportCalendar.MonthKey(kv.Key), _ => ReportCalendar.DayKey(kv.Key) },
            g switch { SalesGroupBy.Week => ReportCalendar.WeekLabel(kv.Key), SalesGroupBy.Month => ReportCalendar.MonthLabel(kv.Key), _ => ReportCalendar.DayKey(kv.Key) },
            kv.Value.Orders, kv.Value.Gross, kv.Value.Returns, kv.Value.Gross + kv.Value.Returns)).ToList();
    }

    private static List<SalesRow> Merge(List<KeyRow> orders, List<KeyRow> returns, Func<string?, string> label)
    {
        var keys = orders.Select(r => r.Key).Concat(returns.Select(r => r.Key)).Distinct();
        return keys.Select(k =>
        {
            var o = orders.FirstOrDefault(r => r.Key == k);
            var ret = returns.Where(r => r.Key == k).Sum(r => r.Fen);
            return new SalesRow(k ?? "", label(k), o?.Orders ?? 0, o?.Fen ?? 0, ret, (o?.Fen ?? 0) + ret);
        }).OrderByDescending(r => r.RevenueFen).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
    }

    private static async Task<Func<string?, string>> NamesAsync(System.Data.Common.DbConnection c, string table, string none)
    {
        var names = (await c.QueryAsync<(long Id, string Name)>($"SELECT id, name FROM {table}")).ToDictionary(x => x.Id.ToString(), x => x.Name);
        return k => k is null ? none : names.GetValueOrDefault(k, k);
    }

    private static async Task<List<KeyRow>> AggregatedBrandRowsAsync(System.Data.Common.DbConnection c, DynamicParameters p) =>
        (await c.QueryAsync<KeyRow>("""
            SELECT CAST(brand AS TEXT) AS Key, CAST(SUM(orders) AS BIGINT) AS Orders, CAST(SUM(amount_fen) AS BIGINT) AS Fen
            FROM report_daily_brands WHERE day >= @day1 AND day <= @day2
            GROUP BY brand
            """, p)).ToList();

    private static async Task<List<KeyRow>> LineRowsAsync(System.Data.Common.DbConnection c, string key, string with, DynamicParameters p, string customers) =>
        (await c.QueryAsync<KeyRow>($"""
            {with}
            SELECT CAST({key} AS TEXT) AS Key, COUNT(DISTINCT o.id) AS Orders, CAST(SUM(l.amount_fen) AS BIGINT) AS Fen
            FROM orders o {(customers.Length > 0 ? "JOIN customers c ON c.id = o.customer_id" : "")}
            JOIN order_lines l ON l.order_id = o.id
            JOIN products p ON p.id = l.product_id
            {(with.Length > 0 ? "JOIN m ON m.path = p.category_path" : "")}
            WHERE o.created_at >= @from AND o.created_at < @to AND {ReportSql.CountsAsRevenue} AND l.is_gift = FALSE{customers}
            GROUP BY 1
            """, p)).ToList();

    /// <summary>
    /// Sales by category: by the top-level categories, or by the children of <paramref name="parentId"/>. Each category path of
    /// the subtree is mapped to its bucket in C#. Raw: joined as an inline table, so one grouped query counts distinct orders
    /// per bucket. Aggregated: a child bucket is its category's subtree row, the parent's own products its "own" row, and the
    /// uncategorised products (top level only) the own row of node 0, read directly so distinct order counts stay exact.
    /// </summary>
    private async Task<List<SalesRow>> CategoryRowsAsync(System.Data.Common.DbConnection c, long? parentId, DynamicParameters p, string customers, bool aggregated)
    {
        var cats = (await c.QueryAsync<(long Id, string Name, string Path)>("SELECT id, name, path FROM categories")).ToList();
        var byId = cats.ToDictionary(x => x.Id);
        var parentPath = "/";
        if (parentId is { } pid)
        {
            if (!byId.TryGetValue(pid, out var parent))
                throw Common.AppProblem.BadRequest($"分类 {pid} 不存在", $"Category {pid} not found");
            parentPath = parent.Path;
        }
        var depth = parentPath.Count(ch => ch == '/') - 1;
        var map = new List<(string Path, long Bucket)>();
        if (parentId is null) map.Add(("/", 0));
        foreach (var cat in cats.Where(x => x.Path.StartsWith(parentPath, StringComparison.Ordinal) && SafePath().IsMatch(x.Path)))
        {
            var segments = cat.Path.Trim('/').Split('/');
            map.Add((cat.Path, segments.Length > depth ? long.Parse(segments[depth]) : parentId ?? 0));
        }
        List<KeyRow> rows;
        if (aggregated)
        {
            var own = parentId ?? 0;
            p.Add("subtrees", map.Select(x => x.Bucket).Where(b => b != own).Distinct().ToArray());
            p.Add("own", own);
            rows = (await c.QueryAsync<KeyRow>($"""
                SELECT CAST(category_id AS TEXT) AS Key, CAST(SUM(orders) AS BIGINT) AS Orders, CAST(SUM(amount_fen) AS BIGINT) AS Fen
                FROM report_daily_categories
                WHERE day >= @day1 AND day <= @day2
                  AND ((subtree = TRUE AND {db.Dialect.InList("category_id", "subtrees")}) OR (subtree = FALSE AND category_id = @own))
                GROUP BY category_id
                """, p)).ToList();
        }
        else
        {
            var with = "WITH m(path, bucket) AS (VALUES " + string.Join(", ", map.Select(x => $"('{x.Path}', {x.Bucket})")) + ")";
            rows = await LineRowsAsync(c, "m.bucket", with, p, customers);
        }
        return rows.Select(r =>
        {
            var id = long.Parse(r.Key!);
            var label = id == 0 ? "未分类" : id == parentId ? byId[id].Name + " (本类)" : byId.TryGetValue(id, out var k) ? k.Name : r.Key!;
            return new SalesRow(r.Key!, label, r.Orders, r.Fen, null, r.Fen);
        }).OrderByDescending(r => r.RevenueFen).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
    }

    // ---- filters -----------------------------------------------------------------------------------------------------

    private static DynamicParameters Parameters(ReportScope scope, ReportPeriod period, SalesFilter f)
    {
        var p = new DynamicParameters();
        p.Add("from", period.StartMs);
        p.Add("to", period.EndMs);
        p.Add("day1", ReportCalendar.DayNumberOf(period.From));
        p.Add("day2", ReportCalendar.DayNumberOf(period.To));
        if (scope.AgentId is { } sa) p.Add("scopeAgent", sa);
        if (f.AgentId is { } a) p.Add("agentId", a);
        if (f.GroupId is { } g) p.Add("groupId", g);
        if (f.Region is not null) p.Add("region", f.Region);
        return p;
    }

    /// <summary>
    /// The period as its whole calendar months (@month1..@month2, day numbers of their 1sts; empty when month1 &gt; month2)
    /// and the days before and after them (@head1..@head2, @tail1..@tail2; empty when the first is greater).
    /// </summary>
    private static void AddMonthSplit(DynamicParameters p, ReportPeriod period)
    {
        var first = period.From.Day == 1 ? period.From : ReportCalendar.MonthStart(period.From).AddMonths(1);
        var lastEnd = period.To.AddDays(1).Day == 1 ? period.To : ReportCalendar.MonthStart(period.To).AddDays(-1); // last day of the last whole month
        long Day(DateOnly d) => ReportCalendar.DayNumberOf(d);
        if (first > lastEnd)
        {
            p.Add("month1", 1L); p.Add("month2", 0L);
            p.Add("head1", Day(period.From)); p.Add("head2", Day(period.To));
            p.Add("tail1", 1L); p.Add("tail2", 0L);
            return;
        }
        p.Add("month1", Day(first)); p.Add("month2", Day(ReportCalendar.MonthStart(lastEnd)));
        p.Add("head1", Day(period.From)); p.Add("head2", Day(first) - 1);
        p.Add("tail1", Day(lastEnd) + 1); p.Add("tail2", Day(period.To));
    }

    /// <summary>" AND …" conditions on the customer (alias c), or "" when none applies.</summary>
    private static string CustomerWhere(ReportScope scope, SalesFilter f)
    {
        var sb = new StringBuilder();
        if (scope.AgentId is not null) sb.Append(" AND c.agent_id = @scopeAgent");
        if (f.AgentId is not null) sb.Append(" AND c.agent_id = @agentId");
        if (f.GroupId is not null) sb.Append(" AND c.group_id = @groupId");
        if (f.Region is not null) sb.Append(" AND c.region = @region");
        return sb.ToString();
    }

    [GeneratedRegex(@"^/(\d+/)*$")]
    private static partial Regex SafePath();

    private sealed class KeyRow
    {
        public string? Key { get; init; }
        public long Orders { get; init; }
        public long Fen { get; init; }
    }

    private sealed class TopRow
    {
        public long ProductId { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Brand { get; init; }
        public long Quantity { get; init; }
        public long AmountFen { get; init; }
        public long Orders { get; init; }
    }
}
