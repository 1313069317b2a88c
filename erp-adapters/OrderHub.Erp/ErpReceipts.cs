namespace OrderHub.Erp;

/// <summary>What the money was for: <c>Sale</c> pays an order (销售收款); <c>Advance</c> tops up the prepaid balance (预收款).</summary>
public enum ErpReceiptPurpose { Sale, Advance }

/// <summary>
/// Money OrderHub took itself (WeChat Pay for an order or a top-up, a bank transfer finance booked as a top-up), as the
/// ERP's receipt (收款单): Kingdee AR_RECEIVEBILL, the SQL adapter's configured statement, the demo ERP. The ERP document
/// carries <paramref name="ReceiptNumber"/> (WeChat Pay's out_trade_no, or TR… for a transfer) so the payments feed can
/// bring it back as the same money.
/// </summary>
/// <param name="Method">How it was paid: <c>wechat</c> or <c>transfer</c> (the ERP's settlement type is the adapter's mapping).</param>
/// <param name="OrderNumber">OrderHub's order number for <see cref="ErpReceiptPurpose.Sale"/>; null for a top-up.</param>
/// <param name="ErpOrderId">The order's ERP id when it has reached the ERP.</param>
/// <param name="PayerReference">WeChat Pay's transaction_id, or the bank transfer's reference.</param>
public sealed record ErpReceipt(
    string ReceiptNumber, string CustomerCode, long AmountFen, DateTimeOffset ReceivedAt, string Method, ErpReceiptPurpose Purpose,
    string? OrderNumber, string? ErpOrderId, string? PayerReference, string? Note);

public sealed record ErpReceiptRef(string ErpReceiptId, string ReceiptNumber);

/// <summary>This adapter cannot write receipts: the payment stays on the list for a person to post (GET /api/admin/payments/to-post).</summary>
public sealed class ErpReceiptsNotSupportedException(string adapter)
    : ErpRejectedException($"{adapter} 适配器不能写收款单，已列入待过账清单 / The {adapter} adapter cannot write receipts; listed for a person to post");
