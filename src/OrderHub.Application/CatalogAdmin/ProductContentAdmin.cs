using System.Text.Json;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Data;

namespace OrderHub.Application.CatalogAdmin;

public sealed class ProductContentRow
{
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string SellingPoints { get; init; } = "[]";
    public string Tags { get; init; } = "[]";
    public bool IsNew { get; init; }
    public bool IsHot { get; init; }
    public int? SortOrder { get; init; }
    public long? UpdatedAtMs { get; init; }
    public string? UpdatedBy { get; init; }

    public ProductContent Content => new(Description, Texts(SellingPoints), Texts(Tags), IsNew, IsHot, SortOrder);
    private static IReadOnlyList<string> Texts(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];
}

/// <summary>
/// Product content that a person owns and the ERP does not: description, selling points, tags, 新品 / 热销 flags and the
/// 推荐 sort position. The ERP's product feed never writes these columns (ProductApplier names only its own), so a sync
/// keeps them. Saving moves the catalog version: the snapshot holds the flags, tags and sort position.
/// </summary>
public sealed class ProductContentAdmin(Db db, TimeProvider clock)
{
    public const int MaxDescription = 2000, MaxPoints = 8, MaxPointLength = 60, MaxTags = 8, MaxTagLength = 12, MaxSortOrder = 99_999;

    public async Task<ProductContentRow?> GetAsync(string sku, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ProductContentRow>(new CommandDefinition("""
            SELECT sku AS Sku, name AS Name, description AS Description, selling_points AS SellingPoints, tags AS Tags, is_new AS IsNew,
                   is_hot AS IsHot, sort_order AS SortOrder, content_updated_at AS UpdatedAtMs, content_updated_by AS UpdatedBy
            FROM products WHERE sku = @sku
            """, new { sku }, cancellationToken: ct));
    }

    /// <summary>What is wrong with the content, per field (empty when it can be saved). Texts are trimmed and blanks dropped first.</summary>
    public static Dictionary<string, string[]> Check(ProductContent content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content.Description is { Length: > MaxDescription })
            errors["description"] = [$"描述不能超过 {MaxDescription} 个字 / description must be at most {MaxDescription} characters"];
        if (content.SellingPoints.Count > MaxPoints || content.SellingPoints.Any(p => p.Length > MaxPointLength))
            errors["sellingPoints"] = [$"卖点最多 {MaxPoints} 条，每条不超过 {MaxPointLength} 个字 / at most {MaxPoints} selling points of {MaxPointLength} characters"];
        if (content.Tags.Count > MaxTags || content.Tags.Any(t => t.Length > MaxTagLength))
            errors["tags"] = [$"标签最多 {MaxTags} 个，每个不超过 {MaxTagLength} 个字 / at most {MaxTags} tags of {MaxTagLength} characters"];
        if (content.SortOrder is < 0 or > MaxSortOrder)
            errors["sortOrder"] = [$"排序号必须在 0 到 {MaxSortOrder} 之间 / sortOrder must be between 0 and {MaxSortOrder}"];
        return errors;
    }

    /// <summary>The content with texts trimmed, blank entries and repeated tags dropped, an empty description as none.</summary>
    public static ProductContent Clean(ProductContent content) => content with
    {
        Description = string.IsNullOrWhiteSpace(content.Description) ? null : content.Description.Trim(),
        SellingPoints = content.SellingPoints.Select(p => p.Trim()).Where(p => p.Length > 0).ToList(),
        Tags = content.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
    };

    /// <summary>Saves a product's content (call <see cref="Check"/> first). False when there is no such product.</summary>
    public async Task<bool> SetAsync(string sku, ProductContent content, string by, CancellationToken ct = default)
    {
        content = Clean(content);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE products SET description = @description, selling_points = @points, tags = @tags, is_new = @isNew, is_hot = @isHot,
                   sort_order = @sortOrder, content_updated_at = @now, content_updated_by = @by
            WHERE sku = @sku
            """, new
        {
            sku, description = content.Description, points = JsonSerializer.Serialize(content.SellingPoints), tags = JsonSerializer.Serialize(content.Tags),
            isNew = content.IsNew, isHot = content.IsHot, sortOrder = content.SortOrder, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), by,
        }, tx, cancellationToken: ct));
        if (n == 0) return false;
        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        return true;
    }
}
