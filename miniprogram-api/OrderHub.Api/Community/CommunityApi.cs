using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Media;
using OrderHub.Application.Common;
using OrderHub.Application.Community;
using OrderHub.Application.Customers;
using OrderHub.Application.Media;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Community;

/// <summary>
/// 经销商社区 (issue #20): the office writes announcements, materials (pictures, PDFs, video links) and new-product sheets,
/// publishes, unpublishes and pins them and sees which stores read each; stores read the published ones in the mini-program.
/// </summary>
public static class CommunityApi
{
    private const string NoPost = "文章不存在 / No such post";

    public static IEndpointRouteBuilder MapCommunityApi(this IEndpointRouteBuilder app)
    {
        var store = app.MapGroup("/api/community").WithTags("Community").RequireAuthorization(Policies.Customer);
        store.MapGet("/posts", StorePosts).WithName("CommunityPosts").ProducesStoreNotFound().WithSummary("经销商社区: published posts, pinned first, newest next, with whether my store read each");
        store.MapGet("/posts/{id:long}", StorePost).WithName("CommunityPost").ProducesStoreNotFound().ProducesNotFound(NoPost).WithSummary("One published post (pictures, PDFs, video link, products); counts my store's read");
        store.MapGet("/files/{id:long}", StoreFile).Produces<byte[]>(StatusCodes.Status200OK, CommunityPosts.PdfContentType).WithName("CommunityFile").ProducesNotFound("文件不存在 / No such file").WithSummary("A PDF of a published post");

        var pdfLimit = new RequestSizeLimitAttribute(CommunityPosts.MaxPdfBytes + 64 * 1024);
        var imageLimit = new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<MediaOptions>().MaxUploadBytes + 64 * 1024);
        var admin = app.MapGroup("/api/admin/community").WithTags("Community").RequireAuthorization(Policies.Staff);
        admin.MapGet("/posts", AdminPosts).WithName("AdminCommunityPosts").WithSummary("All posts, drafts too, with how many stores read each");
        admin.MapPost("/posts", Create).WithName("AdminCreateCommunityPost").Declares(422, "图片、文件或商品不存在 / A picture, file or product does not exist").WithSummary("A new post (a draft until published)");
        admin.MapGet("/posts/{id:long}", AdminPost).WithName("AdminCommunityPost").ProducesNotFound(NoPost).WithSummary("A post with each store that read it");
        admin.MapPut("/posts/{id:long}", Update).WithName("AdminUpdateCommunityPost").ProducesNotFound(NoPost).Declares(422, "图片、文件或商品不存在 / A picture, file or product does not exist").WithSummary("Change a post (text, pictures, files, video link, products, pinned)");
        admin.MapPost("/posts/{id:long}/publish", (long id, CommunityPosts posts, IMapper m, CancellationToken ct) => Publish(id, true, posts, m, ct))
            .WithName("AdminPublishCommunityPost").ProducesNotFound(NoPost).WithSummary("Publish: stores see it from now");
        admin.MapPost("/posts/{id:long}/unpublish", (long id, CommunityPosts posts, IMapper m, CancellationToken ct) => Publish(id, false, posts, m, ct))
            .WithName("AdminUnpublishCommunityPost").ProducesNotFound(NoPost).WithSummary("Unpublish: hidden from stores again");
        admin.MapPost("/images", UploadImage).WithMetadata(imageLimit, ImageUpload.Part).WithIdempotencyKey(optional: true).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AdminUploadCommunityImage").WithSummary("Upload a post's picture (multipart, part 'file'; JPEG, PNG or WebP up to Media:MaxUploadBytes); use its id in imageIds");
        admin.MapPost("/files", UploadPdf).WithMetadata(pdfLimit, ImageUpload.Part).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AdminUploadCommunityPdf").WithSummary("Upload a PDF (multipart, part 'file'; checked by its content, at most 20 MB); use its id in fileIds");
        admin.MapGet("/files/{id:long}", AdminFile).Produces<byte[]>(StatusCodes.Status200OK, CommunityPosts.PdfContentType).WithName("AdminCommunityFile").ProducesNotFound("文件不存在 / No such file").WithSummary("A PDF, also of a draft");
        return app;
    }

    public static IServiceCollection AddCommunity(this IServiceCollection services) => services.AddSingleton<CommunityPosts>();

    public sealed record PostRequest(
        [property: Description("类型 announcement / material / new_product / Kind")] string? Kind,
        [property: Description("标题 / Title")] string? Title,
        [property: Description("正文 / Body")] string? Body,
        [property: Description("视频链接 (https) / Video link (https)")] string? VideoUrl,
        [property: Description("置顶 / Pinned")] bool? Pinned,
        [property: Description("图片 id (先上传) / Picture ids (upload first)")] IReadOnlyList<long>? ImageIds,
        [property: Description("PDF 文件 id (先上传) / PDF ids (upload first)")] IReadOnlyList<long>? FileIds,
        [property: Description("关联商品 sku / Linked product SKUs")] IReadOnlyList<string>? ProductSkus);

    public sealed record CommunityImageDto(
        [property: Description("图片 id / Picture id")] long Id,
        [property: Description("原图地址 / URL")] string Url,
        [property: Description("缩略图地址 / Thumbnail URL")] string ThumbnailUrl);

    public sealed record CommunityFileDto(
        [property: Description("文件 id / File id")] long Id,
        [property: Description("文件名 / File name")] string Name,
        [property: Description("类型 / Content type")] string ContentType,
        [property: Description("大小 (字节) / Size in bytes")] long SizeBytes,
        [property: Description("下载地址 (门店) / Download path (stores)")] string Url);

    public sealed record CommunityProductDto(
        [property: Description("商品 id / Product id")] long ProductId,
        [property: Description("商品编码 / SKU")] string Sku,
        [property: Description("商品名称 / Name")] string Name);

    public sealed record CommunityPostDto(
        [property: Description("文章 id / Post id")] long Id,
        [property: Description("类型 / Kind")] string Kind,
        [property: Description("类型名称 / Kind label")] string KindLabel,
        [property: Description("标题 / Title")] string Title,
        [property: Description("正文 / Body")] string Body,
        [property: Description("视频链接 / Video link")] string? VideoUrl,
        [property: Description("置顶 / Pinned")] bool Pinned,
        [property: Description("是否已发布 / Published")] bool Published,
        [property: Description("发布时间 (上海时间) / Published at (Asia/Shanghai)")] string? PublishedAt,
        [property: Description("图片 / Pictures")] IReadOnlyList<CommunityImageDto> Images,
        [property: Description("PDF 文件 / PDFs")] IReadOnlyList<CommunityFileDto> Files,
        [property: Description("关联商品 / Linked products")] IReadOnlyList<CommunityProductDto> Products,
        [property: Description("阅读的门店数 / Stores that read it")] int StoresRead,
        [property: Description("阅读次数 / Reads")] int Reads,
        [property: Description("本店是否已读 / Read by my store")] bool ReadByMe);

    public sealed record CommunityPostListDto([property: Description("文章 / Posts")] IReadOnlyList<CommunityPostDto> Items);

    public sealed record CommunityStoreReadDto(
        [property: Description("门店 id / Store id")] long CustomerId,
        [property: Description("门店编码 / Store code")] string Code,
        [property: Description("门店名称 / Store name")] string Name,
        [property: Description("阅读次数 / Reads")] int Reads,
        [property: Description("首次阅读 (上海时间) / First read")] string FirstReadAt,
        [property: Description("最近阅读 (上海时间) / Last read")] string LastReadAt);

    public sealed record CommunityPostReadsDto(
        [property: Description("文章 / Post")] CommunityPostDto Post,
        [property: Description("读过的门店 / Stores that read it")] IReadOnlyList<CommunityStoreReadDto> Stores);

    private static CommunityPostInput Input(PostRequest b) =>
        new(b.Kind?.Trim(), b.Title, b.Body, b.VideoUrl, b.Pinned ?? false, b.ImageIds, b.FileIds, b.ProductSkus);

    private static async Task<Results<Ok<CommunityPostListDto>, ProblemHttpResult>> StorePosts(int? limit, ClaimsPrincipal user, CustomerContextQuery customers,
        CommunityPosts posts, IMapper mapper, CancellationToken ct)
    {
        var (store, problem) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (problem is not null) return problem;
        return TypedResults.Ok(mapper.Map<CommunityPostListDto>(await posts.ListAsync(store!.CustomerId, Math.Clamp(limit ?? 50, 1, 100), ct)));
    }

    private static async Task<Results<Ok<CommunityPostDto>, ProblemHttpResult>> StorePost(long id, ClaimsPrincipal user, CustomerContextQuery customers,
        CommunityPosts posts, IMapper mapper, CancellationToken ct)
    {
        var (store, problem) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (problem is not null) return problem;
        return await posts.ReadAsync(id, store!.CustomerId, ct) is { } p ? TypedResults.Ok(mapper.Map<CommunityPostDto>(p)) : Problems.NotFound("文章不存在", "No such post");
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> StoreFile(long id, CommunityPosts posts, CancellationToken ct) =>
        await posts.FileAsync(id, publishedOnly: true, ct) is { } f
            ? TypedResults.PhysicalFile(f.Path, CommunityPosts.PdfContentType, f.Name)
            : Problems.NotFound("文件不存在", "No such file");

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> AdminFile(long id, CommunityPosts posts, CancellationToken ct) =>
        await posts.FileAsync(id, publishedOnly: false, ct) is { } f
            ? TypedResults.PhysicalFile(f.Path, CommunityPosts.PdfContentType, f.Name)
            : Problems.NotFound("文件不存在", "No such file");

    private static async Task<Ok<CommunityPostListDto>> AdminPosts(int? limit, CommunityPosts posts, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<CommunityPostListDto>(await posts.ListAsync(null, Math.Clamp(limit ?? 100, 1, 200), ct)));

    private static async Task<Results<Ok<CommunityPostReadsDto>, ProblemHttpResult>> AdminPost(long id, CommunityPosts posts, IMapper mapper, CancellationToken ct) =>
        await posts.GetWithReadsAsync(id, ct) is { } p ? TypedResults.Ok(mapper.Map<CommunityPostReadsDto>(p)) : Problems.NotFound("文章不存在", "No such post");

    private static async Task<Results<Created<CommunityPostReadsDto>, ValidationProblem>> Create(PostRequest body, ClaimsPrincipal user, CommunityPosts posts,
        IMapper mapper, CancellationToken ct)
    {
        var input = Input(body);
        var errors = CommunityPosts.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        var id = await posts.CreateAsync(input, user.UserId_(), ct);
        return TypedResults.Created($"/api/admin/community/posts/{id}", mapper.Map<CommunityPostReadsDto>(await posts.GetWithReadsAsync(id, ct)));
    }

    private static async Task<Results<Ok<CommunityPostReadsDto>, ValidationProblem, ProblemHttpResult>> Update(long id, PostRequest body, CommunityPosts posts,
        IMapper mapper, CancellationToken ct)
    {
        var input = Input(body);
        var errors = CommunityPosts.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!await posts.UpdateAsync(id, input, ct)) return Problems.NotFound("文章不存在", "No such post");
        return TypedResults.Ok(mapper.Map<CommunityPostReadsDto>(await posts.GetWithReadsAsync(id, ct)));
    }

    private static async Task<Results<Ok<CommunityPostReadsDto>, ProblemHttpResult>> Publish(long id, bool published, CommunityPosts posts, IMapper mapper, CancellationToken ct)
    {
        if (!await posts.SetPublishedAsync(id, published, ct)) return Problems.NotFound("文章不存在", "No such post");
        return TypedResults.Ok(mapper.Map<CommunityPostReadsDto>(await posts.GetWithReadsAsync(id, ct)));
    }

    private static async Task<Results<Created<MediaDto>, ValidationProblem, ProblemHttpResult>> UploadImage(HttpContext http, ImageStore store, IMapper mapper, CancellationToken ct)
    {
        string? key = null;
        if (http.Request.Headers.ContainsKey(IdempotencyHeader.Name))
        {
            (key, var keyProblem) = IdempotencyHeader.Read(http.Request);
            if (keyProblem is not null) return keyProblem;
        }
        var (file, notForm) = await ImageUpload.ReadAsync(http.Request, ct);
        if (notForm is not null) return notForm;
        if (file is null) return Problems.Validation(new() { ["file"] = ["请选择图片 (multipart 字段 file) / Send the picture as the multipart part 'file'"] });
        try
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, MediaPurpose.CommunityImage, MediaOwner.Staff(http.User.UserId_()), key, ct);
            if (saved.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created(store.Url(saved.Image), mapper.Map<MediaDto>(saved.Image, store));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Created<CommunityFileDto>, ValidationProblem, ProblemHttpResult>> UploadPdf(HttpContext http, CommunityPosts posts, IMapper mapper, CancellationToken ct)
    {
        var (file, notForm) = await ImageUpload.ReadAsync(http.Request, ct);
        if (notForm is not null) return notForm;
        if (file is null) return Problems.Validation(new() { ["file"] = ["请选择 PDF 文件 (multipart 字段 file) / Send the PDF as the multipart part 'file'"] });
        if (file.Length > CommunityPosts.MaxPdfBytes) return Problems.Of(413, "PDF 不能超过 20 MB", "A PDF may be at most 20 MB");
        await using var stream = file.OpenReadStream();
        var saved = await posts.SavePdfAsync(stream, file.FileName, http.User.UserId_(), ct);
        return TypedResults.Created($"/api/admin/community/files/{saved.Id}", mapper.Map<CommunityFileDto>(saved));
    }
}

