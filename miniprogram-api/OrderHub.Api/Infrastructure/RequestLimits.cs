namespace OrderHub.Api.Infrastructure;

/// <summary>
/// Request size limits answered with RFC 9457 problems before anything reads the request: a body over
/// <c>Limits:MaxRequestBodyBytes</c> (default 1 MB) is a 413, a URL over <c>Limits:MaxUrlBytes</c> (default 8 KB) a 414,
/// headers over <c>Limits:MaxHeaderBytes</c> (default 32 KB) a 431. Kestrel's own limits are set to twice these, so only a
/// request past those gets Kestrel's bare answer. Every answer under /api is marked <c>Cache-Control: no-store</c>
/// (tokens, prices and balances are the caller's own) unless the endpoint set its own. The limits are read once, at start,
/// as Kestrel's own are (a settings lookup per request was a measurable share of a catalog page's CPU).
/// </summary>
public sealed class RequestLimits(RequestDelegate next, IConfiguration config)
{
    private readonly int _maxUrl = MaxUrlBytes(config);
    private readonly int _maxHeaders = MaxHeaderBytes(config);
    private readonly long _maxBody = config.GetValue<long>("Limits:MaxRequestBodyBytes", 1_048_576);

    public static int MaxUrlBytes(IConfiguration config) => config.GetValue("Limits:MaxUrlBytes", 8192);
    public static int MaxHeaderBytes(IConfiguration config) => config.GetValue("Limits:MaxHeaderBytes", 32768);

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/api"))
            http.Response.OnStarting(static state =>
            {
                var h = (HttpContext)state;
                if (!h.Response.Headers.ContainsKey("Cache-Control")) h.Response.Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            }, http);

        var maxUrl = _maxUrl;
        var urlLength = (http.Request.PathBase.Value?.Length ?? 0) + (http.Request.Path.Value?.Length ?? 0) + (http.Request.QueryString.Value?.Length ?? 0);
        if (urlLength > maxUrl)
        {
            await Problems.Of(414, $"请求地址过长 (上限 {maxUrl} 字节)", $"The URL is too long (limit {maxUrl} bytes)").ExecuteAsync(http);
            return;
        }
        var maxHeaders = _maxHeaders;
        long headerBytes = 0;
        foreach (var (key, values) in http.Request.Headers)
            foreach (var v in values) headerBytes += key.Length + (v?.Length ?? 0) + 4;
        if (headerBytes > maxHeaders)
        {
            await Problems.Of(431, $"请求头过大 (上限 {maxHeaders / 1024} KB)", $"The request headers are too large (limit {maxHeaders / 1024} KB)").ExecuteAsync(http);
            return;
        }

        // An endpoint may allow more (image uploads declare Media:MaxUploadBytes plus the multipart framing).
        var max = http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                  ?? _maxBody;
        if (http.Request.ContentLength > max)
        {
            await Problems.Of(413, $"请求内容过大 (上限 {max / 1024} KB)", $"The request body is too large (limit {max / 1024} KB)").ExecuteAsync(http);
            return;
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = max;
        await next(http);
    }
}
