using System.Data.Common;
using System.Globalization;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Notifications;
using OrderHub.Application.Ordering;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Templates;

/// <param name="Weekdays">Days of the week (Monday … Sunday as a bit mask, bit 0 = Monday), or null.</param>
/// <param name="EveryDays">Every N days from <paramref name="StartDay"/>, or null. Exactly one of the two.</param>
public sealed record NewSchedule(int? Weekdays, int? EveryDays, DateOnly? StartDay, string Mode, long? AddressId);

/// <summary>One occurrence as run: what it did, and the order it placed.</summary>
public sealed record OccurrenceResult(long ScheduleId, string Day, string Outcome, long? OrderId, string? Message);

/// <summary>
/// Recurring orders (定期订货) on an order template. Each day a schedule falls on (Asia/Shanghai) the work creates one
/// occurrence: the unique key (schedule, day) is claimed first, so two nodes running the work at once make it once.
/// Draft: the template's lines go into the owner's cart at today's prices and the owner is told to confirm. Submit: the
/// lines go into the schedule's own cart and are placed through <see cref="OrderPlacement"/> with an idempotency key of the
/// occurrence; anything that stops the order (short stock, products gone, no address) becomes a notification, never a
/// silent loss.
/// </summary>
public sealed class RecurringOrders(Db db, Reorder reorder, OrderPlacement placement, CustomerContextQuery customers, TimeProvider clock)
{
    /// <summary>An occurrence claimed this long ago and still pending (its node died) may be taken up again.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(15);

    /// <summary>The cart a submitting schedule fills and places from, apart from any person's cart.</summary>
    public static CartOwner CartOf(long scheduleId) => new("schedule", scheduleId);

