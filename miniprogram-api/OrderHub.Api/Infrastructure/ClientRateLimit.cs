using System.Threading.RateLimiting;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// A fixed window of calls per client IP for an anonymous endpoint that guesses could be aimed at (staff sign-in),
/// from settings <c>Auth:LoginRateLimit</c> (PermitLimit per WindowSeconds). Beyond it: a 429 problem with Retry-After.
/// Behind a reverse proxy, configure forwarded headers so the client's own IP is used.
/// </summary>
public sealed class ClientRateLimit(IConfiguration config) : IDisposable
{
    private readonly int _window = Math.Max(1, config.GetValue("Auth:LoginRateLimit:WindowSeconds", 60));
    private PartitionedRateLimiter<string>? _limiter;

    private PartitionedRateLimiter<string> Limiter => _limiter ??= PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, config.GetValue("Auth:LoginRateLimit:PermitLimit", 20)),
            Window = TimeSpan.FromSeconds(_window),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string endpoint, string client) => Limiter.AttemptAcquire($"{endpoint}|{client}");

    public int WindowSeconds => _window;

    public void Dispose() => _limiter?.Dispose();
}

public static class ClientRateLimitExtensions
{
    public static RouteHandlerBuilder WithClientRateLimit(this RouteHandlerBuilder builder, string name) =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var limiter = http.RequestServices.GetRequiredService<ClientRateLimit>();
            using var lease = limiter.Acquire(name, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (lease.IsAcquired) return await next(ctx);
            http.Response.Headers.RetryAfter = limiter.WindowSeconds.ToString();
            return Problems.Of(429, "登录尝试过于频繁，请稍后再试", "Too many sign-in attempts; try again shortly");
        }).ProducesProblem(429);
}
