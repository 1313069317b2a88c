using AutoMapper;
using OrderHub.Application.Returns;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Returns;

/// <summary>Return view records → API contract (AutoMapper at the API boundary only). Photos are resolved to links by the API.</summary>
public sealed class ReturnsMappingProfile : Profile
{
    public ReturnsMappingProfile()
    {
        CreateMap<ReturnableLine, ReturnableLineDto>()
            .ForCtorParam(nameof(ReturnableLineDto.UnitPriceText), o => o.MapFrom(s => Money.Format(s.UnitPriceFen)));
        CreateMap<ReturnLineRow, ReturnLineDto>();
        CreateMap<KeyValuePair<string, long>, ReturnCountDto>()
            .ForCtorParam(nameof(ReturnCountDto.Status), o => o.MapFrom(s => s.Key))
            .ForCtorParam(nameof(ReturnCountDto.Label), o => o.MapFrom(s => ReturnStatus.Label(s.Key)))
            .ForCtorParam(nameof(ReturnCountDto.Count), o => o.MapFrom(s => s.Value));
        CreateMap<ReturnEventRow, ReturnEventDto>()
            .ForCtorParam(nameof(ReturnEventDto.At), o => o.MapFrom(s => ShanghaiTime.Format(s.AtMs)));
        CreateMap<ReturnView, ReturnDto>()
            .ForCtorParam(nameof(ReturnDto.Photos), o => o.MapFrom(_ => Array.Empty<OrderHub.Api.Media.MediaDto>()))
            .ForCtorParam(nameof(ReturnDto.CreditText), o => o.MapFrom(s => s.CreditFen == null ? null : Money.Format(s.CreditFen.Value)))
            .ForCtorParam(nameof(ReturnDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
    }
}
