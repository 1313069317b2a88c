using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Sync;
using OrderHub.Erp;

namespace OrderHub.Api.Sync;

/// <summary>The ERP bridge in the server: the chosen adapter, the Quartz sync and push jobs, and the sync-health API.</summary>
public static class SyncApi
{
    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        // Any staff may look; only an admin may act.
        var sync = app.MapGroup("/api/admin/sync").WithTags("ERP sync").RequireAuthorization(Policies.Staff);
        sync.MapGet("/health", Health).WithName("SyncHealth").WithSummary("Per feed: last run, rows changed, lag, consecutive failures, last error; outbox counts; recent data issues");
        sync.MapPost("/{feed}/run", RunFeed).RequireAuthorization(Policies.Admin).WithName("SyncRunFeed").ProducesNotFound("没有这个同步项 / No such feed").ProducesConflict("该同步项正在同步中 / The feed is being synced right now").WithSummary("Sync one feed now (products, stock, prices, customers, payments, order-status) or push due orders (orders)");
        sync.MapPost("/full-resync", FullResyncNow).RequireAuthorization(Policies.Admin).WithName("SyncFullResync").WithSummary("Forget every cursor and pull everything again, now");
        sync.MapGet("/outbox", Outbox).WithName("SyncOutbox").WithSummary("Messages to the ERP (status=pending|sending|sent|failed|cancelled; newest first)");
        sync.MapPost("/outbox/{id:long}/retry", Retry).RequireAuthorization(Policies.Admin).WithName("SyncOutboxRetry").ProducesNotFound("队列消息不存在 / No such outbox message").ProducesConflict("只有失败的消息可以重试 / Only failed messages can be retried").WithSummary("Put a failed (parked) message back in the queue, due now");
        return app;
    }

    /// <summary>What the sync handlers use, bound from DI as one bundle.</summary>
    public sealed class Deps(ErpSyncService sync, OrderPushService push, FullResync fullResync, OutboxAdmin outboxAdmin, SyncHealthQuery healthQuery, IErpAdapter erp)
    {
        public ErpSyncService Sync { get; } = sync;
        public OrderPushService Push { get; } = push;
        public FullResync FullResync { get; } = fullResync;
        public OutboxAdmin OutboxAdmin { get; } = outboxAdmin;
        public SyncHealthQuery HealthQuery { get; } = healthQuery;
        public IErpAdapter Erp { get; } = erp;
    }

    /// <summary>The push, runnable like a feed. Pull feeds are named as in <see cref="SyncFeed"/>, with '-' for '_' ("order-status").</summary>
    public const string PushFeed = "orders";

    private static async Task<Ok<SyncHealth>> Health([AsParameters] Deps d, int? issues, CancellationToken ct) =>
        TypedResults.Ok(await d.HealthQuery.GetAsync(d.Erp.Name, issues ?? 50, ct));

    private static async Task<Results<Ok<FeedRunResult>, Ok<PushRunResult>, ProblemHttpResult>> RunFeed(string feed, [AsParameters] Deps d, CancellationToken ct)
    {
        if (feed == PushFeed) return TypedResults.Ok(await d.Push.PushDueAsync(ct));
        var name = feed.Replace('-', '_');
        if (!SyncFeed.IsPull(name))
            return Problems.NotFound($"没有名为 {feed} 的同步项", $"No feed named {feed}; use products, stock, prices, customers, payments, order-status or orders");
        var result = await d.Sync.PullAsync(name, ct);
        if (result.Busy) return Problems.Conflict($"{feed} 正在同步中，请稍后再试", $"{feed} is being synced right now; try again shortly");
        return TypedResults.Ok(result);
    }

    private static async Task<Ok<IReadOnlyList<FeedRunResult>>> FullResyncNow([AsParameters] Deps d, CancellationToken ct) =>
        TypedResults.Ok(await d.FullResync.RunAsync(ct));

    private static async Task<Ok<IReadOnlyList<OutboxRow>>> Outbox([AsParameters] Deps d, string? status, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await d.OutboxAdmin.ListAsync(string.IsNullOrWhiteSpace(status) ? null : status, limit ?? 50, ct));

    private static async Task<Ok<OutboxRow>> Retry(long id, [AsParameters] Deps d, CancellationToken ct) =>
        TypedResults.Ok(await d.OutboxAdmin.RetryAsync(id, ct));
}
