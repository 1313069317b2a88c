using Microsoft.Extensions.Logging;
using OrderHub.Application.Sync;
using Quartz;

namespace OrderHub.Jobs.Jobs;

// One small job per feed. Each only calls the application service; the service records the run's health,
// so a failing ERP shows in GET /api/admin/sync/health, not only in the log.

[DisallowConcurrentExecution]
public sealed class PullStockJob(ErpSyncService sync, ILogger<PullStockJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullStockAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PullPricesJob(ErpSyncService sync, ILogger<PullPricesJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullPricesAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PullProductsJob(ErpSyncService sync, ILogger<PullProductsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullProductsAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PullCustomersJob(ErpSyncService sync, ILogger<PullCustomersJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullCustomersAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PullPaymentsJob(ErpSyncService sync, ILogger<PullPaymentsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullPaymentsAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PullOrderStatusJob(ErpSyncService sync, ILogger<PullOrderStatusJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => JobLog.Feed(log, await sync.PullOrderStatusAsync(ct));
}

[DisallowConcurrentExecution]
public sealed class PushOrdersJob(OrderPushService push, ILogger<PushOrdersJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var r = await push.PushDueAsync(ct);
        if (r.Sent + r.Retrying + r.Parked > 0)
            log.LogInformation("Order push: {Sent} sent, {Retrying} to retry, {Parked} parked", r.Sent, r.Retrying, r.Parked);
    }
}

/// <summary>Nightly (and on demand): forgets every cursor and pulls everything again, healing anything an incremental pull missed.</summary>
[DisallowConcurrentExecution]
public sealed class FullResyncJob(FullResync resync, ILogger<FullResyncJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        foreach (var r in await resync.RunAsync(ct)) JobLog.Feed(log, r);
    }
}

internal static class JobLog
{
    public static void Feed(ILogger log, FeedRunResult r)
    {
        if (r.Error is not null)
            log.LogWarning("ERP sync {Feed} failed after {Pages} page(s): {Error}", r.Feed, r.Pages, r.Error);
        else if (r.RowsChanged > 0 || r.Issues > 0)
            log.LogInformation("ERP sync {Feed}: {Rows} row(s) changed, {Issues} issue(s)", r.Feed, r.RowsChanged, r.Issues);
    }
}
