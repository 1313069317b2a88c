using Microsoft.AspNetCore.Http.HttpResults;

namespace OrderHub.Api.Infrastructure;

/// <summary>Reads the <c>Idempotency-Key</c> header that every retryable write requires.</summary>
public static class IdempotencyHeader
{
    public const string Name = "Idempotency-Key";

    /// <returns>The key, or a 400 problem when it is missing or malformed.</returns>
    public static (string? Key, ProblemHttpResult? Problem) Read(HttpRequest request)
    {
        var value = request.Headers[Name].ToString();
        if (string.IsNullOrWhiteSpace(value))
            return (null, Problems.BadRequest("缺少 Idempotency-Key 请求头，重试时请使用同一个值", "The Idempotency-Key header is required; send the same value when you retry"));
        if (value.Length > 128 || value.Any(ch => ch < 0x21 || ch > 0x7e))
            return (null, Problems.BadRequest("Idempotency-Key 无效 (最长 128 个可见 ASCII 字符)", "Idempotency-Key must be 1-128 visible ASCII characters"));
        return (value, null);
    }

    public static ProblemHttpResult Reused() =>
        Problems.Of(422, "该 Idempotency-Key 已用于另一个不同的请求", "This Idempotency-Key was already used for a different request");
}
