using AutoMapper;
using OrderHub.Application.Media;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// What a mapping profile needs from the request beside the source record: the request's <see cref="ImageStore"/> (picture
/// addresses depend on the request's host) and the request's "now" (whether a lock or a promotion is still running). The
/// handler passes it with <see cref="Map{T}(IMapper, object, ImageStore)"/> or <see cref="MapAt{T}"/>; the profile reads it
/// with <see cref="Images"/> or <see cref="NowMs"/>.
/// </summary>
public static class MappingContext
{
    private const string ImagesKey = nameof(ImageStore), NowKey = "nowMs";

    public static T Map<T>(this IMapper mapper, object source, ImageStore images) => mapper.Map<T>(source, o => o.Items[ImagesKey] = images);

    public static T MapAt<T>(this IMapper mapper, object source, TimeProvider clock) =>
        mapper.Map<T>(source, o => o.Items[NowKey] = clock.GetUtcNow().ToUnixTimeMilliseconds());

    public static ImageStore Images(ResolutionContext context) => (ImageStore)context.Items[ImagesKey];
    public static long NowMs(ResolutionContext context) => (long)context.Items[NowKey];
}
