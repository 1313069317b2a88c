using System.Net;
using System.Net.Http.Headers;

namespace OrderHub.Benchmarks;

/// <summary>
/// What a phone downloads for one catalog page (issue #19, "for phones"): the bytes on the wire without compression, with
/// gzip and with Brotli, over the same pages and stores; and the conditional request — the same page asked again with the
/// <c>ETag</c> it answered, which must come back <c>304 Not Modified</c> with no body when nothing changed.
/// </summary>
/// <param name="Pages">Pages asked (each in the three encodings and once more conditionally).</param>
/// <param name="IdentityBytes">Mean body bytes per page as sent without compression.</param>
/// <param name="Not304">Conditional requests that did not answer 304 with an empty body (should be 0).</param>
public sealed record PhonePayloadResult(int Pages, double IdentityBytes, double GzipBytes, double BrotliBytes, int Answered304, int Not304, long Bytes304)
{
    public double BrotliShare => BrotliBytes / IdentityBytes;

    public override string ToString() =>
        $"{IdentityBytes / 1024:F1} KB uncompressed → gzip {GzipBytes / 1024:F1} KB ({GzipBytes / IdentityBytes:P0}), Brotli {BrotliBytes / 1024:F1} KB ({BrotliShare:P0}) per page (mean of {Pages}); " +
        $"asked again with its ETag: {Answered304} × 304, {Bytes304} body bytes" + (Not304 > 0 ? $", {Not304} NOT 304" : "");

    public static async Task<PhonePayloadResult> MeasureAsync(string baseUrl, IReadOnlyList<string> skus, IReadOnlyList<string> tokens, int pages = 50)
    {
        // No automatic decompression: the body read is what crossed the wire.
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(baseUrl) };
        var rnd = new Random(20261207);
        long identity = 0, gzip = 0, brotli = 0, bytes304 = 0;
        int answered304 = 0, not304 = 0;
        for (var i = 0; i < pages; i++)
        {
            var path = $"/api/catalog/products?limit=20&after={Uri.EscapeDataString(skus[rnd.Next(skus.Count)])}";
            var token = tokens[i % tokens.Count];
            async Task<(long Bytes, string? ETag, HttpStatusCode Status)> Get(string? encoding, string? ifNoneMatch = null)
            {
                using var m = new HttpRequestMessage(HttpMethod.Get, path);
                m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (encoding is not null) m.Headers.AcceptEncoding.ParseAdd(encoding);
                if (ifNoneMatch is not null) m.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
                using var r = await http.SendAsync(m);
                var body = await r.Content.ReadAsByteArrayAsync();
                if (encoding is not null && r.StatusCode == HttpStatusCode.OK && !r.Content.Headers.ContentEncoding.Contains(encoding))
                    throw new InvalidOperationException($"asked for {encoding}, got '{string.Join(",", r.Content.Headers.ContentEncoding)}'");
                return (body.LongLength, r.Headers.ETag?.ToString(), r.StatusCode);
            }
            var plain = await Get(null);
            identity += plain.Bytes;
            gzip += (await Get("gzip")).Bytes;
            brotli += (await Get("br")).Bytes;
            var again = plain.ETag is null ? default : await Get("br", plain.ETag);
            if (again.Status == HttpStatusCode.NotModified) { answered304++; bytes304 += again.Bytes; }
            else not304++;
        }
        return new PhonePayloadResult(pages, (double)identity / pages, (double)gzip / pages, (double)brotli / pages, answered304, not304, bytes304);
    }
}
