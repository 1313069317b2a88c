using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;

namespace OrderHub.Application.Templates;

public sealed record TemplateLine(string Sku, string Name, long Quantity, long UnitPriceFen);

public sealed record TemplateSchedule(long Id, int? Weekdays, int? EveryDays, string StartDay, string Mode, long? AddressId, bool Active);

/// <summary>An idempotency key and the scope it is unique in (the caller), for a write a client may retry.</summary>
public sealed record IdempotentWrite(string Scope, string Key);

/// <summary>A write's result, and whether it is the first request's result answered again for a retry.</summary>
public sealed record Replayable<T>(T Value, bool Replayed);

public sealed record OrderTemplate(long Id, string Name, long CustomerId, long CreatedAt, IReadOnlyList<TemplateLine> Lines, IReadOnlyList<TemplateSchedule> Schedules)
{
    public long TotalFen => Lines.Sum(l => l.UnitPriceFen * l.Quantity);
}

/// <summary>
/// Order templates (常用单): a store saves its cart under a name, lists its templates, deletes one, and applies one to the
/// cart at today's prices — through the same path as 再来一单 (<see cref="Reorder.CopyLinesAsync"/>), which reports
/// dropped items and price changes. A template belongs to the store (any of its users sees it); a chain's head office
/// keeps templates per branch by acting for the branch; an agent keeps them for its assigned stores (the same templates the
/// store sees) and places a proxy order from one (<see cref="OrderAsync"/>).
/// Writes a client may retry take an idempotency key (<see cref="IdempotentWrite"/>): a retry answers the first result.
/// </summary>
public sealed class OrderTemplates(Db db, Reorder reorder, OrderPlacement placement, TimeProvider clock)
{
    public const int MaxNameLength = 40;

