using System.Data.Common;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Media;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Payments;
using OrderHub.Application.Statements;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.People;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Returns;

/// <summary>
/// Returns and after-sales (退货 / 退款). A store or its agent asks to return lines of a shipped order (at most what was
/// shipped less what other returns already take), with a reason and photos. The request then moves like an order: each
/// move one transaction, role and status checked, the status changed with a conditional update (two people acting at
/// once cannot both win), written on the return's timeline:
/// <list type="bullet">
/// <item>业务审核 (clerk): approve → 待收货, or reject with a reason;</item>
/// <item>仓库收货 (warehouse, Idempotency-Key): the quantities actually received (≤ asked) go back on hand in the order's warehouse;</item>
/// <item>财务退款/冲账 (finance, Idempotency-Key): the ledger gets one 'return' credit for the received goods
/// (<see cref="ReturnValuation"/>), and of that credit what the store had paid beyond what it now owes for the order goes
/// back through the payments refund path (WeChat Pay or the prepaid balance) — in the same transaction, so every yuan once.</item>
/// </list>
/// </summary>
public sealed class ReturnService(Db db, PaymentService payments, TimeProvider clock)
{
    public const int MaxReason = 200;
    public const int MaxPhotos = 9;
    public const int MaxLines = 100;

    private static readonly string CountingSql = string.Join(", ", ReturnStatus.Counting.Select(s => $"'{s}'"));

    // ------------------------------------------------------------------ asking for a return

