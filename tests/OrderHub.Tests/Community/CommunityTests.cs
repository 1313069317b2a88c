using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Application.ChatCommerce;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Media;

namespace OrderHub.Tests.Community;

/// <summary>
/// 经销商社区 (issue #20): the office uploads a picture and a PDF, writes a new-product sheet linking products, publishes
/// and pins posts; stores see only published posts, pinned first; each store's reads are counted; an unpublished post and
/// its PDF are gone for stores again. PDFs are checked by content and size.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class CommunityTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private static long Id(JsonElement post) => post.GetProperty("post").GetProperty("id").GetInt64();

    [Test]
    public async Task The_office_publishes_a_new_product_sheet_stores_read_it_pinned_posts_come_first_and_reads_are_counted_per_store()
    {
        var office = await _host.StaffAsync("clerk");
        List<string> skus, codes;
        await using (var c = await _host.Db.OpenAsync())
        {
            skus = (await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT sku FROM products WHERE active = TRUE ORDER BY id LIMIT 2")).ToList();
            codes = (await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT code FROM customers WHERE active = TRUE ORDER BY id LIMIT 2")).ToList();
        }

        // a picture through the media service, a PDF checked by its content
        var png = CardCover.PlainPng(64, 48, 0xE0, 0x40, 0x30);
        var image = await HttpAssert.Ok(await office.SendAsync(TestImages.Upload("/api/admin/community/images", png, fileName: "新品.png", contentType: "image/png")));
        var pdfBytes = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        var pdf = await HttpAssert.Ok(await office.SendAsync(TestImages.Upload("/api/admin/community/files", pdfBytes, fileName: "新品手册.pdf", contentType: "application/pdf")));
        Assert.That((pdf.GetProperty("name").GetString(), pdf.GetProperty("sizeBytes").GetInt64()), Is.EqualTo(("新品手册.pdf", (long)pdfBytes.Length)));
        await HttpAssert.Problem(await office.SendAsync(TestImages.Upload("/api/admin/community/files", png, fileName: "fake.pdf", contentType: "application/pdf")), 415);

        var sheet = await HttpAssert.Ok(await office.PostAsJsonAsync("/api/admin/community/posts", new
        {
            kind = "new_product", title = "秋季新品速递", body = "三款新品本周到仓。", videoUrl = "https://v.qq.com/x/page/demo.html",
            imageIds = new[] { image.GetProperty("id").GetInt64() }, fileIds = new[] { pdf.GetProperty("id").GetInt64() }, productSkus = skus,
        }));
        var sheetId = Id(sheet);
        Assert.That(sheet.GetProperty("post").GetProperty("published").GetBoolean(), Is.False);
        Assert.That(sheet.GetProperty("post").GetProperty("products").EnumerateArray().Select(p => p.GetProperty("sku").GetString()), Is.EqualTo(skus));

        var storeA = await _host.CustomerAsync(codes[0]);
        var storeB = await _host.CustomerAsync(codes[1]);

        // a draft is not for stores
        var list = await HttpAssert.Ok(await storeA.GetAsync("/api/community/posts"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()), Does.Not.Contain(sheetId));
        await HttpAssert.Problem(await storeA.GetAsync($"/api/community/posts/{sheetId}"), 404);
        await HttpAssert.Problem(await storeA.GetAsync($"/api/community/files/{pdf.GetProperty("id").GetInt64()}"), 404);

        await HttpAssert.Ok(await office.PostAsync($"/api/admin/community/posts/{sheetId}/publish", null));
        var notice = await HttpAssert.Ok(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "announcement", title = "国庆放假安排", body = "10月1日至3日暂停配送。", pinned = true }));
        var noticeId = Id(notice);
        var later = await HttpAssert.Ok(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "material", title = "门店海报", body = "可打印张贴。" }));
        await HttpAssert.Ok(await office.PostAsync($"/api/admin/community/posts/{noticeId}/publish", null));
        await HttpAssert.Ok(await office.PostAsync($"/api/admin/community/posts/{Id(later)}/publish", null));

        // pinned first, then newest
        list = await HttpAssert.Ok(await storeA.GetAsync("/api/community/posts"));
        var order = list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.That(order.Take(3), Is.EqualTo(new[] { noticeId, Id(later), sheetId }));

        // store A reads the sheet twice, store B once; the PDF downloads for stores now
        var read = await HttpAssert.Ok(await storeA.GetAsync($"/api/community/posts/{sheetId}"));
        Assert.That(read.GetProperty("images")[0].GetProperty("url").GetString(), Does.Contain("/media/"));
        Assert.That(read.GetProperty("videoUrl").GetString(), Is.EqualTo("https://v.qq.com/x/page/demo.html"));
        await HttpAssert.Ok(await storeA.GetAsync($"/api/community/posts/{sheetId}"));
        await HttpAssert.Ok(await storeB.GetAsync($"/api/community/posts/{sheetId}"));
        var file = await storeA.GetAsync(read.GetProperty("files")[0].GetProperty("url").GetString());
        Assert.That(file.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(file.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        Assert.That(await file.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdfBytes));
        list = await HttpAssert.Ok(await storeA.GetAsync("/api/community/posts"));
        Assert.That(list.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == sheetId).GetProperty("readByMe").GetBoolean(), Is.True);
        Assert.That(list.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == noticeId).GetProperty("readByMe").GetBoolean(), Is.False);

        var reads = await HttpAssert.Ok(await office.GetAsync($"/api/admin/community/posts/{sheetId}"));
        Assert.That((reads.GetProperty("post").GetProperty("storesRead").GetInt32(), reads.GetProperty("post").GetProperty("reads").GetInt32()), Is.EqualTo((2, 3)));
        Assert.That(reads.GetProperty("stores").EnumerateArray().Select(s => (s.GetProperty("code").GetString(), s.GetProperty("reads").GetInt32())),
            Is.EquivalentTo(new[] { (codes[0], 2), (codes[1], 1) }));

        // unpublished: gone for stores (post and PDF), still there for the office
        await HttpAssert.Ok(await office.PostAsync($"/api/admin/community/posts/{sheetId}/unpublish", null));
        await HttpAssert.Problem(await storeA.GetAsync($"/api/community/posts/{sheetId}"), 404);
        await HttpAssert.Problem(await storeA.GetAsync($"/api/community/files/{pdf.GetProperty("id").GetInt64()}"), 404);
        Assert.That((await office.GetAsync($"/api/admin/community/files/{pdf.GetProperty("id").GetInt64()}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        list = await HttpAssert.Ok(await office.GetAsync("/api/admin/community/posts"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()), Does.Contain(sheetId));
    }

    [Test]
    public async Task A_post_that_names_what_does_not_exist_or_lacks_its_products_is_refused()
    {
        var office = await _host.StaffAsync("clerk");
        await HttpAssert.Problem(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "new_product", title = "没有商品的新品" }), 400);
        await HttpAssert.Problem(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "gossip", title = "x" }), 400);
        await HttpAssert.Problem(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "material", title = "x", videoUrl = "http://insecure.example/v" }), 400);
        await HttpAssert.Problem(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "new_product", title = "x", productSkus = new[] { "NO-SUCH-SKU" } }), 422);
        await HttpAssert.Problem(await office.PostAsJsonAsync("/api/admin/community/posts", new { kind = "material", title = "x", imageIds = new[] { 987654321L } }), 422);
        await HttpAssert.Problem(await office.PostAsync("/api/admin/community/posts/987654321/publish", null), 404);
    }
}
