using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Insight;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;

namespace OrderHub.Application.ChatCommerce;

/// <summary>A product of the store's usual order (常购清单): what it took last time, priced for the store today.</summary>
public sealed record ChatToolbarUsualItem(string Sku, string Name, string Unit, long LastQuantity, long TimesOrdered, long UnitPriceFen);

/// <summary>A promotion live for the store, to send as a card.</summary>
public sealed record ChatToolbarPromotion(long Id, string Name, string KindLabel, string Badge, long EndsAtMs);

/// <summary>
/// What the agent sees beside a store's chat (聊天工具栏): the store with what it owes, its last order, its usual order, the
/// products due for restocking, its open orders with their statuses, and the promotions it gets.
/// </summary>
public sealed record ChatToolbarStore(AgentCustomerRow Store, OrderSummary? LastOrder, IReadOnlyList<ChatToolbarUsualItem> UsualItems,
    IReadOnlyList<RestockItem> DueRestocks, IReadOnlyList<OrderSummary> OpenOrders, IReadOnlyList<ChatToolbarPromotion> Promotions);

/// <summary>
/// The chat toolbar's store (issue #20): the WeChat Work external contact of the chat → the store it is linked to (by the
/// 联系我 callback or the back office, <c>wecom_contact_links</c>) → that store's summary from the services that already
/// answer each part (AgentCustomers, OrderQueries, RestockService, CatalogService). The caller checks the store is the agent's.
/// </summary>
public sealed class ChatToolbarStores(Db db, AgentCustomers agentCustomers, OrderQueries orders, RestockService restock,
    CatalogService catalog, OrderingOptions ordering, TimeProvider clock)
{
    /// <summary>
    /// How many usual items (as many as 常购清单 <c>GET /api/orders/frequent</c> lists, which the usual-order card puts in the
    /// cart), recent orders (the open ones among them are listed) and promotions the toolbar shows.
    /// </summary>
    public const int UsualItemCount = 20, RecentOrderCount = 50, PromotionCount = 5;

    /// <summary>The store the external contact is linked to; null when it is not linked.</summary>
    public async Task<long?> LinkedStoreAsync(string externalUserId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(externalUserId) || externalUserId.Length > 64) return null;
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>("SELECT customer_id FROM wecom_contact_links WHERE external_user_id = @externalUserId", new { externalUserId });
    }

    /// <summary>The store's summary for its agent; null when the store is not (or no longer) the agent's.</summary>
    public async Task<ChatToolbarStore?> SummaryAsync(long agentId, CustomerContext customer, CancellationToken ct = default)
    {
        var store = await agentCustomers.GetAsync(agentId, customer.CustomerId, ct);
        if (store is null) return null;
        // newest first; the open ones among the recent orders (the count of all open orders is on the store row)
        var (recent, _) = await orders.ListAsync(OrderScope.OfAgent(agentId), new OrderFilter(CustomerId: customer.CustomerId, Limit: RecentOrderCount), ct);
        var open = recent.Where(o => OrderStatus.Reserving.Contains(o.Status)).ToList();

        var since = clock.GetUtcNow().AddDays(-ordering.FrequentItemsDays).ToUnixTimeMilliseconds();
        var frequent = await orders.FrequentAsync(customer.CustomerId, since, UsualItemCount, ct);
        var items = (await catalog.GetManyAsync(customer, frequent.Select(f => f.ProductId).ToList(), ct)).ToDictionary(i => i.ProductId);
        var usual = frequent.Where(f => items.ContainsKey(f.ProductId))
            .Select(f => (f, i: items[f.ProductId]))
            .Select(x => new ChatToolbarUsualItem(x.i.Sku, x.i.Name, x.i.Unit, x.f.LastQuantity, x.f.TimesOrdered, x.i.Price.UnitPriceFen))
            .ToList();

        var due = await restock.DueForStoreAsync(customer.CustomerId, ct);
        var promotions = (await catalog.PromotionsAsync(customer, ct)).Take(PromotionCount)
            .Select(p => new ChatToolbarPromotion(p.Id, p.Name, p.KindLabel, p.Badge, p.EndsAtMs)).ToList();
        return new ChatToolbarStore(store, recent.FirstOrDefault(), usual, due, open, promotions);
    }
}
