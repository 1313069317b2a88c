using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.CatalogAdmin;

/// <summary>
/// The image staff give a product in the console (<c>products.image_id</c>, a <see cref="Media.ImageStore"/> image). The
/// catalog shows it before the ERP's image URLs; the ERP sync writes only <c>image_urls</c>, so a sync never erases it.
/// </summary>
public sealed class ProductImages(Db db)
{
    public async Task<string?> SkuOfAsync(long productId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT sku FROM products WHERE id = @productId", new { productId });
    }

    /// <summary>Sets the product's image and returns its SKU. Moves the catalog version: the catalog keeps a product's images with its snapshot.</summary>
    public async Task<string> SetAsync(long productId, long mediaId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var sku = await c.ExecuteScalarAsync<string?>("UPDATE products SET image_id = @mediaId WHERE id = @productId RETURNING sku", new { productId, mediaId }, tx)
                  ?? throw Common.AppProblem.NotFound("商品不存在", "No such product");
        await Catalog.CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        return sku;
    }
}