    /// <summary>
    /// Saves the cart of <paramref name="owner"/> for this store as a template; the same name replaces the old lines.
    /// With <paramref name="idem"/>, a retry answers the template the first request saved without reading the cart again.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different request.</exception>
    public async Task<Replayable<OrderTemplate>> SaveCartAsync(CartOwner owner, CustomerContext customer, Actor by, string name, IdempotentWrite? idem = null, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > MaxNameLength)
            throw AppProblem.BadRequest($"常用单名称须为 1 到 {MaxNameLength} 个字", $"The template name must be 1 to {MaxNameLength} characters");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = Idempotency.Hash("save-cart", customer.CustomerId, name);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (idem is not null && await Idempotency.LockAndFindAsync(c, tx, idem.Scope, idem.Key, hash) is { } done)
        {
            await tx.RollbackAsync(ct);
            return new(await LoadAsync(c, customer.CustomerId, done)
                ?? throw AppProblem.NotFound("常用单已被删除", "The template saved by this request has since been deleted"), true);
        }
        // The cart as it is priced now (the quoter) is what the template remembers as "the price then".
        var cartRows = (await c.QueryAsync<(long ProductId, long Quantity, string? Unit)>(
            "SELECT product_id, quantity, unit FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @CustomerId ORDER BY added_at, product_id",
            new { owner.Kind, owner.Id, customer.CustomerId }, tx)).ToList();
        var cart = cartRows.Select(r => (r.ProductId, r.Quantity)).ToList();
        // The unit each line is shown in is saved with it, so applying the template brings 2 箱 back as 2 箱.
        var unitOf = cartRows.ToDictionary(r => r.ProductId, r => r.Unit);
        if (cart.Count == 0) throw AppProblem.BadRequest("购物车是空的，无法保存为常用单", "The cart is empty; there is nothing to save");
        var quote = await reorder.Quoter.QuoteAsync(c, customer, cart, now, tx);
        var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM order_templates WHERE customer_id = @CustomerId AND name = @name",
            new { customer.CustomerId, name }, tx);
        if (id is { } existing)
        {
            await c.ExecuteAsync("DELETE FROM order_template_lines WHERE template_id = @existing", new { existing }, tx);
            await c.ExecuteAsync("UPDATE order_templates SET updated_at = @now WHERE id = @existing", new { existing, now }, tx);
        }
        else
        {
            id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO order_templates (customer_id, name, created_by_kind, created_by_id, created_at, updated_at)
                VALUES (@CustomerId, @name, @Kind, @byId, @now, @now) RETURNING id
                """, new { customer.CustomerId, name, by.Kind, byId = by.Id ?? 0, now }, tx);
        }
        var n = 0;
        foreach (var l in quote.PaidLines)
            await c.ExecuteAsync("""
                INSERT INTO order_template_lines (template_id, line_no, product_id, sku, name, quantity, unit_price_fen, unit)
                VALUES (@id, @lineNo, @ProductId, @Sku, @Name, @Quantity, @price, @unit)
                """, new { id, lineNo = ++n, l.ProductId, l.Sku, l.Name, l.Quantity, price = l.Price.UnitPriceFen, unit = unitOf.GetValueOrDefault(l.ProductId) }, tx);
        if (idem is not null && !await Idempotency.TryRecordAsync(c, tx, idem.Scope, idem.Key, hash, id.Value, now))
            throw AppProblem.Conflict("同一请求正在处理，请稍后重试", "The same request is being handled; retry in a moment");
        await tx.CommitAsync(ct);
        return new((await GetAsync(customer, id.Value, ct))!, false);
    }

    public async Task<IReadOnlyList<OrderTemplate>> ListAsync(CustomerContext customer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var ids = (await c.QueryAsync<long>("SELECT id FROM order_templates WHERE customer_id = @CustomerId ORDER BY updated_at DESC, id DESC",
            new { customer.CustomerId })).ToList();
        var list = new List<OrderTemplate>();
        foreach (var id in ids) list.Add((await LoadAsync(c, customer.CustomerId, id))!);
        return list;
    }

    public async Task<OrderTemplate?> GetAsync(CustomerContext customer, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await LoadAsync(c, customer.CustomerId, id);
    }

    /// <summary>False when the store has no such template.</summary>
    public async Task<bool> DeleteAsync(CustomerContext customer, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM order_templates WHERE id = @id AND customer_id = @CustomerId", new { id, customer.CustomerId }, tx) is null)
            return false;
        await c.ExecuteAsync("""
            DELETE FROM order_template_occurrences WHERE schedule_id IN (SELECT id FROM order_template_schedules WHERE template_id = @id);
            DELETE FROM order_template_schedules WHERE template_id = @id;
            DELETE FROM order_template_lines WHERE template_id = @id;
            DELETE FROM order_templates WHERE id = @id
            """, new { id }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Puts the template's lines into the cart at today's prices (null: no such template).</summary>
    public async Task<ReorderResult?> ApplyAsync(CartOwner owner, CustomerContext customer, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var lines = await LinesAsync(c, tx, customer.CustomerId, id);
        if (lines is null) return null;
        var result = await reorder.CopyLinesAsync(c, tx, owner, customer, lines, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>The cart an order from a template is placed from: the caller's own, apart from its everyday cart.</summary>
    public static CartOwner TemplateCartOf(CartOwner caller) => new("template-" + caller.Kind, caller.Id);

    /// <summary>
    /// Places an order from the template at today's prices through <see cref="OrderPlacement"/> (re-pricing, stock
    /// reservation, the store notified of a proxy order), without touching the caller's cart: the lines go into the caller's
    /// template cart (<see cref="TemplateCartOf"/>) first. Null: no such template. A retry with the same key answers the
    /// first order before anything is copied; the same key for another template, address or note is a 422.
    /// </summary>
    public async Task<(SubmitResult Order, ReorderResult? Copied)?> OrderAsync(CartOwner caller, CustomerContext customer, Actor by, long? proxyAgentId, long id,
        long addressId, string? note, long? invoiceTitleId, string idempotencyKey, CancellationToken ct = default)
    {
        string? name;
        await using (var c = await db.OpenAsync(ct))
            name = await c.ExecuteScalarAsync<string?>("SELECT name FROM order_templates WHERE id = @id AND customer_id = @CustomerId", new { id, customer.CustomerId });
        if (name is null) return null;
        var cart = TemplateCartOf(caller);
        var cmd = new SubmitOrder(cart, customer, by, proxyAgentId, addressId, string.IsNullOrWhiteSpace(note) ? $"常用单：{name}" : note.Trim(),
            idempotencyKey, invoiceTitleId, Source: $"template:{id}");
        if (await placement.FindPlacedAsync(cmd, ct) is { } replay) return (replay, null);
        ReorderResult copied;
        await using (var c = await db.OpenAsync(ct))
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            if (await LinesAsync(c, tx, customer.CustomerId, id) is not { } lines) return null;
            await c.ExecuteAsync("DELETE FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @CustomerId",
                new { cart.Kind, cart.Id, customer.CustomerId }, tx);
            copied = await reorder.CopyLinesAsync(c, tx, cart, customer, lines, ct);
            await tx.CommitAsync(ct);
        }
        if (copied.Added.Count + copied.QuantityAdjusted.Count == 0)
            throw AppProblem.BadRequest("常用单中的商品都已不可订", "None of the template's items can be ordered any more");
        return (await placement.SubmitAsync(cmd, ct), copied);
    }

    /// <summary>The template's lines to copy, or null when the store has no such template.</summary>
    internal static async Task<IReadOnlyList<Reorder.PastLine>?> LinesAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, long customerId, long id)
    {
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM order_templates WHERE id = @id AND customer_id = @customerId", new { id, customerId }, tx) is null)
            return null;
        return (await c.QueryAsync<Reorder.PastLine>("""
            SELECT product_id AS ProductId, sku AS Sku, name AS Name, quantity AS Quantity, unit_price_fen AS UnitPriceFen, unit AS Unit
            FROM order_template_lines WHERE template_id = @id ORDER BY line_no
            """, new { id }, tx)).ToList();
    }

    private static async Task<OrderTemplate?> LoadAsync(System.Data.Common.DbConnection c, long customerId, long id)
    {
        var t = await c.QuerySingleOrDefaultAsync<(long Id, string Name, long CreatedAt)>(
            "SELECT id, name, created_at FROM order_templates WHERE id = @id AND customer_id = @customerId", new { id, customerId });
        if (t.Id == 0) return null;
        var lines = (await c.QueryAsync<(string Sku, string Name, long Quantity, long UnitPriceFen)>(
            "SELECT sku, name, quantity, unit_price_fen FROM order_template_lines WHERE template_id = @id ORDER BY line_no",
            new { id })).Select(l => new TemplateLine(l.Sku, l.Name, l.Quantity, l.UnitPriceFen)).ToList();
        var schedules = (await c.QueryAsync<ScheduleRow>("""
            SELECT id AS Id, weekdays AS Weekdays, every_days AS EveryDays, start_day AS StartDay, mode AS Mode, address_id AS AddressId, active AS Active
            FROM order_template_schedules WHERE template_id = @id ORDER BY id
            """, new { id })).Select(r => r.ToSchedule()).ToList();
        return new OrderTemplate(t.Id, t.Name, customerId, t.CreatedAt, lines, schedules);
    }

    internal sealed class ScheduleRow
    {
        public long Id { get; init; }
        public long? Weekdays { get; init; }
        public long? EveryDays { get; init; }
        public string StartDay { get; init; } = "";
        public string Mode { get; init; } = "";
        public long? AddressId { get; init; }
        public bool Active { get; init; }
        public TemplateSchedule ToSchedule() => new(Id, (int?)Weekdays, (int?)EveryDays, StartDay, Mode, AddressId, Active);
    }
}
