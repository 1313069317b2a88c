using AutoMapper;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Media;

namespace OrderHub.Api.Media;

/// <summary>Stored images → API contract; the addresses come from the request's <see cref="ImageStore"/> (<see cref="MappingContext"/>).</summary>
public sealed class MediaMappingProfile : Profile
{
    public MediaMappingProfile()
    {
        CreateMap<StoredImage, MediaDto>()
            .ForCtorParam(nameof(MediaDto.Url), o => o.MapFrom((s, ctx) => MappingContext.Images(ctx).Url(s)))
            .ForCtorParam(nameof(MediaDto.ThumbnailUrl), o => o.MapFrom((s, ctx) => MappingContext.Images(ctx).ThumbnailUrl(s)));
    }
}
