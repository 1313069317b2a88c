using OrderHub.Application.Notifications;
using System.Data.Common;
using System.Globalization;
using Dapper;
using OrderHub.Application.Chains;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;
using OrderHub.Domain;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Ordering;

/// <param name="ProxyAgentId">Set when an agent places the order for the store (代订货).</param>
/// <param name="InvoiceTitleId">The store's invoice title (发票抬头) for this order, if any: the order keeps a copy.</param>
/// <param name="PayFirst">In Payments:Mode either, whether the store pays before review (待付款); ignored in the other modes.</param>
/// <param name="Source">What the cart was filled from when that is part of the request (an order template: "template:12"); it joins the idempotency hash.</param>
public sealed record SubmitOrder(CartOwner Owner, CustomerContext Customer, Actor PlacedBy, long? ProxyAgentId, long AddressId, string? Note, string IdempotencyKey,
    long? InvoiceTitleId = null, bool? PayFirst = null, string? Source = null);

/// <param name="Replayed">True when the same Idempotency-Key was seen before and this is the first result again.</param>
public sealed record SubmitResult(long OrderId, string OrderNo, bool Replayed);

/// <summary>
/// Turns a cart into an order in one transaction: prices every line again on the server (the client sends no prices),
/// adds 买赠 gifts and the 满减 discount, reserves stock with conditional updates (never oversells), records the timeline,
/// notifies the store of a proxy order, queues the order for the ERP when configured, and empties the cart.
/// A retried submit with the same Idempotency-Key returns the first order.
/// </summary>
public sealed class OrderPlacement(Db db, OrderQuoter quoter, OrderingOptions options, OrderFlowOptions flow, TimeProvider clock, PreReview.PaymentModeOptions? payments = null, ChainOptions? chains = null)
{
    public async Task<SubmitResult> SubmitAsync(SubmitOrder cmd, CancellationToken ct = default)
    {
        if (cmd.Note is { Length: > 500 }) throw AppProblem.BadRequest("备注不能超过 500 字", "The note must be at most 500 characters");
        var (scope, hash) = KeyOf(cmd);
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // Round trips on PostgreSQL (README, "Benchmark"): the key + address + cart; the quote (products, price book, units: 3);
        // reservations + the store's steps + credit; the order row; everything else written; COMMIT — 8 in all. SQLite runs
        // the same statements in process.
        await using var tx = await db.BeginWriteAsync(c, ct);
        // The key is claimed first, inside the transaction: a request with the same key still running is waited for, then
        // replayed (issue #21); a key used with another request is a 422 (IdempotencyKeyReusedException).
        var opening = new SqlBatch();
        Idempotency.Claim(opening, scope, cmd.IdempotencyKey, hash, now);
        opening.Add("SELECT contact_name AS ContactName, phone AS Phone, address AS Address FROM customer_addresses WHERE id = @AddressId AND customer_id = @CustomerId AND active = TRUE",
            new { cmd.AddressId, cmd.Customer.CustomerId });
        opening.Add("SELECT product_id AS ProductId, quantity AS Quantity, unit AS Unit, share_agent_id AS ShareAgentId, share_code AS ShareCode FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @CustomerId ORDER BY added_at, product_id",
            new { cmd.Owner.Kind, cmd.Owner.Id, cmd.Customer.CustomerId });
        bool claimed;
        AddressRow? address;
        List<CartRow> cart;
        await using (var grid = await opening.QueryMultipleAsync(c, tx))
        {
            claimed = (await grid.ReadAsync<long>()).Any();
            address = await grid.ReadSingleOrDefaultAsync<AddressRow>();
            cart = (await grid.ReadAsync<CartRow>()).ToList();
        }
        if (!claimed)
        {
            var first = await Idempotency.FindAsync(c, scope, cmd.IdempotencyKey, hash, tx) ?? throw new InvalidOperationException("idempotency key vanished");
            await tx.RollbackAsync(ct);
            return await ReplayAsync(c, first);
        }
        if (address is null)
            throw AppProblem.BadRequest("收货地址不存在", "Unknown delivery address", new Dictionary<string, object?> { ["addressId"] = cmd.AddressId });
        if (cart.Count == 0) throw AppProblem.BadRequest("购物车是空的", "The cart is empty");

        var quote = await quoter.QuoteAsync(c, cmd.Customer, cart.Select(x => new WantedLine(x.ProductId, x.Quantity, x.Unit)).ToList(), now, tx);
        if (quote.UnavailableProductIds.Count > 0)
            throw AppProblem.BadRequest("购物车中有商品已不可订，请移除后再提交", "Some cart items are no longer available; remove them and submit again",
                new Dictionary<string, object?> { ["productIds"] = quote.UnavailableProductIds });
        if (quote.Lines.FirstOrDefault(l => l.Problem != QuantityProblem.None) is { } bad)
        {
            var (zh, en) = QuantityRules.Message(bad.Problem, bad.Sku, bad.PackSize, bad.MinOrderQty, bad.UnitFactor == 1 ? null : bad.Unit);
            throw AppProblem.BadRequest(zh, en, new Dictionary<string, object?> { ["sku"] = bad.Sku });
        }

        // One round trip: the reservations (all or nothing), what decides the store's own steps, and the store's credit.
        var wanted = quote.Lines.GroupBy(l => l.ProductId).OrderBy(g => g.Key).Select(g => new Wanted(g.Key, g.Sum(l => l.BaseQuantity), g.First())).ToList();
        var checks = new SqlBatch();
        if (!options.AllowOversell) AddReservations(checks, cmd.Customer.WarehouseId, wanted);
        else await ReserveRegardlessAsync(c, tx, cmd.Customer.WarehouseId, wanted, now);
        var placedByUser = cmd.ProxyAgentId is null && cmd.PlacedBy.Kind == "customer_user" ? cmd.PlacedBy.Id : null;
        PreReview.PreReviewSteps.AddEntryFacts(checks, cmd.Customer, placedByUser);
        CreditCheck.AddExposure(checks, cmd.Customer.CustomerId, excludeOrderId: null, chains?.CreditAt ?? ChainLevel.Branch);
        var reserved = new HashSet<long>();
        PreReview.EntryFacts facts;
        CreditCheck.Exposure exposure;
        await using (var grid = await checks.QueryMultipleAsync(c, tx))
        {
            if (!options.AllowOversell)
                foreach (var _ in wanted) reserved.UnionWith(await grid.ReadAsync<long>());
            facts = await PreReview.PreReviewSteps.ReadEntryFactsAsync(grid);
            exposure = await CreditCheck.ReadExposureAsync(grid);
        }
        if (!options.AllowOversell) await RefuseShortagesAsync(c, tx, cmd.Customer.WarehouseId, wanted, reserved);

        // the share code of the first crediting item: a chat card's code makes the order chat-won (issue #20)
        var shareCode = cmd.ProxyAgentId is null ? cart.FirstOrDefault(x => x.ShareAgentId is { } a && ShareLinks.Credits(a, cmd.Customer))?.ShareCode : null;
        var (agentId, attribution) = cmd.ProxyAgentId is { } proxy ? (proxy, "proxy")
            : cart.FirstOrDefault(x => x.ShareAgentId is { } a && ShareLinks.Credits(a, cmd.Customer))?.ShareAgentId is { } share ? (share, "share_link")
            : (cmd.Customer.AgentId, cmd.Customer.AgentId is null ? null : "owner");
        // The store's own steps first (待店主审核, 待付款); the ERP hears of the order when it reaches the reviews.
        var entry = PreReview.PreReviewSteps.Decide(facts, payments ?? new(), quote.TotalFen, cmd.PayFirst);
        var status = OrderFlowRules.EntryStatus(flow, entry.NeedsOwnerApproval, entry.PayFirst);
        var queued = OrderFlowRules.QueuesAtSubmit(flow) && !OrderStatus.BeforeReview(status);
        var creditExceeded = quote.TotalFen > exposure.AvailableFen;

        var orderId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO orders (order_no, customer_id, channel, placed_by_kind, placed_by_id, agent_id, attribution, status, warehouse_id,
                                address_id, contact_name, contact_phone, delivery_address, note, goods_fen, discount_fen, total_fen,
                                discount_promotion_id, credit_exceeded, erp_queued, pay_first, payment_due_at, created_at, updated_at, share_code)
            VALUES (@tmpNo, @CustomerId, @channel, @placedByKind, @placedById, @agentId, @attribution, @status, @WarehouseId,
                    @AddressId, @ContactName, @Phone, @Address, @Note, @GoodsFen, @DiscountFen, @TotalFen,
                    @DiscountPromotionId, @creditExceeded, @queued, @payFirst, @paymentDue, @now, @now, @shareCode)
            RETURNING id
            """, new
        {
            tmpNo = "tmp-" + Guid.NewGuid().ToString("N"), cmd.Customer.CustomerId, channel = cmd.ProxyAgentId is null ? "self" : "proxy",
            placedByKind = cmd.PlacedBy.Kind, placedById = cmd.PlacedBy.Id, agentId, attribution, status, cmd.Customer.WarehouseId,
            cmd.AddressId, address.ContactName, address.Phone, address.Address, cmd.Note, quote.GoodsFen, quote.DiscountFen, quote.TotalFen,
            quote.DiscountPromotionId, creditExceeded, queued, payFirst = entry.PayFirst,
            paymentDue = status == OrderStatus.PendingPayment ? PreReview.PreReviewSteps.PaymentDueAt(payments ?? new(), now) : (long?)null, now, shareCode,
        }, tx);
        var orderNo = OrderNumber(orderId, now);
        if (cmd.InvoiceTitleId is { } titleId) await InvoiceTitles.CopyToOrderAsync(c, tx, orderId, cmd.Customer.CustomerId, titleId);

        // Everything else the order writes, in one round trip: its number, the lines and the store's last price paid (one
        // multi-row statement each), the timeline, the notifications, the outbox row, the emptied cart and the key's result.
        // quantity and unit are base units (stock, pick lists, reports); order_* are the unit the store ordered in.
        var writes = new SqlBatch().Add("UPDATE orders SET order_no = @orderNo WHERE id = @orderId", new { orderNo, orderId });
        var lines = quote.Lines.Select((l, i) => new object?[]
        {
            orderId, i + 1, l.ProductId, l.Sku, l.Name, l.Spec, l.BaseUnit, l.BaseQuantity, UnitConversion.PerBaseFen(l.Price.UnitPriceFen, l.UnitFactor), l.AmountFen,
            PriceSourceNames.Of(l.Price.Source), l.Price.Reason, l.GiftPromotionId ?? l.Price.PromotionId, l.IsGift,
            l.Unit, l.UnitFactor, l.Quantity, l.Price.UnitPriceFen, l.UnitErpCode,
        }).ToList();
        writes.Add(MultiRow.Sql("""
            INSERT INTO order_lines (order_id, line_no, product_id, sku, name, spec, unit, quantity, unit_price_fen, amount_fen,
                                     price_source, price_reason, promotion_id, is_gift,
                                     order_unit, unit_factor, order_quantity, order_unit_price_fen, unit_erp_code) VALUES
            """, lines, out var lineArgs), lineArgs);
        var lastPaid = quote.PaidLines.GroupBy(l => l.ProductId).OrderBy(g => g.Key)
            .Select(g => new object?[] { cmd.Customer.CustomerId, g.Key, UnitConversion.PerBaseFen(g.Last().Price.UnitPriceFen, g.Last().UnitFactor), g.Last().BaseQuantity, now }).ToList();
        if (lastPaid.Count > 0)
            writes.Add(MultiRow.Sql("INSERT INTO customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at) VALUES", lastPaid, out var lastArgs)
                + " ON CONFLICT (customer_id, product_id) DO UPDATE SET price_fen = excluded.price_fen, quantity = excluded.quantity, paid_at = excluded.paid_at",
                lastArgs);

        var proxyNote = cmd.ProxyAgentId is null ? null : $"业务员 {cmd.PlacedBy.Name} 代客下单";
        OrderJournal.AddEvent(writes, orderId, cmd.PlacedBy, "submit", null, status,
            proxyNote ?? (entry.NeedsOwnerApproval ? "店员订单超出审核金额，待店主审核" : creditExceeded ? "超出信用额度，待财务确认" : null), now);
        if (entry.NeedsOwnerApproval)
            PreReview.PreReviewSteps.NotifyOwners(writes, cmd.Customer.CustomerId, orderId, orderNo, cmd.PlacedBy.Name, quote.TotalFen, now);
        if (cmd.ProxyAgentId is not null)
            OrderJournal.NotifyStore(writes, cmd.Customer.CustomerId, orderId, NotificationKind.ProxyOrderPlaced,
                "业务员已为您下单", $"业务员 {cmd.PlacedBy.Name} 为您提交了订单 {orderNo}，金额 {Money.Format(quote.TotalFen)}，可在订单列表查看进度。", now);
        if (queued) Outbox.Enqueue(writes, Outbox.PushOrder, orderId, orderNo, now);
        writes.Add("DELETE FROM cart_items WHERE owner_kind = @Kind AND owner_id = @Id AND customer_id = @customerId",
            new { cmd.Owner.Kind, cmd.Owner.Id, customerId = cmd.Customer.CustomerId });
        Idempotency.Complete(writes, scope, cmd.IdempotencyKey, orderId);
        await writes.ExecuteAsync(c, tx);

        await tx.CommitAsync(ct);
        return new SubmitResult(orderId, orderNo, false);
    }

    private sealed record Wanted(long ProductId, long Qty, QuoteLine Line);

    /// <summary>
    /// Reserves every product of the quote in the store's warehouse with one conditional update each ("only if enough is
    /// available"), in product order so concurrent orders lock rows in the same order; each returns its product only if it
    /// could reserve, so the batch's results tell which items are short (<see cref="RefuseShortagesAsync"/>).
    /// </summary>
    private static void AddReservations(SqlBatch batch, long warehouseId, IReadOnlyList<Wanted> wanted)
    {
        foreach (var w in wanted)
            batch.Add("UPDATE stock SET reserved = reserved + @qty WHERE product_id = @productId AND warehouse_id = @warehouseId AND on_hand - reserved >= @qty RETURNING product_id",
                new { qty = w.Qty, productId = w.ProductId, warehouseId });
    }

    /// <summary>Any shortage rolls the whole order back (the caller's transaction) and names the short items.</summary>
    private static async Task RefuseShortagesAsync(DbConnection c, DbTransaction tx, long warehouseId, IReadOnlyList<Wanted> wanted, HashSet<long> reserved)
    {
        var shortages = new List<Shortage>();
        foreach (var (productId, qty, line) in wanted.Where(w => !reserved.Contains(w.ProductId)))
        {
            var available = await c.ExecuteScalarAsync<long?>(
                "SELECT on_hand - reserved FROM stock WHERE product_id = @productId AND warehouse_id = @warehouseId", new { productId, warehouseId }, tx) ?? 0;
            shortages.Add(new Shortage(line.Sku, line.Name, qty, Math.Max(0, available)));
        }
        if (shortages.Count > 0)
        {
            var names = string.Join("、", shortages.Select(s => $"{s.Name}({s.Sku}) 需 {s.Requested} 可订 {s.Available}"));
            throw AppProblem.Conflict($"库存不足：{names}", $"Not enough stock for: {string.Join(", ", shortages.Select(s => $"{s.Sku} wanted {s.Requested}, available {s.Available}"))}",
                new Dictionary<string, object?> { ["shortages"] = shortages });
        }
    }

    /// <summary>Oversell allowed (<c>Ordering:AllowOversell</c>): reserve regardless, creating the stock row if the ERP never sent one.</summary>
    private static async Task ReserveRegardlessAsync(DbConnection c, DbTransaction tx, long warehouseId, IReadOnlyList<Wanted> wanted, long now)
    {
        foreach (var (productId, qty, _) in wanted)
        {
            var args = new { productId, warehouseId, qty, now };
            await c.ExecuteAsync("""
                INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at) VALUES (@productId, @warehouseId, 0, 0, @now)
                ON CONFLICT (product_id, warehouse_id) DO NOTHING
                """, args, tx);
            await c.ExecuteAsync("UPDATE stock SET reserved = reserved + @qty WHERE product_id = @productId AND warehouse_id = @warehouseId", args, tx);
        }
    }

    /// <summary>
    /// The order an earlier submit with this command's Idempotency-Key placed, or null when the key is new; for a caller
    /// that must prepare the cart first (an order from a template) and must not touch it on a retry.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different request.</exception>
    public async Task<SubmitResult?> FindPlacedAsync(SubmitOrder cmd, CancellationToken ct = default)
    {
        var (scope, hash) = KeyOf(cmd);
        await using var c = await db.OpenAsync(ct);
        return await Idempotency.FindAsync(c, scope, cmd.IdempotencyKey, hash, null) is { } done ? await ReplayAsync(c, done) : null;
    }

    private static (string Scope, string Hash) KeyOf(SubmitOrder cmd)
    {
        var scope = $"order-submit:{cmd.Owner.Kind}:{cmd.Owner.Id}";
        // The invoice title and the source join the hash only when named, so keys recorded before them still replay.
        var parts = new List<object?> { cmd.Customer.CustomerId, cmd.AddressId, cmd.Note };
        if (cmd.InvoiceTitleId is { } invoiceTitle) parts.AddRange(["invoice", invoiceTitle]);
        if (cmd.Source is { } source) parts.AddRange(["source", source]);
        return (scope, Idempotency.Hash([.. parts]));
    }

    private static async Task<SubmitResult> ReplayAsync(DbConnection c, long orderId) =>
        new(orderId, await c.ExecuteScalarAsync<string>("SELECT order_no FROM orders WHERE id = @orderId", new { orderId }) ?? "", true);

    /// <summary>SO + Shanghai date + the order's id: SO20261125000123.</summary>
    public static string OrderNumber(long id, long nowMs) =>
        "SO" + ShanghaiTime.FromUnixMs(nowMs).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + id.ToString("D6", CultureInfo.InvariantCulture);

    private sealed class CartRow { public long ProductId { get; init; } public long Quantity { get; init; } public string? Unit { get; init; } public long? ShareAgentId { get; init; } public string? ShareCode { get; init; } }

    private sealed class AddressRow { public string ContactName { get; init; } = ""; public string Phone { get; init; } = ""; public string Address { get; init; } = ""; }
}

/// <summary>信用额度: what the store owes plus its open orders, against its credit limit (0 = no limit set).</summary>
public static class CreditCheck
{
    public sealed record Exposure(long BalanceFen, long OpenOrdersFen, long CreditLimitFen)
    {
        public long AvailableFen => CreditLimitFen <= 0 ? long.MaxValue : CreditLimitFen - BalanceFen - OpenOrdersFen;
    }

    /// <param name="creditAt">HeadOffice (<c>Chains:CreditAt</c>): a chain's credit is held by the head office — its limit,
    /// against the balance and open orders of the head office and all its branches together.</param>
    public static async Task<Exposure> ExposureAsync(DbConnection c, DbTransaction? tx, long customerId, long? excludeOrderId,
        ChainLevel creditAt = ChainLevel.Branch)
    {
        await using var grid = await AddExposure(new SqlBatch(), customerId, excludeOrderId, creditAt).QueryMultipleAsync(c, tx);
        return await ReadExposureAsync(grid);
    }

    /// <summary>The exposure as one statement of a batch (the order submit reads it with its reservations); read it with <see cref="ReadExposureAsync"/>.</summary>
    public static SqlBatch AddExposure(SqlBatch batch, long customerId, long? excludeOrderId, ChainLevel creditAt = ChainLevel.Branch)
    {
        // Who holds the credit: the store, or (HeadOffice) its head office — itself when it has none — for the whole chain.
        var holder = creditAt == ChainLevel.HeadOffice ? "(SELECT COALESCE(h.parent_customer_id, h.id) FROM customers h WHERE h.id = @customerId)" : "@customerId";
        var members = creditAt == ChainLevel.HeadOffice ? $"(SELECT m.id FROM customers m WHERE m.id = {holder} OR m.parent_customer_id = {holder})" : "(@customerId)";
        return batch.Add($"""
            SELECT CAST((SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id IN {members}) AS BIGINT),
                   CAST((SELECT COALESCE(SUM(total_fen), 0) FROM orders WHERE customer_id IN {members} AND id <> @exclude
                         AND status IN {OrderStatusSql.Reserving}) AS BIGINT),
                   CAST(COALESCE((SELECT credit_limit_fen FROM customers WHERE id = {holder}), 0) AS BIGINT)
            """, new { customerId, exclude = excludeOrderId ?? -1 });
    }

    public static async Task<Exposure> ReadExposureAsync(SqlMapper.GridReader grid)
    {
        var (balance, open, limit) = await grid.ReadSingleAsync<(long, long, long)>();
        return new Exposure(balance, open, limit);
    }

    public static async Task<bool> ExceedsAsync(DbConnection c, DbTransaction? tx, long customerId, long orderTotalFen, long? excludeOrderId,
        ChainLevel creditAt = ChainLevel.Branch) =>
        orderTotalFen > (await ExposureAsync(c, tx, customerId, excludeOrderId, creditAt)).AvailableFen;
}
