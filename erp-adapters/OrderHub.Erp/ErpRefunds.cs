namespace OrderHub.Erp;

/// <summary>
/// Money OrderHub paid back to a store (a WeChat Pay refund of an order payment, also one a return's 退款 started), as the
/// ERP's receivable refund (收款退款单): Kingdee AR_REFUNDBILL, the SQL adapter's configured statement, the demo ERP. The ERP
/// document carries <paramref name="RefundNumber"/> (WeChat Pay's out_refund_no, RF…) so the payments feed bringing it back
/// (a negative payment) is matched to the same refund, never booked again. Refunds to the prepaid balance move no money and
/// are no ERP refund (as paying from the balance is no receipt).
/// </summary>
/// <param name="ReceiptNumber">The receipt number of the payment refunded (its out_trade_no): the ERP's receipt it reverses.</param>
/// <param name="Purpose">What the refunded money had paid (an order: <see cref="ErpReceiptPurpose.Sale"/>).</param>
/// <param name="ReturnNumber">The return (退货单) the refund belongs to, if a return's 退款 started it.</param>
/// <param name="PayeeReference">WeChat Pay's refund_id.</param>
public sealed record ErpRefund(
    string RefundNumber, string ReceiptNumber, string CustomerCode, long AmountFen, DateTimeOffset RefundedAt, string Method, ErpReceiptPurpose Purpose,
    string? OrderNumber, string? ErpOrderId, string? ReturnNumber, string? PayeeReference, string? Note);

public sealed record ErpRefundRef(string ErpRefundId, string RefundNumber);

/// <summary>This adapter cannot write refunds: the refund stays on the list for a person to post (GET /api/admin/payments/refunds/to-post).</summary>
public sealed class ErpRefundsNotSupportedException(string adapter)
    : ErpRejectedException($"{adapter} 适配器不能写收款退款单，已列入待过账清单 / The {adapter} adapter cannot write refunds; listed for a person to post");
