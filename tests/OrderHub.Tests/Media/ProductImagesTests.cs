using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using SkiaSharp;

namespace OrderHub.Tests.Media;

/// <summary>Product images: the demo's pictures are real, staff upload one in the console, and an ERP sync never erases it.</summary>
public sealed class ProductImagesTests
{
    [Test]
    public async Task Every_demo_product_image_link_answers_200_with_an_image()
    {
        using var host = new ApiHost();
        Assert.That(await host.Scalar<long>("SELECT COUNT(*) FROM products WHERE image_id IS NULL"), Is.EqualTo(0), "every demo product has a picture");
        var store = await host.CustomerAsync("C00001");
        var anonymous = host.CreateClient();
        var (checkedUrls, after) = (0, "");
        do
        {
            var page = await HttpAssert.Ok(await store.GetAsync($"/api/catalog/products?limit=100{(after.Length > 0 ? "&after=" + Uri.EscapeDataString(after) : "")}"));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var urls = item.GetProperty("imageUrls").EnumerateArray().Select(u => u.GetString()!).ToList();
                Assert.That(urls, Is.Not.Empty, item.GetProperty("sku").GetString());
                foreach (var url in urls)
                {
                    var res = await anonymous.GetAsync(new Uri(url).PathAndQuery);
                    Assert.That((int)res.StatusCode, Is.EqualTo(200), url);
                    Assert.That(res.Content.Headers.ContentType!.MediaType, Does.StartWith("image/"), url);
                    Assert.That(SKBitmap.DecodeBounds(await res.Content.ReadAsByteArrayAsync()).Width, Is.GreaterThan(0), url);
                    checkedUrls++;
                }
            }
            after = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString()! : "";
        } while (after.Length > 0);
        Assert.That(checkedUrls, Is.GreaterThan(200), "the demo store sees a few hundred products");
        TestContext.Progress.WriteLine($"demo product images fetched: {checkedUrls}");
    }

    [Test]
    public async Task An_image_staff_upload_is_shown_first_in_the_catalog_and_survives_a_full_erp_resync()
    {
        using var host = new ApiHost();
        var admin = await host.StaffAsync("admin");
        var store = await host.CustomerAsync("C00001");
        var item = (await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=1"))).GetProperty("items")[0];
        var sku = item.GetProperty("sku").GetString()!;
        var productId = await host.Scalar<long>("SELECT id FROM products WHERE sku = @sku", new { sku });
        var png = TestImages.Make(SKEncodedImageFormat.Png, 500, 500, SKColors.Purple);

        var set = await HttpAssert.Ok(await admin.SendAsync(TestImages.Upload($"/api/admin/catalog/products/{productId}/image", png, Guid.NewGuid().ToString(), "p.png", "image/png")));
        var url = set.GetProperty("image").GetProperty("url").GetString()!;
        Assert.That(set.GetProperty("sku").GetString(), Is.EqualTo(sku));

        async Task<string> FirstImage() => (await HttpAssert.Ok(await store.GetAsync($"/api/catalog/products/{Uri.EscapeDataString(sku)}"))).GetProperty("imageUrls")[0].GetString()!;
        Assert.That(await FirstImage(), Is.EqualTo(url));

        var changedBefore = await host.Scalar<long>("SELECT updated_at FROM products WHERE id = @productId", new { productId });
        var runs = await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/full-resync", null));
        Assert.That(runs.GetArrayLength(), Is.GreaterThan(0));
        Assert.That(await FirstImage(), Is.EqualTo(url), "the sync wrote the product again but kept its image");
        var fetched = await host.CreateClient().GetAsync(new Uri(url).PathAndQuery);
        Assert.That(await fetched.Content.ReadAsByteArrayAsync(), Is.EqualTo(png));
        TestContext.Progress.WriteLine($"product updated_at before/after the resync: {changedBefore} / {await host.Scalar<long>("SELECT updated_at FROM products WHERE id = @productId", new { productId })}");

        await HttpAssert.Problem(await admin.SendAsync(TestImages.Upload("/api/admin/catalog/products/99999999/image", png)), 404);
    }
}
