using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Insight;

/// <param name="ChurnedStores">Stores now 流失 (no order for Lifecycle:ChurnedDays days).</param>
/// <param name="ChurnedRevenueFen">What those stores bought in the 365 days before their last order: the yearly revenue lost.</param>
public sealed record RetentionResult(IReadOnlyList<CohortRow> Cohorts, int ChurnedStores, long ChurnedRevenueFen);

/// <summary>
/// 留存报表 for the owner: monthly cohorts of new stores (month of the first revenue order) with the share still ordering
/// 1, 3, 6 and 12 months later (<see cref="Cohorts"/>), and the revenue lost with churned stores.
/// </summary>
public sealed class RetentionReport(Db db, TimeProvider clock, LifecycleOptions lifecycle)
{
    public async Task<RetentionResult> GetAsync(ReportScope scope, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        await using var c = await db.OpenAsync(ct);
        var days = (await c.QueryAsync<(long CustomerId, long Day, long Fen)>($"""
            SELECT o.customer_id, {ReportCalendar.DaySql("o.created_at")} AS day, CAST(SUM(o.total_fen) AS BIGINT)
            FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE {OrderStatusSql.CountsAsRevenue("o")} AND (@agentId IS NULL OR cu.agent_id = @agentId)
            GROUP BY o.customer_id, {ReportCalendar.DaySql("o.created_at")}
            """, new { agentId = scope.AgentId })).ToLookup(d => d.CustomerId);

        var months = days.Select(g => new StoreMonths(g.Key,
            g.Select(d => ReportCalendar.MonthStart(ReportCalendar.DateOfDayNumber(d.Day))).Distinct().ToList())).ToList();
        var cohorts = Cohorts.Build(months, today);

        int churned = 0;
        long lost = 0;
        foreach (var g in days)
        {
            var last = g.Max(d => d.Day);
            if (ReportCalendar.DaysBetween(ReportCalendar.DateOfDayNumber(last), today) < lifecycle.ChurnedDays) continue;
            churned++;
            lost += g.Where(d => d.Day > last - 365).Sum(d => d.Fen);
        }
        return new RetentionResult(cohorts, churned, lost);
    }
}
