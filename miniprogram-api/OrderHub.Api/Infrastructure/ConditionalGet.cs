using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace OrderHub.Api.Infrastructure;

/// <summary>Marks a GET endpoint whose 200 answers carry an <c>ETag</c> and answer <c>If-None-Match</c> with 304.</summary>
public sealed class ConditionalGetMetadata;

/// <summary>
/// Conditional requests for phones (issue #19): a marked GET's 200 body is hashed into a weak ETag; a request whose
/// <c>If-None-Match</c> names it gets <c>304 Not Modified</c> with no body, so a mini-program re-opening a catalog page that
/// did not change downloads nothing. The tag is the hash of what this caller would receive — its own prices, stock and
/// promotions included — so it changes exactly when the page does, with no version bookkeeping that could go stale.
/// <c>Cache-Control: private, no-cache</c>: only the caller's own client may keep it, and it must ask again each time.
/// </summary>
public sealed class ConditionalGet(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<ConditionalGetMetadata>() is null)
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        if (http.Response.StatusCode == StatusCodes.Status200OK && buffer.Length > 0)
        {
            var tag = new EntityTagHeaderValue($"\"{Base64Url(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))[..16])}\"", isWeak: true);
            http.Response.Headers.ETag = tag.ToString();
            http.Response.Headers.CacheControl = "private, no-cache";
            if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var asked)
                && asked.Any(a => a.Equals(EntityTagHeaderValue.Any) || a.Compare(tag, useStrongComparison: false)))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                http.Response.ContentType = null;
                http.Response.ContentLength = null;
                return;
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class ConditionalGetExtensions
{
    /// <summary>ETag on 200, 304 on a matching If-None-Match (documented in the OpenAPI document).</summary>
    public static TBuilder WithETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ConditionalGetMetadata()).WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
}
