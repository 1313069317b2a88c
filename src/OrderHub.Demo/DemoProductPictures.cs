using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Data;
using OrderHub.Application.Media;
using OrderHub.DemoData;
using SkiaSharp;

namespace OrderHub.Demo;

/// <summary>
/// A picture for every demo product, drawn at seed time: a tile in its category's colour with the product's short name
/// (its name without the brand) and the brand, stored through <see cref="ImageStore"/> as the product's image, as if staff
/// had uploaded it. Real pictures, so every image link of the demo answers 200.
/// </summary>
public static class DemoProductPictures
{
    /// <summary>The demo size has ≈300 products; the large benchmark set (100k) gets no pictures.</summary>
    public const int MaxProducts = 5000;
    public const int Size = 240;

    private static readonly SKColor[] Palette =
    [
        new(0xE5, 0x39, 0x35), new(0xFB, 0x8C, 0x00), new(0x43, 0xA0, 0x47), new(0x1E, 0x88, 0xE5), new(0x8E, 0x24, 0xAA),
        new(0x00, 0x89, 0x7B), new(0x6D, 0x4C, 0x41), new(0xD8, 0x1B, 0x60), new(0x39, 0x49, 0xAB), new(0x7C, 0xB3, 0x42),
    ];

    public static async Task AddAsync(Db db, ImageStore images, DemoDataSet data, CancellationToken ct = default)
    {
        var typeface = SKFontManager.Default.MatchCharacter('货') ?? SKTypeface.Default;
        var pictures = data.Products.Select(p => (Draw(p, typeface), Size, Size)).ToList();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var ids = await images.SaveGeneratedAsync(c, tx, pictures, MediaPurpose.ProductImage, ct);
        for (var i = 0; i < ids.Count; i++)
            await c.ExecuteAsync("UPDATE products SET image_id = @id WHERE sku = @sku", new { id = ids[i], sku = data.Products[i].Sku }, tx);
        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>The short name a tile shows: the name without its brand, at most six characters.</summary>
    public static string ShortName(DemoProduct p)
    {
        var name = p.Name.StartsWith(p.Brand, StringComparison.Ordinal) && p.Name.Length > p.Brand.Length ? p.Name[p.Brand.Length..] : p.Name;
        return name.Length > 6 ? name[..6] : name;
    }

    public static byte[] Draw(DemoProduct p, SKTypeface typeface)
    {
        var colour = Palette[(int)((uint)StableHash(p.CategoryCode) % Palette.Length)];
        using var surface = SKSurface.Create(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(colour);
        using var light = new SKPaint { Color = new SKColor(255, 255, 255, 40), IsAntialias = true };
        canvas.DrawCircle(Size * 0.82f, Size * 0.18f, Size * 0.35f, light);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        var name = ShortName(p);
        using var big = new SKFont(typeface, name.Length <= 4 ? 44 : 34);
        canvas.DrawText(name, Size / 2f, Size / 2f + 8, SKTextAlign.Center, big, white);
        using var small = new SKFont(typeface, 22);
        canvas.DrawText(p.Brand, Size / 2f, Size - 36, SKTextAlign.Center, small, white);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var ch in s) h = unchecked(h * 31 + ch);
        return h;
    }
}
