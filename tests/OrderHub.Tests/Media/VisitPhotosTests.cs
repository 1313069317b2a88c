using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using SkiaSharp;

namespace OrderHub.Tests.Media;

/// <summary>巡店拍照 on both databases: an agent uploads photos, logs a visit with them, and the agent and the back office see them.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class VisitPhotosTests(string kind)
{
    private ApiHost _host = null!;
    private string _folder = null!;
    private HttpClient _ag1 = null!, _ag2 = null!;
    private long _store;

    [OneTimeSetUp]
    public async Task Start()
    {
        _folder = Path.Combine(Path.GetTempPath(), "orderhub-media-" + Guid.NewGuid().ToString("N"));
        _host = new ApiHost(kind, settings: new() { ["Media:Folder"] = _folder });
        _ag1 = await _host.AgentAsync("AG001");
        _ag2 = await _host.AgentAsync("AG002");
        _store = await _host.Scalar<long>("SELECT MIN(c.id) FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = 'AG001'");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private async Task<JsonElement> UploadAsync(HttpClient agent, SKColor colour) =>
        await HttpAssert.Ok(await agent.SendAsync(TestImages.Upload("/api/agent/visit-photos", TestImages.Make(SKEncodedImageFormat.Jpeg, 1200, 900, colour), Guid.NewGuid().ToString())));

    [Test]
    public async Task A_visit_logged_with_two_uploaded_photos_lists_them_with_thumbnails_for_the_agent_and_the_back_office()
    {
        var a = await UploadAsync(_ag1, SKColors.Red);
        var b = await UploadAsync(_ag1, SKColors.Green);
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/customers/{_store}/visits")
        {
            Content = JsonContent.Create(new { kind = "store_visit", note = "陈列检查", latitude = 23.1, longitude = 113.3, photoIds = new[] { a.GetProperty("id").GetInt64(), b.GetProperty("id").GetInt64() } }),
        };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var visit = await HttpAssert.Ok(await _ag1.SendAsync(req));
        Assert.That(visit.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("url").GetString()),
            Is.EqualTo(new[] { a.GetProperty("url").GetString(), b.GetProperty("url").GetString() }));

        var mine = await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/customers/{_store}/visits"));
        var listed = mine.GetProperty("items").EnumerateArray().First(v => v.GetProperty("id").GetInt64() == visit.GetProperty("id").GetInt64());
        Assert.That(listed.GetProperty("photos").GetArrayLength(), Is.EqualTo(2));
        Assert.That(listed.GetProperty("photoUrls").EnumerateArray().Select(u => u.GetString()), Is.EqualTo(new[] { a.GetProperty("url").GetString(), b.GetProperty("url").GetString() }),
            "older clients that read photoUrls see the uploaded photos too");

        var admin = await _host.StaffAsync("clerk");
        var seen = (await HttpAssert.Ok(await admin.GetAsync($"/api/admin/customers/{_store}/visits"))).GetProperty("items").EnumerateArray()
            .First(v => v.GetProperty("id").GetInt64() == visit.GetProperty("id").GetInt64());
        foreach (var photo in seen.GetProperty("photos").EnumerateArray())
        {
            var thumb = await _host.CreateClient().GetAsync(new Uri(photo.GetProperty("thumbnailUrl").GetString()!).PathAndQuery);
            Assert.That((int)thumb.StatusCode, Is.EqualTo(200));
            using var bitmap = SKBitmap.Decode(await thumb.Content.ReadAsByteArrayAsync());
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((320, 240)));
        }
    }

    [Test]
    public async Task An_agent_cannot_attach_another_agents_photo_or_a_product_image_and_nothing_is_logged()
    {
        var theirs = await UploadAsync(_ag2, SKColors.Blue);
        var productImage = await _host.Scalar<long>("SELECT MIN(image_id) FROM products");
        var before = await _host.Scalar<long>("SELECT COUNT(*) FROM visits");
        foreach (var id in new[] { theirs.GetProperty("id").GetInt64(), productImage, 999_999 })
        {
            var problem = await HttpAssert.Problem(await _ag1.PostAsJsonAsync($"/api/agent/customers/{_store}/visits", new { kind = "store_visit", photoIds = new[] { id } }), 400);
            Assert.That(problem.GetProperty("errors").GetProperty("photoIds")[0].GetString(), Does.Contain("不是您上传的巡店照片"));
        }
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM visits"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_visit_without_photo_ids_still_takes_photo_urls_as_before()
    {
        var visit = await HttpAssert.Ok(await _ag1.PostAsJsonAsync($"/api/agent/customers/{_store}/visits",
            new { kind = "call", note = "回访", photoUrls = new[] { "https://example.com/a.jpg" } }));
        Assert.That(visit.GetProperty("photoUrls")[0].GetString(), Is.EqualTo("https://example.com/a.jpg"));
        Assert.That(visit.GetProperty("photos").GetArrayLength(), Is.EqualTo(0));
    }
}
