using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderHub.Testing;

namespace OrderHub.Tests.Api;

/// <summary>
/// Light pages for phones (issue #19): a catalog page is compressed when the mini-program accepts it, and re-opening a
/// page that did not change costs a 304 with no body; when this store's page changes (its stock here), the page comes again.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class LightPagesTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    [Test]
    public async Task A_catalog_page_comes_compressed_with_brotli_and_reads_the_same_as_uncompressed()
    {
        var client = await _host.CustomerAsync("C00001");
        var plain = await client.GetAsync("/api/catalog/products?limit=20");
        var plainBytes = await plain.Content.ReadAsByteArrayAsync();

        using var ask = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products?limit=20");
        ask.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var compressed = await client.SendAsync(ask);
        var compressedBytes = await compressed.Content.ReadAsByteArrayAsync();
        using var decoded = new MemoryStream();
        await new BrotliStream(new MemoryStream(compressedBytes), CompressionMode.Decompress).CopyToAsync(decoded);

        Assert.Multiple(() =>
        {
            Assert.That(plain.Content.Headers.ContentEncoding, Is.Empty);
            Assert.That(compressed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(compressed.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
            Assert.That(compressedBytes.Length, Is.LessThan(plainBytes.Length / 3), $"{plainBytes.Length} bytes plain, {compressedBytes.Length} with brotli");
            Assert.That(JsonDocument.Parse(decoded.ToArray()).RootElement.GetProperty("items").GetArrayLength(), Is.EqualTo(20));
        });
    }

    [Test]
    public async Task Reopening_an_unchanged_page_answers_304_and_a_stock_change_sends_the_page_again()
    {
        var client = await _host.CustomerAsync("C00002");
        var first = await client.GetAsync("/api/catalog/products?limit=5");
        var page = await HttpAssert.Ok(first);
        var tag = first.Headers.ETag;
        Assert.That(tag, Is.Not.Null, "a catalog page carries an ETag");
        Assert.That(first.Headers.CacheControl?.Private, Is.True, "only the store's own client may keep it");

        var again = await Conditional(client, "/api/catalog/products?limit=5", tag!);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await again.Content.ReadAsByteArrayAsync(), Is.Empty);

        // The first product runs out (or comes back) in the stock table the ERP feed writes: whether the store sees a
        // number or 有货/缺货, its page changes, so it is sent again with a new tag.
        var sku = page.GetProperty("items")[0].GetProperty("sku").GetString();
        var wasInStock = page.GetProperty("items")[0].GetProperty("stock").GetProperty("levelText").GetString() != "缺货";
        await _host.Exec("UPDATE stock SET on_hand = @onHand, reserved = 0 WHERE product_id = (SELECT id FROM products WHERE sku = @sku)",
            new { sku, onHand = wasInStock ? 0L : 100_000L });
        var changed = await Conditional(client, "/api/catalog/products?limit=5", tag!);
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.Headers.ETag, Is.Not.EqualTo(tag));
    }

    private static Task<HttpResponseMessage> Conditional(HttpClient client, string url, EntityTagHeaderValue tag)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.IfNoneMatch.Add(tag);
        return client.SendAsync(req);
    }
}
