using System.Data.Common;
using OrderHub.Application.Sync;

namespace OrderHub.Application.Payments;

/// <summary>
/// Which payments are receipts (收款单) for the ERP, and their numbers. Money OrderHub received itself — WeChat Pay for an
/// order or a top-up, a bank transfer finance booked as a top-up — is a receipt, pushed once through the outbox
/// (<c>erp.push_receipt</c>, Sync/ReceiptPush.cs) or listed for a person to post. Paying an order from the prepaid balance
/// is no receipt: no money moves; the ERP received it with the top-up (预收款) and settles the sale against it itself.
/// </summary>
public static class PaymentReceipts
{
    /// <summary>SQL: a paid payment that brought money in (not a balance payment).</summary>
    public const string ReceivedMoney = $"method IN ('{PaymentMethod.WeChat}', '{PaymentMethod.Transfer}') AND status = '{PaymentStatus.Paid}'";

    /// <summary>A transfer's receipt number (a WeChat payment's is its out_trade_no).</summary>
    public static string TransferReceiptNo(long paymentId) => "TR" + paymentId;

    /// <summary>Queues the receipt for the ERP in the caller's transaction (once per payment).</summary>
    public static Task EnqueueAsync(DbConnection c, DbTransaction tx, long paymentId, string receiptNo, long nowMs) =>
        Outbox.EnqueueAsync(c, tx, Outbox.PushReceipt, paymentId, receiptNo, nowMs);
}
