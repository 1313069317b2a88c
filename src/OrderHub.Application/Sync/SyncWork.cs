using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;

namespace OrderHub.Application.Sync;

// The ERP bridge's scheduled work: one small class per feed. Each only calls the service; the service records the run's
// health, so a failing ERP shows in GET /api/admin/sync/health, not only in the log. Registered in ErpSyncServices.

public sealed class PullStock(ErpSyncService sync, ILogger<PullStock> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullStockAsync(ct));
}

public sealed class PullPrices(ErpSyncService sync, ILogger<PullPrices> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullPricesAsync(ct));
}

public sealed class PullProducts(ErpSyncService sync, ILogger<PullProducts> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullProductsAsync(ct));
}

public sealed class PullCustomers(ErpSyncService sync, ILogger<PullCustomers> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullCustomersAsync(ct));
}

public sealed class PullPayments(ErpSyncService sync, ILogger<PullPayments> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullPaymentsAsync(ct));
}

public sealed class PullOrderStatus(ErpSyncService sync, ILogger<PullOrderStatus> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => FeedLog.Write(log, await sync.PullOrderStatusAsync(ct));
}

public sealed class PushOrders(OrderPushService push, ILogger<PushOrders> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var r = await push.PushDueAsync(ct);
        if (r.Sent + r.Retrying + r.Parked > 0)
            log.LogInformation("Order push: {Sent} sent, {Retrying} to retry, {Parked} parked", r.Sent, r.Retrying, r.Parked);
    }
}

/// <summary>Nightly (and on demand): forgets every cursor and pulls everything again, healing anything an incremental pull missed.</summary>
public sealed class FullResyncWork(FullResync resync, ILogger<FullResyncWork> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var r in await resync.RunAsync(ct)) FeedLog.Write(log, r);
    }
}

internal static class FeedLog
{
    public static void Write(ILogger log, FeedRunResult r)
    {
        if (r.Error is not null)
            log.LogWarning("ERP sync {Feed} failed after {Pages} page(s): {Error}", r.Feed, r.Pages, r.Error);
        else if (r.RowsChanged > 0 || r.Issues > 0)
            log.LogInformation("ERP sync {Feed}: {Rows} row(s) changed, {Issues} issue(s)", r.Feed, r.RowsChanged, r.Issues);
    }
}
