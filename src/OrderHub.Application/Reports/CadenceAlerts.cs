using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <summary>One alert on an agent's list: which customer, why (in Chinese and English), and the numbers.</summary>
public sealed record CustomerAlert(long CustomerId, string Code, string Name, DateOnly? LastOrderDay, long? LastContactAtMs, int? DaysSinceLastContact, CadenceAlert Alert);

/// <summary>
/// The agent's work list (订货异常提醒): its active customers whose ordering is overdue or whose order value dropped,
/// judged by <see cref="OrderCadence"/> on each customer's own history (the last <see cref="InsightOptions.HistoryDays"/> days).
/// </summary>
public sealed class CadenceAlerts(Db db, TimeProvider clock, InsightOptions options)
{
    public async Task<IReadOnlyList<CustomerAlert>> ForAgentAsync(long agentId, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        var since = ShanghaiTime.StartOfDayMs(today.AddDays(-Math.Max(1, options.HistoryDays)));
        await using var c = await db.OpenAsync(ct);
        var customers = (await c.QueryAsync<(long Id, string Code, string Name)>(
            "SELECT id, code, name FROM customers WHERE agent_id = @agentId AND active = TRUE", new { agentId })).ToList();
        var orders = (await c.QueryAsync<(long CustomerId, long At, long Fen)>($"""
            SELECT o.customer_id, o.created_at, o.total_fen
            FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE cu.agent_id = @agentId AND cu.active = TRUE AND o.created_at >= @since AND {ReportSql.CountsAsRevenue}
            """, new { agentId, since })).ToLookup(o => o.CustomerId);
        var contacts = (await c.QueryAsync<(long CustomerId, long At)>("""
            SELECT v.customer_id, MAX(v.at) FROM visits v JOIN customers cu ON cu.id = v.customer_id
            WHERE cu.agent_id = @agentId GROUP BY v.customer_id
            """, new { agentId })).ToDictionary(x => x.CustomerId, x => x.At);

        var alerts = new List<CustomerAlert>();
        foreach (var cu in customers)
        {
            var cadence = OrderCadence.Assess(orders[cu.Id].Select(o => new OrderPoint(o.At, o.Fen)), today, options);
            long? contact = contacts.TryGetValue(cu.Id, out var at) ? at : null;
            int? daysSinceContact = contact is { } ms ? Math.Max(0, ReportCalendar.DaysBetween(ReportCalendar.DateOf(ms), today)) : null;
            alerts.AddRange(cadence.Alerts.Select(a => new CustomerAlert(cu.Id, cu.Code, cu.Name, cadence.LastOrderDay, contact, daysSinceContact, a)));
        }
        // Most urgent first: overdue by how far past the usual interval, then value drops by how deep.
        return alerts
            .OrderBy(a => a.Alert.Kind)
            .ThenByDescending(a => a.Alert.Kind == CadenceAlertKind.Overdue
                ? a.Alert.DaysSinceLastOrder / Math.Max(1, a.Alert.UsualIntervalDays ?? 1)
                : 1 - a.Alert.LastOrderFen / (double)Math.Max(1, a.Alert.PreviousMedianFen ?? 1))
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
    }
}
