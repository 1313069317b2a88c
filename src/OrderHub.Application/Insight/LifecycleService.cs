using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Insight;

/// <summary>A store with its lifecycle stage, the stage before (when it changed), and the figures behind it.</summary>
public sealed record StoreStage(long CustomerId, string Code, string Name, long? AgentId, LifecycleAssessment Assessment,
    LifecycleStage? PreviousStage, DateOnly? ChangedOn)
{
    public bool Slipped => PreviousStage is { } p && Lifecycle.Slipped(p, Assessment.Stage);
}

/// <summary>Every stage's count and the revenue lost with churned stores.</summary>
public sealed record LifecycleSummary(IReadOnlyDictionary<LifecycleStage, int> Stages, IReadOnlyList<StoreStage> Stores);

/// <summary>
/// 客户生命周期: assesses every active store with <see cref="Lifecycle"/> from its orders (revenue orders by Shanghai order
/// day; gross profit per line = amount − cost as shipped, or today's cost for a line not shipped yet). <see cref="RecomputeAsync"/>
/// stores each store's stage and records every change (the <c>lifecycle</c> work does it daily); the reads give the stored
/// stage with the figures.
/// </summary>
public sealed class LifecycleService(Db db, TimeProvider clock, LifecycleOptions options)
{
    /// <summary>How far back the orders are read: both windows and the longest quiet time that still matters.</summary>
    private int HistoryDays => Math.Max(2 * options.WindowDays, options.ChurnedDays) + 366;

    private async Task<List<StoreStage>> AssessAsync(System.Data.Common.DbConnection c, long? agentId, long? customerId, DateOnly today)
    {
        var since = ShanghaiTime.StartOfDayMs(today.AddDays(-HistoryDays));
        var args = new { agentId, customerId, since };
        var stores = (await c.QueryAsync<(long Id, string Code, string Name, long? AgentId)>("""
            SELECT id, code, name, agent_id FROM customers
            WHERE active = TRUE AND (@agentId IS NULL OR agent_id = @agentId) AND (@customerId IS NULL OR id = @customerId)
            """, args)).ToList();
        var days = (await c.QueryAsync<(long CustomerId, long Day, long Gp)>($"""
            SELECT o.customer_id, {ReportCalendar.DaySql("o.created_at")} AS day,
                   CAST(SUM(l.amount_fen - COALESCE(l.unit_cost_fen, p.cost_fen, 0) * l.quantity) AS BIGINT)
            FROM orders o JOIN customers cu ON cu.id = o.customer_id JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
            WHERE o.created_at >= @since AND {OrderStatusSql.CountsAsRevenue("o")} AND cu.active = TRUE
              AND (@agentId IS NULL OR cu.agent_id = @agentId) AND (@customerId IS NULL OR cu.id = @customerId)
            GROUP BY o.customer_id, {ReportCalendar.DaySql("o.created_at")}
            """, args)).ToLookup(d => d.CustomerId);
        var stored = (await c.QueryAsync<(long CustomerId, string Stage)>("""
            SELECT l.customer_id, l.stage FROM customer_lifecycle l JOIN customers cu ON cu.id = l.customer_id
            WHERE (@agentId IS NULL OR cu.agent_id = @agentId) AND (@customerId IS NULL OR cu.id = @customerId)
            """, args)).ToDictionary(x => x.CustomerId, x => Lifecycle.Parse(x.Stage));
        var changes = (await c.QueryAsync<(long CustomerId, string? From, long Day)>("""
            SELECT ch.customer_id, ch.from_stage, ch.day FROM customer_lifecycle_changes ch JOIN customers cu ON cu.id = ch.customer_id
            WHERE (@agentId IS NULL OR cu.agent_id = @agentId) AND (@customerId IS NULL OR cu.id = @customerId)
            ORDER BY ch.id
            """, args)).GroupBy(x => x.CustomerId).ToDictionary(g => g.Key, g => g.Last());

        return stores.Select(s =>
        {
            var a = Lifecycle.Assess(days[s.Id].Select(d => new ProfitDay(ReportCalendar.DateOfDayNumber(d.Day), d.Gp)), today, options);
            LifecycleStage? previous = null;
            DateOnly? changedOn = null;
            if (changes.TryGetValue(s.Id, out var ch) && stored.TryGetValue(s.Id, out var st) && st == a.Stage)
            {
                previous = ch.From is { } f ? Lifecycle.Parse(f) : null;
                changedOn = ReportCalendar.DateOfDayNumber(ch.Day);
            }
            else if (stored.TryGetValue(s.Id, out var before) && before != a.Stage)
            {
                previous = before; // not recorded yet: the next recompute records it
                changedOn = today;
            }
            return new StoreStage(s.Id, s.Code, s.Name, s.AgentId, a, previous, changedOn);
        }).ToList();
    }

    /// <summary>The stores of one agent (or all, agentId null) with their stage; those that just slipped first.</summary>
    public async Task<LifecycleSummary> ListAsync(ReportScope scope, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var stores = await AssessAsync(c, scope.AgentId, null, ShanghaiTime.Today(clock));
        var ordered = stores.OrderByDescending(s => s.Slipped).ThenByDescending(s => s.Assessment.Stage).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        var counts = Enum.GetValues<LifecycleStage>().ToDictionary(s => s, s => stores.Count(x => x.Assessment.Stage == s));
        return new LifecycleSummary(counts, ordered);
    }

    /// <summary>Assesses every active store, stores its stage and records each change (from → to, on today's Shanghai day).</summary>
    /// <returns>How many stores changed stage.</returns>
    public async Task<int> RecomputeAsync(CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        var dayNo = ReportCalendar.DayNumberOf(today);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var stores = await AssessAsync(c, null, null, today);
        var current = (await c.QueryAsync<(long CustomerId, string Stage)>("SELECT customer_id, stage FROM customer_lifecycle"))
            .ToDictionary(x => x.CustomerId, x => x.Stage);
        await using var tx = await c.BeginTransactionAsync(ct);
        var changed = 0;
        foreach (var s in stores)
        {
            var code = Lifecycle.Code(s.Assessment.Stage);
            var had = current.TryGetValue(s.CustomerId, out var old);
            if (had && old == code)
            {
                await c.ExecuteAsync("UPDATE customer_lifecycle SET reason = @reason, computed_at = @now WHERE customer_id = @id",
                    new { reason = s.Assessment.ReasonZh, now, id = s.CustomerId }, tx);
                continue;
            }
            changed++;
            if (had)
                await c.ExecuteAsync("UPDATE customer_lifecycle SET stage = @code, since_day = @dayNo, reason = @reason, computed_at = @now WHERE customer_id = @id",
                    new { code, dayNo, reason = s.Assessment.ReasonZh, now, id = s.CustomerId }, tx);
            else
                await c.ExecuteAsync("INSERT INTO customer_lifecycle (customer_id, stage, since_day, reason, computed_at) VALUES (@id, @code, @dayNo, @reason, @now)",
                    new { code, dayNo, reason = s.Assessment.ReasonZh, now, id = s.CustomerId }, tx);
            await c.ExecuteAsync("""
                INSERT INTO customer_lifecycle_changes (customer_id, from_stage, to_stage, day, reason, created_at)
                VALUES (@id, @from, @code, @dayNo, @reason, @now)
                """, new { id = s.CustomerId, from = had ? old : null, code, dayNo, reason = s.Assessment.ReasonZh, now }, tx);
        }
        await tx.CommitAsync(ct);
        return changed;
    }
}
