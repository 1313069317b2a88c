using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.WeChat.Pay;

namespace OrderHub.Application.Payments;

/// <summary>
/// Takes money for orders and top-ups (WeChat Pay JSAPI or the prepaid balance), books it once, and gives it back.
/// <list type="bullet">
/// <item>A WeChat payment is booked when WeChat Pay says it is paid — by its notification, by our query, whichever comes
/// first; the ledger row carries external_ref 'wxpay:&lt;transaction_id&gt;' (unique), so it is booked once however often and
/// in whatever order the news arrives.</item>
/// <item>A top-up is a ledger payment (money received) and a +movement of the prepaid balance; paying an order from the balance
/// is a −movement only (the money was received with the top-up), so every yuan is in the ledger once.</item>
/// <item>A refund goes back where the money came from: WeChat Pay (ledger 'refund' row when WeChat Pay says SUCCESS) or the
/// balance (+movement at once).</item>
/// <item>Changes of one customer's money run one at a time (SQLite's write lock; a PostgreSQL advisory lock per customer),
/// so balance = sum of movements and is never spent twice.</item>
/// </list>
/// </summary>
public sealed class PaymentService(Db db, WeChatPayGateway pay, PreReview.PreReviewSteps preReview, TimeProvider clock, ILogger<PaymentService> logger)
{
    public const long MaxAmountFen = 100_000_000;

    // ------------------------------------------------------------------ store: pay an order, top up

    /// <summary>Pays what is still open on an order: up to <paramref name="useBalanceFen"/> from the balance at once, the rest by WeChat Pay.</summary>
    public async Task<PayStart> PayOrderAsync(long customerId, long userId, long orderId, long useBalanceFen, string idempotencyKey, CancellationToken ct = default)
    {
        if (useBalanceFen < 0 || useBalanceFen > MaxAmountFen) throw AppProblem.BadRequest("useBalanceFen 无效", "useBalanceFen is out of range");
        var now = Now;
        var scope = $"pay-order:{customerId}";
        var hash = Idempotency.Hash(orderId, useBalanceFen);
        long? wechatPaymentId = null;
        long balancePaid = 0;
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await db.BeginWriteAsync(c, ct);
            await LockCustomerAsync(c, tx, customerId);
            if (await Idempotency.FindAsync(c, scope, idempotencyKey, hash, tx) is { } done)
            {
                await tx.RollbackAsync(ct);
                return await ResumeAsync(customerId, orderId, done == 0 ? null : done, 0, ct);
            }
            var order = await c.QuerySingleOrDefaultAsync<(long Id, string OrderNo, string Status, long TotalFen)?>(
                "SELECT id, order_no, status, total_fen FROM orders WHERE id = @orderId AND customer_id = @customerId", new { orderId, customerId }, tx)
                ?? throw AppProblem.NotFound("订单不存在", "Order not found");
            if (order.Status is OrderStatus.Cancelled or OrderStatus.Rejected)
                throw AppProblem.Conflict($"订单已{OrderStatus.Label(order.Status)[1..]}，不能支付", $"The order is {order.Status}; it cannot be paid");
            if (order.Status == OrderStatus.PendingOwnerApproval)
                throw AppProblem.Conflict("订单待店主审核，审核通过后再支付", "The order waits for the store owner's approval; pay after it");
            var outstanding = order.TotalFen - await PaidNetAsync(c, tx, orderId);
            var pending = await c.QuerySingleOrDefaultAsync<PaymentRow>($"""
                SELECT {PaymentRow.Columns} FROM payments WHERE order_id = @orderId AND method = 'wechat' AND status = 'pending' AND expires_at > @now
                ORDER BY id DESC LIMIT 1
                """, new { orderId, now }, tx);
            if (pending is not null)
            {
                // a WeChat payment already waits for this order: offer it again (WeChat Pay answers the same prepay_id)
                if (pending.AmountFen != outstanding)
                    throw AppProblem.Conflict("本订单已有一笔待支付的微信支付，请先完成或等待其过期", "A WeChat payment of this order is waiting; finish it or let it expire");
                await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, pending.Id, now);
                await tx.CommitAsync(ct);
                return await ResumeAsync(customerId, orderId, pending.Id, 0, ct);
            }
            if (outstanding <= 0) throw AppProblem.Conflict("订单已付清", "The order is already paid");

