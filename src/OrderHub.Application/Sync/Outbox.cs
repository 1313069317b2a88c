using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

/// <summary>
/// The transactional outbox: a message that must leave OrderHub (an order for the ERP) is written in the same
/// transaction as the business change, then sent by a job that retries until the ERP has it.
/// </summary>
public static class Outbox
{
    public const string PushOrder = "erp.push_order";
    public const string CancelOrder = "erp.cancel_order";
    /// <summary>A return (退货) approved for receipt: the ERP makes its customer return document (Returns/ReturnPush.cs).</summary>
    public const string PushReturn = "erp.push_return";
    /// <summary>Money OrderHub took (WeChat Pay, a top-up): the ERP makes its receipt 收款单 (Sync/ReceiptPush.cs).</summary>
    public const string PushReceipt = "erp.push_receipt";
    /// <summary>Money OrderHub paid back (a WeChat Pay refund): the ERP makes its receivable refund 收款退款单 (Sync/RefundPush.cs).</summary>
    public const string PushRefund = "erp.push_refund";

    /// <summary>Queues a message once per (topic, aggregate); a second call for the same order is a no-op.</summary>
    public static Task EnqueueAsync(DbConnection c, DbTransaction tx, string topic, long aggregateId, string payload, long nowMs) =>
        c.ExecuteAsync(EnqueueSql, new { topic, aggregateId, payload, nowMs }, tx);

    /// <summary>The same, as one statement of a batch sent in the business change's transaction.</summary>
    public static SqlBatch Enqueue(SqlBatch batch, string topic, long aggregateId, string payload, long nowMs) =>
        batch.Add(EnqueueSql, new { topic, aggregateId, payload, nowMs });

    private static readonly string EnqueueSql = $"""
        INSERT INTO outbox (topic, aggregate_id, payload, status, attempts, next_attempt_at, created_at)
        VALUES (@topic, @aggregateId, @payload, '{OutboxStatus.Pending}', 0, @nowMs, @nowMs)
        ON CONFLICT (topic, aggregate_id) DO NOTHING
        """;
}
