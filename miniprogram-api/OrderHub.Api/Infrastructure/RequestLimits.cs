namespace OrderHub.Api.Infrastructure;

/// <summary>Refuses request bodies over <c>Limits:MaxRequestBodyBytes</c> (default 1 MB) with a 413 problem, before anything reads them.</summary>
public sealed class RequestLimits(RequestDelegate next, IConfiguration config)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var max = config.GetValue<long>("Limits:MaxRequestBodyBytes", 1_048_576);
        if (http.Request.ContentLength > max)
        {
            await Problems.Of(413, $"请求内容过大 (上限 {max / 1024} KB)", $"The request body is too large (limit {max / 1024} KB)").ExecuteAsync(http);
            return;
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = max;
        await next(http);
    }
}
