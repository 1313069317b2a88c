using OrderHub.Erp.Tryton.Orders;
using OrderHub.Erp.Tryton.Pullers;
using OrderHub.Erp.Tryton.Rpc;

namespace OrderHub.Erp.Tryton;

/// <summary>
/// <see cref="IErpAdapter"/> for Tryton 6.0 over JSON-RPC (modules sale, stock, sale_price_list, sale_credit_limit).
/// Every pull is a change feed over <c>write_date</c>/<c>create_date</c>; see <see cref="Feeds.ChangeCursor"/> for
/// the cursor format and each puller for what counts as a change.
/// </summary>
public sealed class TrytonErpAdapter : IErpAdapter, IDisposable
{
    private readonly TrytonJsonRpcClient _rpc;
    private readonly ProductPuller _products;
    private readonly StockPuller _stock;
    private readonly PricePuller _prices;
    private readonly CustomerPuller _customers;
    private readonly PaymentPuller _payments;
    private readonly SaleWriter _sales;
    private readonly OrderStatusPuller _orderStatus;

    /// <param name="issues">Where rows with bad data are reported (rounded or refused amounts…); by default an <see cref="ErpDataIssueList"/>.</param>
    public TrytonErpAdapter(TrytonOptions options, HttpClient? http = null, IErpDataIssues? issues = null)
    {
        Issues = issues ?? new ErpDataIssueList();
        _rpc = new TrytonJsonRpcClient(options, http);
        var masterData = new TrytonMasterData(_rpc, options);
        _products = new ProductPuller(_rpc, masterData, options, Issues);
        _stock = new StockPuller(_rpc, masterData, options);
        _prices = new PricePuller(_rpc, masterData, options, Issues);
        _customers = new CustomerPuller(_rpc, masterData, options, Issues);
        _payments = new PaymentPuller(_rpc, options, Issues);
        _sales = new SaleWriter(_rpc, masterData, options);
        _orderStatus = new OrderStatusPuller(_rpc, options);
    }

    public string Name => "Tryton";

    /// <summary>Where this adapter reports rows with bad data.</summary>
    public IErpDataIssues Issues { get; }

    public Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct) => _products.PullAsync(cursor, ct);
    public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) => _stock.PullAsync(cursor, ct);
    public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) => _prices.PullAsync(cursor, ct);
    public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) => _customers.PullAsync(cursor, ct);
    public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) => _payments.PullAsync(cursor, ct);
    public Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct) => _sales.FindAsync(orderNumber, ct);
    public Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct) => _sales.PushAsync(order, ct);
    public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) => _orderStatus.PullAsync(cursor, ct);

    public void Dispose() => _rpc.Dispose();
}
