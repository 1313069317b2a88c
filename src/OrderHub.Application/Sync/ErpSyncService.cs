using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// Pulls the ERP's changes into OrderHub, one method per feed. Each reads pages from the adapter since the stored cursor
/// and applies each page with its cursor in one transaction; bad rows are recorded as sync issues and never stop the page.
/// A run never throws for an ERP fault: the result (and the feed's health row) says what happened.
/// </summary>
public sealed class ErpSyncService(IErpAdapter erp, Db db, OrderFlowService flow, FeedRunner runner, TimeProvider clock, WarehouseRule? warehouses = null, Chains.ChainOptions? chains = null)
{
    public Task<FeedRunResult> PullProductsAsync(CancellationToken ct = default) => runner.RunAsync(new ProductApplier(db, clock), erp.PullProductsAsync, ct);
    public Task<FeedRunResult> PullStockAsync(CancellationToken ct = default) => runner.RunAsync(new StockApplier(db, clock), erp.PullStockAsync, ct);
    public Task<FeedRunResult> PullPricesAsync(CancellationToken ct = default) => runner.RunAsync(new PriceApplier(db, clock), erp.PullPricesAsync, ct);
    public Task<FeedRunResult> PullCustomersAsync(CancellationToken ct = default) => runner.RunAsync(new CustomerApplier(db, clock, warehouses ?? new WarehouseRule(db, new ErpOptions(), clock), chains), erp.PullCustomersAsync, ct);
    public Task<FeedRunResult> PullPaymentsAsync(CancellationToken ct = default) => runner.RunAsync(new PaymentApplier(db, clock), erp.PullPaymentsAsync, ct);
    public Task<FeedRunResult> PullOrderStatusAsync(CancellationToken ct = default) =>
        runner.RunAsync(new OrderStatusApplier(db, flow, erp.Name, clock), erp.PullOrderStatusAsync, ct);

    /// <summary>Runs the named feed (see <see cref="SyncFeed"/>).</summary>
    public Task<FeedRunResult> PullAsync(string feed, CancellationToken ct = default) => feed switch
    {
        SyncFeed.Products => PullProductsAsync(ct),
        SyncFeed.Stock => PullStockAsync(ct),
        SyncFeed.Prices => PullPricesAsync(ct),
        SyncFeed.Customers => PullCustomersAsync(ct),
        SyncFeed.Payments => PullPaymentsAsync(ct),
        SyncFeed.OrderStatus => PullOrderStatusAsync(ct),
        _ => throw new ArgumentException($"Unknown feed '{feed}'", nameof(feed)),
    };

    /// <summary>Runs a feed again and again until it has nothing more waiting (a first or full sync has many pages).</summary>
    public async Task<FeedRunResult> PullToEndAsync(string feed, CancellationToken ct = default)
    {
        var total = await PullAsync(feed, ct);
        for (var i = 0; i < 1000 && total.Succeeded && total.MoreWaiting; i++)
        {
            var next = await PullAsync(feed, ct);
            total = next with
            {
                Pages = total.Pages + next.Pages, RowsChanged = total.RowsChanged + next.RowsChanged, Issues = total.Issues + next.Issues,
            };
        }
        return total;
    }

    /// <summary>Every feed, master data first.</summary>
    public async Task<IReadOnlyList<FeedRunResult>> PullAllAsync(CancellationToken ct = default)
    {
        var results = new List<FeedRunResult>();
        foreach (var feed in SyncFeed.Pulls) results.Add(await PullToEndAsync(feed, ct));
        return results;
    }
}

/// <summary>Forgets every cursor and pulls everything again (nightly, and on demand from the admin API).</summary>
public sealed class FullResync(SyncStateStore state, ErpSyncService sync)
{
    public async Task<IReadOnlyList<FeedRunResult>> RunAsync(CancellationToken ct = default)
    {
        await state.ResetCursorsAsync(SyncFeed.Pulls, ct);
        return await sync.PullAllAsync(ct);
    }
}
