using System.ComponentModel;
using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;

namespace OrderHub.Application.Payments;

/// <summary>
/// Money OrderHub paid back as the ERP's receivable refund (收款退款单): a WeChat Pay refund that succeeded (of an order
/// payment, also one a return's 退款 started) is queued in the same transaction (<c>erp.push_refund</c>, Sync/RefundPush.cs)
/// and pushed once, or listed for a person to post when the adapter cannot write refunds (Tryton 6.0) or the ERP refused.
/// A refund to the prepaid balance moves no money and is no ERP refund (paying from the balance is no receipt either).
/// </summary>
public sealed class PaymentRefunds(Db db, TimeProvider clock)
{
    /// <summary>SQL over <c>payment_refunds r JOIN payments p</c>: a refund that paid money back (WeChat Pay, succeeded).</summary>
    /// A transfer top-up's refund (finance paid it back by bank) counts once it is recorded (it is recorded done).
    public const string PaidBack = $"p.method IN ('{PaymentMethod.WeChat}', '{PaymentMethod.Transfer}') AND r.status = '{RefundState.Succeeded}'";

    /// <summary>Queues the refund for the ERP in the caller's transaction (once per refund).</summary>
    public static Task EnqueueAsync(DbConnection c, DbTransaction tx, long refundId, string refundNo, long nowMs) =>
        Outbox.EnqueueAsync(c, tx, Outbox.PushRefund, refundId, refundNo, nowMs);

    internal const string Select = """
        SELECT r.id AS Id, r.payment_id AS PaymentId, p.method AS Method, r.out_refund_no AS OutRefundNo, r.refund_id AS RefundId, r.amount_fen AS AmountFen,
               p.receipt_no AS ReceiptNo, p.customer_id AS CustomerId, cu.code AS CustomerCode, o.order_no AS OrderNo,
               (SELECT MIN(rr.return_no) FROM return_refunds x JOIN return_requests rr ON rr.id = x.return_id WHERE x.refund_id = r.id) AS ReturnNo,
               r.reason AS Reason, r.updated_at AS RefundedAtMs, r.erp_posted_at AS ErpPostedAtMs, r.erp_posted_by AS ErpPostedBy, r.erp_reference AS ErpReference
        FROM payment_refunds r JOIN payments p ON p.id = r.payment_id JOIN customers cu ON cu.id = p.customer_id LEFT JOIN orders o ON o.id = p.order_id
        """;

    /// <summary>Refunds paid back that are not in the ERP yet, oldest first (post them with the refund number as their reference).</summary>
    public async Task<IReadOnlyList<RefundToPost>> ToPostAsync(int limit = 200, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<RefundToPost>($"{Select} WHERE {PaidBack} AND r.erp_posted_at IS NULL ORDER BY r.updated_at, r.id LIMIT @limit", new { limit })).ToList();
    }

    /// <summary>A person entered the refund in the ERP: it leaves the list; the ERP number (if given) matches it when the payments feed brings it.</summary>
    public async Task<RefundToPost> MarkPostedAsync(long refundId, string? erpReference, Actor actor, CancellationToken ct = default)
    {
        if (erpReference is { Length: > 64 }) throw AppProblem.BadRequest("ERP 单号不能超过 64 个字符", "erpReference must be at most 64 characters");
        await using var c = await db.OpenAsync(ct);
        var r = await GetAsync(c, refundId) ?? throw AppProblem.NotFound("退款不存在", "Refund not found");
        var paidBack = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM payment_refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = @refundId AND {PaidBack}", new { refundId });
        if (paidBack == 0) throw AppProblem.Conflict("只有已成功的微信支付退款或银行转账退款需要过账", "Only a WeChat Pay or transfer refund that succeeded is posted");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var by = actor.Id is { } id ? $"{actor.Kind}:{id} {actor.Name}" : $"{actor.Kind} {actor.Name}";
        await c.ExecuteAsync("""
            UPDATE payment_refunds SET erp_posted_at = COALESCE(erp_posted_at, @now), erp_posted_by = COALESCE(erp_posted_by, @by),
                                       erp_reference = COALESCE(@erpReference, erp_reference)
            WHERE id = @refundId
            """, new { now, by, erpReference = string.IsNullOrWhiteSpace(erpReference) ? null : erpReference.Trim(), refundId });
        return (await GetAsync(c, refundId))!;
    }

    internal static Task<RefundToPost?> GetAsync(DbConnection c, long refundId, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<RefundToPost>($"{Select} WHERE r.id = @refundId", new { refundId }, tx);
}

/// <summary>A refund OrderHub paid back, as the ERP needs it (收款退款单).</summary>
public sealed record RefundToPost
{
    [Description("退款 id / Refund id")]
    public long Id { get; init; }
    [Description("被退的付款 id / Id of the payment refunded")]
    public long PaymentId { get; init; }
    [Description("退款方式：wechat 微信支付退回、transfer 财务线下转账退回 (银行转账充值) / How it was paid back: wechat (WeChat Pay) or transfer (finance's bank transfer, for a transfer top-up)")]
    public string Method { get; init; } = "";
    [Description("退款单号 out_refund_no：ERP 退款单的参考号 / Refund number out_refund_no: the reference of the ERP's refund document")]
    public string OutRefundNo { get; init; } = "";
    [Description("微信支付退款单号 refund_id / WeChat Pay refund id")]
    public string? RefundId { get; init; }
    [Description("退款金额 (分) / Refund amount in fen")]
    public long AmountFen { get; init; }
    [Description("被退付款的收款单号 / Receipt number of the payment refunded")]
    public string? ReceiptNo { get; init; }
    [Description("客户 id / Customer id")]
    public long CustomerId { get; init; }
    [Description("客户编码 / Customer code")]
    public string CustomerCode { get; init; } = "";
    [Description("订单号；没有为 null / Order number; null if none")]
    public string? OrderNo { get; init; }
    [Description("退货单号 (退货退款时)；没有为 null / Return number (a return's refund); null if none")]
    public string? ReturnNo { get; init; }
    [Description("退款原因；没有为 null / Why it was refunded; null if not given")]
    public string? Reason { get; init; }
    [Description("退款成功时间 (UTC Unix 毫秒) / When the refund succeeded (UTC Unix ms)")]
    public long RefundedAtMs { get; init; }
    [Description("在 ERP 过账时间 (UTC Unix 毫秒)；未过账为 null / When it was posted in the ERP (UTC Unix ms); null if not yet")]
    public long? ErpPostedAtMs { get; init; }
    [Description("谁过的账；未过账为 null / Who posted it; null if not yet")]
    public string? ErpPostedBy { get; init; }
    [Description("ERP 退款单号；没有为 null / The ERP's refund number; null if none")]
    public string? ErpReference { get; init; }
}
