using AutoMapper;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Time;
using static OrderHub.Api.WeChat.BindingCodesApi;

namespace OrderHub.Api.WeChat;

/// <summary>Binding codes → API contract (AutoMapper at the API boundary only).</summary>
public sealed class WeChatMappingProfile : Profile
{
    public WeChatMappingProfile()
    {
        CreateMap<BindingCode, BindingCodeDto>()
            .ForCtorParam(nameof(BindingCodeDto.ExpiresAt), o => o.MapFrom(s => ShanghaiTime.Format(s.ExpiresAtMs)))
            .ForCtorParam(nameof(BindingCodeDto.QrPngUrl), o => o.MapFrom(s => PathOf(s) + "/qr.png"))
            .ForCtorParam(nameof(BindingCodeDto.WxacodeUrl), o => o.MapFrom(s => PathOf(s) + "/wxacode.png"));
    }

    /// <summary>The code's own route, under its store.</summary>
    public static string PathOf(BindingCode c) => $"/api/agent/customers/{c.CustomerId}/binding-codes/{Uri.EscapeDataString(c.Code)}";
}
