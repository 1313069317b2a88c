using OrderHub.Erp;

namespace OrderHub.Tests.Sync;

/// <summary>
/// An <see cref="IErpAdapter"/> in front of a real one (the demo ERP) that a test can break: the whole ERP down, a push
/// that commits in the ERP and then times out, pages of bad rows instead of the real feed. Counts the order calls.
/// </summary>
public sealed class ScriptedErp(IErpAdapter inner) : IErpAdapter
{
    public bool Down { get; set; }
    /// <summary>The push reaches the ERP (the order is created) and then the answer is lost.</summary>
    public bool TimeOutAfterPush { get; set; }
    public int FindCalls { get; private set; }
    public int PushCalls { get; private set; }

    public ErpPage<ErpStockLevel>? StockPage { get; set; }
    public ErpPage<ErpPrice>? PricePage { get; set; }
    public ErpPage<ErpPayment>? PaymentPage { get; set; }
    public ErpPage<ErpProduct>? ProductPage { get; set; }
    public ErpPage<ErpCustomer>? CustomerPage { get; set; }

    public string Name => "测试 ERP";

    public Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct) => Up(() => ProductPage is { } p ? Task.FromResult(p) : inner.PullProductsAsync(cursor, ct));
    public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) => Up(() => StockPage is { } p ? Task.FromResult(p) : inner.PullStockAsync(cursor, ct));
    public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) => Up(() => PricePage is { } p ? Task.FromResult(p) : inner.PullPricesAsync(cursor, ct));
    public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) => Up(() => CustomerPage is { } p ? Task.FromResult(p) : inner.PullCustomersAsync(cursor, ct));
    public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) => Up(() => PaymentPage is { } p ? Task.FromResult(p) : inner.PullPaymentsAsync(cursor, ct));
    public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) => Up(() => inner.PullOrderStatusAsync(cursor, ct));

    public Task<ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct) => Up(() => inner.FindReturnAsync(returnNumber, ct));
    public Task<ErpReturnRef> PushReturnAsync(ErpReturn r, CancellationToken ct) => Up(() => inner.PushReturnAsync(r, ct));

    public Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct)
    {
        FindCalls++;
        return Up(() => inner.FindOrderAsync(orderNumber, ct));
    }

    public async Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct)
    {
        PushCalls++;
        var created = await Up(() => inner.PushOrderAsync(order, ct));
        if (TimeOutAfterPush) throw new ErpUnavailableException("The ERP did not answer in 30 s (timeout)");
        return created;
    }

    private Task<T> Up<T>(Func<Task<T>> call) => Down ? throw new ErpUnavailableException("Connection refused") : call();
}
