using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>
    /// A body or parameter the framework could not read: a 400 validation problem naming the field when it can be told
    /// (an unknown JSON member, a JSON value of the wrong type or with a control character, a query value that does not parse).
    /// </summary>
    internal static IResult Malformed(BadHttpRequestException b)
    {
        if (b.StatusCode != 400) return Problems.Of(b.StatusCode, "请求格式有误", "The request is malformed");
        var field = b.InnerException is System.Text.Json.JsonException j ? JsonField(j) : ParameterField(b.Message);
        if (field is null) return Problems.Of(400, "请求格式有误", "The request is malformed");
        var why = b.InnerException switch
        {
            System.Text.Json.JsonException je when je.Message.Contains("could not be mapped", StringComparison.Ordinal) => "不认识的字段 / unknown field",
            System.Text.Json.JsonException je when je.Message.StartsWith(InputText.ProblemEn, StringComparison.Ordinal) => $"{InputText.ProblemZh} / {InputText.ProblemEn}",
            System.Text.Json.JsonException => "值的格式或类型不对 / the value has the wrong format or type",
            _ => "值的格式不对 / the value has the wrong format",
        };
        return Problems.Validation(new() { [field] = [why] });
    }

    private static string? JsonField(System.Text.Json.JsonException j)
    {
        var unmapped = System.Text.RegularExpressions.Regex.Match(j.Message, "JSON property '([^']+)' could not be mapped");
        if (unmapped.Success) return unmapped.Groups[1].Value;
        if (j.Path is not { Length: > 1 } path) return j.Path is "$" ? "body" : null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string? ParameterField(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, "parameter \"[^\"]*?(\\w+)\" from");
        return m.Success ? m.Groups[1].Value : null;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        IResult? problem = exception switch
        {
            AppProblem p => Problems.Of(p.Status, p.Zh, p.En, p.Extensions),
            IdempotencyKeyReusedException => IdempotencyHeader.Reused(),
            BadHttpRequestException b => Malformed(b),
            _ when IsDatabaseBusy(exception) => Problems.Of(503, "系统繁忙，请稍后重试", "The database is busy; retry shortly"),
            _ => null,
        };
        if (problem is null) return false;
        if (problem is ProblemHttpResult { StatusCode: 503 }) http.Response.Headers.RetryAfter = "2";
        if (problem is ProblemHttpResult ph) ph.ProblemDetails.Extensions["traceId"] = http.TraceIdentifier;
        if (problem is ValidationProblem vp) vp.ProblemDetails.Extensions["traceId"] = http.TraceIdentifier;
        await problem.ExecuteAsync(http);
        return true;
    }
}
