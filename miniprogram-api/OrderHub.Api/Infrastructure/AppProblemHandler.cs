using Microsoft.AspNetCore.Diagnostics;
using OrderHub.Application.Common;

namespace OrderHub.Api.Infrastructure;

/// <summary>Turns a refused business rule (<see cref="AppProblem"/>) into its RFC 9457 problem; anything else stays a 500.</summary>
public sealed class AppProblemHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            AppProblem p => Problems.Of(p.Status, p.Zh, p.En, p.Extensions),
            IdempotencyKeyReusedException => IdempotencyHeader.Reused(),
            _ => null,
        };
        if (problem is null) return false;
        problem.ProblemDetails.Extensions["traceId"] = http.TraceIdentifier;
        await problem.ExecuteAsync(http);
        return true;
    }
}
