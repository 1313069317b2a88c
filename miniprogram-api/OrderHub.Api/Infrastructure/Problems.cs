using Microsoft.AspNetCore.Http.HttpResults;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// RFC 9457 problem details with a message a person can read in Chinese and English ("中文 / English").
/// Extensions carry <c>messageZh</c> and <c>messageEn</c> separately for the mini-program to pick one.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string zh, string en, IDictionary<string, object?>? extra = null)
    {
        var ext = new Dictionary<string, object?> { ["messageZh"] = zh, ["messageEn"] = en };
        // Extensions never replace the RFC 9457 members themselves.
        if (extra is not null) foreach (var (k, v) in extra.Where(e => e.Key is not ("type" or "title" or "status" or "detail" or "instance"))) ext[k] = v;
        return TypedResults.Problem(detail: $"{zh} / {en}", statusCode: status, title: TitleFor(status), extensions: ext);
    }

    public static ProblemHttpResult BadRequest(string zh, string en, IDictionary<string, object?>? extra = null) => Of(400, zh, en, extra);
    public static ProblemHttpResult Unauthorized(string zh, string en) => Of(401, zh, en);
    public static ProblemHttpResult Forbidden(string zh, string en) => Of(403, zh, en);
    public static ProblemHttpResult NotFound(string zh, string en) => Of(404, zh, en);
    public static ProblemHttpResult Conflict(string zh, string en, IDictionary<string, object?>? extra = null) => Of(409, zh, en, extra);

    /// <summary>400 with per-field errors, each "中文 / English".</summary>
    public static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "请求参数有误 / Some request values are invalid", title: "请求参数有误 / Invalid request");

    public static string TitleFor(int status) => status switch
    {
        400 => "请求有误 / Bad request",
        401 => "未登录 / Unauthorized",
        403 => "无权操作 / Forbidden",
        404 => "未找到 / Not found",
        409 => "状态冲突 / Conflict",
        413 => "请求过大 / Payload too large",
        414 => "请求地址过长 / URI too long",
        415 => "不支持的内容类型 / Unsupported media type",
        423 => "已锁定 / Locked",
        431 => "请求头过大 / Request header fields too large",
        422 => "无法处理 / Unprocessable",
        429 => "请求过于频繁 / Too many requests",
        503 => "服务暂不可用 / Service unavailable",
        _ => status >= 500 ? "服务器错误 / Server error" : "请求失败 / Request failed",
    };

    /// <summary>Fills problems that the framework writes with no body (401 from the bearer handler, 404 of unknown routes, 415…).</summary>
    public static void Customize(ProblemDetailsContext ctx)
    {
        var p = ctx.ProblemDetails;
        var status = p.Status ?? ctx.HttpContext.Response.StatusCode;
        if (p.Title is null || p.Title.StartsWith("One or more", StringComparison.Ordinal) || !p.Title.Contains(" / "))
            p.Title = TitleFor(status);
        p.Detail ??= status switch
        {
            401 => "请先登录，或登录已过期 / Sign in first, or your session has expired",
            403 => "您没有执行此操作的权限 / You are not allowed to do this",
            404 => "请求的资源不存在 / The requested resource does not exist",
            405 => "不支持该请求方法 / Method not allowed",
            415 => "请使用 application/json / Use application/json",
            _ => null,
        };
        // Every problem names its type (RFC 9457 §3.1.1); the framework knows only the common statuses.
        p.Type ??= TypeFor(status);
        p.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
    }

    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        423 => "https://tools.ietf.org/html/rfc4918#section-11.3",
        428 => "https://tools.ietf.org/html/rfc6585#section-3",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        431 => "https://tools.ietf.org/html/rfc6585#section-5",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
