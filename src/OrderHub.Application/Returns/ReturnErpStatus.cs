using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Returns;

/// <summary>
/// A return's status coming back from the ERP. ERPs that write a return as a sales document with the return number as
/// its reference (Tryton) report it on the order-status feed: Shipped there means the return shipment is done, i.e. the
/// ERP's warehouse received the goods. The state is kept on the return (<c>erp_status</c>) and written on its timeline
/// once per change; OrderHub's own 收货 step stays with the warehouse user (the ERP does not count the quantities for it).
/// </summary>
public static class ReturnErpStatus
{
    public const string Received = "received";
    public const string Action = "erp_status";

    public static string Of(ErpOrderState s) => s switch
    {
        ErpOrderState.Shipped or ErpOrderState.Delivered => Received,
        ErpOrderState.Cancelled => "cancelled",
        ErpOrderState.Picked => "picked",
        _ => "confirmed",
    };

    /// <returns>Null when the number is no return of OrderHub's; else 1 when the state changed, 0 when it was known.</returns>
    public static async Task<long?> ApplyAsync(Db db, ErpOrderStatusChange change, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM return_requests WHERE return_no = @OrderNumber", new { change.OrderNumber });
        if (id is null) return null;
        var status = Of(change.State);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var tx = await db.BeginWriteAsync(c, ct);
        var changed = await c.ExecuteAsync("""
            UPDATE return_requests SET erp_status = @status, erp_return_id = COALESCE(erp_return_id, @ErpOrderId)
            WHERE id = @id AND (erp_status IS NULL OR erp_status <> @status)
            """, new { status, change.ErpOrderId, id }, tx);
        if (changed == 1)
            await ReturnService.AddEventAsync(c, tx, id.Value, Actor.Erp("ERP"), Action, null, null,
                status == Received ? "ERP 已收到退货 / The ERP received the returned goods" : $"ERP 状态 {status}", change.ChangedAt.ToUnixTimeMilliseconds());
        await tx.CommitAsync(ct);
        return changed;
    }
}
