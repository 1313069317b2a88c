using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>An order as the ERP gets it, and the OrderHub facts the push needs beside it.</summary>
public sealed record OrderForErp(long OrderId, string Status, ErpOrder Order);

/// <summary>
/// Builds the <see cref="ErpOrder"/> of an OrderHub order: customer and warehouse codes, every line (买赠 gifts at price 0),
/// the order number as the ERP document's external reference, the delivery contact and address, and the note
/// (with the 满减 discount spelled out, since the port has no order-level discount), and the invoice title copied onto the order.
/// </summary>
public sealed class ErpOrderBuilder(Db db)
{
    public async Task<OrderForErp?> BuildAsync(long orderId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var o = await c.QuerySingleOrDefaultAsync<Header>("""
            SELECT o.id AS Id, o.order_no AS OrderNo, o.status AS Status, cu.code AS CustomerCode, w.code AS WarehouseCode,
                   o.contact_name AS ContactName, o.contact_phone AS ContactPhone, o.delivery_address AS DeliveryAddress,
                   o.note AS Note, o.discount_fen AS DiscountFen, ag.code AS AgentCode,
                   o.invoice_kind AS InvoiceKind, o.invoice_title AS InvoiceTitle, o.invoice_tax_no AS InvoiceTaxNo, o.invoice_bank_name AS InvoiceBankName,
                   o.invoice_bank_account AS InvoiceBankAccount, o.invoice_address AS InvoiceAddress, o.invoice_phone AS InvoicePhone
            FROM orders o JOIN customers cu ON cu.id = o.customer_id JOIN warehouses w ON w.id = o.warehouse_id
            LEFT JOIN agents ag ON ag.id = cu.agent_id
            WHERE o.id = @orderId
            """, new { orderId });
        if (o is null) return null;
        // A line ordered in a unit the ERP knows (its code came with the product feed) goes in that unit at the unit's price;
        // any other line goes in base units at the per-base-unit price.
        var lines = (await c.QueryAsync<(string Sku, long Quantity, long UnitPriceFen, bool IsGift, long? OrderQuantity, long? OrderUnitPriceFen, string? UnitErpCode)>(
            "SELECT sku, quantity, unit_price_fen, is_gift, order_quantity, order_unit_price_fen, unit_erp_code FROM order_lines WHERE order_id = @orderId ORDER BY line_no",
            new { orderId }))
            .Select(l => l is { UnitErpCode: { } unit, OrderQuantity: { } qty, OrderUnitPriceFen: { } price }
                ? new ErpOrderLine(l.Sku, qty, l.IsGift ? 0 : price, unit)
                : new ErpOrderLine(l.Sku, l.Quantity, l.IsGift ? 0 : l.UnitPriceFen)).ToList();
        var note = o.DiscountFen > 0 ? Join(o.Note, $"满减优惠 {Money.Format(o.DiscountFen)}") : o.Note;
        var address = $"{o.ContactName} {o.ContactPhone} {o.DeliveryAddress}".Trim();
        // the invoice title copied onto the order goes with it (Kingdee: mapped fields; SQL: @invoice… parameters; Tryton: the comment)
        var invoice = string.IsNullOrWhiteSpace(o.InvoiceTitle) ? null
            : new ErpInvoiceTitle(o.InvoiceKind == ErpInvoiceTitle.Special ? ErpInvoiceTitle.Special : ErpInvoiceTitle.Normal, o.InvoiceTitle, o.InvoiceTaxNo,
                o.InvoiceBankName, o.InvoiceBankAccount, o.InvoiceAddress, o.InvoicePhone);
        return new OrderForErp(o.Id, o.Status, new ErpOrder(o.OrderNo, o.CustomerCode, o.WarehouseCode, lines, address, note, o.AgentCode, invoice));
    }

    private static string Join(string? a, string b) => string.IsNullOrWhiteSpace(a) ? b : $"{a}；{b}";

    private sealed class Header
    {
        public long Id { get; init; }
        public string OrderNo { get; init; } = "";
        public string Status { get; init; } = "";
        public string CustomerCode { get; init; } = "";
        public string WarehouseCode { get; init; } = "";
        public string ContactName { get; init; } = "";
        public string ContactPhone { get; init; } = "";
        public string DeliveryAddress { get; init; } = "";
        public string? Note { get; init; }
        public long DiscountFen { get; init; }
        public string? AgentCode { get; init; }
        public string? InvoiceKind { get; init; }
        public string? InvoiceTitle { get; init; }
        public string? InvoiceTaxNo { get; init; }
        public string? InvoiceBankName { get; init; }
        public string? InvoiceBankAccount { get; init; }
        public string? InvoiceAddress { get; init; }
        public string? InvoicePhone { get; init; }
    }
}
