using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Ordering;

/// <summary>What happens to an order is written down: the timeline, and messages to the store's users.</summary>
public static class OrderJournal
{
    public static Task AddEventAsync(DbConnection c, DbTransaction tx, long orderId, Actor actor, string action, string? from, string? to, string? note, long nowMs) =>
        c.ExecuteAsync(EventSql, new { orderId, nowMs, actor.Kind, actor.Id, actor.Name, action, from, to, note }, tx);

    /// <summary>The same, as one statement of a batch (the order submit sends its writes together).</summary>
    public static SqlBatch AddEvent(SqlBatch batch, long orderId, Actor actor, string action, string? from, string? to, string? note, long nowMs) =>
        batch.Add(EventSql, new { orderId, nowMs, actor.Kind, actor.Id, actor.Name, action, from, to, note });

    /// <summary>One notification for every active user of the store (WeChat delivery picks them up).</summary>
    public static Task NotifyStoreAsync(DbConnection c, DbTransaction tx, long customerId, long? orderId, string kind, string title, string body, long nowMs) =>
        c.ExecuteAsync(NotifyStoreSql, new { customerId, orderId, kind, title, body, nowMs }, tx);

    /// <summary>The same, as one statement of a batch.</summary>
    public static SqlBatch NotifyStore(SqlBatch batch, long customerId, long? orderId, string kind, string title, string body, long nowMs) =>
        batch.Add(NotifyStoreSql, new { customerId, orderId, kind, title, body, nowMs });

    private const string EventSql = """
        INSERT INTO order_events (order_id, at, actor_kind, actor_id, actor_name, action, from_status, to_status, note)
        VALUES (@orderId, @nowMs, @Kind, @Id, @Name, @action, @from, @to, @note)
        """;

    private const string NotifyStoreSql = """
        INSERT INTO notifications (customer_user_id, customer_id, order_id, kind, title, body, created_at)
        SELECT id, customer_id, @orderId, @kind, @title, @body, @nowMs FROM customer_users WHERE customer_id = @customerId AND active = TRUE
        """;
}
