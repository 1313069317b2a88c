using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP receipts → the customer's ledger (kind <c>payment</c>, negative amount). <c>external_ref</c> = "erp:" + the ERP's
/// reference is unique, so a payment pulled twice (a retry, a full resync) is booked once.
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
        if (p.AmountFen <= 0)
        {
            issues.Skip(p.Reference, $"收款金额 {p.AmountFen} 不是正数 / Payment amount {p.AmountFen} is not positive");
            return 0;
        }
        var customerId = await CodeLookups.CustomerIdAsync(c, tx, p.CustomerCode);
        if (customerId is null)
        {
            issues.Skip(p.Reference, $"收款的客户 {p.CustomerCode} 在 OrderHub 中不存在 / Payment of unknown customer {p.CustomerCode}");
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
}