            var balance = await BalanceAsync(c, tx, customerId);
            balancePaid = Math.Min(Math.Min(useBalanceFen, outstanding), Math.Max(0, balance));
            if (useBalanceFen > 0 && balancePaid < Math.Min(useBalanceFen, outstanding) && balancePaid == 0)
                throw AppProblem.Conflict("预存款余额不足", "The prepaid balance is not enough", new Dictionary<string, object?> { ["balanceFen"] = balance });
            if (balancePaid > 0)
            {
                var id = await InsertPaymentAsync(c, tx, PaymentPurpose.Order, PaymentMethod.Balance, customerId, orderId, balancePaid, PaymentStatus.Paid, null, null, null, "store", now);
                await c.ExecuteAsync("UPDATE payments SET paid_at = @now WHERE id = @id", new { now, id }, tx);
                await AddMovementAsync(c, tx, customerId, PrepaidKinds.OrderPayment, -balancePaid, id, orderId, $"order-pay:{id}", $"订单 {order.OrderNo} 预存款支付", "store", now);
            }
            var rest = outstanding - balancePaid;
            if (rest > 0)
            {
                var openId = await c.ExecuteScalarAsync<string?>("SELECT wechat_openid FROM customer_users WHERE id = @userId AND customer_id = @customerId", new { userId, customerId }, tx);
                if (string.IsNullOrEmpty(openId))
                    throw AppProblem.Conflict("请在微信小程序中登录后再用微信支付", "Sign in from the WeChat mini-program to pay by WeChat Pay");
                _ = pay.Client(); // 503 now, before anything is committed, when WeChat Pay is off
                wechatPaymentId = await InsertPaymentAsync(c, tx, PaymentPurpose.Order, PaymentMethod.WeChat, customerId, orderId, rest, PaymentStatus.Pending,
                    NewOutTradeNo(), openId, now + pay.Settings.PayWithinMinutes * 60_000L, "store", now);
            }
            if (rest == 0) await preReview.OnPaymentBookedAsync(c, tx, orderId); // paid in full from the balance: 待付款 → review
            await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, wechatPaymentId ?? 0, now);
            await tx.CommitAsync(ct);
        }
        return await ResumeAsync(customerId, orderId, wechatPaymentId, balancePaid, ct);
    }

    /// <summary>Starts a top-up of the prepaid balance by WeChat Pay.</summary>
    public async Task<PayStart> TopUpAsync(long customerId, long userId, long amountFen, string idempotencyKey, CancellationToken ct = default)
    {
        if (amountFen <= 0 || amountFen > MaxAmountFen)
            throw AppProblem.BadRequest($"金额必须大于 0 且不超过 {MaxAmountFen} 分", $"amountFen must be between 1 and {MaxAmountFen}");
        var now = Now;
        var scope = $"top-up:{customerId}";
        var hash = Idempotency.Hash(amountFen);
        long id;
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await db.BeginWriteAsync(c, ct);
            if (await Idempotency.LockAndFindAsync(c, tx, scope, idempotencyKey, hash) is { } done) { await tx.RollbackAsync(ct); id = done; }
            else
            {
                var openId = await c.ExecuteScalarAsync<string?>("SELECT wechat_openid FROM customer_users WHERE id = @userId AND customer_id = @customerId", new { userId, customerId }, tx);
                if (string.IsNullOrEmpty(openId))
                    throw AppProblem.Conflict("请在微信小程序中登录后再用微信支付", "Sign in from the WeChat mini-program to pay by WeChat Pay");
                _ = pay.Client();
                id = await InsertPaymentAsync(c, tx, PaymentPurpose.TopUp, PaymentMethod.WeChat, customerId, null, amountFen, PaymentStatus.Pending,
                    NewOutTradeNo(), openId, now + pay.Settings.PayWithinMinutes * 60_000L, "store", now);
                await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now);
                await tx.CommitAsync(ct);
            }
        }
        return await ResumeAsync(customerId, null, id, 0, ct);
    }

    /// <summary>Finance books a bank transfer onto the prepaid balance (a ledger payment and a +movement). Idempotent by key.</summary>
    public async Task<PaymentRow?> BookTransferTopUpAsync(long customerId, long amountFen, string? reference, string? note, Actor actor, string idempotencyKey, CancellationToken ct = default)
    {
        if (amountFen <= 0 || amountFen > MaxAmountFen)
            throw AppProblem.BadRequest($"金额必须大于 0 且不超过 {MaxAmountFen} 分", $"amountFen must be between 1 and {MaxAmountFen}");
        if (reference is { Length: > 64 } || note is { Length: > 200 }) throw AppProblem.BadRequest("参考号或备注过长", "reference (64) or note (200) too long");
        var now = Now;
        var scope = "prepaid-transfer";
        var hash = Idempotency.Hash(customerId, amountFen, reference, note);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await Idempotency.LockAndFindAsync(c, tx, scope, idempotencyKey, hash) is { } done)
        {
            await tx.RollbackAsync(ct);
            return await GetAsync(c, null, done);
        }
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @customerId", new { customerId }, tx) == 0) return null;
        await LockCustomerAsync(c, tx, customerId);
        var by = By(actor);
        var id = await InsertPaymentAsync(c, tx, PaymentPurpose.TopUp, PaymentMethod.Transfer, customerId, null, amountFen, PaymentStatus.Paid, null, null, null, by, now);
        await c.ExecuteAsync("UPDATE payments SET paid_at = @now, reference = @reference, receipt_no = @receiptNo WHERE id = @id",
            new { now, reference, receiptNo = PaymentReceipts.TransferReceiptNo(id), id }, tx);
        await c.ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, external_ref, note, created_by, created_at)
            VALUES (@customerId, 'payment', @amount, @now, @reference, @externalRef, @note, @by, @now)
            """, new { customerId, amount = -amountFen, now, reference, externalRef = $"topup:{id}", note = $"【银行转账】预存款充值{(string.IsNullOrWhiteSpace(note) ? "" : "：" + note)}", by }, tx);
        await AddMovementAsync(c, tx, customerId, PrepaidKinds.TopUp, amountFen, id, null, $"topup:{id}", "银行转账充值" + (reference is null ? "" : $" {reference}"), by, now);
        await PaymentReceipts.EnqueueAsync(c, tx, id, PaymentReceipts.TransferReceiptNo(id), now); // the ERP gets its receipt (Sync/ReceiptPush.cs)
        await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now);
        await tx.CommitAsync(ct);
        return await GetAsync(c, null, id);
    }

    /// <summary>The state after a start: the WeChat payment's prepay (created now if it has none) and its signed wx.requestPayment parameters.</summary>
    private async Task<PayStart> ResumeAsync(long customerId, long? orderId, long? wechatPaymentId, long balancePaid, CancellationToken ct)
    {
        PaymentRow? p = null;
        RequestPaymentParams? rp = null;
        if (wechatPaymentId is { } pid)
        {
            await using var c = await db.OpenAsync(ct);
            p = await GetAsync(c, null, pid) ?? throw new InvalidOperationException("payment vanished");
            if (p.Status == PaymentStatus.Pending)
            {
                var client = pay.Client();
                var prepayId = p.PrepayId;
                if (prepayId is null)
                {
                    var description = p.Purpose == PaymentPurpose.TopUp ? "预存款充值"
                        : "订单 " + await c.ExecuteScalarAsync<string>("SELECT order_no FROM orders WHERE id = @OrderId", new { p.OrderId });
                    var openId = await c.ExecuteScalarAsync<string>("SELECT payer_openid FROM payments WHERE id = @pid", new { pid });
                    try
                    {
                        prepayId = await client.CreateJsapiAsync(new JsapiOrder(p.OutTradeNo!, description, p.AmountFen, openId, DateTimeOffset.FromUnixTimeMilliseconds(p.ExpiresAtMs!.Value)), ct);
                    }
                    catch (WeChatPayException e)
                    {
                        logger.LogWarning("WeChat Pay prepay of payment {PaymentId} failed: {Code}", pid, e.Code);
                        if (e.Code == "ORDERPAID") await RefreshAsync(pid, ct);
                        else if (!e.IsTransient) await c.ExecuteAsync("UPDATE payments SET status = 'failed', updated_at = @now WHERE id = @pid AND status = 'pending'", new { now = Now, pid });
                        throw WeChatPayGateway.ToProblem(e);
                    }
                    await c.ExecuteAsync("UPDATE payments SET prepay_id = @prepayId, updated_at = @now WHERE id = @pid", new { prepayId, now = Now, pid });
                    p = p with { PrepayId = prepayId };
                }
                rp = client.RequestPaymentFor(prepayId);
            }
        }
        var order = orderId is { } oid ? await OrderPaymentsAsync(customerId, oid, ct) : null;
        return new PayStart(orderId ?? 0, balancePaid, p, rp, order);
    }

    // ------------------------------------------------------------------ notifications and queries

    /// <summary>A WeChat Pay notification: verified and decrypted by the client (a forgery throws and books nothing), then booked once.</summary>
    public async Task HandleNotificationAsync(string? serial, string? timestamp, string? nonce, string? signature, string body, CancellationToken ct = default)
    {
        var client = pay.Client();
        var n = client.ReadNotification(serial, timestamp, nonce, signature, body);
        if (n.IsTransaction && n.EventType == "TRANSACTION.SUCCESS")
        {
            var t = WeChatPayClient.TransactionOf(n);
            await using var c = await db.OpenAsync(ct);
            var p = await c.QuerySingleOrDefaultAsync<PaymentRow>($"SELECT {PaymentRow.Columns} FROM payments WHERE out_trade_no = @OutTradeNo", new { t.OutTradeNo });
            if (p is null) { logger.LogWarning("WeChat Pay notification for unknown out_trade_no {OutTradeNo}", t.OutTradeNo); return; }
            await BookPaidAsync(p, t, ct);
        }
        else if (n.IsRefund)
        {
            var r = WeChatPayClient.RefundOf(n);
            await ApplyRefundStateAsync(r.OutRefundNo, r.State, r.RefundId, ct);
        }
    }

    /// <summary>Asks WeChat Pay about a pending WeChat payment and books it if paid; closes it if it expired unpaid.</summary>
    public async Task<PaymentRow> RefreshAsync(long paymentId, CancellationToken ct = default)
    {
        PaymentRow p;
        await using (var c = await db.OpenAsync(ct)) p = await GetAsync(c, null, paymentId) ?? throw AppProblem.NotFound("付款不存在", "Payment not found");
        if (p.Method != PaymentMethod.WeChat || p.OutTradeNo is null || p.Status == PaymentStatus.Paid) return p;
        var client = pay.Client();
        var t = await client.QueryByOutTradeNoAsync(p.OutTradeNo, ct);
        await using var c2 = await db.OpenAsync(ct);
        await c2.ExecuteAsync("UPDATE payments SET last_checked_at = @now WHERE id = @paymentId", new { now = Now, paymentId });
        if (t is not null && TradeState.IsPaid(t.TradeState)) await BookPaidAsync(p, t, ct);
        else if (t is null ? p.PrepayId is null && p.CreatedAtMs < Now - 600_000 : t.TradeState is TradeState.Closed or TradeState.Revoked or TradeState.PayError)
            await c2.ExecuteAsync("UPDATE payments SET status = 'closed', updated_at = @now WHERE id = @paymentId AND status = 'pending'", new { now = Now, paymentId });
        else if (p.ExpiresAtMs < Now && p.Status == PaymentStatus.Pending)
            await CloseAsync(p, ct);
        return await GetAsync(c2, null, paymentId) ?? p;
    }

    private async Task CloseAsync(PaymentRow p, CancellationToken ct)
    {
        try { await pay.Client().CloseAsync(p.OutTradeNo!, ct); }
        catch (WeChatPayException e) when (e.Code == "ORDERPAID")
        {
            if (await pay.Client().QueryByOutTradeNoAsync(p.OutTradeNo!, ct) is { } t && TradeState.IsPaid(t.TradeState)) await BookPaidAsync(p, t, ct);
            return;
        }
        catch (WeChatPayException e) when (e.Code is "ORDER_NOT_EXIST" or "ORDER_CLOSED") { }
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE payments SET status = 'closed', updated_at = @now WHERE id = @Id AND status = 'pending'", new { now = Now, p.Id });
    }

    /// <summary>Books a payment WeChat Pay says is paid: once, whatever came first (notification or query), whatever our status was.</summary>
    private async Task BookPaidAsync(PaymentRow p, WeChatPayTransaction t, CancellationToken ct)
    {
        if (t.TransactionId is null || t.Amount?.Total != p.AmountFen)
        {
            logger.LogError("WeChat Pay says {OutTradeNo} is paid but amount {Total} differs from {Amount}: not booked", p.OutTradeNo, t.Amount?.Total, p.AmountFen);
            return;
        }
        var now = Now;
        var paidAt = t.SuccessTime?.ToUnixTimeMilliseconds() ?? now;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await LockCustomerAsync(c, tx, p.CustomerId);
        var changed = await c.ExecuteAsync("""
            UPDATE payments SET status = 'paid', transaction_id = @TransactionId, paid_at = @paidAt, updated_at = @now
            WHERE id = @Id AND status <> 'paid'
            """, new { t.TransactionId, paidAt, now, p.Id }, tx);
        if (changed == 0) { await tx.RollbackAsync(ct); return; }
        var orderNo = p.OrderId is { } oid ? await c.ExecuteScalarAsync<string>("SELECT order_no FROM orders WHERE id = @oid", new { oid }, tx) : null;
        await c.ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, order_id, reference, external_ref, note, created_by, created_at)
            VALUES (@CustomerId, 'payment', @amount, @paidAt, @OrderId, @OutTradeNo, @externalRef, @note, '微信支付', @now)
            ON CONFLICT (external_ref) DO NOTHING
            """, new
        {
            p.CustomerId, amount = -p.AmountFen, paidAt, p.OrderId, p.OutTradeNo, externalRef = "wxpay:" + t.TransactionId,
            note = p.Purpose == PaymentPurpose.TopUp ? "【微信】预存款充值" : $"【微信】订单 {orderNo} 微信支付", now,
        }, tx);
        if (p.Purpose == PaymentPurpose.TopUp)
            await AddMovementAsync(c, tx, p.CustomerId, PrepaidKinds.TopUp, p.AmountFen, p.Id, null, $"topup:{p.Id}", "微信支付充值", "微信支付", now);
        else if (p.OrderId is { } paidOrder)
            await preReview.OnPaymentBookedAsync(c, tx, paidOrder); // a 待付款 order paid in full goes on to review
        await PaymentReceipts.EnqueueAsync(c, tx, p.Id, p.OutTradeNo!, now); // the ERP gets its receipt (Sync/ReceiptPush.cs)
        await tx.CommitAsync(ct);
        logger.LogInformation("WeChat payment {PaymentId} ({OutTradeNo}) booked", p.Id, p.OutTradeNo);
    }

    // ------------------------------------------------------------------ refunds

    /// <summary>
    /// Refunds part or all of a paid payment, back where it came from. Idempotent by key. A WeChat top-up goes back to
    /// WeChat Pay, at most the store's unspent balance: the balance is debited at once (top_up_refund) and credited back
    /// (top_up_refund_reversed) if WeChat Pay does not refund it. A transfer top-up's refund is finance paying it back by bank
    /// outside OrderHub: recorded done at once (balance debit, ledger refund, ERP refund).
    /// </summary>
    public async Task<RefundRow> RefundAsync(long paymentId, long amountFen, string? reason, Actor actor, string idempotencyKey, CancellationToken ct = default)
    {
        if (amountFen <= 0 || amountFen > MaxAmountFen) throw AppProblem.BadRequest("退款金额无效", "amountFen is out of range");
        if (reason is { Length: > 80 }) throw AppProblem.BadRequest("退款原因不能超过 80 个字", "reason must be at most 80 characters");
        var now = Now;
        var scope = $"refund:{paymentId}";
        var hash = Idempotency.Hash(amountFen, reason);
        RefundRow r;
        PaymentRow p;
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await db.BeginWriteAsync(c, ct);
            p = await GetAsync(c, tx, paymentId) ?? throw AppProblem.NotFound("付款不存在", "Payment not found");
            await LockCustomerAsync(c, tx, p.CustomerId);
            if (await Idempotency.FindAsync(c, scope, idempotencyKey, hash, tx) is { } done)
            {
                await tx.RollbackAsync(ct);
                return await GetRefundAsync(c, done);
            }
            p = await GetAsync(c, tx, paymentId) ?? p;
            r = await StartRefundAsync(c, tx, p, amountFen, reason, By(actor), now);
            await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, r.Id, now);
            await tx.CommitAsync(ct);
        }
        return await SendRefundAsync(p, r, throwOnRefusal: true, ct);
    }

    /// <summary>
    /// In the caller's write transaction (a return's 退款 step): refunds up to <paramref name="amountFen"/> of what is paid
    /// on the order, payment by payment, oldest first, each back where it came from (a balance refund is done at once).
    /// Commit, then <see cref="SendStartedRefundsAsync"/> asks WeChat Pay; if that call is lost the follow-up work sends
    /// the same out_refund_no again, so nothing is refunded twice.
    /// </summary>
    internal async Task<IReadOnlyList<RefundRow>> StartOrderRefundsAsync(DbConnection c, DbTransaction tx, long customerId, long orderId, long amountFen, string reason, Actor actor, long now)
    {
        await LockCustomerAsync(c, tx, customerId);
        var paid = (await c.QueryAsync<PaymentRow>($"SELECT {PaymentRow.Columns} FROM payments WHERE order_id = @orderId AND status = '{PaymentStatus.Paid}' AND refunded_fen < amount_fen ORDER BY id",
            new { orderId }, tx)).ToList();
        var started = new List<RefundRow>();
        var left = amountFen;
        foreach (var p in paid)
        {
            if (left <= 0) break;
            var take = Math.Min(left, p.AmountFen - p.RefundedFen);
            started.Add(await StartRefundAsync(c, tx, p, take, reason, By(actor), now));
            left -= take;
        }
        return started;
    }

    /// <summary>What is paid on an order, net of refunds asked for (in the caller's transaction).</summary>
    internal static Task<long> PaidNetOfOrderAsync(DbConnection c, DbTransaction tx, long orderId) => PaidNetAsync(c, tx, orderId);

    /// <summary>Sends refunds started by <see cref="StartOrderRefundsAsync"/> to WeChat Pay (balance refunds are already done).</summary>
    public async Task SendStartedRefundsAsync(IEnumerable<RefundRow> refunds, CancellationToken ct = default)
    {
        foreach (var r in refunds)
            await SendRefundAsync(await GetByIdAsync(r.PaymentId, ct), r, throwOnRefusal: false, ct);
    }

    /// <summary>In the caller's transaction: checks and reserves the refund; a balance refund is done at once.</summary>
    private async Task<RefundRow> StartRefundAsync(DbConnection c, DbTransaction tx, PaymentRow p, long amountFen, string? reason, string by, long now)
    {
        if (p.Status != PaymentStatus.Paid) throw AppProblem.Conflict("只能退已支付的款项", "Only a paid payment can be refunded");
        long? topUpBalance = null;
        if (p.Purpose == PaymentPurpose.TopUp)
        {
            // never more than the store's unspent balance (read under the customer's money lock) nor than what is left of the top-up
            topUpBalance = await BalanceAsync(c, tx, p.CustomerId);
            var refundable = Math.Max(0, Math.Min(topUpBalance.Value, p.AmountFen - p.RefundedFen));
            if (amountFen > refundable)
                throw AppProblem.Conflict($"可退金额不足：预存款余额 {Money.Format(topUpBalance.Value)}，本次充值还可退 {Money.Format(p.AmountFen - p.RefundedFen)}，最多可退 {Money.Format(refundable)}",
                    $"The refund exceeds what can be refunded: the unspent balance is {Money.Format(topUpBalance.Value)}, the top-up has {Money.Format(p.AmountFen - p.RefundedFen)} left, at most {Money.Format(refundable)}",
                    new Dictionary<string, object?> { ["refundableFen"] = refundable, ["balanceFen"] = topUpBalance.Value, ["leftOfTopUpFen"] = p.AmountFen - p.RefundedFen });
        }
        if (amountFen > p.AmountFen - p.RefundedFen)
            throw AppProblem.Conflict($"可退金额不足（还可退 {Money.Format(p.AmountFen - p.RefundedFen)}）", "The refund exceeds what is left of the payment",
                new Dictionary<string, object?> { ["refundableFen"] = p.AmountFen - p.RefundedFen });
        var changed = await c.ExecuteAsync("UPDATE payments SET refunded_fen = refunded_fen + @amountFen, updated_at = @now WHERE id = @Id AND refunded_fen + @amountFen <= amount_fen",
            new { amountFen, now, p.Id }, tx);
        if (changed == 0) throw AppProblem.Conflict("可退金额不足", "The refund exceeds what is left of the payment");
        var outRefundNo = "RF" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        // a balance refund, and a transfer top-up that finance pays back by bank outside OrderHub, are done when recorded
        var status = p.Method is PaymentMethod.Balance or PaymentMethod.Transfer ? RefundState.Succeeded : RefundState.Processing;
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO payment_refunds (payment_id, out_refund_no, amount_fen, status, reason, created_by, created_at, updated_at)
            VALUES (@Id, @outRefundNo, @amountFen, @status, @reason, @by, @now, @now) RETURNING id
            """, new { p.Id, outRefundNo, amountFen, status, reason, by, now }, tx);
        if (p.Method == PaymentMethod.Balance)
            await AddMovementAsync(c, tx, p.CustomerId, PrepaidKinds.Refund, amountFen, p.Id, p.OrderId, $"refund:{id}", "退回预存款" + (reason is null ? "" : "：" + reason), by, now);
        if (topUpBalance is not null) // the money leaves the balance now, while WeChat Pay refunds it; undone if the refund fails
            await AddMovementAsync(c, tx, p.CustomerId, PrepaidKinds.TopUpRefund, -amountFen, p.Id, null, $"topup-refund:{id}",
                (p.Method == PaymentMethod.Transfer ? "充值银行转账退回 " : "充值退回微信支付 ") + outRefundNo + (reason is null ? "" : "：" + reason), by, now);
        if (p.Method == PaymentMethod.Transfer)
        {
            // finance paid it back by bank: the money left now — one ledger refund and one ERP refund (预收款), like WeChat's SUCCESS
            await c.ExecuteAsync("""
                INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, external_ref, note, created_by, created_at)
                VALUES (@CustomerId, 'refund', @amountFen, @now, @outRefundNo, @externalRef, @note, @by, @now)
                """, new { p.CustomerId, amountFen, now, outRefundNo, externalRef = "trrefund:" + outRefundNo,
                    note = "【银行转账】预存款充值退款" + (reason is null ? "" : "：" + reason), by }, tx);
            await PaymentRefunds.EnqueueAsync(c, tx, id, outRefundNo, now);
        }
        return await GetRefundAsync(c, id, tx);
    }

    private async Task<RefundRow> SendRefundAsync(PaymentRow p, RefundRow r, bool throwOnRefusal, CancellationToken ct)
    {
        if (r.Status != RefundState.Processing || p.Method != PaymentMethod.WeChat) return r;
        WeChatPayRefund answer;
        try { answer = await pay.Client().RefundAsync(p.TransactionId!, r.OutRefundNo, r.AmountFen, p.AmountFen, r.Reason, ct); }
        catch (WeChatPayException e) when (!e.IsTransient)
        {
            logger.LogWarning("WeChat Pay refused refund {OutRefundNo}: {Code}", r.OutRefundNo, e.Code);
            await ApplyRefundStateAsync(r.OutRefundNo, RefundStatus.Abnormal, null, ct);
            if (throwOnRefusal) throw WeChatPayGateway.ToProblem(e);
            return r with { Status = RefundState.Failed };
        }
        catch (WeChatPayException e)
        {
            logger.LogWarning("WeChat Pay refund {OutRefundNo} not sent now ({Code}); the follow-up work sends it again", r.OutRefundNo, e.Code);
            return r; // stays processing: the follow-up work sends the same out_refund_no again
        }
        await ApplyRefundStateAsync(r.OutRefundNo, answer.State, answer.RefundId, ct);
        await using var c = await db.OpenAsync(ct);
        return await GetRefundAsync(c, r.Id);
    }

    /// <summary>What WeChat Pay says of a refund: SUCCESS books the ledger row once; CLOSED/ABNORMAL gives the amount back to the payment.</summary>
    private async Task ApplyRefundStateAsync(string outRefundNo, string state, string? refundId, CancellationToken ct)
    {
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var r = await c.QuerySingleOrDefaultAsync<RefundRow>($"SELECT {RefundRow.Columns} FROM payment_refunds WHERE out_refund_no = @outRefundNo", new { outRefundNo }, tx);
        if (r is null || r.Status != RefundState.Processing) { await tx.RollbackAsync(ct); return; }
        var p = (await GetAsync(c, tx, r.PaymentId))!;
        await LockCustomerAsync(c, tx, p.CustomerId);
        if (state == RefundStatus.Success)
        {
            if (await c.ExecuteAsync("UPDATE payment_refunds SET status = 'succeeded', refund_id = @refundId, updated_at = @now WHERE id = @Id AND status = 'processing'", new { refundId, now, r.Id }, tx) == 1)
            {
                await c.ExecuteAsync("""
                    INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, order_id, reference, external_ref, note, created_by, created_at)
                    VALUES (@CustomerId, 'refund', @AmountFen, @now, @OrderId, @OutRefundNo, @externalRef, @note, '微信支付', @now)
                    ON CONFLICT (external_ref) DO NOTHING
                    """, new { p.CustomerId, r.AmountFen, now, p.OrderId, r.OutRefundNo, externalRef = "wxrefund:" + r.OutRefundNo,
                    note = (p.Purpose == PaymentPurpose.TopUp ? "【微信】预存款充值退款" : "【微信】退款") + (r.Reason is null ? "" : "：" + r.Reason) }, tx);
                await PaymentRefunds.EnqueueAsync(c, tx, r.Id, r.OutRefundNo, now); // money left: the ERP's 收款退款单
            }
        }
        else if (state is RefundStatus.Closed or RefundStatus.Abnormal)
        {
            if (await c.ExecuteAsync("UPDATE payment_refunds SET status = 'failed', updated_at = @now WHERE id = @Id AND status = 'processing'", new { now, r.Id }, tx) == 1)
            {
                await c.ExecuteAsync("UPDATE payments SET refunded_fen = refunded_fen - @AmountFen, updated_at = @now WHERE id = @PaymentId", new { r.AmountFen, now, r.PaymentId }, tx);
                if (p.Purpose == PaymentPurpose.TopUp) // the top-up's refund did not happen: the balance gets its money back, once
                    await AddMovementAsync(c, tx, p.CustomerId, PrepaidKinds.TopUpRefundReversed, r.AmountFen, p.Id, null, $"topup-refund-failed:{r.Id}",
                        $"充值退款未成功，退回预存款 {r.OutRefundNo}", "微信支付", now);
            }
        }
        await tx.CommitAsync(ct);
    }

    // ------------------------------------------------------------------ the follow-up work

    /// <summary>
    /// Queries WeChat payments whose notification is late, closes expired ones, refunds what was paid on cancelled or
    /// rejected orders (also money that arrived after the cancellation), and sends or settles refunds still processing.
    /// </summary>
    public async Task<FollowUpResult> FollowUpAsync(CancellationToken ct = default)
    {
        if (!pay.Settings.Enabled) return new FollowUpResult(0, 0, 0, 0, 0);
        var now = Now;
        int queried = 0, booked = 0, closed = 0, started = 0, settled = 0;
        List<PaymentRow> due, toRefund;
        List<RefundRow> processing;
        await using (var c = await db.OpenAsync(ct))
        {
            due = (await c.QueryAsync<PaymentRow>($"""
                SELECT {PaymentRow.Columns} FROM payments
                WHERE method = 'wechat' AND status = 'pending'
                  AND (created_at < @before OR expires_at < @now OR order_id IN (SELECT id FROM orders WHERE status IN ('cancelled', 'rejected')))
                ORDER BY id LIMIT 200
                """,
                new { before = now - pay.Settings.QueryAfterSeconds * 1000L, now })).ToList();
            toRefund = (await c.QueryAsync<PaymentRow>($"""
                SELECT {PaymentRow.Columns} FROM payments
                WHERE purpose = 'order' AND status = 'paid' AND refunded_fen < amount_fen
                  AND order_id IN (SELECT id FROM orders WHERE status IN ('cancelled', 'rejected'))
                ORDER BY id LIMIT 200
                """)).ToList();
            processing = (await c.QueryAsync<RefundRow>($"SELECT {RefundRow.Columns} FROM payment_refunds WHERE status = 'processing' AND updated_at < @before ORDER BY id LIMIT 200",
                new { before = now - pay.Settings.QueryAfterSeconds * 1000L })).ToList();
        }
        foreach (var p in due)
        {
            try
            {
                queried++;
                var cancelled = p.OrderId is { } oid && await OrderEndedAsync(oid, ct);
                var after = await RefreshAsync(p.Id, ct);
                if (after.Status == PaymentStatus.Paid) { booked++; if (cancelled) toRefund.Add(after); }
                else if (after.Status == PaymentStatus.Pending && cancelled) { await CloseAsync(after, ct); var again = await GetByIdAsync(p.Id, ct); if (again.Status == PaymentStatus.Paid) { booked++; toRefund.Add(again); } else closed++; }
                else if (after.Status == PaymentStatus.Closed) closed++;
            }
            catch (Exception e) when (e is WeChatPayException or AppProblem) { logger.LogWarning("Follow-up of payment {PaymentId}: {Error}", p.Id, e.Message); }
        }
        foreach (var p in toRefund.DistinctBy(p => p.Id))
        {
            try
            {
                RefundRow r;
                PaymentRow fresh;
                await using (var c = await db.OpenAsync(ct))
                {
                    await using var tx = await db.BeginWriteAsync(c, ct);
                    await LockCustomerAsync(c, tx, p.CustomerId);
                    fresh = (await GetAsync(c, tx, p.Id))!;
                    if (fresh.Status != PaymentStatus.Paid || fresh.RefundedFen >= fresh.AmountFen) { await tx.RollbackAsync(ct); continue; }
                    r = await StartRefundAsync(c, tx, fresh, fresh.AmountFen - fresh.RefundedFen, "订单已取消，自动退款", "系统", now);
                    await tx.CommitAsync(ct);
                }
                started++;
                await SendRefundAsync(fresh, r, throwOnRefusal: false, ct);
            }
            catch (Exception e) when (e is WeChatPayException or AppProblem) { logger.LogWarning("Refund of payment {PaymentId}: {Error}", p.Id, e.Message); }
        }
        foreach (var r in processing)
        {
            try
            {
                var q = await pay.Client().QueryRefundAsync(r.OutRefundNo, ct);
                if (q is null) { var p = await GetByIdAsync(r.PaymentId, ct); await SendRefundAsync(p, r, false, ct); }
                else { await ApplyRefundStateAsync(r.OutRefundNo, q.State, q.RefundId, ct); if (q.State != RefundStatus.Processing) settled++; }
            }
            catch (WeChatPayException e) { logger.LogWarning("Follow-up of refund {OutRefundNo}: {Code}", r.OutRefundNo, e.Code); }
        }
        return new FollowUpResult(queried, booked, closed, started, settled);
    }

    private async Task<bool> OrderEndedAsync(long orderId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string>("SELECT status FROM orders WHERE id = @orderId", new { orderId }) is OrderStatus.Cancelled or OrderStatus.Rejected;
    }

    // ------------------------------------------------------------------ reading

    public async Task<OrderPayments> OrderPaymentsAsync(long? customerId, long orderId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var o = await c.QuerySingleOrDefaultAsync<(long Id, string OrderNo, string Status, long TotalFen, long CustomerId)?>(
            "SELECT id, order_no, status, total_fen, customer_id FROM orders WHERE id = @orderId", new { orderId });
        if (o is null || (customerId is { } cid && o.Value.CustomerId != cid)) throw AppProblem.NotFound("订单不存在", "Order not found");
        var payments = (await c.QueryAsync<PaymentRow>($"SELECT {PaymentRow.Columns} FROM payments WHERE order_id = @orderId ORDER BY id", new { orderId })).ToList();
        var refunds = (await c.QueryAsync<RefundRow>($"SELECT {RefundRow.Columns} FROM payment_refunds WHERE payment_id IN (SELECT id FROM payments WHERE order_id = @orderId) ORDER BY id", new { orderId })).ToList();
        var paid = await PaidNetAsync(c, null, orderId);
        var outstanding = o.Value.Status is OrderStatus.Cancelled or OrderStatus.Rejected ? 0 : Math.Max(0, o.Value.TotalFen - paid);
        return new OrderPayments(orderId, o.Value.OrderNo, o.Value.Status, o.Value.TotalFen, paid, outstanding, payments, refunds);
    }

    /// <summary>The store's pending WeChat payments of an order are asked for first (the store just came back from wx.requestPayment).</summary>
    public async Task<OrderPayments> OrderPaymentsAfterCheckAsync(long customerId, long orderId, CancellationToken ct = default)
    {
        var before = await OrderPaymentsAsync(customerId, orderId, ct);
        if (!pay.Settings.Enabled) return before;
        foreach (var p in before.Payments.Where(p => p.Status == PaymentStatus.Pending && p.PrepayId is not null))
        {
            try { await RefreshAsync(p.Id, ct); }
            catch (WeChatPayException e) { logger.LogInformation("Query of payment {PaymentId} failed: {Code}", p.Id, e.Code); }
        }
        return await OrderPaymentsAsync(customerId, orderId, ct);
    }

    public async Task<PrepaidAccount> PrepaidAsync(long customerId, int limit = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var balance = await BalanceAsync(c, null, customerId);
        var movements = (await c.QueryAsync<PrepaidMovement>("""
            SELECT id AS Id, kind AS Kind, amount_fen AS AmountFen, payment_id AS PaymentId, order_id AS OrderId, reference AS Reference, note AS Note, created_at AS CreatedAtMs
            FROM prepaid_movements WHERE customer_id = @customerId ORDER BY created_at DESC, id DESC LIMIT @limit
            """, new { customerId, limit })).ToList();
        var topUps = (await c.QueryAsync<PaymentRow>($"""
            SELECT {PaymentRow.Columns} FROM payments WHERE customer_id = @customerId AND purpose = '{PaymentPurpose.TopUp}' AND status = '{PaymentStatus.Paid}'
            ORDER BY paid_at DESC, id DESC LIMIT 50
            """, new { customerId })).Select(p => new PrepaidTopUp(p.Id, p.Method, p.ReceiptNo, p.AmountFen, p.RefundedFen,
                Math.Max(0, Math.Min(balance, p.AmountFen - p.RefundedFen)), p.PaidAtMs)).ToList();
        return new PrepaidAccount(customerId, balance, movements, topUps);
    }

    /// <summary>
    /// Money OrderHub took (WeChat Pay, transfers booked as top-ups) that is not in the ERP yet, oldest first: what the
    /// receipt push could not write (an adapter without receipts, an ERP that refused) or has not written yet.
    /// </summary>
    public async Task<IReadOnlyList<PaymentRow>> ToPostAsync(int limit = 200, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PaymentRow>($"""
            SELECT {PaymentRow.Columns} FROM payments WHERE {PaymentReceipts.ReceivedMoney} AND erp_posted_at IS NULL ORDER BY paid_at, id LIMIT @limit
            """, new { limit })).ToList();
    }

    public async Task<PaymentRow> MarkPostedAsync(long paymentId, string? erpReference, Actor actor, CancellationToken ct = default)
    {
        if (erpReference is { Length: > 64 }) throw AppProblem.BadRequest("ERP 单号不能超过 64 个字符", "erpReference must be at most 64 characters");
        await using var c = await db.OpenAsync(ct);
        var p = await GetAsync(c, null, paymentId) ?? throw AppProblem.NotFound("付款不存在", "Payment not found");
        if (p.Method == PaymentMethod.Balance || p.Status != PaymentStatus.Paid) throw AppProblem.Conflict("只有已收到的微信支付或银行转账需要过账", "Only paid WeChat payments and transfers are posted");
        await c.ExecuteAsync("UPDATE payments SET erp_posted_at = COALESCE(erp_posted_at, @now), erp_posted_by = COALESCE(erp_posted_by, @by), erp_reference = COALESCE(@erpReference, erp_reference), updated_at = @now WHERE id = @paymentId",
            new { now = Now, by = By(actor), erpReference = string.IsNullOrWhiteSpace(erpReference) ? null : erpReference.Trim(), paymentId });
        return (await GetAsync(c, null, paymentId))!;
    }

    public async Task<PaymentRow> GetByIdAsync(long paymentId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, null, paymentId) ?? throw AppProblem.NotFound("付款不存在", "Payment not found");
    }

    // ------------------------------------------------------------------ helpers

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string By(Actor a) => a.Id is { } id ? $"{a.Kind}:{id} {a.Name}" : $"{a.Kind} {a.Name}";

    /// <summary>24 characters, letters and digits (WeChat Pay allows 6–32 of [A-Za-z0-9_-|*]).</summary>
    private static string NewOutTradeNo() => "OH" + Convert.ToHexString(RandomNumberGenerator.GetBytes(11));

    internal static Task<PaymentRow?> GetAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<PaymentRow>($"SELECT {PaymentRow.Columns} FROM payments WHERE id = @id", new { id }, tx);

    private static async Task<RefundRow> GetRefundAsync(DbConnection c, long id, DbTransaction? tx = null) =>
        await c.QuerySingleAsync<RefundRow>($"SELECT {RefundRow.Columns} FROM payment_refunds WHERE id = @id", new { id }, tx);

    /// <summary>What is paid on an order, net of refunds asked for.</summary>
    private static Task<long> PaidNetAsync(DbConnection c, DbTransaction? tx, long orderId) =>
        c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(amount_fen - refunded_fen), 0) FROM payments WHERE order_id = @orderId AND status = 'paid'", new { orderId }, tx);

    public static Task<long> BalanceAsync(DbConnection c, DbTransaction? tx, long customerId) =>
        c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM prepaid_movements WHERE customer_id = @customerId", new { customerId }, tx);

    /// <summary>One writer of a customer's money at a time: SQLite's BEGIN IMMEDIATE already is; PostgreSQL takes an advisory lock.</summary>
    private static async Task LockCustomerAsync(DbConnection c, DbTransaction tx, long customerId)
    {
        if (c is Npgsql.NpgsqlConnection)
        {
            var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("customer-money\u001f" + customerId)), 0);
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key }, tx);
        }
    }

    private static Task<long> InsertPaymentAsync(DbConnection c, DbTransaction tx, string purpose, string method, long customerId, long? orderId, long amountFen,
        string status, string? outTradeNo, string? openId, long? expiresAt, string by, long now) =>
        c.ExecuteScalarAsync<long>("""
            INSERT INTO payments (purpose, method, customer_id, order_id, amount_fen, status, out_trade_no, receipt_no, payer_openid, expires_at, created_by, created_at, updated_at)
            VALUES (@purpose, @method, @customerId, @orderId, @amountFen, @status, @outTradeNo, @outTradeNo, @openId, @expiresAt, @by, @now, @now) RETURNING id
            """, new { purpose, method, customerId, orderId, amountFen, status, outTradeNo, openId, expiresAt, by, now }, tx);

    private static Task AddMovementAsync(DbConnection c, DbTransaction tx, long customerId, string kind, long amountFen, long? paymentId, long? orderId,
        string reference, string? note, string by, long now) =>
        c.ExecuteAsync("""
            INSERT INTO prepaid_movements (customer_id, kind, amount_fen, payment_id, order_id, reference, note, created_by, created_at)
            VALUES (@customerId, @kind, @amountFen, @paymentId, @orderId, @reference, @note, @by, @now)
            ON CONFLICT (reference) DO NOTHING
            """, new { customerId, kind, amountFen, paymentId, orderId, reference, note, by, now }, tx);
}

/// <summary>The follow-up of WeChat payments and refunds (see <see cref="PaymentService.FollowUpAsync"/>).</summary>
public sealed class FollowUpPayments(PaymentService payments) : OrderHub.Application.Common.Scheduling.IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => await payments.FollowUpAsync(ct);
}
