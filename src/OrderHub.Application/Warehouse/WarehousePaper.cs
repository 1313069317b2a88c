using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Warehouse;

/// <summary>One row of a pick list: a product at a warehouse (and bin, where known), summed over the chosen orders.</summary>
public sealed class PickRow
{
    public string WarehouseCode { get; init; } = "";
    public string WarehouseName { get; init; } = "";
    public string? Location { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    /// <summary>Everything to pick, gifts included.</summary>
    public long Quantity { get; init; }
    /// <summary>Of which free goods (买赠).</summary>
    public long GiftQuantity { get; init; }
    public long OrderCount { get; init; }
}

public sealed class PaperOrder
{
    public long Id { get; init; }
    public string OrderNo { get; init; } = "";
    public string Status { get; init; } = "";
    public string CustomerCode { get; init; } = "";
    public string CustomerName { get; init; } = "";
    public string ContactName { get; init; } = "";
    public string ContactPhone { get; init; } = "";
    public string DeliveryAddress { get; init; } = "";
    public string? Note { get; init; }
    public string WarehouseName { get; init; } = "";
    public long GoodsFen { get; init; }
    public long DiscountFen { get; init; }
    public long TotalFen { get; init; }
    public long CreatedAt { get; init; }
    public string? InvoiceKind { get; init; }
    public string? InvoiceTitle { get; init; }
    public string? InvoiceTaxNo { get; init; }
}

public sealed class PaperLine
{
    public long OrderId { get; init; }
    public int LineNo { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long Quantity { get; init; }
    public long UnitPriceFen { get; init; }
    public long AmountFen { get; init; }
    public bool IsGift { get; init; }
    public string? Location { get; init; }
}

public sealed record PickList(IReadOnlyList<PaperOrder> Orders, IReadOnlyList<PickRow> Rows, long TotalQuantity, long GiftQuantity);
public sealed record DeliveryNote(PaperOrder Order, IReadOnlyList<PaperLine> Lines, long Quantity, long GiftQuantity);

/// <summary>
/// The warehouse's paper (拣货单, 发货单) for a chosen set of orders. The pick list sums every line of the orders — gifts
/// included, since they leave the shelf too — by warehouse, bin (库位, <c>stock.location</c>, where known) and product,
/// in bin order so the picker walks the aisles once. A delivery note is one order as the store will sign for it.
/// </summary>
public sealed class WarehousePaper(Db db)
{
    public const int MaxOrders = 200;

    private const string OrderSelect = """
        SELECT o.id AS Id, o.order_no AS OrderNo, o.status AS Status, cu.code AS CustomerCode, cu.name AS CustomerName,
               o.contact_name AS ContactName, o.contact_phone AS ContactPhone, o.delivery_address AS DeliveryAddress, o.note AS Note,
               w.name AS WarehouseName, o.goods_fen AS GoodsFen, o.discount_fen AS DiscountFen, o.total_fen AS TotalFen, o.created_at AS CreatedAt,
               o.invoice_kind AS InvoiceKind, o.invoice_title AS InvoiceTitle, o.invoice_tax_no AS InvoiceTaxNo
        FROM orders o JOIN customers cu ON cu.id = o.customer_id JOIN warehouses w ON w.id = o.warehouse_id
        WHERE {0} ORDER BY o.id
        """;

    /// <returns>The pick list, or null when one of the ids is not an order (the caller answers 404).</returns>
    public async Task<PickList?> PickListAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var orders = (await c.QueryAsync<PaperOrder>(string.Format(OrderSelect, db.Dialect.InList("o.id", "ids")), new { ids = ids.ToArray() })).ToList();
        if (orders.Count != ids.Distinct().Count()) return null;
        var rows = (await c.QueryAsync<PickRow>($"""
            SELECT w.code AS WarehouseCode, MIN(w.name) AS WarehouseName, s.location AS Location, l.sku AS Sku, MIN(l.name) AS Name, MIN(l.spec) AS Spec,
                   MIN(l.unit) AS Unit, SUM(l.quantity) AS Quantity, SUM(CASE WHEN l.is_gift THEN l.quantity ELSE 0 END) AS GiftQuantity,
                   COUNT(DISTINCT o.id) AS OrderCount
            FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN warehouses w ON w.id = o.warehouse_id
            LEFT JOIN stock s ON s.product_id = l.product_id AND s.warehouse_id = o.warehouse_id
            WHERE {db.Dialect.InList("o.id", "ids")}
            GROUP BY w.code, s.location, l.sku
            ORDER BY w.code, CASE WHEN s.location IS NULL THEN 1 ELSE 0 END, s.location, l.sku
            """, new { ids = ids.ToArray() })).ToList();
        return new PickList(orders, rows, rows.Sum(r => r.Quantity), rows.Sum(r => r.GiftQuantity));
    }

    /// <returns>One note per order in id order, or null when one of the ids is not an order.</returns>
    public async Task<IReadOnlyList<DeliveryNote>?> DeliveryNotesAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var orders = (await c.QueryAsync<PaperOrder>(string.Format(OrderSelect, db.Dialect.InList("o.id", "ids")), new { ids = ids.ToArray() })).ToList();
        if (orders.Count != ids.Distinct().Count()) return null;
        var lines = (await c.QueryAsync<PaperLine>($"""
            SELECT l.order_id AS OrderId, l.line_no AS LineNo, l.sku AS Sku, l.name AS Name, l.spec AS Spec, l.unit AS Unit, l.quantity AS Quantity,
                   l.unit_price_fen AS UnitPriceFen, l.amount_fen AS AmountFen, l.is_gift AS IsGift, s.location AS Location
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            LEFT JOIN stock s ON s.product_id = l.product_id AND s.warehouse_id = o.warehouse_id
            WHERE {db.Dialect.InList("l.order_id", "ids")} ORDER BY l.order_id, l.line_no
            """, new { ids = ids.ToArray() })).ToLookup(l => l.OrderId);
        return orders.Select(o =>
        {
            var ls = lines[o.Id].ToList();
            return new DeliveryNote(o, ls, ls.Sum(l => l.Quantity), ls.Where(l => l.IsGift).Sum(l => l.Quantity));
        }).ToList();
    }
}
