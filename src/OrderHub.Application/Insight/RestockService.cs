using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Notifications;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Insight;

/// <summary>A product a store buys regularly, with what the restock rule says about it.</summary>
public sealed record RestockItem(long ProductId, string Sku, string Name, string Unit, RestockAssessment Assessment);

/// <summary>
/// 补货提醒: per store and product, <see cref="Restock"/> on the store's own purchases (revenue orders, gifts excluded, the
/// last Restock:HistoryDays days) and the reminders it had. <see cref="RemindAllAsync"/> (the daily <c>restock-reminders</c>
/// work) records a reminder for every due product and leaves one message per store in its 消息 list; the message is pushed
/// as a WeChat subscribe message by the notification dispatcher, so the user's mute, quiet hours and daily cap
/// (Notifications) apply to it like to any other message.
/// </summary>
public sealed class RestockService(Db db, TimeProvider clock, RestockOptions options)
{
    private sealed class Purchase { public long CustomerId { get; set; } public long ProductId { get; set; } public long Day { get; set; } public long Qty { get; set; } }

    private async Task<Dictionary<long, List<RestockItem>>> AssessAsync(DbConnection c, long? customerId, DateOnly today, DbTransaction? tx = null)
    {
        var since = ShanghaiTime.StartOfDayMs(today.AddDays(-Math.Max(1, options.HistoryDays)));
        var purchases = (await c.QueryAsync<Purchase>($"""
            SELECT o.customer_id AS CustomerId, l.product_id AS ProductId, {ReportCalendar.DaySql("o.created_at")} AS Day, CAST(SUM(l.quantity) AS BIGINT) AS Qty
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers cu ON cu.id = o.customer_id
            WHERE o.created_at >= @since AND {OrderStatusSql.CountsAsRevenue("o")} AND l.is_gift = FALSE AND cu.active = TRUE
              AND (@customerId IS NULL OR o.customer_id = @customerId)
            GROUP BY o.customer_id, l.product_id, {ReportCalendar.DaySql("o.created_at")}
            """, new { since, customerId }, tx)).ToList();
        var sinceDay = ReportCalendar.DayNumberOf(today.AddDays(-Math.Max(1, options.HistoryDays)));
        var reminders = (await c.QueryAsync<(long CustomerId, long ProductId, long Day)>("""
            SELECT customer_id, product_id, reminded_day FROM restock_reminders
            WHERE reminded_day >= @sinceDay AND (@customerId IS NULL OR customer_id = @customerId)
            """, new { sinceDay, customerId }, tx)).ToLookup(r => (r.CustomerId, r.ProductId), r => new PastReminder(ReportCalendar.DateOfDayNumber(r.Day)));
        var productIds = purchases.Select(p => p.ProductId).ToHashSet();
        var products = (await c.QueryAsync<(long Id, string Sku, string Name, string Unit, bool Active)>("SELECT id, sku, name, unit, active FROM products", transaction: tx))
            .Where(p => productIds.Contains(p.Id)).ToDictionary(p => p.Id);

        var result = new Dictionary<long, List<RestockItem>>();
        foreach (var g in purchases.GroupBy(p => (p.CustomerId, p.ProductId)))
        {
            if (!products.TryGetValue(g.Key.ProductId, out var p) || !p.Active) continue;
            var a = Restock.Assess(p.Name, g.Select(x => new ProductPurchase(ReportCalendar.DateOfDayNumber(x.Day), x.Qty)), reminders[g.Key], today, options);
            if (a.State == RestockState.Irregular) continue;
            if (!result.TryGetValue(g.Key.CustomerId, out var list)) result[g.Key.CustomerId] = list = [];
            list.Add(new RestockItem(p.Id, p.Sku, p.Name, p.Unit, a));
        }
        return result;
    }

    /// <summary>
    /// The store's regularly bought products that are due today (due, already reminded, or muted are all listed — the store
    /// asked; only <see cref="RemindAllAsync"/> respects the mute), most overdue first.
    /// </summary>
    public async Task<IReadOnlyList<RestockItem>> DueForStoreAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var all = await AssessAsync(c, customerId, ShanghaiTime.Today(clock));
        return (all.GetValueOrDefault(customerId) ?? [])
            .Where(i => i.Assessment.State is RestockState.Due or RestockState.AlreadyReminded or RestockState.Muted)
            .OrderByDescending(i => i.Assessment.DaysSinceLastPurchase / Math.Max(1, i.Assessment.UsualIntervalDays ?? 1))
            .ThenBy(i => i.Sku, StringComparer.Ordinal).ToList();
    }

    /// <summary>The stores with at least one regularly bought product due (reminded today or not; muted ones left out): 群发 selection.</summary>
    public async Task<IReadOnlySet<long>> StoresDueAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var all = await AssessAsync(c, null, ShanghaiTime.Today(clock));
        return all.Where(kv => kv.Value.Any(i => i.Assessment.State is RestockState.Due or RestockState.AlreadyReminded)).Select(kv => kv.Key).ToHashSet();
    }

    /// <summary>Records today's reminder of every due product (not muted, none pending) and one message per store.</summary>
    /// <returns>Stores reminded, products reminded.</returns>
    public async Task<(int Stores, int Products)> RemindAllAsync(CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        var dayNo = ReportCalendar.DayNumberOf(today);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var all = await AssessAsync(c, null, today);
        await using var tx = await c.BeginTransactionAsync(ct);
        int stores = 0, products = 0;
        foreach (var (customerId, items) in all)
        {
            var due = items.Where(i => i.Assessment.ShouldRemind).OrderBy(i => i.Sku, StringComparer.Ordinal).ToList();
            var added = 0;
            foreach (var i in due)
                added += await c.ExecuteAsync("""
                    INSERT INTO restock_reminders (customer_id, product_id, reminded_day, usual_interval_days, usual_quantity, days_since_last, pushed, created_at)
                    VALUES (@customerId, @ProductId, @dayNo, @interval, @qty, @since, FALSE, @now)
                    ON CONFLICT (customer_id, product_id, reminded_day) DO NOTHING
                    """, new { customerId, i.ProductId, dayNo, interval = i.Assessment.UsualIntervalDays, qty = i.Assessment.UsualQuantity,
                               since = i.Assessment.DaysSinceLastPurchase, now }, tx);
            if (added == 0) continue;
            stores++;
            products += added;
            var body = due.Count == 1 ? due[0].Assessment.ReasonZh! : $"{due[0].Assessment.ReasonZh}；另有 {due.Count - 1} 种常购商品该补货了";
            await OrderJournal.NotifyStoreAsync(c, tx, customerId, null, NotificationKind.RestockDue, "补货提醒", body, now);
        }
        await tx.CommitAsync(ct);
        return (stores, products);
    }
}
