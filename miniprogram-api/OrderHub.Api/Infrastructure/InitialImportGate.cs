using OrderHub.Application.Sync;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// Until the first ERP import is complete, what stores and agents use (catalog, cart, orders, statements, the agent's
/// pages) answers 503 with Retry-After and 正在同步 ERP 数据 — never an empty catalog or stock that is not there yet.
/// The back office, sign-in and health stay open, so staff can watch and drive the import.
/// </summary>
public sealed class InitialImportGate(RequestDelegate next)
{
    private static readonly string[] Gated = ["/api/catalog", "/api/cart", "/api/orders", "/api/agent", "/api/statement", "/api/balance"];

    public async Task InvokeAsync(HttpContext http, InitialImport import)
    {
        var path = http.Request.Path.Value ?? "";
        if (Gated.Any(g => path.StartsWith(g, StringComparison.OrdinalIgnoreCase)) && !await import.IsCompleteAsync(http.RequestAborted))
        {
            http.Response.Headers.RetryAfter = "30";
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, "正在同步 ERP 数据，请稍后再试",
                "The first import from the ERP is still running; try again shortly").ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
