namespace OrderHub.Erp;

/// <summary>
/// The one port every ERP adapter implements. Pulls are incremental: each takes an opaque cursor
/// (null = from the beginning, i.e. a full resync) and returns the changes after it plus the next cursor.
/// Money is integer fen (CNY); quantities are in the product's base unit.
/// Transient faults (ERP down, timeout) throw <see cref="ErpUnavailableException"/>;
/// a document the ERP refuses for good throws <see cref="ErpRejectedException"/>.
/// </summary>
public interface IErpAdapter
{
    string Name { get; }

    Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct);
    Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct);
    /// <summary>Base prices, customer-group price lists (with quantity tiers) and customer prices (客户跟踪价).</summary>
    Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct);
    /// <summary>Customers with their credit limit and receivable balance.</summary>
    Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct);
    Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct);

    /// <summary>
    /// Looks an order up by OrderHub's order number (the ERP document's external reference). Null if absent. A document an
    /// interrupted push left half-way is finished first; if it cannot be, <see cref="ErpOrderIncompleteException"/>.
    /// </summary>
    Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct);
    /// <summary>Creates the sales order. Callers call <see cref="FindOrderAsync"/> first, so a retry never makes a second one.</summary>
    Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct);
    /// <summary>Status changes of orders that came from OrderHub (confirmed, picked, shipped, delivered, cancelled).</summary>
    Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct);

    /// <summary>Looks a return (退货) up by OrderHub's return number. Null if absent. Adapters that cannot write returns keep this default.</summary>
    Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct) => throw new ErpReturnsNotSupportedException(Name);
    /// <summary>Creates the ERP's customer return document. Callers call <see cref="FindReturnAsync"/> first, as for orders.</summary>
    Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct) => throw new ErpReturnsNotSupportedException(Name);

    /// <summary>Looks a receipt (收款单) up by OrderHub's receipt number. Null if absent. Adapters that cannot write receipts keep this default.</summary>
    Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct) => throw new ErpReceiptsNotSupportedException(Name);
    /// <summary>Creates the ERP's receipt for money OrderHub took (WeChat Pay, a top-up). Callers call <see cref="FindReceiptAsync"/> first.</summary>
    Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt receipt, CancellationToken ct) => throw new ErpReceiptsNotSupportedException(Name);

    /// <summary>Looks a refund (收款退款单) up by OrderHub's refund number. Null if absent. Adapters that cannot write refunds keep this default.</summary>
    Task<ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct) => throw new ErpRefundsNotSupportedException(Name);
    /// <summary>Creates the ERP's receivable refund for money OrderHub paid back (WeChat Pay). Callers call <see cref="FindRefundAsync"/> first.</summary>
    Task<ErpRefundRef> PushRefundAsync(ErpRefund refund, CancellationToken ct) => throw new ErpRefundsNotSupportedException(Name);
}
