using System.Buffers;
using System.IO.Hashing;
using Microsoft.IO;
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
/// The body is held in a pooled buffer (<see cref="RecyclableMemoryStream"/>, which is also an <see cref="IBufferWriter{T}"/>
/// a result may write into directly) rather than a fresh, growing MemoryStream per request.
/// </summary>
public sealed class ConditionalGet(RequestDelegate next)
{
    /// <summary>32 KB blocks (a 20-item catalog page is about 20 KB); at most 16 MB kept in the pool between requests.</summary>
    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 32 * 1024,
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<ConditionalGetMetadata>() is null)
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        await using var buffer = Buffers.GetStream(nameof(ConditionalGet));
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        var body = buffer.GetReadOnlySequence();
        if (http.Response.StatusCode == StatusCodes.Status200OK && !body.IsEmpty)
        {
            var tag = new EntityTagHeaderValue($"\"{TagOf(body)}\"", isWeak: true);
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
        foreach (var segment in body) await original.WriteAsync(segment, http.RequestAborted);
    }

    /// <summary>
    /// The body's XXH128, base64url. An ETag only has to change when the bytes do: a 128-bit non-cryptographic hash is as
    /// safe for that as SHA-256 (nothing secret is hashed, and a client that forged a collision would only fool itself) and
    /// costs a tenth of it on a 20 KB page. One hasher per thread: nothing awaits while it hashes.
    /// </summary>
    private static string TagOf(ReadOnlySequence<byte> body)
    {
        var hasher = _hasher ??= new XxHash128();
        foreach (var segment in body) hasher.Append(segment.Span);
        Span<byte> hash = stackalloc byte[16];
        hasher.GetHashAndReset(hash);
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [ThreadStatic] private static XxHash128? _hasher;
}

public static class ConditionalGetExtensions
{
    /// <summary>ETag on 200, 304 on a matching If-None-Match (documented in the OpenAPI document).</summary>
    public static TBuilder WithETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ConditionalGetMetadata()).WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
}
