using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace OrderHub.Testing.Contract;

/// <summary>One HTTP exchange the API answered inside a test.</summary>
public sealed record RecordedResponse(string Method, string Path, int Status, string? MediaType, byte[] Body);

/// <summary>
/// Records, at the server's edge, every response an in-process test host gives (registered by
/// <see cref="ContractCheckedFactory{TEntryPoint}"/>): the first middleware, so problems written by the exception handler
/// and the status-code pages are seen too. Out-of-process servers record the same way through the API host's
/// Development-only <c>Api:RecordResponsesTo</c> (see <see cref="ContractCheck.ReadRecording"/>).
/// </summary>
public sealed class ContractRecorder : IStartupFilter
{
    private const int MaxBody = 2 * 1024 * 1024;
    private readonly ConcurrentQueue<RecordedResponse> _responses = new();

    public IReadOnlyCollection<RecordedResponse> Responses => _responses;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            var original = http.Response.Body;
            await using var copy = new MemoryStream();
            http.Response.Body = copy;
            var status = 500;
            try
            {
                await nextMiddleware(http);
                status = http.Response.StatusCode;
            }
            finally
            {
                http.Response.Body = original;
                copy.Position = 0;
                await copy.CopyToAsync(original);
                var body = copy.Length <= MaxBody ? Decoded(copy.ToArray(), http.Response.Headers.ContentEncoding.ToString()) : [];
                _responses.Enqueue(new RecordedResponse(http.Request.Method, http.Request.Path.Value ?? "/", status,
                    http.Response.ContentType?.Split(';')[0].Trim(), body));
            }
        });
        next(app);
    };

    /// <summary>A compressed answer (Accept-Encoding: br/gzip) is validated as the client reads it, decompressed.</summary>
    private static byte[] Decoded(byte[] body, string encoding)
    {
        if (body.Length == 0 || encoding is not ("br" or "gzip")) return body;
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
