using System.Text;
using ClosedXML.Excel;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Statements;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Ordering;

/// <summary>One order line with its order, as exported (one row per line, the order repeated on each).</summary>
public sealed class ExportRow
{
    public long OrderId { get; init; }
    public string OrderNo { get; init; } = "";
    public long CreatedAt { get; init; }
    public string Status { get; init; } = "";
    public string Channel { get; init; } = "";
    public string CustomerCode { get; init; } = "";
    public string CustomerName { get; init; } = "";
    public string? AgentName { get; init; }
    public string ContactName { get; init; } = "";
    public string ContactPhone { get; init; } = "";
    public string DeliveryAddress { get; init; } = "";
    public string? Note { get; init; }
    public string? InvoiceKind { get; init; }
    public string? InvoiceTitle { get; init; }
    public string? InvoiceTaxNo { get; init; }
    public long GoodsFen { get; init; }
    public long DiscountFen { get; init; }
    public long TotalFen { get; init; }
    public int LineNo { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long Quantity { get; init; }
    public bool IsGift { get; init; }
    public long UnitPriceFen { get; init; }
    public long AmountFen { get; init; }
}

/// <summary>
/// Orders with their lines as a file for Excel or WPS (订单导出): the back office's order list filters, one row per line,
/// Chinese headers, amounts in yuan with two decimals. CSV is UTF-8 with a byte-order mark; XLSX is written with
/// ClosedXML, as the statements are. At most <see cref="MaxOrders"/> orders per file: narrow the filter for more.
/// </summary>
public sealed class OrderExport(Db db, OrderQueries queries)
{
    public const int MaxOrders = 5000;
    public const string SheetName = "订单明细";

    public static readonly string[] Header =
    [
        "订单号", "下单时间", "状态", "渠道", "客户编码", "客户名称", "业务员", "收货人", "联系电话", "收货地址", "备注",
        "发票类型", "发票抬头", "税号", "行号", "商品编码", "商品名称", "规格", "单位", "数量", "赠品", "单价(元)", "金额(元)",
        "订单商品金额(元)", "订单优惠(元)", "订单应付(元)",
    ];

    /// <returns>The rows, or null when more than <see cref="MaxOrders"/> orders match.</returns>
    public async Task<IReadOnlyList<ExportRow>?> RowsAsync(OrderFilter filter, CancellationToken ct = default)
    {
        var (orders, next) = await queries.ListAsync(OrderScope.Any, filter with { Limit = MaxOrders, Before = null }, ct);
        if (next is not null) return null;
        var ids = orders.Select(o => o.Id).ToList();
        if (ids.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ExportRow>($"""
            SELECT o.id AS OrderId, o.order_no AS OrderNo, o.created_at AS CreatedAt, o.status AS Status, o.channel AS Channel,
                   cu.code AS CustomerCode, cu.name AS CustomerName, a.name AS AgentName, o.contact_name AS ContactName,
                   o.contact_phone AS ContactPhone, o.delivery_address AS DeliveryAddress, o.note AS Note,
                   o.invoice_kind AS InvoiceKind, o.invoice_title AS InvoiceTitle, o.invoice_tax_no AS InvoiceTaxNo,
                   o.goods_fen AS GoodsFen, o.discount_fen AS DiscountFen, o.total_fen AS TotalFen,
                   l.line_no AS LineNo, l.sku AS Sku, l.name AS Name, l.spec AS Spec, l.unit AS Unit, l.quantity AS Quantity,
                   l.is_gift AS IsGift, l.unit_price_fen AS UnitPriceFen, l.amount_fen AS AmountFen
            FROM orders o JOIN customers cu ON cu.id = o.customer_id LEFT JOIN agents a ON a.id = o.agent_id
            JOIN order_lines l ON l.order_id = o.id
            WHERE {db.Dialect.InList("o.id", "ids")}
            ORDER BY o.id DESC, l.line_no
            """, new { ids = ids.ToArray() })).ToList();
    }

    public static string FileName(DateOnly today, string format) => $"订单明细_{today:yyyy-MM-dd}.{format}";

    public static string InvoiceKindText(string? kind) => kind switch { "normal" => "普票", "special" => "专票", null => "", _ => kind };

    private static string ChannelText(string channel) => channel switch { "self" => "自助订货", "proxy" => "代客下单", _ => channel };

    private static string Time(long ms) => ShanghaiTime.FromUnixMs(ms).ToString("yyyy-MM-dd HH:mm");

    /// <summary>The cells of a row as text; amounts as "1234.50".</summary>
    private static string?[] Cells(ExportRow r) =>
    [
        r.OrderNo, Time(r.CreatedAt), OrderStatus.Label(r.Status), ChannelText(r.Channel), r.CustomerCode, r.CustomerName, r.AgentName ?? "",
        r.ContactName, r.ContactPhone, r.DeliveryAddress, r.Note ?? "", InvoiceKindText(r.InvoiceKind), r.InvoiceTitle ?? "", r.InvoiceTaxNo ?? "",
        r.LineNo.ToString(), r.Sku, r.Name, r.Spec ?? "", r.Unit, r.Quantity.ToString(), r.IsGift ? "是" : "",
        StatementExport.Yuan(r.UnitPriceFen), StatementExport.Yuan(r.AmountFen),
        StatementExport.Yuan(r.GoodsFen), StatementExport.Yuan(r.DiscountFen), StatementExport.Yuan(r.TotalFen),
    ];

    // Columns that hold amounts (yuan) and the quantity: numbers in the XLSX; everything else is text.
    private static readonly int[] AmountColumns = [21, 22, 23, 24, 25];
    private const int QuantityColumn = 19;
    private static readonly int[] FreeTextColumns = [5, 6, 7, 8, 9, 10, 12, 13, 16, 17];

    public static byte[] ToCsv(IReadOnlyList<ExportRow> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Header.Select(StatementExport.Field))).Append("\r\n");
        foreach (var r in rows)
        {
            var cells = Cells(r);
            foreach (var i in FreeTextColumns) cells[i] = StatementExport.Text(cells[i]);
            sb.Append(string.Join(',', cells.Select(StatementExport.Field))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public static byte[] ToXlsx(IReadOnlyList<ExportRow> rows)
    {
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add(SheetName);
        for (var i = 0; i < Header.Length; i++) { ws.Cell(1, i + 1).SetValue(Header[i]); ws.Cell(1, i + 1).DataType = XLDataType.Text; }
        ws.Row(1).Style.Font.Bold = true;
        ws.Range(1, 1, 1, Header.Length).Style.Fill.BackgroundColor = XLColor.LightGray;
        var n = 2;
        foreach (var r in rows)
        {
            var cells = Cells(r);
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = ws.Cell(n, i + 1);
                if (AmountColumns.Contains(i))
                {
                    cell.SetValue(decimal.Parse(cells[i]!, System.Globalization.CultureInfo.InvariantCulture));
                    cell.Style.NumberFormat.Format = "0.00";
                }
                else if (i == QuantityColumn) cell.SetValue(r.Quantity);
                else if (!string.IsNullOrEmpty(cells[i])) { cell.SetValue(cells[i]); cell.DataType = XLDataType.Text; }
            }
            n++;
        }
        // Fixed widths: measuring text (AdjustToContents) needs GDI+, which Linux servers do not have.
        double[] widths = [20, 17, 10, 10, 12, 20, 10, 10, 14, 36, 20, 8, 24, 22, 6, 14, 24, 12, 6, 8, 6, 10, 12, 14, 12, 12];
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
        ws.SheetView.FreezeRows(1);
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }
}
