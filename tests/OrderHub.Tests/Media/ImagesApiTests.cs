using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using SkiaSharp;

namespace OrderHub.Tests.Media;

/// <summary>Pictures for the tests, drawn with SkiaSharp: real JPEG, PNG and WebP files.</summary>
public static class TestImages
{
    public static byte[] Make(SKEncodedImageFormat format, int width = 800, int height = 600, SKColor? colour = null, int quality = 90)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(colour ?? SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] bytes, string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    public static HttpRequestMessage Upload(string url, byte[] bytes, string? key = null, string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = Form(bytes, fileName, contentType) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return req;
    }
}

/// <summary>
/// Uploads through the one image store: what is accepted (JPEG, PNG, WebP by their bytes), what is refused (too large, not an
/// image whatever its name and Content-Type says, a path in the name or the URL), and how images are served.
/// </summary>
public sealed class ImageUploadLimitsTests
{
    private ApiHost _host = null!;
    private HttpClient _agent = null!;
    private string _folder = null!;
    private const long Limit = 200_000;

    [OneTimeSetUp]
    public async Task Start()
    {
        _folder = Path.Combine(Path.GetTempPath(), "orderhub-media-" + Guid.NewGuid().ToString("N"));
        _host = new ApiHost(settings: new() { ["Media:MaxUploadBytes"] = Limit.ToString(), ["Media:Folder"] = _folder, ["Media:ThumbnailPixels"] = "160" });
        _agent = await _host.AgentAsync("AG001");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    [Test]
    public async Task Jpeg_png_and_webp_are_stored_under_server_names_with_a_thumbnail_served_with_year_long_caching()
    {
        foreach (var (format, type) in new[] { (SKEncodedImageFormat.Jpeg, "image/jpeg"), (SKEncodedImageFormat.Png, "image/png"), (SKEncodedImageFormat.Webp, "image/webp") })
        {
            var bytes = TestImages.Make(format, 640, 480);
            // The name and Content-Type the phone sends are ignored: the bytes decide.
            var res = await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", bytes, fileName: "../../../etc/passwd", contentType: "application/octet-stream"));
            Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());
            var media = await res.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(media.GetProperty("contentType").GetString(), Is.EqualTo(type));
            Assert.That((media.GetProperty("width").GetInt32(), media.GetProperty("height").GetInt32()), Is.EqualTo((640, 480)));
            var url = new Uri(media.GetProperty("url").GetString()!);
            Assert.That(url.IsAbsoluteUri && url.AbsolutePath.StartsWith("/media/"), url.ToString());
            Assert.That(url.AbsolutePath, Does.Not.Contain("passwd").And.Not.Contain(".."));

            var original = await _host.CreateClient().GetAsync(url.PathAndQuery);
            Assert.That((int)original.StatusCode, Is.EqualTo(200));
            Assert.That(original.Content.Headers.ContentType!.MediaType, Is.EqualTo(type));
            Assert.That(await original.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes), "the original is kept as uploaded");
            var cache = original.Headers.CacheControl!;
            Assert.That(cache.Public && cache.MaxAge == TimeSpan.FromDays(365), Is.True, cache.ToString());
            Assert.That(original.Headers.GetValues("Cache-Control").Single(), Does.Contain("immutable"));

            var thumb = await _host.CreateClient().GetAsync(new Uri(media.GetProperty("thumbnailUrl").GetString()!).PathAndQuery);
            Assert.That((int)thumb.StatusCode, Is.EqualTo(200));
            Assert.That(thumb.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/jpeg"));
            using var decoded = SKBitmap.Decode(await thumb.Content.ReadAsByteArrayAsync());
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((160, 120)), "longest side Media:ThumbnailPixels, aspect kept");
        }
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Has.All.Match("^[0-9a-f]{32}(_t)?\\.(jpg|png|webp)$"));
    }

    [Test]
    public async Task An_image_over_the_size_limit_is_refused_with_413_and_nothing_is_stored()
    {
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM media");
        // A JPEG header and then enough bytes to pass the limit (still within the multipart allowance): ImageStore refuses it.
        var big = new byte[Limit + 1];
        big[0] = 0xFF; big[1] = 0xD8; big[2] = 0xFF;
        var problem = await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", big)), 413);
        Assert.That(problem.GetRawText(), Does.Contain("图片太大"));
        // Far over: refused before the body is read.
        await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", new byte[Limit + 200_000])), 413);
        // Exactly at the limit is fine when it is an image.
        var small = TestImages.Make(SKEncodedImageFormat.Jpeg, 100, 100);
        Assert.That((int)(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", small))).StatusCode, Is.EqualTo(201));
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM media"), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task A_file_that_is_not_an_image_is_refused_whatever_its_name_and_content_type_say()
    {
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM media");
        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var problem = await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", html, fileName: "photo.jpg", contentType: "image/jpeg")), 415);
        Assert.That(problem.GetRawText(), Does.Contain("JPEG"));
        var gif = "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray();
        await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", gif, fileName: "a.png", contentType: "image/png")), 415);
        // JPEG magic bytes, but not a picture.
        var fake = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8 };
        await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", fake)), 400);
        // No file part at all.
        var empty = new HttpRequestMessage(HttpMethod.Post, "/api/agent/visit-photos") { Content = new MultipartFormDataContent { { new StringContent("x"), "note" } } };
        await HttpAssert.Problem(await _agent.SendAsync(empty), 400);
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM media"), Is.EqualTo(before));
        Assert.That(Directory.Exists(_folder) ? Directory.GetFiles(_folder, "*.tmp") : [], Is.Empty);
    }

    [Test]
    public async Task A_path_in_the_image_url_never_leaves_the_media_folder()
    {
        // A file the server has beside the media folder, which a traversal would reach.
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(_folder)!, "secret-" + Path.GetFileName(_folder) + ".txt"), "secret");
        var anonymous = _host.CreateClient();
        foreach (var path in new[]
        {
            "/media/..%2Fsecret-" + Path.GetFileName(_folder) + ".txt", "/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/media/..%5C..%5Cwindows%5Cwin.ini",
            "/media/0123456789abcdef0123456789abcdef.jpg", "/media/0123456789ABCDEF0123456789ABCDEF.jpg", "/media/orderhub.db",
        })
        {
            var res = await anonymous.GetAsync(path);
            Assert.That((int)res.StatusCode, Is.EqualTo(404), path);
            Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("secret").And.Not.Contain("root:"), path);
        }
    }

    [Test]
    public async Task The_same_idempotency_key_returns_the_first_upload_and_another_image_under_it_is_refused()
    {
        var bytes = TestImages.Make(SKEncodedImageFormat.Jpeg, 300, 200);
        var key = Guid.NewGuid().ToString();
        var first = await HttpAssert.Ok(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", bytes, key)));
        var again = await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", bytes, key));
        Assert.That((int)again.StatusCode, Is.EqualTo(201));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), Is.EqualTo(first.GetProperty("id").GetInt64()));
        await HttpAssert.Problem(await _agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", TestImages.Make(SKEncodedImageFormat.Png, 10, 10), key)), 422);
    }

    [Test]
    public async Task Only_agents_upload_visit_photos_and_only_admins_product_images()
    {
        var bytes = TestImages.Make(SKEncodedImageFormat.Jpeg, 50, 50);
        Assert.That((int)(await _host.CreateClient().SendAsync(TestImages.Upload("/api/agent/visit-photos", bytes))).StatusCode, Is.EqualTo(401));
        var store = await _host.CustomerAsync("C00001");
        Assert.That((int)(await store.SendAsync(TestImages.Upload("/api/agent/visit-photos", bytes))).StatusCode, Is.EqualTo(403));
        var productId = await _host.Scalar<long>("SELECT MIN(id) FROM products");
        var clerk = await _host.StaffAsync("clerk");
        Assert.That((int)(await clerk.SendAsync(TestImages.Upload($"/api/admin/catalog/products/{productId}/image", bytes))).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await _agent.SendAsync(TestImages.Upload($"/api/admin/catalog/products/{productId}/image", bytes))).StatusCode, Is.EqualTo(403));
    }
}

