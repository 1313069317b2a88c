using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Application.Media;

namespace OrderHub.Api.Media;

/// <summary>An uploaded image and its thumbnail, as absolute URLs (<c>Media:PublicBaseUrl</c> or this server).</summary>
public sealed record MediaDto(
    [property: Description("图片 id (记拜访时作为 photoIds 传回) / Image id (send back in a visit's photoIds)")] long Id,
    [property: Description("原图地址 / The picture's URL")] string Url,
    [property: Description("缩略图地址 / The thumbnail's URL")] string ThumbnailUrl,
    [property: Description("类型：image/jpeg、image/png、image/webp / Content type")] string ContentType,
    [property: Description("文件大小 (字节) / File size in bytes")] long SizeBytes,
    [property: Description("宽 (像素) / Width in pixels")] int Width,
    [property: Description("高 (像素) / Height in pixels")] int Height);

/// <summary>A product's image as staff set it in the console.</summary>
public sealed record ProductImageDto(long ProductId, string Sku, MediaDto Image);

/// <summary>
/// Images: agents upload visit photos (巡店拍照), staff upload product images, and every stored image is served at
/// <c>/media/{name}</c> (anonymous: names are 128-bit random, cached for a year). Uploads are multipart with one part
/// <c>file</c>; the type is decided by the content (<see cref="ImageStore"/>).
/// </summary>
public static class MediaApi
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // The request may be the image plus the multipart framing; ImageStore refuses an image over the limit itself (413).
        var limit = new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<MediaOptions>().MaxUploadBytes + 64 * 1024);

        app.MapGet("/media/{name}", Serve).AllowAnonymous().WithTags("Images").WithName("MediaFile").ProducesNotFound("图片不存在 / No such image")
            .WithSummary("An uploaded image or its thumbnail (_t.jpg); Cache-Control public, one year, immutable");

        app.MapPost("/api/agent/visit-photos", UploadVisitPhoto).RequireAuthorization(Policies.Agent).WithTags("Insight and reports (agent)")
            .WithMetadata(limit, ImageUpload.Part).WithIdempotencyKey(optional: true).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AgentUploadVisitPhoto")
            .WithSummary("巡店拍照: upload one photo (multipart, part 'file'; JPEG, PNG or WebP up to Media:MaxUploadBytes), then log the visit with its id in photoIds; Idempotency-Key optional, honoured");

        app.MapPost("/api/admin/catalog/products/{id:long}/image", UploadProductImage).RequireAuthorization(Policies.Admin).WithTags("Back office: catalog").ProducesNotFound("商品不存在 / No such product")
            .WithMetadata(limit, ImageUpload.Part).WithIdempotencyKey(optional: true).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AdminSetProductImage")
            .WithSummary("Upload a product's image (multipart, part 'file'; admin). The catalog shows it first; an ERP sync never replaces it");
        return app;
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Serve(string name, ImageStore store, HttpContext http)
    {
        if (store.PathOf(name) is not { } path || !File.Exists(path)) return Problems.NotFound("图片不存在", "No such image");
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.PhysicalFile(path, ImageStore.ContentTypeOf(name), lastModified: File.GetLastWriteTimeUtc(path),
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + name + "\""));
    }

    private static async Task<Results<Created<MediaDto>, ValidationProblem, ProblemHttpResult>> UploadVisitPhoto(
        HttpContext http, ImageStore store, IMapper mapper, CancellationToken ct)
    {
        var (key, problem) = ReadKey(http);
        if (problem is not null) return problem;
        var (file, notForm) = await ImageUpload.ReadAsync(http.Request, ct);
        if (notForm is not null) return notForm;
        if (file is null) return Problems.Validation(new() { ["file"] = ["请选择照片 (multipart 字段 file) / Send the photo as the multipart part 'file'"] });
        try
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, MediaPurpose.VisitPhoto, MediaOwner.Agent(http.User.UserId_()), key, ct);
            if (saved.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created(store.Url(saved.Image), mapper.Map<MediaDto>(saved.Image, store));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<ProductImageDto>, ValidationProblem, ProblemHttpResult>> UploadProductImage(
        long id, HttpContext http, ImageStore store, ProductImages products, IMapper mapper, CancellationToken ct)
    {
        var (key, problem) = ReadKey(http);
        if (problem is not null) return problem;
        if (await products.SkuOfAsync(id, ct) is null) return Problems.NotFound("商品不存在", "No such product");
        var (file, notForm) = await ImageUpload.ReadAsync(http.Request, ct);
        if (notForm is not null) return notForm;
        if (file is null) return Problems.Validation(new() { ["file"] = ["请选择图片 (multipart 字段 file) / Send the image as the multipart part 'file'"] });
        try
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, MediaPurpose.ProductImage, MediaOwner.Staff(http.User.UserId_()), key, ct);
            var sku = await products.SetAsync(id, saved.Image.Id, ct);
            if (saved.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(new ProductImageDto(id, sku, mapper.Map<MediaDto>(saved.Image, store)));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static (string? Key, ProblemHttpResult? Problem) ReadKey(HttpContext http) =>
        http.Request.Headers.ContainsKey(IdempotencyHeader.Name) ? IdempotencyHeader.Read(http.Request) : (null, null);
}

/// <summary>
/// An image upload: multipart/form-data with the picture as part <c>file</c>. The form is read in the handler, after
/// sign-in and role checks (a form parameter would make routing answer 415 to anyone, before authorization); the
/// marker puts the multipart body into the OpenAPI document (<see cref="ApiContract"/>).
/// </summary>
public sealed class ImageUpload
{
    public const string FilePart = "file";
    public static readonly ImageUpload Part = new();

    public static async Task<(IFormFile? File, ProblemHttpResult? NotForm)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType || !(request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Of(415, "请以 multipart/form-data 上传图片 (字段 file)", "Upload the image as multipart/form-data with the part 'file'"));
        var form = await request.ReadFormAsync(ct);
        return (form.Files.GetFile(FilePart), null);
    }
}

/// <summary><c>Media:PublicBaseUrl</c>'s fallback: the scheme and host the request came to.</summary>
public sealed class RequestBaseUrl(IHttpContextAccessor accessor) : IRequestBaseUrl
{
    public string? Current => accessor.HttpContext?.Request is { Host.HasValue: true } r ? $"{r.Scheme}://{r.Host}{r.PathBase}" : null;
}
