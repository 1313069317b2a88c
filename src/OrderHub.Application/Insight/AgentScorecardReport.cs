using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Application.Visits;
using OrderHub.Domain.Insight;

namespace OrderHub.Application.Insight;

/// <summary>A store named in a scorecard.</summary>
public sealed record ScorecardStore(long CustomerId, string Code, string Name);

/// <summary>A top-level category whose gross profit at the agent's stores rose against the previous period.</summary>
public sealed record ScorecardCategory(long CategoryId, string Name, long PreviousGrossProfitFen, long GrossProfitFen);

/// <summary>
/// One agent's line of the scorecard. <see cref="Profit"/> and <see cref="PreviousGrossProfitFen"/>: shipped lines of the
/// agent's stores (the rules of <see cref="GrossProfitReport"/>); <see cref="ActiveStores"/>: its stores with an order placed
/// in the period (not rejected or cancelled); <see cref="MovedToSelfOrdering"/> and <see cref="CategoriesGrown"/>: see
/// <see cref="AgentScorecardRules"/>; visits and calls the agent logged in the period.
/// </summary>
public sealed record ScorecardRow(int Rank, long AgentId, string Code, string Name, bool Active, ProfitFigures Profit, long PreviousGrossProfitFen,
    int ActiveStores, IReadOnlyList<ScorecardStore> MovedToSelfOrdering, IReadOnlyList<ScorecardCategory> CategoriesGrown, long StoreVisits, long Calls);

public sealed record AgentScorecard(ReportPeriod Period, ReportPeriod Previous, IReadOnlyList<ScorecardRow> Agents);

/// <summary>
/// 业务员记分卡: per agent over a period, ranked by gross profit (highest first, then agent code): gross profit of its stores'
/// shipped lines, active stores, stores moved to self-ordering, categories grown, visits and calls. The agent's stores are
/// the stores assigned to it now (customers.agent_id), as in the gross-profit report. Agents are listed when active or when
/// they have any figure in the period. Three grouped queries over the period and the previous one of the same length.
/// </summary>
public sealed class AgentScorecardReport(Db db)
{
    private sealed class AgentRow { public long Id { get; init; } public string Code { get; init; } = ""; public string Name { get; init; } = ""; public bool Active { get; init; } }
    private sealed class ProfitPart
    {
        public long AgentId { get; init; } public long CategoryId { get; init; } public string? Category { get; init; } public long Current { get; init; }
        public long Revenue { get; init; } public long Cost { get; init; } public long Uncosted { get; init; } public long Orders { get; init; }
    }
    private sealed class MixPart
    {
        public long AgentId { get; init; } public long CustomerId { get; init; } public string Code { get; init; } = ""; public string Name { get; init; } = "";
        public long Current { get; init; } public long Self { get; init; } public long Proxy { get; init; }
    }

    public async Task<AgentScorecard> GetAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var previous = period.Previous;
        var args = new { from = period.StartMs, to = period.EndMs, prevFrom = previous.StartMs };
        await using var c = await db.OpenAsync(ct);
        var agents = (await c.QueryAsync<AgentRow>("SELECT id AS Id, code AS Code, name AS Name, active AS Active FROM agents")).ToList();

        var current = "CASE WHEN o.shipped_at >= @from THEN 1 ELSE 0 END";
        var profit = (await c.QueryAsync<ProfitPart>($"""
            SELECT cu.agent_id AS AgentId, COALESCE(tc.id, 0) AS CategoryId, MAX(tc.name) AS Category, {current} AS Current, {GrossProfitSql.Sums}
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers cu ON cu.id = o.customer_id {GrossProfitSql.TopCategoryJoin}
            WHERE {GrossProfitSql.Shipped} AND o.shipped_at >= @prevFrom AND o.shipped_at < @to AND cu.agent_id IS NOT NULL
            GROUP BY cu.agent_id, COALESCE(tc.id, 0), {current}
            """, args)).ToList();