/// <summary>The CDN setting: image links use Media:PublicBaseUrl instead of the request's address.</summary>
public sealed class ImagePublicBaseUrlTests
{
    [Test]
    public async Task Image_links_are_built_from_the_public_base_url()
    {
        var folder = Path.Combine(Path.GetTempPath(), "orderhub-media-" + Guid.NewGuid().ToString("N"));
        using var host = new ApiHost(settings: new() { ["Media:PublicBaseUrl"] = "https://img.example.com/oh/", ["Media:Folder"] = folder });
        var agent = await host.AgentAsync("AG001");
        var media = await HttpAssert.Ok(await agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", TestImages.Make(SKEncodedImageFormat.Jpeg, 64, 64))));
        Assert.That(media.GetProperty("url").GetString(), Does.Match("^https://img\\.example\\.com/oh/media/[0-9a-f]{32}\\.jpg$"));
        Assert.That(media.GetProperty("thumbnailUrl").GetString(), Does.Match("^https://img\\.example\\.com/oh/media/[0-9a-f]{32}_t\\.jpg$"));
        var store = await host.CustomerAsync("C00001");
        var item = (await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=1"))).GetProperty("items")[0];
        Assert.That(item.GetProperty("imageUrls")[0].GetString(), Does.StartWith("https://img.example.com/oh/media/"));
        try { Directory.Delete(folder, true); } catch (IOException) { }
    }
}
