using OrderHub.WeChat.Pay;

namespace OrderHub.Application.Payments;

public static class PaymentPurpose { public const string Order = "order"; public const string TopUp = "top_up"; }
public static class PaymentMethod { public const string WeChat = "wechat"; public const string Balance = "balance"; public const string Transfer = "transfer"; }
public static class PaymentStatus { public const string Pending = "pending"; public const string Paid = "paid"; public const string Closed = "closed"; public const string Failed = "failed"; }
public static class RefundState { public const string Processing = "processing"; public const string Succeeded = "succeeded"; public const string Failed = "failed"; }
public static class PrepaidKinds { public const string TopUp = "top_up"; public const string OrderPayment = "order_payment"; public const string Refund = "refund"; }

public sealed record PaymentRow
{
    public long Id { get; init; }
    public string Purpose { get; init; } = "";
    public string Method { get; init; } = "";
    public long CustomerId { get; init; }
    public long? OrderId { get; init; }
    public long AmountFen { get; init; }
    public long RefundedFen { get; init; }
    public string Status { get; init; } = "";
    public string? OutTradeNo { get; init; }
    public string? TransactionId { get; init; }
    public string? PrepayId { get; init; }
    public string? Reference { get; init; }
    public long? ExpiresAtMs { get; init; }
    public long? PaidAtMs { get; init; }
    public long? ErpPostedAtMs { get; init; }
    public string? ErpPostedBy { get; init; }
    public string? ErpReference { get; init; }
    public long CreatedAtMs { get; init; }

    internal const string Columns = """
        id AS Id, purpose AS Purpose, method AS Method, customer_id AS CustomerId, order_id AS OrderId, amount_fen AS AmountFen,
        refunded_fen AS RefundedFen, status AS Status, out_trade_no AS OutTradeNo, transaction_id AS TransactionId, prepay_id AS PrepayId,
        reference AS Reference, expires_at AS ExpiresAtMs, paid_at AS PaidAtMs, erp_posted_at AS ErpPostedAtMs, erp_posted_by AS ErpPostedBy,
        erp_reference AS ErpReference, created_at AS CreatedAtMs
        """;
}

public sealed record RefundRow
{
    public long Id { get; init; }
    public long PaymentId { get; init; }
    public string OutRefundNo { get; init; } = "";
    public string? RefundId { get; init; }
    public long AmountFen { get; init; }
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public long CreatedAtMs { get; init; }

    internal const string Columns = """
        id AS Id, payment_id AS PaymentId, out_refund_no AS OutRefundNo, refund_id AS RefundId, amount_fen AS AmountFen, status AS Status,
        reason AS Reason, created_at AS CreatedAtMs
        """;
}

public sealed record PrepaidMovement(long Id, string Kind, long AmountFen, long? PaymentId, long? OrderId, string Reference, string? Note, long CreatedAtMs);

public sealed record PrepaidAccount(long CustomerId, long BalanceFen, IReadOnlyList<PrepaidMovement> Movements);

/// <summary>What paying (or topping up) started: the balance part booked at once, the WeChat Pay part to confirm in wx.requestPayment.</summary>
public sealed record PayStart(long OrderId, long BalancePaidFen, PaymentRow? WeChatPayment, RequestPaymentParams? RequestPayment, OrderPayments? Order);

/// <summary>An order's money: total, what is paid (net of refunds), what is still open, and every payment with its refunds.</summary>
public sealed record OrderPayments(long OrderId, string OrderNo, string OrderStatus, long TotalFen, long PaidFen, long OutstandingFen,
    IReadOnlyList<PaymentRow> Payments, IReadOnlyList<RefundRow> Refunds);

/// <summary>What one pass of the follow-up work did.</summary>
public sealed record FollowUpResult(int Queried, int Booked, int Closed, int RefundsStarted, int RefundsSettled);
