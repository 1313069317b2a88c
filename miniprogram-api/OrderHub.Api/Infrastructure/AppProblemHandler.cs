using Microsoft.AspNetCore.Diagnostics;
using OrderHub.Application.Common;

namespace OrderHub.Api.Infrastructure;

/// <summary>Turns a refused business rule (<see cref="AppProblem"/>) into its RFC 9457 problem; anything else stays a 500.</summary>
public sealed class AppProblemHandler : IExceptionHandler
{
    /// <summary>PostgreSQL's connection pool exhausted (a timeout waiting for a connection), or SQLite still locked after its busy timeout.</summary>
    public static bool IsDatabaseBusy(Exception e) => e switch
    {
        Npgsql.NpgsqlException n when n.InnerException is TimeoutException || n.Message.Contains("pool", StringComparison.OrdinalIgnoreCase) => true,
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => e.InnerException is not null && IsDatabaseBusy(e.InnerException),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            AppProblem p => Problems.Of(p.Status, p.Zh, p.En, p.Extensions),
            IdempotencyKeyReusedException => IdempotencyHeader.Reused(),
            BadHttpRequestException b => Problems.Of(b.StatusCode, "请求格式有误", "The request is malformed"),
            _ when IsDatabaseBusy(exception) => Problems.Of(503, "系统繁忙，请稍后重试", "The database is busy; retry shortly"),
            _ => null,
        };
        if (problem is null) return false;
        if (problem.StatusCode == 503) http.Response.Headers.RetryAfter = "2";
        problem.ProblemDetails.Extensions["traceId"] = http.TraceIdentifier;
        await problem.ExecuteAsync(http);
        return true;
    }
}
