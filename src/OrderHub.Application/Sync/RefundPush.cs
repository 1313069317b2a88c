using Dapper;
using OrderHub.Application.Payments;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// The outbox's <c>erp.push_refund</c> rows (written in the transaction in which WeChat Pay's refund succeeded; see
/// <see cref="PaymentRefunds"/>): money OrderHub paid back becomes the ERP's receivable refund (收款退款单), exactly as a
/// receipt does (Sync/ReceiptPush.cs) — looked up by its number (out_refund_no) first, created only when absent, the ERP's
/// id kept as the refund's <c>erp_reference</c>. An adapter without refunds (<see cref="ErpRefundsNotSupportedException"/>,
/// Tryton 6.0) ends the row as cancelled and the refund stays on <c>GET /api/admin/payments/refunds/to-post</c>; an ERP
/// that refuses parks the row as failed with a sync issue; a refund a person posted (or the feed matched) is not sent.
/// </summary>
public sealed partial class OrderPushService
{
    private async Task<Outcome> PushRefundAsync(OutboxClaim row, CancellationToken ct)
    {
        RefundToPost? r;
        string? erpOrderId;
        await using (var c = await db.OpenAsync(ct))
        {
            r = await PaymentRefunds.GetAsync(c, row.AggregateId);
            erpOrderId = r?.OrderNo is null ? null
                : await c.ExecuteScalarAsync<string?>("SELECT erp_order_id FROM orders WHERE order_no = @OrderNo", new { r.OrderNo });
            if (r is not null && await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM payment_refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = @Id AND {PaymentRefunds.PaidBack}", new { r.Id }) == 0)
                r = null;
        }
        if (r is null) return await EndReceiptAsync(row, "退款不存在或未成功 / Refund not found or not succeeded", ct);
        if (r.ErpPostedAtMs is not null) return await EndReceiptAsync(row, "已在 ERP 中过账 / Already posted in the ERP", ct);
        var refund = new ErpRefund(r.OutRefundNo, r.ReceiptNo ?? "", r.CustomerCode, r.AmountFen, DateTimeOffset.FromUnixTimeMilliseconds(r.RefundedAtMs),
            r.Method, r.OrderNo is null ? ErpReceiptPurpose.Advance : ErpReceiptPurpose.Sale, r.OrderNo, erpOrderId, r.ReturnNo, r.RefundId,
            r.ReturnNo is not null ? $"OrderHub 退货 {r.ReturnNo} 退款 {r.OutRefundNo}"
            : r.OrderNo is null ? $"OrderHub 预存款充值退款 {r.OutRefundNo}" // a top-up's refund: the ERP's 预收款 refund
            : $"OrderHub 订单 {r.OrderNo} 退款 {r.OutRefundNo}");
        try
        {
            var pushed = await erp.FindRefundAsync(r.OutRefundNo, ct) ?? await erp.PushRefundAsync(refund, ct);
            return await SentAndPostedAsync(row, "payment_refunds", r.Id, pushed.ErpRefundId, "", ct);
        }
        catch (ErpRefundsNotSupportedException e)
        {
            return await EndReceiptAsync(row, e.Message, ct);
        }
        catch (ErpRejectedException e)
        {
            return await ParkRejectedAsync(row, r.OutRefundNo, $"退款 {r.OutRefundNo} ERP 拒收，请人工过账 / ERP rejected refund {r.OutRefundNo}; post it by hand: {e.Message}", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RetryLaterAsync(row, ErpFailure.Describe(e), ct);
            return Outcome.Retry;
        }
    }
}