    /// <summary>Per-field errors of a request ("中文 / English"); empty when its shape is valid.</summary>
    public static Dictionary<string, string[]> Validate(ReturnInput r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.OrderNo)) errors["orderNo"] = ["请选择要退货的订单 / orderNo is required"];
        if (r.Lines is null || r.Lines.Count == 0) errors["lines"] = ["请选择要退的商品和数量 / lines must name at least one order line"];
        else if (r.Lines.Count > MaxLines) errors["lines"] = [$"一次最多退 {MaxLines} 行 / at most {MaxLines} lines"];
        else if (r.Lines.Any(l => l.OrderLineId is null || l.Quantity is null or <= 0))
            errors["lines"] = ["每行须有订单行 id 和大于 0 的数量 / every line needs an orderLineId and a quantity above 0"];
        else if (r.Lines.Select(l => l.OrderLineId).Distinct().Count() != r.Lines.Count)
            errors["lines"] = ["同一订单行只能出现一次 / an order line may appear once"];
        if (string.IsNullOrWhiteSpace(r.Reason)) errors["reason"] = ["请填写退货原因 / reason is required"];
        else if (r.Reason.Trim().Length > MaxReason) errors["reason"] = [$"原因不能超过 {MaxReason} 字 / reason must be at most {MaxReason} characters"];
        if (r.PhotoIds is { Count: > MaxPhotos }) errors["photoIds"] = [$"最多 {MaxPhotos} 张照片 / at most {MaxPhotos} photos"];
        return errors;
    }

    /// <summary>What is left to return of each line of the caller's shipped order; null when the order is not the caller's.</summary>
    public async Task<IReadOnlyList<ReturnableLine>?> ReturnableAsync(OrderScope scope, string orderNo, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var o = await FindOrderAsync(c, null, scope, orderNo);
        return o is null ? null : await ReturnableLinesAsync(c, null, o.Id);
    }

    /// <summary>Creates the request (待审核). Idempotent by key per requester.</summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for a different request.</exception>
    public async Task<ReturnWriteResult> CreateAsync(OrderScope scope, Actor actor, ReturnInput r, string idempotencyKey, CancellationToken ct = default)
    {
        if (Validate(r).Count > 0) throw new ArgumentException("Invalid return request", nameof(r));
        var orderNo = r.OrderNo!.Trim();
        var reason = r.Reason!.Trim();
        var photoIds = (r.PhotoIds ?? []).Distinct().ToArray();
        var lines = r.Lines!.OrderBy(l => l.OrderLineId).ToList();
        var scopeKey = $"return-create:{actor.Kind}:{actor.Id}";
        var hash = Idempotency.Hash(orderNo, string.Join(',', lines.Select(l => $"{l.OrderLineId}x{l.Quantity}")), reason, string.Join(',', photoIds));

        await using var c = await db.OpenAsync(ct);
        if (await Idempotency.FindAsync(c, scopeKey, idempotencyKey, hash, null) is { } done)
            return new ReturnWriteResult((await GetAsync(c, null, OrderScope.Any, done))!, true);
        var now = Now;
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await Idempotency.LockAndFindAsync(c, tx, scopeKey, idempotencyKey, hash) is { } raced)
        {
            await tx.RollbackAsync(ct);
            return new ReturnWriteResult((await GetAsync(c, null, OrderScope.Any, raced))!, true);
        }
        var o = await FindOrderAsync(c, tx, scope, orderNo) ?? throw AppProblem.NotFound("订单不存在", "Order not found");
        if (o.Status is not (OrderStatus.Shipped or OrderStatus.Received))
            throw AppProblem.Conflict($"订单 {o.OrderNo} 当前为「{OrderStatus.Label(o.Status)}」，发货后才能退货",
                $"Order {o.OrderNo} is {o.Status}; only a shipped order can be returned", new Dictionary<string, object?> { ["orderStatus"] = o.Status });
        // one writer of an order's returns at a time (PostgreSQL locks the row; SQLite's write transaction already serialises)
        await c.ExecuteAsync("UPDATE orders SET version = version WHERE id = @Id", new { o.Id }, tx);

        var returnable = (await ReturnableLinesAsync(c, tx, o.Id)).ToDictionary(l => l.OrderLineId);
        foreach (var l in lines)
        {
            if (!returnable.TryGetValue(l.OrderLineId!.Value, out var line))
                throw AppProblem.BadRequest($"订单 {o.OrderNo} 没有第 {l.OrderLineId} 行", $"Order {o.OrderNo} has no line {l.OrderLineId}");
            if (l.Quantity > line.ReturnableQuantity)
                throw AppProblem.Conflict($"{line.Name} 最多还能退 {line.ReturnableQuantity}{line.Unit}（已发 {line.OrderedQuantity}，已退或退货中 {line.ReturnedQuantity}）",
                    $"{line.Sku}: at most {line.ReturnableQuantity} can be returned (shipped {line.OrderedQuantity}, returned or in return {line.ReturnedQuantity})",
                    new Dictionary<string, object?> { ["orderLineId"] = line.OrderLineId, ["returnableQuantity"] = line.ReturnableQuantity });
        }
        if (photoIds.Length > 0)
        {
            var mine = (await c.QueryAsync<long>($"SELECT id FROM media WHERE {db.Dialect.InList("id", "photoIds")} AND purpose = @purpose AND owner_kind = @Kind AND owner_id = @Id",
                new { photoIds, purpose = MediaPurpose.ReturnPhoto, actor.Kind, actor.Id }, tx)).ToHashSet();
            if (photoIds.Any(p => !mine.Contains(p)))
                throw AppProblem.BadRequest("照片不存在，请重新上传", "A photo id is not one of your return photo uploads");
        }

        var requested = await ValueAsync(c, tx, o, lines.ToDictionary(l => l.OrderLineId!.Value, l => l.Quantity!.Value));
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO return_requests (return_no, order_id, customer_id, status, reason, photo_ids, requested_by_kind, requested_by_id,
                                         requested_fen, created_at, updated_at)
            VALUES (@tempNo, @OrderId, @CustomerId, @status, @reason, @photos, @Kind, @ActorId, @requested, @now, @now) RETURNING id
            """, new
        {
            tempNo = Guid.NewGuid().ToString("N"), OrderId = o.Id, o.CustomerId, status = ReturnStatus.PendingReview, reason,
            photos = JsonSerializer.Serialize(photoIds), actor.Kind, ActorId = actor.Id ?? 0, requested = requested.CreditFen, now,
        }, tx);
        var returnNo = $"RT{ShanghaiTime.Today(clock):yyyyMMdd}{id:D6}";
        await c.ExecuteAsync("UPDATE return_requests SET return_no = @returnNo WHERE id = @id", new { returnNo, id }, tx);
        foreach (var l in lines)
            await c.ExecuteAsync("""
                INSERT INTO return_lines (return_id, order_line_id, product_id, quantity)
                SELECT @id, id, product_id, @Quantity FROM order_lines WHERE id = @OrderLineId
                """, new { id, l.OrderLineId, l.Quantity }, tx);
        await AddEventAsync(c, tx, id, actor, "request", null, ReturnStatus.PendingReview, reason, now);
        await OrderHub.Application.Ordering.OrderJournal.AddEventAsync(c, tx, o.Id, actor, "return_requested", null, null, $"申请退货 {returnNo}：{reason}", now);
        if (!await Idempotency.TryRecordAsync(c, tx, scopeKey, idempotencyKey, hash, id, now))
        {
            await tx.RollbackAsync(ct);
            var first = await Idempotency.FindAsync(c, scopeKey, idempotencyKey, hash, null) ?? throw new InvalidOperationException("idempotency key vanished");
            return new ReturnWriteResult((await GetAsync(c, null, OrderScope.Any, first))!, true);
        }
        await tx.CommitAsync(ct);
        return new ReturnWriteResult((await GetAsync(c, null, OrderScope.Any, id))!, false);
    }

    // ------------------------------------------------------------------ moving a return

    /// <summary>Review, receive, refund or cancel. Receive and refund are money moves: with a key, a retry answers the first result.</summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for a different request.</exception>
    public async Task<ReturnWriteResult> ActAsync(ReturnActionRequest r, CancellationToken ct = default)
    {
        var label = ReturnFlowRules.Label(r.Action);
        if (!ReturnFlowRules.RoleMayEver(r.Role, r.Action))
            throw AppProblem.Forbidden($"您的角色不能执行退货「{label}」", $"Your role may not {ReturnFlowRules.Name(r.Action)} returns");
        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        if (r.Action == ReturnAction.Reject && reason is null) throw AppProblem.BadRequest("驳回须填写原因", "A rejection needs a reason");
        if (reason is { Length: > MaxReason }) throw AppProblem.BadRequest($"原因不能超过 {MaxReason} 字", $"The reason must be at most {MaxReason} characters");

        var idemScope = $"return-{ReturnFlowRules.Name(r.Action)}:{r.ReturnId}";
        var hash = Idempotency.Hash(reason, r.Received is null ? null : string.Join(',', r.Received.OrderBy(x => x.ReturnLineId).Select(x => $"{x.ReturnLineId}x{x.ReceivedQuantity}")));
        await using var c = await db.OpenAsync(ct);
        if (r.IdempotencyKey is { } key0 && await Idempotency.FindAsync(c, idemScope, key0, hash, null) is not null)
            return new ReturnWriteResult((await GetAsync(c, null, r.Scope, r.ReturnId))!, true);

        IReadOnlyList<RefundRow> started = [];
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            if (r.IdempotencyKey is { } key1 && await Idempotency.LockAndFindAsync(c, tx, idemScope, key1, hash) is not null)
            {
                await tx.RollbackAsync(ct);
                return new ReturnWriteResult((await GetAsync(c, null, r.Scope, r.ReturnId))!, true);
            }
            var ret = await GetAsync(c, tx, r.Scope, r.ReturnId) ?? throw AppProblem.NotFound("退货单不存在", "Return not found");
            var next = ReturnFlowRules.Next(ret.Status, r.Action)
                ?? throw AppProblem.Conflict($"退货单 {ret.ReturnNo} 当前为「{ReturnStatus.Label(ret.Status)}」，不能「{label}」",
                    $"Return {ret.ReturnNo} is {ret.Status}; {ReturnFlowRules.Name(r.Action)} is not possible now",
                    new Dictionary<string, object?> { ["returnStatus"] = ret.Status });
            if (!ReturnFlowRules.RoleMay(r.Role, r.Action, ret.Status))
                throw AppProblem.Conflict($"退货单处于「{ReturnStatus.Label(ret.Status)}」时，您的角色不能「{label}」",
                    $"Your role may not {ReturnFlowRules.Name(r.Action)} a return that is {ret.Status}", new Dictionary<string, object?> { ["returnStatus"] = ret.Status });

            var now = Now;
            Dictionary<long, long>? received = null;
            if (r.Action == ReturnAction.Receive) received = CheckReceived(ret, r.Received);

            var changed = await c.ExecuteAsync("""
                UPDATE return_requests SET status = @next, version = version + 1, updated_at = @now,
                    reject_reason = CASE WHEN @next = 'rejected' THEN @reason ELSE reject_reason END,
                    cancel_reason = CASE WHEN @next = 'cancelled' THEN @reason ELSE cancel_reason END,
                    received_at = CASE WHEN @next = 'pending_refund' THEN @now ELSE received_at END,
                    completed_at = CASE WHEN @next = 'completed' THEN @now ELSE completed_at END
                WHERE id = @Id AND status = @Status
                """, new { next, now, reason, ret.Id, ret.Status }, tx);
            if (changed == 0)
                throw AppProblem.Conflict($"退货单 {ret.ReturnNo} 刚刚已被他人处理，请刷新", $"Return {ret.ReturnNo} was just changed by someone else; reload it");

            var note = reason;
            if (received is not null) note = await ReceiveAsync(c, tx, ret, received, now) + (reason is null ? "" : "；" + reason);
            if (r.Action == ReturnAction.Approve)
            {
                // the ERP makes its return document now, so its warehouse can receive against it (ReturnPush)
                await OrderHub.Application.Sync.Outbox.EnqueueAsync(c, tx, OrderHub.Application.Sync.Outbox.PushReturn, ret.Id, ret.ReturnNo, now);
                await c.ExecuteAsync("UPDATE return_requests SET erp_queued = TRUE WHERE id = @Id", new { ret.Id }, tx);
            }
            if (r.Action == ReturnAction.Refund)
            {
                (note, started) = await CreditAndRefundAsync(c, tx, ret, r.Actor, now);
                if (reason is not null) note += "；" + reason;
            }
            await AddEventAsync(c, tx, ret.Id, r.Actor, ReturnFlowRules.Name(r.Action), ret.Status, next, note, now);
            await ReturnNotices.NotifyAsync(c, tx, ret, r.Action, reason, note, now);
            if (r.IdempotencyKey is { } key2 && !await Idempotency.TryRecordAsync(c, tx, idemScope, key2, hash, ret.Id, now))
            {
                await tx.RollbackAsync(ct);
                return new ReturnWriteResult((await GetAsync(c, null, r.Scope, r.ReturnId))!, true);
            }
            await tx.CommitAsync(ct);
        }
        if (started.Count > 0) await payments.SendStartedRefundsAsync(started, ct);
        return new ReturnWriteResult((await GetAsync(c, null, r.Scope, r.ReturnId))!, false);
    }

    private static Dictionary<long, long> CheckReceived(ReturnView ret, IReadOnlyList<ReceivedLineInput>? input)
    {
        if (input is null || input.Count == 0)
            throw AppProblem.BadRequest("请填写每行实收数量", "received must give the quantity actually received of every line");
        var byId = ret.Lines.ToDictionary(l => l.Id);
        var result = new Dictionary<long, long>();
        foreach (var x in input)
        {
            if (x.ReturnLineId is not { } lid || !byId.TryGetValue(lid, out var line))
                throw AppProblem.BadRequest($"退货单 {ret.ReturnNo} 没有第 {x.ReturnLineId} 行", $"Return {ret.ReturnNo} has no line {x.ReturnLineId}");
            if (x.ReceivedQuantity is not { } q || q < 0)
                throw AppProblem.BadRequest("实收数量不能为空或负数", "receivedQuantity must be 0 or more");
            if (q > line.Quantity)
                throw new AppProblem(422, $"{line.Name} 实收 {q} 超过申请退货数量 {line.Quantity}", $"{line.Sku}: received {q} is more than the {line.Quantity} asked to return",
                    new Dictionary<string, object?> { ["returnLineId"] = lid, ["quantity"] = line.Quantity });
            if (!result.TryAdd(lid, q)) throw AppProblem.BadRequest("同一行只能填一次", "A return line may appear once");
        }
        if (result.Count != byId.Count) throw AppProblem.BadRequest("请填写每行实收数量 (没有收到填 0)", "received must name every line of the return (0 when none came)");
        return result;
    }

    /// <summary>仓库收货: the received quantities go back on hand in the order's warehouse.</summary>
    private static async Task<string> ReceiveAsync(DbConnection c, DbTransaction tx, ReturnView ret, Dictionary<long, long> received, long now)
    {
        var warehouseId = await c.ExecuteScalarAsync<long>("SELECT warehouse_id FROM orders WHERE id = @OrderId", new { ret.OrderId }, tx);
        foreach (var line in ret.Lines.OrderBy(l => l.ProductId))
        {
            var q = received[line.Id];
            await c.ExecuteAsync("UPDATE return_lines SET received_quantity = @q WHERE id = @Id", new { q, line.Id }, tx);
            if (q == 0) continue;
            var updated = await c.ExecuteAsync("UPDATE stock SET on_hand = on_hand + @q, updated_at = @now WHERE product_id = @ProductId AND warehouse_id = @warehouseId",
                new { q, now, line.ProductId, warehouseId }, tx);
            if (updated == 0)
                await c.ExecuteAsync("INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at) VALUES (@ProductId, @warehouseId, @q, 0, @now)",
                    new { line.ProductId, warehouseId, q, now }, tx);
        }
        return "实收 " + string.Join("，", ret.Lines.Select(l => $"{l.Name} {received[l.Id]}/{l.Quantity}{l.Unit}"));
    }

    /// <summary>
    /// 财务退款/冲账: one ledger credit (kind return) for the received goods; then, of that credit, what the store has paid on
    /// the order beyond what the order is now worth goes back as money (oldest payment first, each where it came from).
    /// </summary>
    private async Task<(string Note, IReadOnlyList<RefundRow> Refunds)> CreditAndRefundAsync(DbConnection c, DbTransaction tx, ReturnView ret, Actor actor, long now)
    {
        var o = (await FindOrderAsync(c, tx, OrderScope.Any, ret.OrderNo))!;
        await c.ExecuteAsync("UPDATE orders SET version = version WHERE id = @Id", new { o.Id }, tx);
        var credit = (await ValueAsync(c, tx, o, ret.Lines.ToDictionary(l => l.OrderLineId, l => l.ReceivedQuantity ?? 0), exceptReturnId: ret.Id)).CreditFen;
        if (credit > 0)
            await c.ExecuteAsync($"""
                INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, order_id, reference, external_ref, note, created_by, created_at)
                VALUES (@CustomerId, '{LedgerKinds.Return}', @amount, @now, @OrderId, @ReturnNo, @externalRef, @note, @by, @now)
                """, new { ret.CustomerId, amount = -credit, now, ret.OrderId, ret.ReturnNo, externalRef = $"return:{ret.Id}", note = $"退货 {ret.ReturnNo}（订单 {ret.OrderNo}）", by = By(actor) }, tx);

        // What the order is worth after every completed return, this one included, against what is paid on it.
        var creditedBefore = await c.ExecuteScalarAsync<long>($"""
            SELECT COALESCE(SUM(credit_fen), 0) FROM return_requests WHERE order_id = @OrderId AND status = '{ReturnStatus.Completed}' AND id <> @Id
            """, new { ret.OrderId, ret.Id }, tx);
        var owedForOrder = o.TotalFen - creditedBefore - credit;
        var paidNet = await PaymentService.PaidNetOfOrderAsync(c, tx, o.Id);
        var refund = Math.Clamp(paidNet - owedForOrder, 0, credit);
        IReadOnlyList<RefundRow> started = [];
        if (refund > 0)
        {
            started = await payments.StartOrderRefundsAsync(c, tx, ret.CustomerId, o.Id, refund, $"退货 {ret.ReturnNo}", actor, now);
            foreach (var s in started)
                await c.ExecuteAsync("INSERT INTO return_refunds (return_id, refund_id) VALUES (@Id, @refundId)", new { ret.Id, refundId = s.Id }, tx);
        }
        await c.ExecuteAsync("UPDATE return_requests SET credit_fen = @credit, refund_fen = @refund WHERE id = @Id", new { credit, refund, ret.Id }, tx);
        var note = $"冲账 {Money.Format(credit)}";
        if (refund > 0) note += $"，退款 {Money.Format(refund)}";
        return (note, started);
    }

    // ------------------------------------------------------------------ reading

    public async Task<ReturnView?> GetAsync(OrderScope scope, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, null, scope, id);
    }

    /// <summary>Newest first; the store's own, an agent's stores', or all (staff), optionally by status or order.</summary>
    public async Task<IReadOnlyList<ReturnView>> ListAsync(OrderScope scope, string? status, long? orderId, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var ids = (await c.QueryAsync<long>($"""
            SELECT r.id FROM return_requests r JOIN customers cu ON cu.id = r.customer_id
            WHERE (@cid IS NULL OR r.customer_id = @cid) AND (@aid IS NULL OR cu.agent_id = @aid)
              AND (@status IS NULL OR r.status = @status) AND (@orderId IS NULL OR r.order_id = @orderId)
            ORDER BY r.created_at DESC, r.id DESC LIMIT @limit
            """, new { cid = scope.CustomerId, aid = scope.AgentId, status, orderId, limit })).ToList();
        var list = new List<ReturnView>();
        foreach (var id in ids) list.Add((await GetAsync(c, null, OrderScope.Any, id))!);
        return list;
    }

    /// <summary>How many returns wait in each open status (the console's queue tabs).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM return_requests GROUP BY status");
        var counts = ReturnStatus.All.ToDictionary(s => s, _ => 0L);
        foreach (var (s, n) in rows) counts[s] = n;
        return counts;
    }

    private static async Task<ReturnView?> GetAsync(DbConnection c, DbTransaction? tx, OrderScope scope, long id)
    {
        var v = await c.QuerySingleOrDefaultAsync<ReturnView>("""
            SELECT r.id AS Id, r.return_no AS ReturnNo, r.order_id AS OrderId, o.order_no AS OrderNo, r.customer_id AS CustomerId, cu.name AS CustomerName,
                   r.status AS Status, r.reason AS Reason, r.photo_ids AS PhotoIdsJson, r.requested_fen AS RequestedFen, r.credit_fen AS CreditFen,
                   r.refund_fen AS RefundFen, r.reject_reason AS RejectReason, r.cancel_reason AS CancelReason, r.erp_status AS ErpStatus,
                   r.created_at AS CreatedAtMs, r.updated_at AS UpdatedAtMs, r.received_at AS ReceivedAtMs, r.completed_at AS CompletedAtMs
            FROM return_requests r JOIN orders o ON o.id = r.order_id JOIN customers cu ON cu.id = r.customer_id
            WHERE r.id = @id AND (@cid IS NULL OR r.customer_id = @cid) AND (@aid IS NULL OR cu.agent_id = @aid)
            """, new { id, cid = scope.CustomerId, aid = scope.AgentId }, tx);
        if (v is null) return null;
        v.Lines = (await c.QueryAsync<ReturnLineRow>("""
            SELECT rl.id AS Id, rl.order_line_id AS OrderLineId, rl.product_id AS ProductId, ol.sku AS Sku, ol.name AS Name, ol.spec AS Spec, ol.unit AS Unit,
                   ol.unit_price_fen AS UnitPriceFen, ol.is_gift AS IsGift, ol.quantity AS OrderedQuantity, rl.quantity AS Quantity, rl.received_quantity AS ReceivedQuantity
            FROM return_lines rl JOIN order_lines ol ON ol.id = rl.order_line_id WHERE rl.return_id = @id ORDER BY ol.line_no, rl.id
            """, new { id }, tx)).ToList();
        v.Events = (await c.QueryAsync<ReturnEventRow>("""
            SELECT at AS AtMs, actor_kind AS ActorKind, actor_name AS ActorName, action AS Action, from_status AS FromStatus, to_status AS ToStatus, note AS Note
            FROM return_events WHERE return_id = @id ORDER BY id
            """, new { id }, tx)).ToList();
        v.Refunds = (await c.QueryAsync<RefundRow>($"""
            SELECT {RefundRow.Columns} FROM payment_refunds WHERE id IN (SELECT refund_id FROM return_refunds WHERE return_id = @id) ORDER BY id
            """, new { id }, tx)).ToList();
        return v;
    }

    private sealed class OrderRow
    {
        public long Id { get; init; }
        public string OrderNo { get; init; } = "";
        public string Status { get; init; } = "";
        public long CustomerId { get; init; }
        public long GoodsFen { get; init; }
        public long DiscountFen { get; init; }
        public long TotalFen { get; init; }
    }

    private static Task<OrderRow?> FindOrderAsync(DbConnection c, DbTransaction? tx, OrderScope scope, string orderNo) =>
        c.QuerySingleOrDefaultAsync<OrderRow>("""
            SELECT o.id AS Id, o.order_no AS OrderNo, o.status AS Status, o.customer_id AS CustomerId, o.goods_fen AS GoodsFen,
                   o.discount_fen AS DiscountFen, o.total_fen AS TotalFen
            FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE o.order_no = @orderNo AND (@cid IS NULL OR o.customer_id = @cid) AND (@aid IS NULL OR cu.agent_id = @aid)
            """, new { orderNo, cid = scope.CustomerId, aid = scope.AgentId }, tx);

    private static async Task<IReadOnlyList<ReturnableLine>> ReturnableLinesAsync(DbConnection c, DbTransaction? tx, long orderId) =>
        (await c.QueryAsync<ReturnableLine>($"""
            SELECT ol.id AS OrderLineId, ol.sku AS Sku, ol.name AS Name, ol.unit AS Unit, ol.unit_price_fen AS UnitPriceFen, ol.is_gift AS IsGift,
                   ol.quantity AS OrderedQuantity,
                   COALESCE((SELECT SUM(COALESCE(rl.received_quantity, rl.quantity)) FROM return_lines rl JOIN return_requests r ON r.id = rl.return_id
                             WHERE rl.order_line_id = ol.id AND r.status IN ({CountingSql})), 0) AS ReturnedQuantity
            FROM order_lines ol WHERE ol.order_id = @orderId ORDER BY ol.line_no
            """, new { orderId }, tx)).ToList();

    /// <summary>Values quantities of order lines by <see cref="ReturnValuation"/>, after what completed returns already credited.</summary>
    private static async Task<(long GoodsFen, long CreditFen)> ValueAsync(DbConnection c, DbTransaction tx, OrderRow o, IReadOnlyDictionary<long, long> quantities, long? exceptReturnId = null)
    {
        var lines = await c.QueryAsync<(long Id, long Amount, long Quantity, long Before)>($"""
            SELECT ol.id, ol.amount_fen, ol.quantity,
                   COALESCE((SELECT SUM(COALESCE(rl.received_quantity, 0)) FROM return_lines rl JOIN return_requests r ON r.id = rl.return_id
                             WHERE rl.order_line_id = ol.id AND r.status = '{ReturnStatus.Completed}' AND r.id <> @except), 0)
            FROM order_lines ol WHERE ol.order_id = @Id ORDER BY ol.id
            """, new { o.Id, except = exceptReturnId ?? -1 }, tx);
        return ReturnValuation.Value(o.GoodsFen, o.DiscountFen,
            lines.Select(l => new ReturnValuation.Line(l.Amount, l.Quantity, l.Before, quantities.GetValueOrDefault(l.Id))));
    }

    internal static Task AddEventAsync(DbConnection c, DbTransaction tx, long returnId, Actor actor, string action, string? from, string? to, string? note, long now) =>
        c.ExecuteAsync("""
            INSERT INTO return_events (return_id, at, actor_kind, actor_id, actor_name, action, from_status, to_status, note)
            VALUES (@returnId, @now, @Kind, @Id, @Name, @action, @from, @to, @note)
            """, new { returnId, now, actor.Kind, actor.Id, actor.Name, action, from, to, note }, tx);

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string By(Actor a) => a.Id is { } id ? $"{a.Kind}:{id} {a.Name}" : $"{a.Kind} {a.Name}";
}
