using OrderHub.Erp.Tryton.Orders;
using OrderHub.Erp.Tryton.Pullers;
using OrderHub.Erp.Tryton.Rpc;

namespace OrderHub.Erp.Tryton;

/// <summary>
/// <see cref="IErpAdapter"/> for Tryton 6.0 over JSON-RPC (modules sale, stock, sale_price_list, sale_credit_limit).
/// Every pull is a change feed over <c>write_date</c>/<c>create_date</c>; see <see cref="Feeds.ChangeCursor"/> for
/// the cursor format and each puller for what counts as a change.
/// </summary>
public sealed class TrytonErpAdapter : IErpAdapter, IErpConnectionCheck, IDisposable
{
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonOptions _options;
    private readonly TrytonMasterData _masterData;
    private readonly TrytonCustomerRule _rule;
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
        _options = options;
        _rpc = new TrytonJsonRpcClient(options, http);
        var masterData = _masterData = new TrytonMasterData(_rpc, options);
        _rule = new TrytonCustomerRule(_rpc, options);
        _products = new ProductPuller(_rpc, masterData, options, Issues);
        _stock = new StockPuller(_rpc, masterData, options);
        _prices = new PricePuller(_rpc, masterData, options, Issues, _rule);
        _customers = new CustomerPuller(_rpc, masterData, options, Issues, _rule);
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
    /// <summary>A push that stops after <paramref name="until"/>: how tests play a push interrupted between Tryton's transactions.</summary>
    internal Task<ErpOrderRef> PushOrderAsync(ErpOrder order, SaleStep until, CancellationToken ct) => _sales.PushAsync(order, until, ct);
    public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) => _orderStatus.PullAsync(cursor, ct);

    /// <summary>A return is the sale carrying the return number as reference (see <see cref="SaleWriter.PushReturnAsync"/>).</summary>
    public async Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct) =>
        await _sales.FindAsync(returnNumber, ct) is { } sale ? new ErpReturnRef(sale.ErpOrderId, returnNumber) : null;

    public async Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct)
    {
        var sale = new ErpOrder(r.ReturnNumber, r.CustomerCode, r.WarehouseCode,
            r.Lines.Select(l => new ErpOrderLine(l.ProductCode, -l.Quantity, l.UnitPriceFen)).ToList(), null,
            $"退货 {r.ReturnNumber}，原订单 {r.OrderNumber}{(r.ErpOrderId is null ? "" : $" (sale {r.ErpOrderId})")}：{r.Reason}");
        var pushed = await _sales.PushReturnAsync(sale, ct);
        return new ErpReturnRef(pushed.ErpOrderId, r.ReturnNumber);
    }

    /// <summary>
    /// The go-live check: logs in, reads the company, its currency and the warehouses, and counts the parties the customer
    /// rule makes stores and the products OrderHub will sell. Never throws for a Tryton problem: it is in the report.
    /// </summary>
    public async Task<ErpConnectionReport> CheckConnectionAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        string company = "", currency = "";
        IReadOnlyList<string> warehouses = [];
        int stores = 0, products = 0;
        try
        {
            await _rpc.LoginAsync(ct);
        }
        catch (Exception e) when (e is ErpUnavailableException or TrytonRpcException or ErpRejectedException)
        {
            problems.Add($"无法登录 Tryton / cannot log in to Tryton {_options.Url} database {_options.Database} as {_options.Username}: {e.Message}");
            return new ErpConnectionReport(Name, _options.Username, company, currency, warehouses, _rule.Describe(), 0, 0, problems);
        }
        async Task Step(string what, Func<Task> step)
        {
            try { await step(); }
            catch (Exception e) when (e is ErpRejectedException or TrytonRpcException or InvalidOperationException)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }
        await Step("company", async () =>
        {
            var row = (await _rpc.ReadAsync("company.company", [await _rpc.CompanyIdAsync(ct)], ["rec_name"], ct)).Single();
            company = row.String("rec_name") ?? "";
            currency = await _masterData.CurrencyCodeAsync(ct);
            if (!ErpMoney.IsCny(currency)) problems.Add($"公司币种是 {currency}，OrderHub 只用人民币 / the company's currency is {currency}, OrderHub works in CNY");
        });
        await Step("warehouses", async () =>
        {
            warehouses = (await _masterData.WarehousesAsync(ct)).Select(w => w.Code).ToList();
            if (warehouses.Count == 0) problems.Add("Tryton 没有带编码的仓库 / Tryton has no warehouse with a code");
            foreach (var name in await _masterData.WarehousesWithoutCodeAsync(ct))
                problems.Add($"仓库「{name}」没有编码，库存不会同步 / warehouse '{name}' has no code: its stock is not reported");
        });
        await Step("stores", async () =>
        {
            stores = (await _rule.StoresAmongAsync(null, ct)).Count;
            if (stores == 0) problems.Add($"按客户规则没有门店 / no party is a store under the rule: {_rule.Describe()}");
        });
        await Step("products", async () =>
        {
            products = (await _rpc.SearchAsync("product.product", [TrytonModelCalls.D("code", "!=", null), TrytonModelCalls.D("template.salable", "=", true)], ct)).Count;
            var withoutCode = (await _rpc.SearchAsync("product.product", [TrytonModelCalls.D("code", "=", null)], ct)).Count;
            if (withoutCode > 0) problems.Add($"{withoutCode} 个商品没有编码，不会同步 / {withoutCode} products have no code and will not sync");
        });
        return new ErpConnectionReport(Name, _options.Username, company, currency, warehouses, _rule.Describe(), stores, products, problems);
    }

    public void Dispose() => _rpc.Dispose();
}
