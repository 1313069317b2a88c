using System.Threading.RateLimiting;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>
/// Fixed-window limits per client IP for the anonymous WeChat endpoints (login, bind), built on .NET's rate limiters
/// (System.Threading.RateLimiting, the ones ASP.NET Core's rate-limiting middleware uses). Settings: WeChat:RateLimit.
/// Applied as an endpoint filter, so it needs no middleware in the pipeline. Behind a reverse proxy, forward the client IP.
/// </summary>
public sealed class WeChatRateLimiter(WeChatSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, settings.RateLimit.PermitLimit),
            Window = TimeSpan.FromSeconds(Math.Max(1, settings.RateLimit.WindowSeconds)),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public RateLimitLease Acquire(string endpoint, string client) => _limiter.AttemptAcquire($"{endpoint}|{client}");

    public int WindowSeconds => Math.Max(1, settings.RateLimit.WindowSeconds);

    public void Dispose() => _limiter.Dispose();
}

public static class WeChatRateLimitExtensions
{
    /// <summary>429 problem with Retry-After once this client IP used up its calls of <paramref name="name"/> in the window.</summary>
    public static RouteHandlerBuilder WithWeChatRateLimit(this RouteHandlerBuilder builder, string name) =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var limiter = http.RequestServices.GetRequiredService<WeChatRateLimiter>();
            using var lease = limiter.Acquire(name, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (lease.IsAcquired) return await next(ctx);
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? (int)Math.Ceiling(ra.TotalSeconds) : limiter.WindowSeconds;
            http.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString();
            return Problems.Of(429, "请求过于频繁，请稍后再试", "Too many requests; try again shortly");
        }).ProducesProblem(429);
}
