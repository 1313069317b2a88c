using Dapper;
using OrderHub.Application.Payments;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// The outbox's <c>erp.push_receipt</c> rows (written in the transaction that books money OrderHub took: a WeChat payment,
/// a transfer top-up; see <see cref="PaymentReceipts"/>). Like an order, the receipt is looked up by its number first
/// (<see cref="IErpAdapter.FindReceiptAsync"/>) and created only when absent, so it reaches the ERP once; the ERP's id is
/// kept as the payment's <c>erp_reference</c> and the payment leaves the to-post list. An adapter that cannot write receipts
/// (<see cref="ErpReceiptsNotSupportedException"/>, e.g. Tryton 6.0) ends the row as cancelled — nothing to send — and
/// the payment stays on <c>GET /api/admin/payments/to-post</c> for a person; an ERP that refuses parks the row as failed,
/// with a sync issue. A payment a person posted (or the payments feed matched) before the row's turn is not sent.
/// </summary>
public sealed partial class OrderPushService
{
    public const string ReceiptPostedBy = "OrderHub → ERP";

    private sealed class ReceiptForErp
    {
        public long Id { get; init; }
        public string Purpose { get; init; } = "";
        public string Method { get; init; } = "";
        public string Status { get; init; } = "";
        public string? ReceiptNo { get; init; }
        public long AmountFen { get; init; }
        public long? PaidAt { get; init; }
        public long? ErpPostedAt { get; init; }
        public string CustomerCode { get; init; } = "";
        public string? OrderNo { get; init; }
        public string? ErpOrderId { get; init; }
        public string? TransactionId { get; init; }
        public string? Reference { get; init; }
    }

    private async Task<Outcome> PushReceiptAsync(OutboxClaim row, CancellationToken ct)
    {
        ReceiptForErp? p;
        await using (var c = await db.OpenAsync(ct))
            p = await c.QuerySingleOrDefaultAsync<ReceiptForErp>("""
                SELECT p.id AS Id, p.purpose AS Purpose, p.method AS Method, p.status AS Status, p.receipt_no AS ReceiptNo, p.amount_fen AS AmountFen,
                       p.paid_at AS PaidAt, p.erp_posted_at AS ErpPostedAt, cu.code AS CustomerCode, o.order_no AS OrderNo, o.erp_order_id AS ErpOrderId,
                       p.transaction_id AS TransactionId, p.reference AS Reference
                FROM payments p JOIN customers cu ON cu.id = p.customer_id LEFT JOIN orders o ON o.id = p.order_id WHERE p.id = @AggregateId
                """, row);
        if (p is null || p.ReceiptNo is null) return await ParkAsync(row, null, "付款不存在或没有收款单号 / Payment not found or without a receipt number", ct);
        if (p.Status != PaymentStatus.Paid || p.ErpPostedAt is not null)
            return await EndReceiptAsync(row, p.ErpPostedAt is not null ? "已在 ERP 中过账 / Already posted in the ERP" : null, ct);
        var receipt = new ErpReceipt(p.ReceiptNo, p.CustomerCode, p.AmountFen, DateTimeOffset.FromUnixTimeMilliseconds(p.PaidAt ?? Now()), p.Method,
            p.Purpose == PaymentPurpose.TopUp ? ErpReceiptPurpose.Advance : ErpReceiptPurpose.Sale, p.OrderNo, p.ErpOrderId,
            p.TransactionId ?? p.Reference,
            p.Purpose == PaymentPurpose.TopUp ? $"OrderHub 预存款充值 {p.ReceiptNo}" : $"OrderHub 订单 {p.OrderNo} 收款 {p.ReceiptNo}");
        try
        {
            var pushed = await erp.FindReceiptAsync(p.ReceiptNo, ct) ?? await erp.PushReceiptAsync(receipt, ct);
            return await SentAndPostedAsync(row, "payments", p.Id, pushed.ErpReceiptId, ", updated_at = @nowMs", ct);
        }
        catch (ErpReceiptsNotSupportedException e)
        {
            return await EndReceiptAsync(row, e.Message, ct);
        }
        catch (ErpRejectedException e)
        {
            return await ParkRejectedAsync(row, p.ReceiptNo, $"收款 {p.ReceiptNo} ERP 拒收，请人工过账 / ERP rejected receipt {p.ReceiptNo}; post it by hand: {e.Message}", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RetryLaterAsync(row, ErpFailure.Describe(e), ct);
            return Outcome.Retry;
        }
    }

    /// <summary>
    /// The money document (receipt or refund) is in the ERP: the outbox row is sent, and the payment or refund row of
    /// <paramref name="table"/> records it as posted with the ERP's id — unless a person or an earlier push recorded it first.
    /// </summary>
    /// <param name="extraSet">More of the SET clause (the payments table keeps its updated_at), may use <c>@nowMs</c>.</param>
    private async Task<Outcome> SentAndPostedAsync(OutboxClaim row, string table, long id, string? erpReference, string extraSet, CancellationToken ct)
    {
        var nowMs = Now();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Sent}', sent_at = @nowMs, lease_until = NULL, last_error = NULL WHERE {OutboxLease.HeldByMe}",
            new { row.Id, row.LeaseUntil, nowMs }, tx);
        await c.ExecuteAsync($"""
            UPDATE {table} SET erp_posted_at = COALESCE(erp_posted_at, @nowMs), erp_posted_by = COALESCE(erp_posted_by, @by),
                               erp_reference = COALESCE(erp_reference, @erpReference){extraSet}
            WHERE id = @id
            """, new { nowMs, by = ReceiptPostedBy, erpReference, id }, tx);
        await tx.CommitAsync(ct);
        return Outcome.Sent;
    }

    /// <summary>The ERP refused the money document (receipt or refund): the row is parked as failed and a sync issue says to
    /// post it by hand.</summary>
    private async Task<Outcome> ParkRejectedAsync(OutboxClaim row, string reference, string message, CancellationToken ct)
    {
        var nowMs = Now();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Failed}', lease_until = NULL, last_error = @error WHERE {OutboxLease.HeldByMe}",
            new { row.Id, row.LeaseUntil, error = Shorten(message) }, tx);
        await state.AddIssuesAsync(c, tx, [new ErpDataIssue(SyncFeed.OrderPush, reference, Shorten(message), RowSkipped: true)], nowMs);
        await tx.CommitAsync(ct);
        return Outcome.Parked;
    }

    /// <summary>Nothing to send: the row ends as cancelled, with why (the payment stays on the to-post list when it is not posted).</summary>
    private async Task<Outcome> EndReceiptAsync(OutboxClaim row, string? why, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync($"UPDATE outbox SET status = '{OutboxStatus.Cancelled}', lease_until = NULL, last_error = @why WHERE {OutboxLease.HeldByMe}",
            new { row.Id, row.LeaseUntil, why });
        return Outcome.Skipped;
    }
}
