using Dapper;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Staff;

public sealed record DashboardTotals(long Orders, long RevenueFen);
public sealed record DashboardDay(DateOnly Day, long Orders, long RevenueFen);
public sealed record DashboardChannel(string Channel, long Orders, long RevenueFen);
public sealed class DashboardCustomer
{
    public long CustomerId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long Orders { get; init; }
    public long RevenueFen { get; init; }
}

public sealed record Dashboard(
    DateOnly Today, DashboardTotals TodayTotals, DashboardTotals MonthTotals, IReadOnlyList<DashboardDay> MonthDays,
    IReadOnlyList<DashboardChannel> MonthChannels, IReadOnlyList<DashboardCustomer> TopCustomers, IReadOnlyDictionary<string, long> OpenByStatus);

/// <summary>
/// The back office's 看板: orders and revenue today and this month (Shanghai days), self-order vs proxy share and the top
/// customers this month. Revenue counts every order placed in the period that was not rejected or cancelled.
/// </summary>
public sealed class BackOfficeDashboard(Db db, TimeProvider clock)
{
    public async Task<Dashboard> GetAsync(int top = 10, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var fromMs = ShanghaiTime.StartOfDayMs(monthStart);
        var toMs = ShanghaiTime.StartOfDayMs(today.AddDays(1));
        await using var c = await db.OpenAsync(ct);

        // Shanghai day numbers, bucketed in SQL as the reports do.
        var days = (await c.QueryAsync<(long Day, long Orders, long Revenue)>($"""
            SELECT {ReportCalendar.DaySql("o.created_at")} AS d, COUNT(*), CAST(COALESCE(SUM(o.total_fen), 0) AS BIGINT)
            FROM orders o WHERE o.created_at >= @fromMs AND o.created_at < @toMs AND {ReportSql.CountsAsRevenue}
            GROUP BY {ReportCalendar.DaySql("o.created_at")}
            """, new { fromMs, toMs })).ToDictionary(r => r.Day);
        var series = new List<DashboardDay>();
        for (var d = monthStart; d <= today; d = d.AddDays(1))
            series.Add(days.TryGetValue(ReportCalendar.DayNumberOf(d), out var r) ? new DashboardDay(d, r.Orders, r.Revenue) : new DashboardDay(d, 0, 0));
        var todayRow = series[^1];
        var month = new DashboardTotals(series.Sum(s => s.Orders), series.Sum(s => s.RevenueFen));

        var channels = (await c.QueryAsync<(string Channel, long Orders, long Revenue)>($"""
            SELECT o.channel, COUNT(*), CAST(COALESCE(SUM(o.total_fen), 0) AS BIGINT) FROM orders o
            WHERE o.created_at >= @fromMs AND o.created_at < @toMs AND {ReportSql.CountsAsRevenue} GROUP BY o.channel
            """, new { fromMs, toMs })).ToDictionary(r => r.Channel);
        var channelRows = new[] { "self", "proxy" }
            .Select(ch => channels.TryGetValue(ch, out var r) ? new DashboardChannel(ch, r.Orders, r.Revenue) : new DashboardChannel(ch, 0, 0)).ToList();

        var topCustomers = (await c.QueryAsync<DashboardCustomer>($"""
            SELECT cu.id AS CustomerId, cu.code AS Code, cu.name AS Name, COUNT(*) AS Orders, CAST(COALESCE(SUM(o.total_fen), 0) AS BIGINT) AS RevenueFen
            FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE o.created_at >= @fromMs AND o.created_at < @toMs AND {ReportSql.CountsAsRevenue}
            GROUP BY cu.id, cu.code, cu.name
            ORDER BY COALESCE(SUM(o.total_fen), 0) DESC, cu.code
            LIMIT @top
            """, new { fromMs, toMs, top = Math.Clamp(top, 1, 50) })).AsList();

        var open = (await c.QueryAsync<(string Status, long Count)>($"""
            SELECT status, COUNT(*) FROM orders
            WHERE status IN {OrderStatusSql.Reserving} GROUP BY status
            """)).ToDictionary(r => r.Status, r => r.Count);

        return new Dashboard(today, new DashboardTotals(todayRow.Orders, todayRow.RevenueFen), month, series, channelRows, topCustomers, open);
    }
}
