using System.ComponentModel;
using OrderHub.WeChat.Pay;

namespace OrderHub.Application.Payments;

public static class PaymentPurpose { public const string Order = "order"; public const string TopUp = "top_up"; }
public static class PaymentMethod { public const string WeChat = "wechat"; public const string Balance = "balance"; public const string Transfer = "transfer"; }
public static class PaymentStatus { public const string Pending = "pending"; public const string Paid = "paid"; public const string Closed = "closed"; public const string Failed = "failed"; }
public static class RefundState { public const string Processing = "processing"; public const string Succeeded = "succeeded"; public const string Failed = "failed"; }
public static class PrepaidKinds
{
    public const string TopUp = "top_up"; public const string OrderPayment = "order_payment"; public const string Refund = "refund";
    /// <summary>A top-up paid back to WeChat Pay: −amount, booked when the refund is reserved (the store cannot spend it meanwhile).</summary>
    public const string TopUpRefund = "top_up_refund";
    /// <summary>WeChat Pay did not refund it (CLOSED/ABNORMAL or refused): +amount, the balance debit undone.</summary>
    public const string TopUpRefundReversed = "top_up_refund_reversed";
}

public sealed record PaymentRow
{
    [Description("付款 id / Payment id")]
    public long Id { get; init; }
    [Description("用途：order 订单付款、top_up 预存款充值 / Purpose: order (paying an order) or top_up (topping up the prepaid balance)")]
    public string Purpose { get; init; } = "";
    [Description("方式：wechat 微信支付、balance 预存款、transfer 银行转账 / Method: wechat (WeChat Pay), balance (prepaid balance) or transfer (bank transfer)")]
    public string Method { get; init; } = "";
    [Description("门店 (客户) id / Store (customer) id")]
    public long CustomerId { get; init; }
    [Description("所付订单 id；充值为 null / The order paid; null for a top-up")]
    public long? OrderId { get; init; }
    [Description("付款金额 (分) / Payment amount in fen")]
    public long AmountFen { get; init; }
    [Description("已申请或已完成的退款 (分) / Refunded in fen, processing or done")]
    public long RefundedFen { get; init; }
    [Description("状态：pending 待支付、paid 已支付、closed 已关闭 (过期未付、订单已取消或微信支付已关单)、failed 失败 (微信支付拒绝下单) / Status: pending, paid, closed (expired unpaid, order cancelled, or closed at WeChat Pay) or failed (WeChat Pay refused the prepay)")]
    public string Status { get; init; } = "";
    [Description("微信支付商户订单号 out_trade_no (ERP 收款单的参考号)；非微信支付为 null / WeChat Pay merchant order number out_trade_no (the ERP receipt's reference); null unless paid by WeChat Pay")]
    public string? OutTradeNo { get; init; }
    [Description("微信支付订单号 transaction_id，支付成功后才有；否则为 null / WeChat Pay transaction id transaction_id, set once paid; null before")]
    public string? TransactionId { get; init; }
    [Description("微信支付预支付交易会话标识 prepay_id；尚未下单为 null / WeChat Pay prepay id (预支付) prepay_id; null until the prepay is created")]
    public string? PrepayId { get; init; }
    [Description("收款单号：ERP 收款单携带此号 (微信支付为 out_trade_no，银行转账为 TR+id)；预存款付款为 null / Receipt number the ERP receipt carries (out_trade_no for WeChat Pay, TR+id for a transfer); null for a balance payment")]
    public string? ReceiptNo { get; init; }
    [Description("银行转账的参考号 (只用于 transfer)；没有为 null / The bank transfer's reference (transfer only); null if none")]
    public string? Reference { get; init; }
    [Description("微信支付截止时间 time_expire (UTC Unix 毫秒)，过后不能再付；非微信支付为 null / WeChat Pay deadline time_expire (UTC Unix ms), after which it cannot be paid; null unless WeChat Pay")]
    public long? ExpiresAtMs { get; init; }
    [Description("支付成功时间 (UTC Unix 毫秒)；未支付为 null / When it was paid (UTC Unix ms); null until paid")]
    public long? PaidAtMs { get; init; }
    [Description("在 ERP 中过账的时间 (UTC Unix 毫秒)；未过账为 null / When it was posted in the ERP (UTC Unix ms); null until posted")]
    public long? ErpPostedAtMs { get; init; }
    [Description("过账人 (财务人员，或 ERP 收款同步时为 ERP)；未过账为 null / Who posted it in the ERP (a finance user, or ERP when matched by the ERP's payments feed); null until posted")]
    public string? ErpPostedBy { get; init; }
    [Description("ERP 收款单号；没有为 null / The ERP receipt's reference; null if none")]
    public string? ErpReference { get; init; }
    [Description("创建时间 (UTC Unix 毫秒) / When it was created (UTC Unix ms)")]
    public long CreatedAtMs { get; init; }

