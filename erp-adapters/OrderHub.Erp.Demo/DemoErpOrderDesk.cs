using Dapper;
using Microsoft.Data.Sqlite;

namespace OrderHub.Erp.Demo;

/// <summary>
/// Takes orders into the demo ERP. Idempotent on OrderHub's order number: a second push of the same number returns the
/// first ERP order. Refuses (<see cref="ErpRejectedException"/>) customers in <see cref="DemoErpOptions.RejectCustomerCodes"/>,
/// unknown or inactive customers and products, and empty orders.
/// </summary>
internal sealed class DemoErpOrderDesk(DemoErp erp)
{
    public Task<ErpOrderRef?> FindAsync(string orderNumber, CancellationToken ct) =>
        erp.ReadAsync(c => FindAsync(c, null, orderNumber), ct);

    public Task<ErpOrderRef> PushAsync(ErpOrder order, CancellationToken ct)
    {
        if (erp.Options.RejectCustomerCodes.Contains(order.CustomerCode))
            throw new ErpRejectedException($"Customer {order.CustomerCode} is blocked in the ERP (信用冻结).");
        if (order.Lines.Count == 0 || order.Lines.Any(l => l.Quantity <= 0))
            throw new ErpRejectedException($"Order {order.OrderNumber} has no lines or a line without quantity.");

        return erp.WriteAsync(async (c, tx) =>
        {
            if (await FindAsync(c, tx, order.OrderNumber) is { } existing) return existing;

            var warehouse = await c.ExecuteScalarAsync<string?>(
                "SELECT warehouse_code FROM customers WHERE code = @CustomerCode AND active = 1", order, tx)
                ?? throw new ErpRejectedException($"Customer {order.CustomerCode} is not in the ERP.");
            foreach (var line in order.Lines)
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products WHERE code = @ProductCode AND active = 1", line, tx) == 0)
                    throw new ErpRejectedException($"Product {line.ProductCode} is not sold in the ERP.");

            var id = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM orders", transaction: tx);
            var erpId = $"XSD{id:D6}";
            await c.ExecuteAsync("""
                INSERT INTO orders (id, erp_id, order_number, customer_code, warehouse_code, total_fen, delivery_address, note, state, created_at)
                VALUES (@id, @erpId, @OrderNumber, @CustomerCode, @warehouse, @total, @DeliveryAddress, @Note, 'New', @now)
                """, new
            {
                id, erpId, order.OrderNumber, order.CustomerCode, warehouse = order.WarehouseCode ?? warehouse,
                total = order.Lines.Sum(l => l.Quantity * l.UnitPriceFen), order.DeliveryAddress, order.Note,
                now = erp.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }, tx);
            await c.ExecuteAsync("INSERT INTO order_lines (order_id, line_no, product_code, quantity, unit_price_fen) VALUES (@id, @no, @ProductCode, @Quantity, @UnitPriceFen)",
                order.Lines.Select((l, i) => new { id, no = i + 1, l.ProductCode, l.Quantity, l.UnitPriceFen }), tx);
            // A line in a unit of the ERP's own (箱): the quantity and price count that unit.
            await c.ExecuteAsync("INSERT INTO order_line_units (order_id, line_no, unit) VALUES (@id, @no, @Unit)",
                order.Lines.Select((l, i) => new { id, no = i + 1, l.Unit }).Where(l => l.Unit is not null), tx);
            return new ErpOrderRef(erpId, order.OrderNumber);
        }, ct);
    }

    private static async Task<ErpOrderRef?> FindAsync(SqliteConnection c, SqliteTransaction? tx, string orderNumber)
    {
        var erpId = await c.ExecuteScalarAsync<string?>("SELECT erp_id FROM orders WHERE order_number = @orderNumber", new { orderNumber }, tx);
        return erpId is null ? null : new ErpOrderRef(erpId, orderNumber);
    }
}
