using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Time;
using OrderHub.WeChat;
using QRCoder;

namespace OrderHub.Api.WeChat;

/// <summary>An agent's binding codes (绑定码) for its stores, and their images.</summary>
public static class BindingCodesApi
{
    public sealed record BindingCodeDto(
        [property: Description("绑定码 / The binding code")] string Code,
        [property: Description("小程序码的 scene (含绑定码) / The mini-program code's scene (holds the binding code)")] string Scene,
        [property: Description("过期时间 (上海时间) / Expires at (Asia/Shanghai)")] string ExpiresAt,
        [property: Description("只能用一次 / Good for one binding only")] bool SingleUse,
        [property: Description("普通二维码图片地址 / URL of the plain QR code image")] string QrPngUrl,
        [property: Description("小程序码图片地址 / URL of the mini-program code image")] string WxacodeUrl);

    public sealed class Deps(BindingCodes codes, WeChatClients clients, IMapper mapper)
    {
        public BindingCodes Codes { get; } = codes;
        public WeChatClients Clients { get; } = clients;
        public IMapper Mapper { get; } = mapper;
    }

    internal static async Task<Results<Created<BindingCodeDto>, Ok<BindingCodeDto>, ProblemHttpResult>> Create(long customerId, HttpContext http, [AsParameters] Deps d, CancellationToken ct)
    {
        string? key = null;
        if (http.Request.Headers.ContainsKey(IdempotencyHeader.Name))
        {
            var (k, problem) = IdempotencyHeader.Read(http.Request);
            if (problem is not null) return problem;
            key = k;
        }
        var (code, replayed) = await d.Codes.CreateAsync(http.User.UserId_(), customerId, key, ct);
        var dto = d.Mapper.Map<BindingCodeDto>(code);
        if (replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(dto);
        }
        return TypedResults.Created(dto.QrPngUrl, dto);
    }

    /// <summary>A plain QR code holding WeChat:BindingQrLink with the code: scanned with WeChat it opens the mini-program (扫普通链接二维码打开小程序).</summary>
    internal static async Task<FileContentHttpResult> PlainQr(long customerId, string code, ClaimsPrincipal user, [AsParameters] Deps d, CancellationToken ct)
    {
        var c = await d.Codes.ForAgentAsync(user.UserId_(), customerId, code, ct);
        var content = d.Clients.WeChat.BindingQrLink.Replace("{code}", Uri.EscapeDataString(c.Code), StringComparison.Ordinal);
        using var data = new QRCodeGenerator().CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        return TypedResults.File(new PngByteQRCode(data).GetGraphic(10), "image/png");
    }

    /// <summary>The unlimited mini-program code (scene "b=CODE", page WeChat:BindingPage), with the content type WeChat answered with.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MiniProgramCode(long customerId, string code, HttpContext http, [AsParameters] Deps d, CancellationToken ct)
    {
        var c = await d.Codes.ForAgentAsync(http.User.UserId_(), customerId, code, ct);
        var settings = d.Clients.WeChat;
        var client = d.Clients.MiniProgram(); // 503 problem when WeChat is off
        try
        {
            var image = await client.GetUnlimitedQrCodeAsync(c.Scene, string.IsNullOrWhiteSpace(settings.BindingPage) ? null : settings.BindingPage, 430,
                checkPath: settings.State == MiniProgramState.Formal, envVersion: settings.EnvVersion, cancellationToken: ct);
            // WeChat does not document the image format: serve it as WeChat labelled it
            return TypedResults.File(image.Content, image.ContentType);
        }
        catch (WeChatApiException ex)
        {
            return WeChatLoginApi.WeChatProblem(http, ex);
        }
    }
}