    internal const string Columns = """
        id AS Id, purpose AS Purpose, method AS Method, customer_id AS CustomerId, order_id AS OrderId, amount_fen AS AmountFen,
        refunded_fen AS RefundedFen, status AS Status, out_trade_no AS OutTradeNo, transaction_id AS TransactionId, prepay_id AS PrepayId,
        receipt_no AS ReceiptNo, reference AS Reference, expires_at AS ExpiresAtMs, paid_at AS PaidAtMs, erp_posted_at AS ErpPostedAtMs, erp_posted_by AS ErpPostedBy,
        erp_reference AS ErpReference, created_at AS CreatedAtMs
        """;
}

public sealed record RefundRow
{
    [Description("退款 id / Refund id")]
    public long Id { get; init; }
    [Description("被退的付款 id / Id of the payment refunded")]
    public long PaymentId { get; init; }
    [Description("商户退款单号 out_refund_no (OrderHub 生成，如 RF…) / Merchant refund number out_refund_no (made by OrderHub, e.g. RF…)")]
    public string OutRefundNo { get; init; } = "";
    [Description("微信支付退款单号 refund_id，退款成功后才有；预存款退款为 null / WeChat Pay refund id refund_id, set when the refund succeeds; null for a balance refund")]
    public string? RefundId { get; init; }
    [Description("退款金额 (分) / Refund amount in fen")]
    public long AmountFen { get; init; }
    [Description("状态：processing 退款中、succeeded 已退款、failed 失败 (已关闭或异常，金额退回付款) / Status: processing, succeeded or failed (closed or abnormal; the amount is refundable again)")]
    public string Status { get; init; } = "";
    [Description("退款原因；没有为 null / Why it was refunded; null if not given")]
    public string? Reason { get; init; }
    [Description("申请退款时间 (UTC Unix 毫秒) / When the refund was asked for (UTC Unix ms)")]
    public long CreatedAtMs { get; init; }

    internal const string Columns = """
        id AS Id, payment_id AS PaymentId, out_refund_no AS OutRefundNo, refund_id AS RefundId, amount_fen AS AmountFen, status AS Status,
        reason AS Reason, created_at AS CreatedAtMs
        """;
}

public sealed record PrepaidMovement(
    [property: Description("变动 id / Movement id")] long Id,
    [property: Description("类型：top_up 充值、order_payment 订单付款、refund 退回、top_up_refund 充值退回微信 (负)、top_up_refund_reversed 充值退款失败冲回 (正) / Kind: top_up, order_payment, refund, top_up_refund (a top-up refunded to WeChat Pay, negative) or top_up_refund_reversed (that refund failed, positive)")] string Kind,
    [property: Description("变动金额 (分)：充值、退回与冲回为正，订单付款与充值退款为负 / Amount in fen: positive for a top-up, refund or reversal, negative for an order payment or a top-up refund")] long AmountFen,
    [property: Description("相关付款 id；没有为 null / The payment it belongs to; null if none")] long? PaymentId,
    [property: Description("相关订单 id；充值为 null / The order it belongs to; null for a top-up")] long? OrderId,
    [property: Description("记账参考 (如 topup:12、order-pay:34、refund:5)，每笔只记一次 / Booking reference (e.g. topup:12, order-pay:34, refund:5), unique so nothing is booked twice")] string Reference,
    [property: Description("说明，如 微信支付充值；没有为 null / Note, e.g. 微信支付充值; null if none")] string? Note,
    [property: Description("发生时间 (UTC Unix 毫秒) / When it was booked (UTC Unix ms)")] long CreatedAtMs);

