using System.Data.Common;
using System.Globalization;
using Dapper;
using OrderHub.Erp.SqlDatabase.Database;
using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Documents;

/// <summary>
/// Receipts (收款单) and customer returns (退货单) written with the statements in settings (<see cref="SqlPushReceiptCommands"/>,
/// <see cref="SqlPushReturnCommands"/>) and found again by OrderHub's number (<c>Queries.FindReceipt</c>,
/// <c>Queries.FindReturn</c>), like orders: the push looks the number up inside its transaction first, and a refused push
/// whose number is then found returns the existing document. Statements left empty mean the ERP does not take them that
/// way: receipts are listed for a person to post, returns are parked for a person (the port's not-supported exceptions).
/// </summary>
internal sealed class MoneyAndReturnWriter(ErpDatabase db, SqlDatabaseErpOptions options, TimeProvider clock, TimeZoneInfo zone, string adapterName)
{
    // ------------------------------------------------------------------ receipts

    public Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct)
    {
        if (!ReceiptsConfigured) throw new ErpReceiptsNotSupportedException(adapterName);
        return db.RunAsync("FindReceipt", isWrite: false, c => FindReceiptAsync(c, null, receiptNumber, ct), ct);
    }

    public async Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt r, CancellationToken ct)
    {
        if (!ReceiptsConfigured) throw new ErpReceiptsNotSupportedException(adapterName);
        try
        {
            return await db.RunAsync("PushReceipt", isWrite: true, async c =>
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                if (await FindReceiptAsync(c, tx, r.ReceiptNumber, ct) is { } existing) return existing;
                var p = new DynamicParameters();
                p.Add("receiptNumber", r.ReceiptNumber);
                p.Add("customerCode", r.CustomerCode);
                p.Add("amountFen", r.AmountFen);
                p.Add("amount", Yuan.FromFen(r.AmountFen));
                p.Add("receivedAt", TimeZoneInfo.ConvertTime(r.ReceivedAt, zone).DateTime); // ERP-local time, no offset
                p.Add("method", r.Method);
                p.Add("purpose", r.Purpose == ErpReceiptPurpose.Advance ? "advance" : "sale");
                p.Add("orderNumber", r.OrderNumber);
                p.Add("erpOrderId", r.ErpOrderId);
                p.Add("payerReference", r.PayerReference);
                p.Add("note", r.Note);
                var raw = await c.ExecuteScalarAsync(db.Command(options.PushReceipt.Insert!, p, tx, ct))
                          ?? throw new ErpQueryContractException("PushReceipt.Insert must return the new ERP receipt id (RETURNING / OUTPUT INSERTED / SELECT SCOPE_IDENTITY()).");
                await tx.CommitAsync(ct);
                return new ErpReceiptRef(IdText(raw), r.ReceiptNumber);
            }, ct);
        }
        catch (ErpRejectedException e) when (e is not ErpReceiptsNotSupportedException)
        {
            if (await FindReceiptAsync(r.ReceiptNumber, ct) is { } written) return written;
            throw;
        }
    }

    private bool ReceiptsConfigured => !string.IsNullOrWhiteSpace(options.PushReceipt.Insert) && !string.IsNullOrWhiteSpace(options.Queries.FindReceipt);

    private async Task<ErpReceiptRef?> FindReceiptAsync(DbConnection c, DbTransaction? tx, string receiptNumber, CancellationToken ct) =>
        await FindIdAsync(c, tx, options.Queries.FindReceipt!, "FindReceipt", "ErpReceiptId", new { receiptNumber }, ct) is { } id
            ? new ErpReceiptRef(id, receiptNumber) : null;

    // ------------------------------------------------------------------ refunds

    public Task<ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct)
    {
        if (!RefundsConfigured) throw new ErpRefundsNotSupportedException(adapterName);
        return db.RunAsync("FindRefund", isWrite: false, c => FindRefundAsync(c, null, refundNumber, ct), ct);
    }

    public async Task<ErpRefundRef> PushRefundAsync(ErpRefund r, CancellationToken ct)
    {
        if (!RefundsConfigured) throw new ErpRefundsNotSupportedException(adapterName);
        if (r.AmountFen <= 0) throw new ErpRejectedException($"Refund {r.RefundNumber} has no positive amount.");
        try
        {
            return await db.RunAsync("PushRefund", isWrite: true, async c =>
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                if (await FindRefundAsync(c, tx, r.RefundNumber, ct) is { } existing) return existing;
                var p = new DynamicParameters();
                p.Add("refundNumber", r.RefundNumber);
                p.Add("receiptNumber", r.ReceiptNumber);
                p.Add("customerCode", r.CustomerCode);
                p.Add("amountFen", r.AmountFen);
                p.Add("amount", Yuan.FromFen(r.AmountFen));
                p.Add("refundedAt", TimeZoneInfo.ConvertTime(r.RefundedAt, zone).DateTime); // ERP-local time, no offset
                p.Add("method", r.Method);
                p.Add("orderNumber", r.OrderNumber);
                p.Add("erpOrderId", r.ErpOrderId);
                p.Add("returnNumber", r.ReturnNumber);
                p.Add("payeeReference", r.PayeeReference);
                p.Add("note", r.Note);
                var raw = await c.ExecuteScalarAsync(db.Command(options.PushRefund.Insert!, p, tx, ct))
                          ?? throw new ErpQueryContractException("PushRefund.Insert must return the new ERP refund id (RETURNING / OUTPUT INSERTED / SELECT SCOPE_IDENTITY()).");
                await tx.CommitAsync(ct);
                return new ErpRefundRef(IdText(raw), r.RefundNumber);
            }, ct);
        }
        catch (ErpRejectedException e) when (e is not ErpRefundsNotSupportedException)
        {
            if (await FindRefundAsync(r.RefundNumber, ct) is { } written) return written;
            throw;
        }
    }

    private bool RefundsConfigured => !string.IsNullOrWhiteSpace(options.PushRefund.Insert) && !string.IsNullOrWhiteSpace(options.Queries.FindRefund);

    private async Task<ErpRefundRef?> FindRefundAsync(DbConnection c, DbTransaction? tx, string refundNumber, CancellationToken ct) =>
        await FindIdAsync(c, tx, options.Queries.FindRefund!, "FindRefund", "ErpRefundId", new { refundNumber }, ct) is { } id
            ? new ErpRefundRef(id, refundNumber) : null;

    // ------------------------------------------------------------------ returns

    public Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct)
    {
        if (!ReturnsConfigured) throw new ErpReturnsNotSupportedException(adapterName);
        return db.RunAsync("FindReturn", isWrite: false, c => FindReturnAsync(c, null, returnNumber, ct), ct);
    }

    public async Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct)
    {
        if (!ReturnsConfigured) throw new ErpReturnsNotSupportedException(adapterName);
        if (r.Lines.Count == 0) throw new ErpRejectedException($"Return {r.ReturnNumber} has no lines.");
        try
        {
            return await db.RunAsync("PushReturn", isWrite: true, async c =>
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                if (await FindReturnAsync(c, tx, r.ReturnNumber, ct) is { } existing) return existing;
                var totalFen = r.Lines.Sum(l => l.Quantity * l.UnitPriceFen);
                var h = new DynamicParameters();
                h.Add("returnNumber", r.ReturnNumber);
                h.Add("orderNumber", r.OrderNumber);
                h.Add("erpOrderId", r.ErpOrderId);
                h.Add("customerCode", r.CustomerCode);
                h.Add("warehouseCode", r.WarehouseCode);
                h.Add("reason", r.Reason);
                h.Add("totalFen", totalFen);
                h.Add("total", Yuan.FromFen(totalFen));
                h.Add("lineCount", r.Lines.Count);
                h.Add("returnedAt", TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
                var raw = await c.ExecuteScalarAsync(db.Command(options.PushReturn.InsertHeader!, h, tx, ct))
                          ?? throw new ErpQueryContractException("PushReturn.InsertHeader must return the new ERP return id (RETURNING / OUTPUT INSERTED / SELECT SCOPE_IDENTITY()).");
                var lineNo = 0;
                foreach (var l in r.Lines)
                {
                    var p = new DynamicParameters();
                    p.Add("erpReturnId", raw); // keeps the id's own type for the ERP's foreign key
                    p.Add("returnNumber", r.ReturnNumber);
                    p.Add("warehouseCode", r.WarehouseCode);
                    p.Add("lineNo", ++lineNo);
                    p.Add("productCode", l.ProductCode);
                    p.Add("quantity", l.Quantity);
                    p.Add("unitPriceFen", l.UnitPriceFen);
                    p.Add("unitPrice", Yuan.FromFen(l.UnitPriceFen));
                    p.Add("amountFen", l.Quantity * l.UnitPriceFen);
                    p.Add("amount", Yuan.FromFen(l.Quantity * l.UnitPriceFen));
                    await c.ExecuteAsync(db.Command(options.PushReturn.InsertLine!, p, tx, ct));
                }
                await tx.CommitAsync(ct);
                return new ErpReturnRef(IdText(raw), r.ReturnNumber);
            }, ct);
        }
        catch (ErpRejectedException e) when (e is not ErpReturnsNotSupportedException)
        {
            if (await FindReturnAsync(r.ReturnNumber, ct) is { } written) return written;
            throw;
        }
    }

    private bool ReturnsConfigured => !string.IsNullOrWhiteSpace(options.PushReturn.InsertHeader)
                                      && !string.IsNullOrWhiteSpace(options.PushReturn.InsertLine)
                                      && !string.IsNullOrWhiteSpace(options.Queries.FindReturn);

    private async Task<ErpReturnRef?> FindReturnAsync(DbConnection c, DbTransaction? tx, string returnNumber, CancellationToken ct) =>
        await FindIdAsync(c, tx, options.Queries.FindReturn!, "FindReturn", "ErpReturnId", new { returnNumber }, ct) is { } id
            ? new ErpReturnRef(id, returnNumber) : null;

    // ------------------------------------------------------------------ helpers

    private async Task<string?> FindIdAsync(DbConnection c, DbTransaction? tx, string sql, string what, string column, object args, CancellationToken ct)
    {
        await using var reader = await c.ExecuteReaderAsync(db.Command(sql, args, tx, ct));
        if (!await reader.ReadAsync(ct)) return null;
        return ErpRow.Read(reader, what, zone).String(column, required: false)
               ?? throw new ErpQueryContractException($"The {what} query returned a row without {column}.");
    }

    private static string IdText(object id) => id is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : id.ToString()!;
}