/// <summary>Community records → API contract.</summary>
public sealed class CommunityMappingProfile : Profile
{
    public CommunityMappingProfile()
    {
        CreateMap<CommunityImage, CommunityApi.CommunityImageDto>();
        CreateMap<CommunityFile, CommunityApi.CommunityFileDto>()
            .ForCtorParam(nameof(CommunityApi.CommunityFileDto.Url), o => o.MapFrom(s => $"/api/community/files/{s.Id}"));
        CreateMap<CommunityProduct, CommunityApi.CommunityProductDto>();
        CreateMap<CommunityPost, CommunityApi.CommunityPostDto>()
            .ForCtorParam(nameof(CommunityApi.CommunityPostDto.KindLabel), o => o.MapFrom(s => CommunityPostKind.Label(s.Kind)))
            .ForCtorParam(nameof(CommunityApi.CommunityPostDto.Published), o => o.MapFrom(s => s.PublishedAtMs != null))
            .ForCtorParam(nameof(CommunityApi.CommunityPostDto.PublishedAt), o => o.MapFrom(s => s.PublishedAtMs == null ? null : ShanghaiTime.Format(s.PublishedAtMs.Value)));
        CreateMap<CommunityPostList, CommunityApi.CommunityPostListDto>();
        CreateMap<CommunityStoreRead, CommunityApi.CommunityStoreReadDto>()
            .ForCtorParam(nameof(CommunityApi.CommunityStoreReadDto.FirstReadAt), o => o.MapFrom(s => ShanghaiTime.Format(s.FirstReadAtMs)))
            .ForCtorParam(nameof(CommunityApi.CommunityStoreReadDto.LastReadAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastReadAtMs)));
        CreateMap<CommunityPostReads, CommunityApi.CommunityPostReadsDto>();
    }
}
