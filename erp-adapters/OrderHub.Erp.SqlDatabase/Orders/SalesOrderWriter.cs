using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using OrderHub.Erp.SqlDatabase.Database;
using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Orders;

/// <summary>
/// Writes OrderHub orders as ERP sales orders (header + lines in one transaction, or one procedure call) and finds them
/// again by OrderHub's order number, which the ERP keeps in an external reference column.
/// A push first looks the number up inside its transaction, and a refused push whose number is then found (two pushes
/// racing on a unique external reference) returns the existing order: a retry never makes a second one.
/// </summary>
internal sealed class SalesOrderWriter(ErpDatabase db, SqlDatabaseErpOptions options, TimeProvider clock, TimeZoneInfo zone)
{
    public Task<ErpOrderRef?> FindAsync(string orderNumber, CancellationToken ct) =>
        db.RunAsync("FindOrder", isWrite: false, c => FindAsync(c, null, orderNumber, ct), ct);

    public async Task<ErpOrderRef> PushAsync(ErpOrder order, CancellationToken ct)
    {
        var commands = options.PushOrder;
        var useProcedure = !string.IsNullOrWhiteSpace(commands.StoredProcedureCall);
        if (!useProcedure && (string.IsNullOrWhiteSpace(commands.InsertHeader) || string.IsNullOrWhiteSpace(commands.InsertLine)))
            throw new ErpQueryContractException("PushOrder needs InsertHeader and InsertLine, or StoredProcedureCall.");
        if (order.Lines.Count == 0) throw new ErpRejectedException($"Order {order.OrderNumber} has no lines.");

        try
        {
            return await db.RunAsync("PushOrder", isWrite: true, async c =>
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                if (await FindAsync(c, tx, order.OrderNumber, ct) is { } existing) return existing;
                var id = useProcedure ? await CallProcedureAsync(c, tx, order, ct) : await InsertAsync(c, tx, order, ct);
                await tx.CommitAsync(ct);
                return new ErpOrderRef(id, order.OrderNumber);
            }, ct);
        }
        catch (ErpRejectedException)
        {
            if (await FindAsync(order.OrderNumber, ct) is { } written) return written;
            throw;
        }
    }

    private async Task<ErpOrderRef?> FindAsync(DbConnection c, DbTransaction? tx, string orderNumber, CancellationToken ct)
    {
        var sql = options.Queries.FindOrder;
        if (string.IsNullOrWhiteSpace(sql)) throw new ErpQueryContractException("Queries.FindOrder is not set.");
        await using var reader = await c.ExecuteReaderAsync(db.Command(sql, new { orderNumber }, tx, ct));
        if (!await reader.ReadAsync(ct)) return null;
        var id = ErpRow.Read(reader, "FindOrder", zone).String("ErpOrderId", required: false)
                 ?? throw new ErpQueryContractException("The FindOrder query returned a row without ErpOrderId.");
        return new ErpOrderRef(id, orderNumber);
    }

    private async Task<string> InsertAsync(DbConnection c, DbTransaction tx, ErpOrder order, CancellationToken ct)
    {
        var rawId = await c.ExecuteScalarAsync(db.Command(options.PushOrder.InsertHeader!, HeaderParameters(order), tx, ct))
                    ?? throw new ErpQueryContractException("PushOrder.InsertHeader must return the new ERP order id (RETURNING / OUTPUT INSERTED / SELECT SCOPE_IDENTITY()).");
        var lineNo = 0;
        foreach (var line in order.Lines)
        {
            var p = new DynamicParameters(LineValues(++lineNo, line));
            p.Add("erpOrderId", rawId); // keeps the id's own type (int, bigint, text) for the ERP's foreign key
            p.Add("orderNumber", order.OrderNumber);
            p.Add("warehouseCode", order.WarehouseCode);
            await c.ExecuteAsync(db.Command(options.PushOrder.InsertLine!, p, tx, ct));
        }
        return IdText(rawId);
    }

    private async Task<string> CallProcedureAsync(DbConnection c, DbTransaction tx, ErpOrder order, CancellationToken ct)
    {
        var p = HeaderParameters(order);
        var lines = order.Lines.Select((l, i) => LineValues(i + 1, l)).ToList();
        p.Add("linesJson", JsonSerializer.Serialize(lines));
        p.Add("linesXml", new XElement("lines", lines.Select(l => new XElement("line", l.Select(kv => new XAttribute(kv.Key, Invariant(kv.Value)))))).ToString(SaveOptions.DisableFormatting));
        var rawId = await c.ExecuteScalarAsync(db.Command(options.PushOrder.StoredProcedureCall!, p, tx, ct))
                    ?? throw new ErpQueryContractException("PushOrder.StoredProcedureCall must return the new ERP order id as its first column.");
        return IdText(rawId);
    }

    private DynamicParameters HeaderParameters(ErpOrder order)
    {
        var totalFen = order.Lines.Sum(l => l.Quantity * l.UnitPriceFen);
        var p = new DynamicParameters();
        p.Add("orderNumber", order.OrderNumber);
        p.Add("customerCode", order.CustomerCode);
        p.Add("warehouseCode", order.WarehouseCode);
        p.Add("deliveryAddress", order.DeliveryAddress);
        p.Add("note", order.Note);
        // the order's invoice title (发票抬头); all NULL when the store chose none
        var inv = order.Invoice;
        p.Add("invoiceKind", inv?.Kind);
        p.Add("invoiceKindText", inv?.KindText);
        p.Add("invoiceTitle", inv?.Title);
        p.Add("invoiceTaxNumber", inv?.TaxNumber);
        p.Add("invoiceBankName", inv?.BankName);
        p.Add("invoiceBankAccount", inv?.BankAccount);
        p.Add("invoiceAddress", inv?.Address);
        p.Add("invoicePhone", inv?.Phone);
        p.Add("totalFen", totalFen);
        p.Add("total", Yuan.FromFen(totalFen));
        p.Add("lineCount", order.Lines.Count);
        p.Add("orderedAt", TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime); // ERP-local time, no offset
        return p;
    }

    private static Dictionary<string, object> LineValues(int lineNo, ErpOrderLine l) => new()
    {
        ["lineNo"] = lineNo,
        ["productCode"] = l.ProductCode,
        // The unit quantity and price count in: the ERP code of a unit from the ProductUnits query, or "" for the base unit.
        ["unit"] = l.Unit ?? "",
        ["quantity"] = l.Quantity,
        ["unitPriceFen"] = l.UnitPriceFen,
        ["unitPrice"] = Yuan.FromFen(l.UnitPriceFen),
        ["amountFen"] = l.Quantity * l.UnitPriceFen,
        ["amount"] = Yuan.FromFen(l.Quantity * l.UnitPriceFen),
    };

    private static string Invariant(object v) => v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v.ToString()!;
    private static string IdText(object id) => Invariant(id);
}