    /// <summary>
    /// Adds a schedule to the store's template (null: no such template). With <paramref name="idem"/>, a retry answers the
    /// schedule the first request added; the same key with another rule is a 422.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different request.</exception>
    public async Task<Replayable<TemplateSchedule>?> AddAsync(CustomerContext customer, long ownerUserId, long templateId, NewSchedule s, IdempotentWrite? idem = null, CancellationToken ct = default)
    {
        if ((s.Weekdays is null) == (s.EveryDays is null))
            throw AppProblem.BadRequest("请选择每周几或每隔几天（二选一）", "Give either weekdays or everyDays, not both");
        if (s.Weekdays is < 1 or > 127) throw AppProblem.BadRequest("每周几无效", "weekdays must be a mask of 1 to 127 (bit 0 = Monday)");
        if (s.EveryDays is < 1 or > 366) throw AppProblem.BadRequest("间隔天数须在 1 到 366 之间", "everyDays must be between 1 and 366");
        if (!RecurringMode.All.Contains(s.Mode))
            throw AppProblem.BadRequest("方式须为草稿（draft）或自动提交（submit）", $"mode must be one of {string.Join(", ", RecurringMode.All)}");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var start = s.StartDay ?? ShanghaiTime.Today(clock);
        var hash = Idempotency.Hash("schedule", customer.CustomerId, templateId, s.Weekdays, s.EveryDays, s.StartDay is { } d ? Day(d) : null, s.Mode, s.AddressId);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (idem is not null && await Idempotency.LockAndFindAsync(c, tx, idem.Scope, idem.Key, hash) is { } done)
        {
            var row = await c.QuerySingleOrDefaultAsync<OrderTemplates.ScheduleRow>("""
                SELECT id AS Id, weekdays AS Weekdays, every_days AS EveryDays, start_day AS StartDay, mode AS Mode, address_id AS AddressId, active AS Active
                FROM order_template_schedules WHERE id = @done AND customer_id = @CustomerId
                """, new { done, customer.CustomerId }, tx);
            await tx.RollbackAsync(ct);
            return row is null ? null : new(row.ToSchedule(), true);
        }
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM order_templates WHERE id = @templateId AND customer_id = @CustomerId",
                new { templateId, customer.CustomerId }, tx) is null)
            return null;
        if (s.AddressId is { } a && await c.ExecuteScalarAsync<long?>("SELECT id FROM customer_addresses WHERE id = @a AND customer_id = @CustomerId AND active = TRUE",
                new { a, customer.CustomerId }, tx) is null)
            throw AppProblem.BadRequest("收货地址不存在", "Unknown delivery address");
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO order_template_schedules (template_id, customer_id, owner_user_id, weekdays, every_days, start_day, mode, address_id, active, created_at, updated_at)
            VALUES (@templateId, @CustomerId, @ownerUserId, @Weekdays, @EveryDays, @start, @Mode, @AddressId, TRUE, @now, @now) RETURNING id
            """, new { templateId, customer.CustomerId, ownerUserId, s.Weekdays, s.EveryDays, start = Day(start), s.Mode, s.AddressId, now }, tx);
        if (idem is not null && !await Idempotency.TryRecordAsync(c, tx, idem.Scope, idem.Key, hash, id, now))
            throw AppProblem.Conflict("同一请求正在处理，请稍后重试", "The same request is being handled; retry in a moment");
        await tx.CommitAsync(ct);
        return new(new TemplateSchedule(id, s.Weekdays, s.EveryDays, Day(start), s.Mode, s.AddressId, true), false);
    }

    /// <summary>Stops a schedule (its past occurrences stay). False: the store has no such schedule on that template.</summary>
    public async Task<bool> RemoveAsync(CustomerContext customer, long templateId, long scheduleId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("""
            UPDATE order_template_schedules SET active = FALSE, updated_at = @now
            WHERE id = @scheduleId AND template_id = @templateId AND customer_id = @CustomerId AND active = TRUE
            """, new { scheduleId, templateId, customer.CustomerId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>Runs every schedule that falls on today (Shanghai) and has not run today; returns what this call did.</summary>
    public async Task<IReadOnlyList<OccurrenceResult>> RunDueAsync(CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        List<ScheduleRow> schedules;
        await using (var c = await db.OpenAsync(ct))
            schedules = (await c.QueryAsync<ScheduleRow>("""
                SELECT s.id AS Id, s.template_id AS TemplateId, s.customer_id AS CustomerId, s.owner_user_id AS OwnerUserId, s.weekdays AS Weekdays,
                       s.every_days AS EveryDays, s.start_day AS StartDay, s.mode AS Mode, s.address_id AS AddressId, t.name AS TemplateName
                FROM order_template_schedules s JOIN order_templates t ON t.id = s.template_id
                WHERE s.active = TRUE AND NOT EXISTS (SELECT 1 FROM order_template_occurrences o WHERE o.schedule_id = s.id AND o.occurrence_day = @day
                                                       AND o.outcome <> @pending)
                ORDER BY s.id
                """, new { day = Day(today), pending = OccurrenceOutcome.Pending })).ToList();
        var done = new List<OccurrenceResult>();
        foreach (var s in schedules.Where(s => Recurrence.FallsOn((int?)s.Weekdays, (int?)s.EveryDays, DateOnly.ParseExact(s.StartDay, "yyyy-MM-dd", CultureInfo.InvariantCulture), today)))
        {
            var r = s.Mode == RecurringMode.Submit ? await SubmitAsync(s, today, ct) : await DraftAsync(s, today, ct);
            if (r is not null) done.Add(r);
        }
        return done;
    }

    /// <summary>Claims the occurrence in the caller's transaction: true when this caller is the one to make it.</summary>
    private async Task<bool> ClaimAsync(DbConnection c, DbTransaction tx, long scheduleId, string day, long now)
    {
        if (await c.ExecuteAsync("""
                INSERT INTO order_template_occurrences (schedule_id, occurrence_day, outcome, created_at) VALUES (@scheduleId, @day, @pending, @now)
                ON CONFLICT (schedule_id, occurrence_day) DO NOTHING
                """, new { scheduleId, day, pending = OccurrenceOutcome.Pending, now }, tx) == 1)
            return true;
        // Taken by a node that died before finishing: take it up again (the order's idempotency key keeps it one order).
        return await c.ExecuteAsync("""
            UPDATE order_template_occurrences SET created_at = @now
            WHERE schedule_id = @scheduleId AND occurrence_day = @day AND outcome = @pending AND created_at < @stale
            """, new { scheduleId, day, pending = OccurrenceOutcome.Pending, now, stale = now - (long)StaleClaim.TotalMilliseconds }, tx) == 1;
    }

    private async Task<OccurrenceResult?> DraftAsync(ScheduleRow s, DateOnly today, CancellationToken ct)
    {
        var day = Day(today);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var customer = await customers.ForCustomerAsync(s.CustomerId, ct);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (!await ClaimAsync(c, tx, s.Id, day, now)) { await tx.RollbackAsync(ct); return null; }
        string outcome, title, body;
        string kind;
        if (customer is null || await OrderTemplates.LinesAsync(c, tx, s.CustomerId, s.TemplateId) is not { } lines)
            (outcome, kind, title, body) = (OccurrenceOutcome.Failed, NotificationKind.RecurringOrderFailed, "定期订货未能生成", $"常用单「{s.TemplateName}」的定期订货今天未能生成：门店已停用。");
        else
        {
            // The draft is the owner's own cart for the store: the owner opens the cart and submits (or changes) it.
            var copied = await reorder.CopyLinesAsync(c, tx, CartOwner.User(s.OwnerUserId), customer, lines, ct);
            (outcome, kind, title) = (OccurrenceOutcome.Draft, NotificationKind.RecurringOrderDraft, "定期订货待确认");
            body = $"常用单「{s.TemplateName}」已按今天的价格放入购物车，请确认后提交。" + Changes(copied);
        }
        await FinishAsync(c, tx, s, day, outcome, null, body, kind, title, now);
        await tx.CommitAsync(ct);
        return new OccurrenceResult(s.Id, day, outcome, null, body);
    }

    private async Task<OccurrenceResult?> SubmitAsync(ScheduleRow s, DateOnly today, CancellationToken ct)
    {
        var day = Day(today);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var c = await db.OpenAsync(ct))
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            if (!await ClaimAsync(c, tx, s.Id, day, now)) { await tx.RollbackAsync(ct); return null; }
            await tx.CommitAsync(ct);
        }

        long? orderId = null;
        string message;
        var (outcome, kind, title) = (OccurrenceOutcome.Failed, NotificationKind.RecurringOrderFailed, "定期订货未能下单");
        try
        {
            var customer = await customers.ForCustomerAsync(s.CustomerId, ct) ?? throw AppProblem.NotFound("门店已停用", "The store is not active");
            ReorderResult copied;
            long? addressId;
            string? owner;
            await using (var c = await db.OpenAsync(ct))
            await using (var tx = await db.BeginWriteAsync(c, ct))
            {
                owner = await c.ExecuteScalarAsync<string?>("SELECT name FROM customer_users WHERE id = @OwnerUserId AND active = TRUE", new { s.OwnerUserId }, tx);
                addressId = s.AddressId ?? await c.ExecuteScalarAsync<long?>(
                    "SELECT id FROM customer_addresses WHERE customer_id = @CustomerId AND active = TRUE ORDER BY is_default DESC, id LIMIT 1", new { s.CustomerId }, tx);
                var cart = CartOf(s.Id);
                await c.ExecuteAsync("DELETE FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id", new { cart.Kind, cart.Id }, tx);
                copied = await reorder.CopyLinesAsync(c, tx, cart, customer,
                    await OrderTemplates.LinesAsync(c, tx, s.CustomerId, s.TemplateId) ?? [], ct);
                await tx.CommitAsync(ct);
            }
            if (owner is null) throw AppProblem.BadRequest("下单人账号已停用", "The user who set up the schedule is no longer active");
            if (addressId is null) throw AppProblem.BadRequest("门店没有收货地址", "The store has no delivery address");
            if (copied.Added.Count + copied.QuantityAdjusted.Count == 0)
                throw AppProblem.BadRequest("常用单中的商品都已不可订", "None of the template's items can be ordered any more");
            var placed = await placement.SubmitAsync(new SubmitOrder(CartOf(s.Id), customer, new Actor("customer_user", s.OwnerUserId, owner), null,
                addressId.Value, $"定期订货：{s.TemplateName}", $"recurring:{s.Id}:{day}"), ct);
            orderId = placed.OrderId;
            (outcome, kind, title) = (OccurrenceOutcome.Submitted, NotificationKind.RecurringOrderPlaced, "定期订货已下单");
            message = $"常用单「{s.TemplateName}」已自动下单：订单 {placed.OrderNo}。" + Changes(copied);
        }
        catch (AppProblem p)
        {
            message = $"常用单「{s.TemplateName}」今天未能自动下单：{p.Zh}。请打开常用单手动下单。";
        }

        await using (var c = await db.OpenAsync(ct))
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            await FinishAsync(c, tx, s, day, outcome, orderId, message, kind, title, clock.GetUtcNow().ToUnixTimeMilliseconds());
            await tx.CommitAsync(ct);
        }
        return new OccurrenceResult(s.Id, day, outcome, orderId, message);
    }

    private static async Task FinishAsync(DbConnection c, DbTransaction tx, ScheduleRow s, string day, string outcome, long? orderId, string message,
        string kind, string title, long now)
    {
        await c.ExecuteAsync("""
            UPDATE order_template_occurrences SET outcome = @outcome, order_id = @orderId, message = @message
            WHERE schedule_id = @Id AND occurrence_day = @day
            """, new { outcome, orderId, message, s.Id, day }, tx);
        await c.ExecuteAsync("""
            INSERT INTO notifications (customer_user_id, customer_id, order_id, kind, title, body, created_at)
            SELECT id, @CustomerId, @orderId, @kind, @title, @message, @now FROM customer_users WHERE id = @OwnerUserId
            """, new { s.CustomerId, orderId, kind, title, message, now, s.OwnerUserId }, tx);
    }

    private static string Changes(ReorderResult r)
    {
        var parts = new List<string>();
        if (r.Dropped.Count > 0) parts.Add("已不可订：" + string.Join("、", r.Dropped.Select(d => d.Name)));
        var changed = r.Added.Concat(r.QuantityAdjusted).Where(i => i.PriceChanged).ToList();
        if (changed.Count > 0) parts.Add("价格变动：" + string.Join("、", changed.Select(i => $"{i.Name} {Money.Format(i.OldUnitPriceFen)}→{Money.Format(i.NewUnitPriceFen)}")));
        return parts.Count == 0 ? "" : string.Join("；", parts) + "。";
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class ScheduleRow
    {
        public long Id { get; init; }
        public long TemplateId { get; init; }
        public long CustomerId { get; init; }
        public long OwnerUserId { get; init; }
        public long? Weekdays { get; init; }
        public long? EveryDays { get; init; }
        public string StartDay { get; init; } = "";
        public string Mode { get; init; } = "";
        public long? AddressId { get; init; }
        public string TemplateName { get; init; } = "";
    }
}

/// <summary>The scheduled work that makes today's recurring orders (<see cref="RecurringOrders.RunDueAsync"/>).</summary>
public sealed class RunRecurringOrders(RecurringOrders recurring) : IScheduledWork
{
    public Task RunAsync(CancellationToken ct) => recurring.RunDueAsync(ct);
}
