using System.Globalization;
using Dapper;

namespace OrderHub.Erp.Demo;

/// <summary>
/// OrderHub's <see cref="IErpAdapter"/> onto the <see cref="DemoErp"/>. Cursors are the ERP's change sequence number as text
/// (null or empty = from the start); each pull returns rows with a higher number, in order.
/// </summary>
public sealed class DemoErpAdapter(DemoErp erp) : IErpAdapter
{
    private readonly DemoErpOrderDesk _orders = new(erp);

    public string Name => "Demo ERP";

    /// <summary>Products with their units (箱 of the pack at the ERP's case price); a product without units gets an empty list.</summary>
    public async Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct)
    {
        var page = await PullProductRowsAsync(cursor, ct);
        if (page.Items.Count == 0) return page;
        // The page's codes as one JSON array parameter: an IN list of n named parameters costs n² to bind in SQLite (it
        // finds each name by a linear search), which made a 5,000-product page's units the slowest part of a large import.
        var codes = System.Text.Json.JsonSerializer.Serialize(page.Items.Select(p => p.Code));
        var units = (await erp.ReadAsync(c => c.QueryAsync<(string Code, string Unit, int Factor, long? PriceFen, string? ErpCode)>(new CommandDefinition(
                "SELECT product_code, unit, factor, price_fen, erp_code FROM product_units WHERE product_code IN (SELECT value FROM json_each(@codes)) ORDER BY product_code, factor",
                new { codes }, cancellationToken: ct)), ct))
            .ToLookup(u => u.Code, u => new ErpProductUnit(u.Unit, u.Factor, u.PriceFen, u.ErpCode));
        return page with { Items = page.Items.Select(p => p with { Units = units[p.Code].ToList() }).ToList() };
    }

    private Task<ErpPage<ErpProduct>> PullProductRowsAsync(string? cursor, CancellationToken ct) =>
        PullAsync<ProductRow, ErpProduct>("""
            SELECT code AS Code, name AS Name, spec AS Spec, unit AS Unit, pack_size AS PackSize, min_order_qty AS MinOrderQty, barcode AS Barcode,
                   brand AS Brand, category_path AS CategoryPath, base_price_fen AS BasePriceFen, active AS Active, changed_at AS ChangedAt, seq AS Seq,
                   cost_fen AS CostFen
            FROM products
            """, cursor, r => r.Seq, r => new ErpProduct(r.Code, r.Name, r.Spec, r.Unit, r.PackSize, r.MinOrderQty, r.Barcode, r.Brand,
            r.CategoryPath.Split('/', StringSplitOptions.RemoveEmptyEntries), r.BasePriceFen, "CNY", r.Active, Time(r.ChangedAt), CostFen: r.CostFen), ct);

    public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) =>
        PullAsync<StockRow, ErpStockLevel>("""
            SELECT product_code AS ProductCode, warehouse_code AS WarehouseCode, on_hand AS OnHand, changed_at AS ChangedAt, seq AS Seq FROM stock
            """, cursor, r => r.Seq, r => new ErpStockLevel(r.ProductCode, r.WarehouseCode, r.OnHand, Time(r.ChangedAt)), ct);

    public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) =>
        PullAsync<PriceRow, ErpPrice>("""
            SELECT product_code AS ProductCode, scope AS Scope, scope_code AS ScopeCode, min_qty AS MinQty, price_fen AS PriceFen,
                   is_tracking AS IsTracking, deleted AS Deleted, changed_at AS ChangedAt, seq AS Seq
            FROM prices
            """, cursor, r => r.Seq, r => new ErpPrice(r.ProductCode, Enum.Parse<ErpPriceScope>(r.Scope), r.ScopeCode == "" ? null : r.ScopeCode,
            r.MinQty, r.PriceFen, "CNY", r.IsTracking, Time(r.ChangedAt), r.Deleted), ct);

    public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) =>
        PullAsync<CustomerRow, ErpCustomer>("""
            SELECT code AS Code, name AS Name, contact AS Contact, phone AS Phone, address AS Address, group_code AS GroupCode,
                   credit_limit_fen AS CreditLimitFen, receivable_fen AS ReceivableFen, active AS Active, changed_at AS ChangedAt, seq AS Seq
            FROM customers
            """, cursor, r => r.Seq, r => new ErpCustomer(r.Code, r.Name, r.Contact, r.Phone, r.Address, r.GroupCode,
            r.CreditLimitFen, r.ReceivableFen, r.Active, Time(r.ChangedAt)), ct);

    public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) =>
        PullAsync<PaymentRow, ErpPayment>("""
            SELECT * FROM (SELECT p.reference AS Reference, p.customer_code AS CustomerCode, p.amount_fen AS AmountFen, p.paid_at AS PaidAt, p.note AS Note,
                                  COALESCE(r.receipt_number, f.refund_number) AS SourceReference, p.seq AS Seq
                           FROM payments p LEFT JOIN receipts r ON r.erp_id = p.reference LEFT JOIN refunds f ON f.erp_id = p.reference) x
            """, cursor, r => r.Seq, r => new ErpPayment(r.Reference, r.CustomerCode, r.AmountFen, Time(r.PaidAt), r.Note, r.SourceReference), ct);

    public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) =>
        PullAsync<StatusRow, ErpOrderStatusChange>("""
            SELECT order_number AS OrderNumber, erp_id AS ErpId, state AS State, changed_at AS ChangedAt, detail AS Detail, seq AS Seq FROM order_status
            """, cursor, r => r.Seq, r => new ErpOrderStatusChange(r.OrderNumber, r.ErpId, Enum.Parse<ErpOrderState>(r.State), Time(r.ChangedAt), r.Detail), ct);

    public async Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        return await _orders.FindAsync(orderNumber, ct);
    }

    public async Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        return await _orders.PushAsync(order, ct);
    }

    /// <summary>The demo ERP keeps returns as they come (one per return number) and accepts every one.</summary>
    public async Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var erpId = await erp.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT erp_id FROM returns WHERE return_number = @returnNumber", new { returnNumber }), ct);
        return erpId is null ? null : new ErpReturnRef(erpId, returnNumber);
    }

    public async Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var erpId = "DEMO-" + r.ReturnNumber;
        await erp.WriteAsync(async (c, tx) => await c.ExecuteAsync("""
            INSERT INTO returns (return_number, erp_id, order_number, customer_code, lines, created_at) VALUES (@ReturnNumber, @erpId, @OrderNumber, @CustomerCode, @lines, @now)
            ON CONFLICT (return_number) DO NOTHING
            """, new { r.ReturnNumber, erpId, r.OrderNumber, r.CustomerCode, lines = System.Text.Json.JsonSerializer.Serialize(r.Lines), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx), ct);
        return new ErpReturnRef(erpId, r.ReturnNumber);
    }

    /// <summary>
    /// The demo ERP takes every receipt (one per receipt number) and books it at once as one of its own payments, numbered
    /// SK-&lt;receipt number&gt;, so its payments feed brings it back (with the receipt number) as a real ERP would.
    /// </summary>
    public async Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var erpId = await erp.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT erp_id FROM receipts WHERE receipt_number = @receiptNumber", new { receiptNumber }), ct);
        return erpId is null ? null : new ErpReceiptRef(erpId, receiptNumber);
    }

    public async Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt r, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var erpId = "SK-" + r.ReceiptNumber;
        await erp.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync("""
                    INSERT INTO receipts (receipt_number, erp_id, customer_code, amount_fen, method, purpose, order_number, created_at)
                    VALUES (@ReceiptNumber, @erpId, @CustomerCode, @AmountFen, @Method, @purpose, @OrderNumber, @now)
                    ON CONFLICT (receipt_number) DO NOTHING
                    """, new { r.ReceiptNumber, erpId, r.CustomerCode, r.AmountFen, r.Method, purpose = r.Purpose.ToString(), r.OrderNumber,
                    now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx) == 0) return 0;
            var seq = await ChangeSequence.NextAsync(c, tx);
            return await c.ExecuteAsync("INSERT INTO payments (reference, customer_code, amount_fen, paid_at, note, seq) VALUES (@erpId, @CustomerCode, @AmountFen, @at, @Note, @seq)",
                new { erpId, r.CustomerCode, r.AmountFen, at = r.ReceivedAt.ToUnixTimeMilliseconds(), r.Note, seq }, tx);
        }, ct);
        return new ErpReceiptRef(erpId, r.ReceiptNumber);
    }

    /// <summary>
    /// The demo ERP takes every refund (one per refund number) and books it at once as a negative payment numbered
    /// TK-&lt;refund number&gt;, so its payments feed brings it back (with the refund number) as a real ERP would.
    /// </summary>
    public async Task<ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var erpId = await erp.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT erp_id FROM refunds WHERE refund_number = @refundNumber", new { refundNumber }), ct);
        return erpId is null ? null : new ErpRefundRef(erpId, refundNumber);
    }

    public async Task<ErpRefundRef> PushRefundAsync(ErpRefund r, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        if (r.AmountFen <= 0) throw new ErpRejectedException($"Refund {r.RefundNumber} has no positive amount.");
        var erpId = "TK-" + r.RefundNumber;
        await erp.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync("""
                    INSERT INTO refunds (refund_number, erp_id, receipt_number, customer_code, amount_fen, order_number, return_number, created_at)
                    VALUES (@RefundNumber, @erpId, @ReceiptNumber, @CustomerCode, @AmountFen, @OrderNumber, @ReturnNumber, @now)
                    ON CONFLICT (refund_number) DO NOTHING
                    """, new { r.RefundNumber, erpId, r.ReceiptNumber, r.CustomerCode, r.AmountFen, r.OrderNumber, r.ReturnNumber,
                    now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx) == 0) return 0;
            var seq = await ChangeSequence.NextAsync(c, tx);
            return await c.ExecuteAsync("INSERT INTO payments (reference, customer_code, amount_fen, paid_at, note, seq) VALUES (@erpId, @CustomerCode, @amount, @at, @Note, @seq)",
                new { erpId, r.CustomerCode, amount = -r.AmountFen, at = r.RefundedAt.ToUnixTimeMilliseconds(), r.Note, seq }, tx);
        }, ct);
        return new ErpRefundRef(erpId, r.RefundNumber);
    }

    private async Task<ErpPage<TOut>> PullAsync<TRow, TOut>(string select, string? cursor, Func<TRow, long> seq, Func<TRow, TOut> map, CancellationToken ct)
    {
        await SlowAsync(ct);
        ThrowIfUnavailable();
        var after = string.IsNullOrEmpty(cursor) ? 0 : long.Parse(cursor, CultureInfo.InvariantCulture);
        var limit = Math.Max(1, erp.Options.PageSize);
        var rows = await erp.ReadAsync(c => c.QueryAsync<TRow>(
            new CommandDefinition($"{select} WHERE seq > @after ORDER BY seq LIMIT @limit", new { after, limit }, cancellationToken: ct)), ct);
        var list = rows.AsList();
        if (list.Count == 0) return ErpPage<TOut>.Empty(cursor);
        return new ErpPage<TOut>(list.Select(map).ToList(), seq(list[^1]).ToString(CultureInfo.InvariantCulture), list.Count == limit);
    }

    /// <summary><see cref="DemoErpOptions.CallDelayMs"/>: a slow ERP.</summary>
    private Task SlowAsync(CancellationToken ct) =>
        erp.Options.CallDelayMs > 0 ? Task.Delay(erp.Options.CallDelayMs, ct) : Task.CompletedTask;

    private void ThrowIfUnavailable()
    {
        if (erp.Options.Unavailable) throw new ErpUnavailableException("The demo ERP is switched to unavailable.");
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