        var placed = "CASE WHEN o.created_at >= @from THEN 1 ELSE 0 END";
        var mix = (await c.QueryAsync<MixPart>($"""
            SELECT cu.agent_id AS AgentId, cu.id AS CustomerId, MAX(cu.code) AS Code, MAX(cu.name) AS Name, {placed} AS Current,
                   CAST(SUM(CASE WHEN o.channel = '{AgentScorecardRules.SelfChannel}' THEN 1 ELSE 0 END) AS BIGINT) AS Self,
                   CAST(SUM(CASE WHEN o.channel = '{AgentScorecardRules.SelfChannel}' THEN 0 ELSE 1 END) AS BIGINT) AS Proxy
            FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE {OrderStatusSql.CountsAsRevenue("o")} AND o.created_at >= @prevFrom AND o.created_at < @to AND cu.agent_id IS NOT NULL
            GROUP BY cu.agent_id, cu.id, {placed}
            """, args)).ToList();

        var visits = (await c.QueryAsync<(long AgentId, string Kind, long Count)>(
            "SELECT agent_id, kind, COUNT(*) FROM visits WHERE at >= @from AND at < @to GROUP BY agent_id, kind", args)).ToList();

        var rows = agents.Select(a =>
        {
            var mine = profit.Where(p => p.AgentId == a.Id).ToList();
            ProfitFigures Sum(IEnumerable<ProfitPart> parts) => parts.Aggregate(ProfitFigures.Zero, (acc, p) => acc.Plus(GrossProfitSql.Figures(p.Revenue, p.Cost, p.Uncosted)));
            var now = Sum(mine.Where(p => p.Current == 1));
            var before = Sum(mine.Where(p => p.Current == 0));
            var grown = mine.GroupBy(p => p.CategoryId)
                .Select(g => new ScorecardCategory(g.Key, g.Select(p => p.Category).FirstOrDefault(n => n is not null) ?? "（无品类）",
                    Sum(g.Where(p => p.Current == 0)).GrossProfitFen, Sum(g.Where(p => p.Current == 1)).GrossProfitFen))
                .Where(x => AgentScorecardRules.CategoryGrew(x.PreviousGrossProfitFen, x.GrossProfitFen))
                .OrderByDescending(x => x.GrossProfitFen - x.PreviousGrossProfitFen).ThenBy(x => x.CategoryId).ToList();
            var stores = mix.Where(m => m.AgentId == a.Id).GroupBy(m => m.CustomerId).Select(g =>
            {
                ChannelMix Of(long cur) => g.Where(m => m.Current == cur).Select(m => new ChannelMix((int)m.Self, (int)m.Proxy)).FirstOrDefault();
                return (Store: new ScorecardStore(g.Key, g.First().Code, g.First().Name), Previous: Of(0), Current: Of(1));
            }).ToList();
            var moved = stores.Where(s => AgentScorecardRules.MovedToSelfOrdering(s.Previous, s.Current)).Select(s => s.Store)
                .OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
            long Visits(string kind) => visits.Where(v => v.AgentId == a.Id && v.Kind == kind).Sum(v => v.Count);
            return new ScorecardRow(0, a.Id, a.Code, a.Name, a.Active, now, before.GrossProfitFen, stores.Count(s => s.Current.Orders > 0),
                moved, grown, Visits(VisitKinds.StoreVisit), Visits(VisitKinds.Call));
        })
        .Where(r => r.Active || r.Profit.RevenueFen != 0 || r.Profit.CostFen != 0 || r.ActiveStores > 0 || r.StoreVisits + r.Calls > 0)
        .OrderByDescending(r => r.Profit.GrossProfitFen).ThenBy(r => r.Code, StringComparer.Ordinal)
        .Select((r, i) => r with { Rank = i + 1 })
        .ToList();
        return new AgentScorecard(period, previous, rows);
    }
}
