using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Insight;

/// <summary>A gap with the names an agent reads.</summary>
public sealed record NamedGap(CrossSellGap Gap, string Name, string CategoryName, string? Sku);

/// <summary>
/// 品类空白 for one store: reads the last CrossSell:HistoryDays days of the store's and its candidate peers' (same group and
/// region) revenue orders — gross profit per product = amount − cost (as shipped, else today's cost) — and ranks the gaps
/// with <see cref="CrossSell"/>.
/// </summary>
public sealed class CrossSellQuery(Db db, TimeProvider clock, CrossSellOptions options)
{
    public async Task<IReadOnlyList<NamedGap>> ForStoreAsync(long customerId, CancellationToken ct = default)
    {
        var since = ShanghaiTime.StartOfDayMs(ShanghaiTime.Today(clock).AddDays(-Math.Max(1, options.HistoryDays)));
        await using var c = await db.OpenAsync(ct);
        var me = await c.QuerySingleOrDefaultAsync<(long Id, long? GroupId, string? Region)?>(
            "SELECT id, group_id, region FROM customers WHERE id = @customerId", new { customerId });
        if (me is not { } store) return [];
        var rows = (await c.QueryAsync<(long CustomerId, long ProductId, long CategoryId, long Revenue, long Gp)>($"""
            SELECT o.customer_id, l.product_id, COALESCE(p.category_id, 0),
                   CAST(SUM(l.amount_fen) AS BIGINT), CAST(SUM(l.amount_fen - COALESCE(l.unit_cost_fen, p.cost_fen, 0) * l.quantity) AS BIGINT)
            FROM orders o JOIN customers cu ON cu.id = o.customer_id JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
            WHERE o.created_at >= @since AND {OrderStatusSql.CountsAsRevenue("o")} AND cu.active = TRUE
              AND ((cu.group_id IS NULL AND @GroupId IS NULL) OR cu.group_id = @GroupId)
              AND ((cu.region IS NULL AND @Region IS NULL) OR cu.region = @Region)
            GROUP BY o.customer_id, l.product_id, COALESCE(p.category_id, 0)
            """, new { since, store.GroupId, store.Region })).ToList();
        PeerStore Peer(long id, IEnumerable<(long CustomerId, long ProductId, long CategoryId, long Revenue, long Gp)> r)
        {
            var list = r.ToList();
            return new PeerStore(id, store.GroupId, store.Region, list.Sum(x => x.Revenue), list.ToDictionary(x => x.ProductId, x => (x.CategoryId, x.Gp)));
        }
        var byStore = rows.GroupBy(r => r.CustomerId).ToDictionary(g => g.Key, g => Peer(g.Key, g));
        var mine = byStore.GetValueOrDefault(customerId) ?? Peer(customerId, []);
        var gaps = CrossSell.Gaps(mine, byStore.Values.Where(p => p.Id != customerId), options);
        if (gaps.Count == 0) return [];

        var wanted = gaps.Where(g => g.Kind == GapKind.Product).Select(g => g.Id).ToHashSet();
        var products = (await c.QueryAsync<(long Id, string Sku, string Name)>("SELECT id, sku, name FROM products"))
            .Where(p => wanted.Contains(p.Id)).ToDictionary(p => p.Id);
        var categories = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM categories")).ToDictionary(x => x.Id, x => x.Name);
        return gaps.Select(g =>
        {
            var cat = categories.GetValueOrDefault(g.CategoryId, "（未分类）");
            return g.Kind == GapKind.Product && products.TryGetValue(g.Id, out var p) ? new NamedGap(g, p.Name, cat, p.Sku) : new NamedGap(g, cat, cat, null);
        }).ToList();
    }
}
