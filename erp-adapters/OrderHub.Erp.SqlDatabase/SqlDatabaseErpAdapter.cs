using OrderHub.Erp.SqlDatabase.Database;
using OrderHub.Erp.SqlDatabase.Documents;
using OrderHub.Erp.SqlDatabase.Feeds;
using OrderHub.Erp.SqlDatabase.Mapping;
using OrderHub.Erp.SqlDatabase.Orders;

namespace OrderHub.Erp.SqlDatabase;

/// <summary>
/// <see cref="IErpAdapter"/> for an ERP integrated through its own database: every pull, the order look-up and the
/// order write are SQL text from <see cref="SqlDatabaseErpOptions"/> (contract in QUERIES.md).
/// Rows that break OrderHub's rules are not dropped silently: they go to <see cref="Issues"/> (or the sink passed in).
/// </summary>
public sealed class SqlDatabaseErpAdapter : IErpAdapter
{
    private readonly SqlDatabaseErpOptions _options;
    private readonly FeedPuller _feeds;
    private readonly SalesOrderWriter _orders;
    private readonly MoneyAndReturnWriter _documents;
    private readonly ProductMapper _products;
    private readonly ProductUnitsReader _units;
    private readonly OrderStatusMapper _orderStatus;

    /// <param name="issues">Where bad rows are reported; by default an <see cref="ErpDataIssueList"/> exposed as <see cref="Issues"/>.</param>
    public SqlDatabaseErpAdapter(SqlDatabaseErpOptions options, IErpDataIssues? issues = null, TimeProvider? clock = null)
    {
        _options = options;
        IssueSink = issues ?? new ErpDataIssueList();
        var zone = Zone(options.TimeZone);
        var db = new ErpDatabase(options);
        _feeds = new FeedPuller(new ChangeFeedReader(db, zone, options.PageSize, IssueSink), IssueSink);
        _orders = new SalesOrderWriter(db, options, clock ?? TimeProvider.System, zone);
        _documents = new MoneyAndReturnWriter(db, options, clock ?? TimeProvider.System, zone, Name);
        _products = new ProductMapper(options.KnownUnits);
        _units = new ProductUnitsReader(db, IssueSink);
        _orderStatus = new OrderStatusMapper(options.StateMap);
    }

    public string Name => $"SqlDatabase ({_options.Provider})";

    public IErpDataIssues IssueSink { get; }

    /// <summary>The default issue list; null when a sink was passed in.</summary>
    public ErpDataIssueList? Issues => IssueSink as ErpDataIssueList;

    public async Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feeds.PullAsync(_options.Queries.Products, _products, cursor, ct);
        if (string.IsNullOrWhiteSpace(_options.Queries.ProductUnits) || page.Items.Count == 0) return page;
        var units = await _units.ReadAsync(_options.Queries.ProductUnits, page.Items.Select(p => p.Code).Distinct().ToList(), ct);
        return page with { Items = [.. page.Items.Select(p => p with { Units = units.GetValueOrDefault(p.Code) ?? [] })] };
    }

    public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) =>
        _feeds.PullAsync(_options.Queries.Stock, new StockMapper(), cursor, ct);

    public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) =>
        _feeds.PullAsync(_options.Queries.Prices, new PriceMapper(), cursor, ct);

    public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) =>
        _feeds.PullAsync(_options.Queries.Customers, new CustomerMapper(), cursor, ct);

    public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) =>
        _feeds.PullAsync(_options.Queries.Payments, new PaymentMapper(), cursor, ct);

    public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) =>
        _feeds.PullAsync(_options.Queries.OrderStatus, _orderStatus, cursor, ct);

    public Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct) => _orders.FindAsync(orderNumber, ct);

    public Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct) => _orders.PushAsync(order, ct);

    public Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct) => _documents.FindReceiptAsync(receiptNumber, ct);

    public Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt receipt, CancellationToken ct) => _documents.PushReceiptAsync(receipt, ct);

    public Task<ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct) => _documents.FindRefundAsync(refundNumber, ct);

    public Task<ErpRefundRef> PushRefundAsync(ErpRefund refund, CancellationToken ct) => _documents.PushRefundAsync(refund, ct);

    public Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct) => _documents.FindReturnAsync(returnNumber, ct);

    public Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct) => _documents.PushReturnAsync(r, ct);

    private static TimeZoneInfo Zone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) when (id is "Asia/Shanghai" or "China Standard Time")
        {
            return TimeZoneInfo.CreateCustomTimeZone("CST+8", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
