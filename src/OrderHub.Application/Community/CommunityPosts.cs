using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Media;

namespace OrderHub.Application.Community;

/// <summary>What a community post is.</summary>
public static class CommunityPostKind
{
    public const string Announcement = "announcement";
    public const string Material = "material";
    public const string NewProduct = "new_product";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Announcement, Material, NewProduct };

    public static string Label(string kind) => kind switch
    {
        Announcement => "公告",
        Material => "营销素材",
        NewProduct => "新品速递",
        _ => kind,
    };
}

public sealed record CommunityPostInput(string? Kind, string? Title, string? Body, string? VideoUrl, bool Pinned,
    IReadOnlyList<long>? ImageIds, IReadOnlyList<long>? FileIds, IReadOnlyList<string>? ProductSkus);

public sealed record CommunityImage(long Id, string Url, string ThumbnailUrl);
public sealed record CommunityFile(long Id, string Name, string ContentType, long SizeBytes);
public sealed record CommunityProduct(long ProductId, string Sku, string Name);

/// <summary>A post as a store reads it (and the office, with its read counts).</summary>
public sealed record CommunityPost(long Id, string Kind, string Title, string Body, string? VideoUrl, bool Pinned, long? PublishedAtMs, long UpdatedAtMs,
    IReadOnlyList<CommunityImage> Images, IReadOnlyList<CommunityFile> Files, IReadOnlyList<CommunityProduct> Products, int StoresRead, int Reads, bool ReadByMe);

public sealed record CommunityPostList(IReadOnlyList<CommunityPost> Items);

/// <summary>One store's reading of a post.</summary>
public sealed record CommunityStoreRead(long CustomerId, string Code, string Name, int Reads, long FirstReadAtMs, long LastReadAtMs);

public sealed record CommunityPostReads(CommunityPost Post, IReadOnlyList<CommunityStoreRead> Stores);

/// <summary>
/// 经销商社区 (issue #20): announcements, marketing materials (pictures, PDFs, video links) and new-product sheets (linking
/// products) that the office writes and publishes; stores read the published ones in the mini-program, pinned first, and
/// each read is counted per store. Pictures go through <see cref="ImageStore"/> (purpose community_image); PDFs are
/// checked by their first bytes (%PDF-) and size and stored in the same media folder.
/// </summary>
public sealed class CommunityPosts(Db db, ImageStore images, TimeProvider clock)
{
    public const int MaxTitle = 100;
    public const int MaxBody = 20_000;
    public const int MaxImages = 9;
    public const int MaxFiles = 9;
    public const int MaxProducts = 50;
    public const long MaxPdfBytes = 20L * 1024 * 1024;
    public const string PdfContentType = "application/pdf";

    /// <summary>"column is one of @param" on either database (<see cref="Db"/>.InList).</summary>
    private string In(string column, string param) => db.Dialect.InList(column, param);

    /// <returns>Per-field errors, each "中文 / English"; empty when valid.</returns>
    public static Dictionary<string, string[]> Validate(CommunityPostInput p)
    {
        var e = new Dictionary<string, string[]>();
        if (p.Kind is null || !CommunityPostKind.All.Contains(p.Kind)) e["kind"] = ["类型应为 announcement (公告) / material (素材) / new_product (新品) / kind must be announcement, material or new_product"];
        if (string.IsNullOrWhiteSpace(p.Title) || p.Title.Trim().Length > MaxTitle) e["title"] = [$"标题必填，最长 {MaxTitle} 字 / title is required, at most {MaxTitle} characters"];
        if (p.Body is { Length: > MaxBody }) e["body"] = [$"正文最长 {MaxBody} 字 / body must be at most {MaxBody} characters"];
        if (!string.IsNullOrWhiteSpace(p.VideoUrl) && (p.VideoUrl.Length > 500 || !Uri.TryCreate(p.VideoUrl.Trim(), UriKind.Absolute, out var u) || u.Scheme != "https"))
            e["videoUrl"] = ["视频链接应为 https 地址 / videoUrl must be an https address"];
        if ((p.ImageIds?.Count ?? 0) > MaxImages) e["imageIds"] = [$"最多 {MaxImages} 张图片 / at most {MaxImages} pictures"];
        if ((p.FileIds?.Count ?? 0) > MaxFiles) e["fileIds"] = [$"最多 {MaxFiles} 个文件 / at most {MaxFiles} files"];
        if ((p.ProductSkus?.Count ?? 0) > MaxProducts) e["productSkus"] = [$"最多 {MaxProducts} 个商品 / at most {MaxProducts} products"];
        if (p.Kind == CommunityPostKind.NewProduct && (p.ProductSkus?.Count ?? 0) == 0) e["productSkus"] = ["新品速递须关联商品 / a new-product sheet needs its products"];
        return e;
    }

