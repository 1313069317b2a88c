using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using SkiaSharp;

namespace OrderHub.Application.Media;

/// <summary>What an image is for; the purpose limits where it may be attached.</summary>
public static class MediaPurpose
{
    public const string VisitPhoto = "visit_photo";
    public const string ProductImage = "product_image";
    /// <summary>A photo of goods a store wants to return (退货), uploaded by the store's user or its agent.</summary>
    public const string ReturnPhoto = "return_photo";
    /// <summary>A picture of a 经销商社区 post, uploaded by the office (Community/CommunityPosts).</summary>
    public const string CommunityImage = "community_image";
}

/// <summary>Who uploaded an image: an agent, staff, or the system (demo pictures).</summary>
public sealed record MediaOwner(string Kind, long? Id)
{
    public static MediaOwner Agent(long id) => new("agent", id);
    public static MediaOwner Staff(long id) => new("staff", id);
    public static MediaOwner StoreUser(long id) => new("customer_user", id);
    public static readonly MediaOwner System = new("system", null);
}

/// <summary>A stored image (a row of <c>media</c>); <see cref="ImageStore.Url"/> and <see cref="ImageStore.ThumbnailUrl"/> give its addresses.</summary>
public sealed class StoredImage
{
    public long Id { get; init; }
    public string FileName { get; init; } = "";
    public string? ThumbName { get; init; }
    public string ContentType { get; init; } = "";
    public long SizeBytes { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public string Purpose { get; init; } = "";
    public string OwnerKind { get; init; } = "";
    public long? OwnerId { get; init; }
    public long CreatedAtMs { get; init; }
}

/// <param name="Replayed">The Idempotency-Key was seen before with the same image: this is the first upload again.</param>
public sealed record ImageSaveResult(StoredImage Image, bool Replayed);

/// <summary>
/// The one store for every uploaded image (visit photos, product images). It trusts nothing the client says about the
/// file: the type comes from the magic bytes (JPEG, PNG, WebP only), the picture must decode, its size and pixel count are
/// limited by <c>Media</c> settings, and the file gets a random name chosen here, so no client text ever reaches a path.
/// A thumbnail (JPEG, longest side <c>Media:ThumbnailPixels</c>) is made with SkiaSharp. Files are served read-only at
/// <c>/media/{name}</c>; names never change, so they are cached for a year.
/// </summary>
public sealed class ImageStore(Db db, MediaOptions options, TimeProvider clock, IRequestBaseUrl? requestBase = null)
{
    public const string RoutePrefix = "/media/";
    private static readonly System.Text.RegularExpressions.Regex NamePattern = new("^[0-9a-f]{32}(_t)?\\.(jpg|png|webp)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public MediaOptions Options => options;

    /// <summary>The folder the files are in: <c>Media:Folder</c>, else <c>media</c> beside the SQLite file, else <c>data/media</c>.</summary>
    public string Folder { get; } = ResolveFolder(options, db);

    private static string ResolveFolder(MediaOptions options, Db db)
    {
        if (!string.IsNullOrWhiteSpace(options.Folder)) return Path.GetFullPath(options.Folder);
        if (db.Dialect == SqlDialect.Sqlite)
        {
            var source = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(source) && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".", "media");
        }
        return Path.GetFullPath(Path.Combine("data", "media"));
    }

    /// <summary>The type an image's first bytes say it is, or null: JPEG (FF D8 FF), PNG (89 'PNG' CR LF 1A LF), WebP ('RIFF' size 'WEBP').</summary>
    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ("image/jpeg", "jpg");
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return ("image/png", "png");
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return ("image/webp", "webp");
        return null;
    }

    /// <summary>True when the name is one this store could have chosen (and so cannot leave the folder).</summary>
    public static bool IsStoredName(string? name) => name is { Length: <= 45 } && NamePattern.IsMatch(name);

    /// <summary>The full path of a stored file, or null for any name this store would not have chosen.</summary>
    public string? PathOf(string name) => IsStoredName(name) ? Path.Combine(Folder, name) : null;