public sealed record PrepaidAccount(
    [property: Description("门店 (客户) id / Store (customer) id")] long CustomerId,
    [property: Description("预存款余额 (分)，等于全部变动之和 / Prepaid balance in fen, the sum of all movements")] long BalanceFen,
    [property: Description("最近的余额变动 (新的在前，最多 100 条) / Latest balance movements, newest first (at most 100)")] IReadOnlyList<PrepaidMovement> Movements,
    [property: Description("最近的已到账充值 (新的在前，最多 50 笔)，含可退金额 / Latest paid top-ups, newest first (at most 50), with what can be refunded")] IReadOnlyList<PrepaidTopUp> TopUps);

/// <summary>A paid top-up and what finance can still refund of it online.</summary>
public sealed record PrepaidTopUp(
    [property: Description("充值的付款 id (退款时用) / The top-up's payment id (to refund it)")] long Id,
    [property: Description("方式：wechat 微信支付 (退回微信支付)、transfer 银行转账 (财务线下转账退回，记录即完成) / Method: wechat (refunded to WeChat Pay) or transfer (finance pays it back by bank; recorded as done)")] string Method,
    [property: Description("收款单号 (微信支付为 out_trade_no，银行转账为 TR+id) / Receipt number (out_trade_no for WeChat Pay, TR+id for a transfer)")] string? ReceiptNo,
    [property: Description("充值金额 (分) / Top-up amount in fen")] long AmountFen,
    [property: Description("已申请或已完成的退款 (分) / Refunded in fen, processing or done")] long RefundedFen,
    [property: Description("现在最多可退 (分)：预存款余额与本次充值剩余取小 / Most that can be refunded now, in fen: the lesser of the unspent balance and what is left of the top-up")] long RefundableFen,
    [property: Description("到账时间 (UTC Unix 毫秒) / When it was paid (UTC Unix ms)")] long? PaidAtMs);

/// <summary>What paying (or topping up) started: the balance part booked at once, the WeChat Pay part to confirm in wx.requestPayment.</summary>
public sealed record PayStart(
    [property: Description("所付订单 id；充值为 0 / The order paid; 0 for a top-up")] long OrderId,
    [property: Description("这次从预存款立即扣付的金额 (分)；充值、重复请求或续付已有的微信支付时为 0 / Paid from the prepaid balance at once by this call, in fen; 0 for a top-up, a repeated request or when a waiting WeChat payment is offered again")] long BalancePaidFen,
    [property: Description("用微信支付的那部分付款 (待在 wx.requestPayment 中确认)；全部用预存款付清时为 null / The WeChat Pay part, to confirm in wx.requestPayment; null when the balance paid it all")] PaymentRow? WeChatPayment,
    [property: Description("传给 wx.requestPayment 的已签名参数 (含预支付 prepay_id)；微信支付部分不是待支付时为 null / Signed parameters for wx.requestPayment (with the prepay_id); null when no WeChat payment is pending")] RequestPaymentParams? RequestPayment,
    [property: Description("订单的付款情况；充值为 null / The order's payments; null for a top-up")] OrderPayments? Order);

/// <summary>An order's money: total, what is paid (net of refunds), what is still open, and every payment with its refunds.</summary>
public sealed record OrderPayments(
    [property: Description("订单 id / Order id")] long OrderId,
    [property: Description("订单号，如 SO20261125000123 / Order number, e.g. SO20261125000123")] string OrderNo,
    [property: Description("订单状态：pending_sales_review、pending_finance_review、pending_outbound、pending_shipment、shipped、received、rejected、cancelled / Order status code")] string OrderStatus,
    [property: Description("订单金额 (分) / Order total in fen")] long TotalFen,
    [property: Description("已付金额 (分)，扣除已申请的退款 / Paid in fen, net of refunds asked for")] long PaidFen,
    [property: Description("待付金额 (分)；订单已取消或驳回为 0 / Still to pay in fen; 0 when the order is cancelled or rejected")] long OutstandingFen,
    [property: Description("订单的全部付款 (按 id 排序) / Every payment of the order, by id")] IReadOnlyList<PaymentRow> Payments,
    [property: Description("这些付款的全部退款 (按 id 排序) / Every refund of those payments, by id")] IReadOnlyList<RefundRow> Refunds);

/// <summary>What one pass of the follow-up work did.</summary>
public sealed record FollowUpResult(int Queried, int Booked, int Closed, int RefundsStarted, int RefundsSettled);