    /// <summary>Creates a draft (Validate first). Unknown pictures, files or SKUs are a 422 naming them.</summary>
    public async Task<long> CreateAsync(CommunityPostInput p, long staffId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var now = Now();
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO community_posts (kind, title, body, video_url, image_ids, pinned, published_at, created_by, created_at, updated_at)
            VALUES (@Kind, @title, @body, @video, '[]', @Pinned, NULL, @staffId, @now, @now) RETURNING id
            """, new { p.Kind, title = p.Title!.Trim(), body = p.Body ?? "", video = Blank(p.VideoUrl), p.Pinned, staffId, now }, tx);
        await WriteContentAsync(c, tx, id, p, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <returns>False when there is no such post.</returns>
    public async Task<bool> UpdateAsync(long id, CommunityPostInput p, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteAsync("""
                UPDATE community_posts SET kind = @Kind, title = @title, body = @body, video_url = @video, pinned = @Pinned, updated_at = @now WHERE id = @id
                """, new { p.Kind, title = p.Title!.Trim(), body = p.Body ?? "", video = Blank(p.VideoUrl), p.Pinned, now = Now(), id }, tx) == 0)
            return false;
        await WriteContentAsync(c, tx, id, p, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task WriteContentAsync(DbConnection c, DbTransaction tx, long id, CommunityPostInput p, CancellationToken ct)
    {
        var imageIds = (p.ImageIds ?? []).Distinct().ToArray();
        if (imageIds.Length > 0)
        {
            var known = (await c.QueryAsync<long>($"SELECT id FROM media WHERE {In("id", "imageIds")} AND purpose = @purpose", new { imageIds, purpose = MediaPurpose.CommunityImage }, tx)).ToHashSet();
            if (imageIds.Where(i => !known.Contains(i)).ToList() is { Count: > 0 } missing)
                throw new AppProblem(422, $"图片不存在：{string.Join("、", missing)} (请先上传)", $"No such community picture: {string.Join(", ", missing)} (upload it first)", null);
        }
        await c.ExecuteAsync("UPDATE community_posts SET image_ids = @json WHERE id = @id", new { json = JsonSerializer.Serialize(imageIds), id }, tx);

        var fileIds = (p.FileIds ?? []).Distinct().ToArray();
        if (fileIds.Length > 0)
        {
            var free = (await c.QueryAsync<long>($"SELECT id FROM community_files WHERE {In("id", "fileIds")} AND (post_id IS NULL OR post_id = @id)", new { fileIds, id }, tx)).ToHashSet();
            if (fileIds.Where(f => !free.Contains(f)).ToList() is { Count: > 0 } missing)
                throw new AppProblem(422, $"文件不存在或属于另一篇：{string.Join("、", missing)}", $"No such file, or it belongs to another post: {string.Join(", ", missing)}", null);
        }
        await c.ExecuteAsync("UPDATE community_files SET post_id = NULL WHERE post_id = @id", new { id }, tx);
        if (fileIds.Length > 0) await c.ExecuteAsync($"UPDATE community_files SET post_id = @id WHERE {In("id", "fileIds")}", new { id, fileIds }, tx);

        var skus = (p.ProductSkus ?? []).Select(s => s.Trim()).Distinct().ToArray();
        var products = skus.Length == 0 ? new Dictionary<string, long>()
            : (await c.QueryAsync<(string Sku, long Id)>($"SELECT sku, id FROM products WHERE {In("sku", "skus")}", new { skus }, tx)).ToDictionary(x => x.Sku, x => x.Id);
        if (skus.Where(s => !products.ContainsKey(s)).ToList() is { Count: > 0 } unknown)
            throw new AppProblem(422, $"商品不存在：{string.Join("、", unknown)}", $"No such product: {string.Join(", ", unknown)}", null);
        await c.ExecuteAsync("DELETE FROM community_post_products WHERE post_id = @id", new { id }, tx);
        for (var i = 0; i < skus.Length; i++)
            await c.ExecuteAsync("INSERT INTO community_post_products (post_id, product_id, position) VALUES (@id, @pid, @i)", new { id, pid = products[skus[i]], i }, tx);
    }

    /// <summary>Publishes (stores see it from now, newest first) or unpublishes (hidden again); false when there is no such post.</summary>
    public async Task<bool> SetPublishedAsync(long id, bool published, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = Now();
        return await c.ExecuteAsync(published
            ? "UPDATE community_posts SET published_at = COALESCE(published_at, @now), updated_at = @now WHERE id = @id"
            : "UPDATE community_posts SET published_at = NULL, updated_at = @now WHERE id = @id", new { id, now }) == 1;
    }

    /// <summary>
    /// Posts, pinned first then newest: a store's view (<paramref name="customerId"/>: published only, with whether it read
    /// each), or the office's (null: drafts too, with read counts).
    /// </summary>
    public async Task<CommunityPostList> ListAsync(long? customerId, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(Select + "\n" + """
            WHERE (@store = FALSE OR p.published_at IS NOT NULL)
            ORDER BY p.pinned DESC, COALESCE(p.published_at, p.updated_at) DESC, p.id DESC LIMIT @limit
            """, new { store = customerId is not null, customerId = customerId ?? 0, limit })).ToList();
        return new CommunityPostList(await ComposeAsync(c, rows));
    }

    /// <summary>A published post for a store, counting this read; null when it does not exist or is not published.</summary>
    public async Task<CommunityPost?> ReadAsync(long id, long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var now = Now();
        if (await c.ExecuteAsync("""
                INSERT INTO community_reads (post_id, customer_id, reads, first_read_at, last_read_at)
                SELECT id, @customerId, 1, @now, @now FROM community_posts WHERE id = @id AND published_at IS NOT NULL
                ON CONFLICT (post_id, customer_id) DO UPDATE SET reads = community_reads.reads + 1, last_read_at = excluded.last_read_at
                """, new { id, customerId, now }) == 0)
            return null;
        var rows = (await c.QueryAsync<Row>(Select + " WHERE p.id = @id", new { id, customerId })).ToList();
        return (await ComposeAsync(c, rows)).Single();
    }

    /// <summary>A post with each store that read it (the office); null when there is no such post.</summary>
    public async Task<CommunityPostReads?> GetWithReadsAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(Select + " WHERE p.id = @id", new { id, customerId = 0L })).ToList();
        if (rows.Count == 0) return null;
        // read as a tuple: SQLite hands every INTEGER back as Int64, which Dapper cannot match to the record's int Reads
        var stores = (await c.QueryAsync<(long CustomerId, string Code, string Name, long Reads, long FirstReadAtMs, long LastReadAtMs)>("""
            SELECT r.customer_id, cu.code, cu.name, r.reads, r.first_read_at, r.last_read_at
            FROM community_reads r JOIN customers cu ON cu.id = r.customer_id WHERE r.post_id = @id ORDER BY r.last_read_at DESC, cu.code
            """, new { id })).Select(s => new CommunityStoreRead(s.CustomerId, s.Code, s.Name, (int)s.Reads, s.FirstReadAtMs, s.LastReadAtMs)).ToList();
        return new CommunityPostReads((await ComposeAsync(c, rows)).Single(), stores);
    }

    /// <summary>Checks and stores a PDF: 415 when its first bytes are not %PDF-, 413 over <see cref="MaxPdfBytes"/>.</summary>
    public async Task<CommunityFile> SavePdfAsync(Stream content, string? originalName, long staffId, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxPdfBytes)
                throw new AppProblem(413, $"PDF 不能超过 {MaxPdfBytes / 1024 / 1024} MB", $"A PDF may be at most {MaxPdfBytes / 1024 / 1024} MB", null);
        }
        var bytes = buffer.ToArray();
        if (bytes.Length < 5 || !bytes.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
            throw new AppProblem(415, "只能上传 PDF 文件", "Only PDF files are accepted (checked by the file's content)", null);
        var name = string.IsNullOrWhiteSpace(originalName) ? "资料.pdf" : Path.GetFileName(originalName.Trim());
        if (name.Length > 120) name = name[^120..];
        var fileName = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + ".pdf";
        Directory.CreateDirectory(images.Folder);
        var path = Path.Combine(images.Folder, fileName);
        await File.WriteAllBytesAsync(path + ".tmp", bytes, ct);
        File.Move(path + ".tmp", path);
        await using var c = await db.OpenAsync(ct);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO community_files (post_id, file_name, original_name, content_type, size_bytes, created_by, created_at)
            VALUES (NULL, @fileName, @name, @type, @size, @staffId, @now) RETURNING id
            """, new { fileName, name, type = PdfContentType, size = (long)bytes.Length, staffId, now = Now() });
        return new CommunityFile(id, name, PdfContentType, bytes.Length);
    }

    /// <summary>The file's path and name: for a store only a published post's file, for the office any.</summary>
    public async Task<(string Path, string Name)?> FileAsync(long id, bool publishedOnly, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string FileName, string Name)?>("""
            SELECT f.file_name, f.original_name FROM community_files f LEFT JOIN community_posts p ON p.id = f.post_id
            WHERE f.id = @id AND (@publishedOnly = FALSE OR p.published_at IS NOT NULL)
            """, new { id, publishedOnly });
        if (row is not { } r) return null;
        var path = Path.Combine(images.Folder, r.FileName);
        return File.Exists(path) ? (path, r.Name) : null;
    }

    private const string Select = """
        SELECT p.id AS Id, p.kind AS Kind, p.title AS Title, p.body AS Body, p.video_url AS VideoUrl, p.pinned AS Pinned, p.published_at AS PublishedAtMs,
               p.updated_at AS UpdatedAtMs, p.image_ids AS ImageIds,
               (SELECT COUNT(*) FROM community_reads r WHERE r.post_id = p.id) AS StoresRead,
               (SELECT COALESCE(SUM(r.reads), 0) FROM community_reads r WHERE r.post_id = p.id) AS Reads,
               (SELECT COUNT(*) FROM community_reads r WHERE r.post_id = p.id AND r.customer_id = @customerId) AS ReadByMe
        FROM community_posts p
        """;

    private async Task<List<CommunityPost>> ComposeAsync(DbConnection c, List<Row> rows)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        if (ids.Length == 0) return [];
        var files = (await c.QueryAsync<(long PostId, long Id, string Name, string Type, long Size)>(
            $"SELECT post_id, id, original_name, content_type, size_bytes FROM community_files WHERE {In("post_id", "ids")} ORDER BY id", new { ids })).ToLookup(f => f.PostId);
        var products = (await c.QueryAsync<(long PostId, long Id, string Sku, string Name)>($"""
            SELECT pp.post_id, pr.id, pr.sku, pr.name FROM community_post_products pp JOIN products pr ON pr.id = pp.product_id
            WHERE {In("pp.post_id", "ids")} ORDER BY pp.position
            """, new { ids })).ToLookup(p => p.PostId);
        var imageIds = rows.SelectMany(r => r.Images()).Distinct().ToList();
        var stored = await ImageStore.GetManyAsync(c, imageIds);
        return rows.Select(r => new CommunityPost(r.Id, r.Kind, r.Title, r.Body, r.VideoUrl, r.Pinned, r.PublishedAtMs, r.UpdatedAtMs,
            r.Images().Where(stored.ContainsKey).Select(i => new CommunityImage(i, images.Url(stored[i]), images.ThumbnailUrl(stored[i]))).ToList(),
            files[r.Id].Select(f => new CommunityFile(f.Id, f.Name, f.Type, f.Size)).ToList(),
            products[r.Id].Select(p => new CommunityProduct(p.Id, p.Sku, p.Name)).ToList(),
            (int)r.StoresRead, (int)r.Reads, r.ReadByMe > 0)).ToList();
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public string? VideoUrl { get; init; }
        public bool Pinned { get; init; }
        public long? PublishedAtMs { get; init; }
        public long UpdatedAtMs { get; init; }
        public string ImageIds { get; init; } = "[]";
        public long StoresRead { get; init; }
        public long Reads { get; init; }
        public long ReadByMe { get; init; }
        public long[] Images() => JsonSerializer.Deserialize<long[]>(ImageIds) ?? [];
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