    public static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".png" => "image/png", ".webp" => "image/webp", _ => "image/jpeg",
    };

    /// <summary>The absolute URL of a stored file: <c>Media:PublicBaseUrl</c> (a CDN) or the request's address, then <c>/media/{name}</c>.</summary>
    public string UrlOf(string name)
    {
        var baseUrl = options.PublicBaseUrl.Length > 0 ? options.PublicBaseUrl : requestBase?.Current ?? "";
        return baseUrl.TrimEnd('/') + RoutePrefix + name;
    }

    public string Url(StoredImage i) => UrlOf(i.FileName);
    public string ThumbnailUrl(StoredImage i) => UrlOf(i.ThumbName ?? i.FileName);

    /// <summary>
    /// Checks and stores an image. Refusals are <see cref="AppProblem"/>s: 413 over the size limit, 415 not a JPEG/PNG/WebP,
    /// 400 a file that does not decode or is too many pixels.
    /// </summary>
    /// <param name="idempotencyKey">Optional; the same key with the same bytes returns the first upload, with other bytes a 422 (<see cref="IdempotencyKeyReusedException"/>).</param>
    public async Task<ImageSaveResult> SaveAsync(Stream content, string purpose, MediaOwner owner, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var bytes = await ReadLimitedAsync(content, ct);
        var kind = Sniff(bytes) ?? throw new AppProblem(415, "只能上传 JPEG、PNG 或 WebP 图片", "Only JPEG, PNG or WebP images are accepted (checked by the file's content)");
        var (width, height, thumb) = Decode(bytes);

        var scope = $"media:{owner.Kind}:{owner.Id}";
        var hash = Idempotency.Hash(purpose, Convert.ToHexString(SHA256.HashData(bytes)));
        await using var c = await db.OpenAsync(ct);
        if (idempotencyKey is not null && await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) is { } done)
            return new ImageSaveResult((await GetAsync(c, done))!, true);

        Directory.CreateDirectory(Folder);
        var stem = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var fileName = $"{stem}.{kind.Extension}";
        var thumbName = thumb is null ? null : $"{stem}_t.jpg";
        await WriteAtomicAsync(fileName, bytes, ct);
        if (thumb is not null) await WriteAtomicAsync(thumbName!, thumb, ct);
        try
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await using var tx = await db.BeginWriteAsync(c, ct);
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO media (file_name, thumb_name, content_type, size_bytes, width, height, purpose, owner_kind, owner_id, created_at)
                VALUES (@fileName, @thumbName, @ContentType, @size, @width, @height, @purpose, @Kind, @Id, @now) RETURNING id
                """, new { fileName, thumbName, kind.ContentType, size = (long)bytes.Length, width, height, purpose, owner.Kind, owner.Id, now }, tx);
            if (idempotencyKey is not null && !await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now))
            {
                await tx.RollbackAsync(ct);
                Delete(fileName, thumbName);
                var first = await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) ?? throw new InvalidOperationException("idempotency key vanished");
                return new ImageSaveResult((await GetAsync(c, first))!, true);
            }
            await tx.CommitAsync(ct);
            return new ImageSaveResult((await GetAsync(c, id))!, false);
        }
        catch
        {
            Delete(fileName, thumbName);
            throw;
        }
    }

    /// <summary>
    /// Stores pictures made by OrderHub itself (the demo's product tiles) inside the caller's transaction, without the checks
    /// an upload needs; each is its own thumbnail. Returns the new ids in order.
    /// </summary>
    public async Task<IReadOnlyList<long>> SaveGeneratedAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(byte[] Png, int Width, int Height)> pictures,
        string purpose, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Folder);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = new List<long>(pictures.Count);
        foreach (var (png, width, height) in pictures)
        {
            if (Sniff(png)?.ContentType != "image/png") throw new ArgumentException("generated pictures must be PNG", nameof(pictures));
            var fileName = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + ".png";
            await WriteAtomicAsync(fileName, png, ct);
            ids.Add(await c.ExecuteScalarAsync<long>("""
                INSERT INTO media (file_name, thumb_name, content_type, size_bytes, width, height, purpose, owner_kind, owner_id, created_at)
                VALUES (@fileName, NULL, 'image/png', @size, @width, @height, @purpose, 'system', NULL, @now) RETURNING id
                """, new { fileName, size = (long)png.Length, width, height, purpose, now }, tx));
        }
        return ids;
    }

    public async Task<StoredImage?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, id);
    }

    /// <summary>The images of these ids, by id (absent ids are missing from the answer).</summary>
    public static async Task<Dictionary<long, StoredImage>> GetManyAsync(DbConnection c, IReadOnlyCollection<long> ids, DbTransaction? tx = null)
    {
        if (ids.Count == 0) return [];
        var rows = new List<StoredImage>();
        foreach (var chunk in ids.Distinct().Chunk(500))
            rows.AddRange(await c.QueryAsync<StoredImage>(Select + " WHERE " + (c is Npgsql.NpgsqlConnection ? SqlDialect.Postgres : SqlDialect.Sqlite).InList("id", "ids"),
                new { ids = chunk }, tx));
        return rows.ToDictionary(r => r.Id);
    }

    private const string Select = """
        SELECT id AS Id, file_name AS FileName, thumb_name AS ThumbName, content_type AS ContentType, size_bytes AS SizeBytes,
               width AS Width, height AS Height, purpose AS Purpose, owner_kind AS OwnerKind, owner_id AS OwnerId, created_at AS CreatedAtMs
        FROM media
        """;

    private static async Task<StoredImage?> GetAsync(DbConnection c, long id) =>
        await c.QuerySingleOrDefaultAsync<StoredImage>(Select + " WHERE id = @id", new { id });

    private async Task<byte[]> ReadLimitedAsync(Stream content, CancellationToken ct)
    {
        var max = options.MaxUploadBytes;
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await content.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > max) throw TooLarge(max);
            ms.Write(buffer, 0, n);
        }
        if (ms.Length == 0) throw AppProblem.BadRequest("图片是空的", "The image is empty");
        return ms.ToArray();
    }

    public static AppProblem TooLarge(long max) =>
        new(413, $"图片太大 (上限 {max / 1024} KB)", $"The image is too large (limit {max / 1024} KB)");

    /// <summary>Decodes the picture (refusing one that does not decode or has too many pixels) and makes the thumbnail.</summary>
    private (int Width, int Height, byte[]? Thumb) Decode(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
            throw AppProblem.BadRequest("图片无法读取 (文件已损坏？)", "The image cannot be read (is the file damaged?)");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if ((long)w * h > options.MaxMegapixels * 1_000_000L)
            throw AppProblem.BadRequest($"图片像素过多 (上限 {options.MaxMegapixels} 百万像素)", $"The picture has too many pixels (limit {options.MaxMegapixels} megapixels)");
        using var bitmap = SKBitmap.Decode(codec);
        if (bitmap is null) throw AppProblem.BadRequest("图片无法读取 (文件已损坏？)", "The image cannot be read (is the file damaged?)");
        return (w, h, Thumbnail(bitmap, options.ThumbnailPixels));
    }

    /// <summary>A JPEG no larger than <paramref name="longest"/> pixels on its longest side (transparent areas on white).</summary>
    public static byte[]? Thumbnail(SKBitmap source, int longest)
    {
        var scale = Math.Min(1.0, (double)longest / Math.Max(source.Width, source.Height));
        var (tw, th) = (Math.Max(1, (int)Math.Round(source.Width * scale)), Math.Max(1, (int)Math.Round(source.Height * scale)));
        using var surface = SKSurface.Create(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (surface is null) return null;
        surface.Canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(source);
        surface.Canvas.DrawImage(image, new SKRect(0, 0, tw, th), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(SKEncodedImageFormat.Jpeg, 82);
        return encoded?.ToArray();
    }

    private async Task WriteAtomicAsync(string name, byte[] bytes, CancellationToken ct)
    {
        var path = Path.Combine(Folder, name);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: false);
    }

    private void Delete(params string?[] names)
    {
        foreach (var n in names)
            if (n is not null && PathOf(n) is { } p) try { File.Delete(p); } catch (IOException) { }
    }
}
