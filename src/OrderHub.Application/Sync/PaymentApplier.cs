using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Payments;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP receipts → the customer's ledger (kind <c>payment</c>, negative amount). <c>external_ref</c> = "erp:" + the ERP's
/// reference is unique, so a payment pulled twice (a retry, a full resync) is booked once. A receipt of the same customer
/// that is money OrderHub took itself coming back — its reference or <see cref="ErpPayment.SourceReference"/> is the
/// payment's receipt number (out_trade_no, TR… for a transfer) or WeChat Pay's transaction id, or its reference is the
/// ERP number the receipt push or a person recorded (<c>GET /api/admin/payments/to-post</c>) — is already in the ledger:
/// it is only linked (marked posted), never booked a second time. A negative payment is a refund (收款退款单), matched
/// to OrderHub's own refunds the same way (<see cref="ApplyRefundAsync"/>).
/// </summary>
public sealed class PaymentApplier(Db db, TimeProvider clock) : RowPageApplier<ErpPayment>(db, clock)
{
    public static string ExternalRef(string reference) => "erp:" + reference;

    public override string Feed => SyncFeed.Payments;
    public override DateTimeOffset? ChangedAt(ErpPayment item) => item.PaidAt;
    protected override string? KeyOf(ErpPayment item) => item.Reference;

    protected override async Task<long> ApplyRowAsync(DbConnection c, DbTransaction tx, ErpPayment p, PageIssues issues, long nowMs)
    {
        if (string.IsNullOrWhiteSpace(p.Reference))
        {
            issues.Skip(p.CustomerCode, "收款缺少单号 / Payment without a reference");
            return 0;
        }
        if (p.AmountFen == 0)
        {
            issues.Skip(p.Reference, "收款金额为 0 / Payment amount is zero");
            return 0;
        }
        var customerId = await CodeLookups.CustomerIdAsync(c, tx, p.CustomerCode);
        if (customerId is null)
        {
            issues.Skip(p.Reference, $"收款的客户 {p.CustomerCode} 在 OrderHub 中不存在 / Payment of unknown customer {p.CustomerCode}");
            return 0;
        }
        if (p.AmountFen < 0) return await ApplyRefundAsync(c, tx, p, customerId.Value, nowMs);
        // money OrderHub took itself coming back: by our receipt number (the document carries it, or its own number is it),
        // WeChat Pay's transaction id, or the ERP number the receipt push (or the person who posted it) recorded
        var source = string.IsNullOrWhiteSpace(p.SourceReference) ? p.Reference : p.SourceReference.Trim();
        var online = await c.ExecuteScalarAsync<long?>($"""
            SELECT MIN(id) FROM payments WHERE {PaymentReceipts.ReceivedMoney} AND customer_id = @customerId
              AND (receipt_no IN (@Reference, @source) OR transaction_id IN (@Reference, @source) OR erp_reference = @Reference)
            """, new { p.Reference, source, customerId }, tx);
        if (online is { } paymentId)
        {
            await c.ExecuteAsync("""
                UPDATE payments SET erp_posted_at = COALESCE(erp_posted_at, @nowMs), erp_posted_by = COALESCE(erp_posted_by, 'ERP'),
                                    erp_reference = COALESCE(erp_reference, @Reference), updated_at = @nowMs
                WHERE id = @paymentId
                """, new { nowMs, p.Reference, paymentId }, tx);
            return 0;
        }
        return await c.ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, external_ref, note, created_by, created_at)
            VALUES (@customerId, 'payment', @amount, @paidAt, @Reference, @externalRef, @note, 'ERP', @nowMs)
            ON CONFLICT (external_ref) DO NOTHING
            """, new
        {
            customerId, amount = -p.AmountFen, paidAt = p.PaidAt.ToUnixTimeMilliseconds(), p.Reference,
            externalRef = ExternalRef(p.Reference), note = string.IsNullOrWhiteSpace(p.Note) ? "ERP 收款" : p.Note, nowMs,
        }, tx);
    }

    /// <summary>
    /// A negative ERP payment is money paid back (收款退款单). One OrderHub paid itself — its reference or source reference is
    /// the refund's out_refund_no or WeChat Pay's refund_id, or its reference is the ERP number the refund push (or a person)
    /// recorded — is already in the ledger: linked (marked posted), not booked again. Any other is booked once as a ledger
    /// <c>refund</c> (what the store is owed back grows its balance, as OrderHub's own refunds do).
    /// </summary>
    private static async Task<long> ApplyRefundAsync(DbConnection c, DbTransaction tx, ErpPayment p, long customerId, long nowMs)
    {
        var source = string.IsNullOrWhiteSpace(p.SourceReference) ? p.Reference : p.SourceReference.Trim();
        var ours = await c.ExecuteScalarAsync<long?>($"""
            SELECT MIN(r.id) FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
            WHERE {PaymentRefunds.PaidBack} AND p.customer_id = @customerId
              AND (r.out_refund_no IN (@Reference, @source) OR r.refund_id IN (@Reference, @source) OR r.erp_reference = @Reference)
            """, new { p.Reference, source, customerId }, tx);
        if (ours is { } refundId)
        {
            await c.ExecuteAsync("""
                UPDATE payment_refunds SET erp_posted_at = COALESCE(erp_posted_at, @nowMs), erp_posted_by = COALESCE(erp_posted_by, 'ERP'),
                                           erp_reference = COALESCE(erp_reference, @Reference)
                WHERE id = @refundId
                """, new { nowMs, p.Reference, refundId }, tx);
            return 0;
        }
        return await c.ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, external_ref, note, created_by, created_at)
            VALUES (@customerId, 'refund', @amount, @paidAt, @Reference, @externalRef, @note, 'ERP', @nowMs)
            ON CONFLICT (external_ref) DO NOTHING
            """, new
        {
            customerId, amount = -p.AmountFen, paidAt = p.PaidAt.ToUnixTimeMilliseconds(), p.Reference,
            externalRef = ExternalRef(p.Reference), note = string.IsNullOrWhiteSpace(p.Note) ? "ERP 退款" : p.Note, nowMs,
        }, tx);
    }
}
