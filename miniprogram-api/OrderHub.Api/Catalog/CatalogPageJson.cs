using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AutoMapper;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using OrderHub.Application.Catalog;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OrderHub.Api.Catalog;

/// <summary>
/// Writes a catalog page (<see cref="CatalogPageDto"/>) with the JSON of each item's slow-changing half pre-serialized
/// (issue #19). The half every store sees alike — SKU, name, spec, unit, pack size, MOQ, barcode, brand, category, the
/// ERP's images, base price, tags, flags — is serialized once per product and catalog snapshot, and kept beside the
/// snapshot's <see cref="ProductDisplay"/> (a <see cref="ConditionalWeakTable{TKey,TValue}"/>: it goes when the snapshot
/// goes, so a product change, which moves the catalog version, is never answered from it). The fragments are made FROM
/// the DTO that <see cref="CatalogMappingProfile"/> maps, by the ordinary serializer with the server's JSON options, so
/// the mapping stays the one definition; this class only copies their bytes. The live half — this store's price and its
/// reason, tiers, promotions, stock, last paid price, units — is mapped by AutoMapper and serialized per request, and
/// written between them in the DTO's own property order. The bytes equal the ordinary serializer's
/// (<c>CatalogPageJsonTests</c> checks it on random products, prices, warehouses and promotions). An item without a
/// display half, a DTO property this class does not know, or JSON options it does not mirror fall back to the ordinary
/// serializer.
/// </summary>
public static class CatalogPageJson
{
    /// <summary>CatalogItemDto properties that come from <see cref="ProductDisplay"/> alone (CLR names).</summary>
    private static readonly HashSet<string> Static =
    [
        nameof(CatalogItemDto.Sku), nameof(CatalogItemDto.Name), nameof(CatalogItemDto.Spec), nameof(CatalogItemDto.Unit),
        nameof(CatalogItemDto.PackSize), nameof(CatalogItemDto.MinOrderQty), nameof(CatalogItemDto.Barcode), nameof(CatalogItemDto.Brand),
        nameof(CatalogItemDto.CategoryId), nameof(CatalogItemDto.BasePriceFen), nameof(CatalogItemDto.Tags), nameof(CatalogItemDto.IsNew),
        nameof(CatalogItemDto.IsHot),
    ];

    /// <summary>Image URLs are static unless staff uploaded an image: its URL carries the request's address (Media:PublicBaseUrl aside).</summary>
    private const string ImageUrls = nameof(CatalogItemDto.ImageUrls);

    private static readonly ConditionalWeakTable<ProductDisplay, Fragments> Cache = new();

    /// <summary>One product's pre-serialized properties, in the DTO's order: a static one has its value's bytes, a live one null.</summary>
    private sealed record Fragments(JsonSerializerOptions? Options, (JsonEncodedText Name, string Clr, byte[]? Raw)[] Properties);

    /// <summary>Kept for a product whose DTO has a property this class does not know: its items go to the ordinary serializer.</summary>
    private static readonly Fragments Unknown = new(null, []);

    /// <summary>The page's JSON (UTF-8), as <c>JsonSerializer.Serialize(mapper.Map&lt;CatalogPageDto&gt;(page), options)</c> would write it.</summary>
    public static byte[] Write(CatalogPage page, IMapper mapper, JsonSerializerOptions options)
    {
        if (!Mirrors(options)) return JsonSerializer.SerializeToUtf8Bytes(mapper.Map<CatalogPageDto>(page), options);
        var buffer = new ArrayBufferWriter<byte>(2048 + 1024 * page.Items.Count);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true }))
        {
            var shell = mapper.Map<CatalogPageDto>(page with { Items = [] });
            w.WriteStartObject();
            foreach (var p in Properties(typeof(CatalogPageDto), options))
            {
                w.WritePropertyName(p.Name);
                if (ClrName(p) == nameof(CatalogPageDto.Items))
                {
                    w.WriteStartArray();
                    foreach (var item in page.Items) WriteItem(w, item, mapper, options);
                    w.WriteEndArray();
                }
                else JsonSerializer.Serialize(w, p.Get!(shell), p.PropertyType, options);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteItem(Utf8JsonWriter w, CatalogItem item, IMapper mapper, JsonSerializerOptions options)
    {
        var fragments = item.Display is { } display ? Cache.GetValue(display, _ => Build(item, mapper, options) ?? Unknown) : null;
        if (fragments is null || !ReferenceEquals(fragments.Options, options))
        {
            JsonSerializer.Serialize(w, mapper.Map<CatalogItemDto>(item), options);
            return;
        }
        w.WriteStartObject();
        foreach (var (name, clr, raw) in fragments.Properties)
        {
            w.WritePropertyName(name);
            if (raw is not null) { w.WriteRawValue(raw, skipInputValidation: true); continue; }
            switch (clr)
            {
                case nameof(CatalogItemDto.Price): JsonSerializer.Serialize(w, mapper.Map<PriceDto>(item.Price), options); break;
                case nameof(CatalogItemDto.Tiers): JsonSerializer.Serialize(w, mapper.Map<IReadOnlyList<TierDto>>(item.Tiers), options); break;
                case nameof(CatalogItemDto.Promotions): JsonSerializer.Serialize(w, mapper.Map<IReadOnlyList<PromotionBadgeDto>>(item.Promotions), options); break;
                case nameof(CatalogItemDto.Stock): JsonSerializer.Serialize(w, mapper.Map<StockDto>(item.Stock), options); break;
                case nameof(CatalogItemDto.LastPaid): JsonSerializer.Serialize(w, item.LastPaid is null ? null : mapper.Map<LastPaidDto>(item.LastPaid), options); break;
                case nameof(CatalogItemDto.Units): JsonSerializer.Serialize(w, mapper.Map<IReadOnlyList<UnitDto>>(item.Units), options); break;
                case ImageUrls: JsonSerializer.Serialize(w, item.ImageUrls, options); break;
                default: throw new InvalidOperationException($"CatalogPageJson: no live writer for {clr}"); // Build never lets this through
            }
        }
        w.WriteEndObject();
    }

    /// <summary>Live properties this class writes itself; any other non-static property sends the item to the ordinary serializer.</summary>
    private static readonly HashSet<string> Live =
    [
        nameof(CatalogItemDto.Price), nameof(CatalogItemDto.Tiers), nameof(CatalogItemDto.Promotions), nameof(CatalogItemDto.Stock),
        nameof(CatalogItemDto.LastPaid), nameof(CatalogItemDto.Units), ImageUrls,
    ];

    /// <summary>Serializes the mapped DTO once and keeps the bytes of its static properties' values; null if a property is unknown.</summary>
    private static Fragments? Build(CatalogItem item, IMapper mapper, JsonSerializerOptions options)
    {
        var dto = mapper.Map<CatalogItemDto>(item);
        var imagesStatic = item.Display!.ImageFile is null;
        var result = new List<(JsonEncodedText, string, byte[]?)>();
        foreach (var p in Properties(typeof(CatalogItemDto), options))
        {
            var clr = ClrName(p);
            var isStatic = Static.Contains(clr) || (clr == ImageUrls && imagesStatic);
            if (!isStatic && !Live.Contains(clr)) return null;
            result.Add((JsonEncodedText.Encode(p.Name, options.Encoder),
                clr, isStatic ? JsonSerializer.SerializeToUtf8Bytes(p.Get!(dto), p.PropertyType, options) : null));
        }
        return new Fragments(options, result.ToArray());
    }

    private static IEnumerable<JsonPropertyInfo> Properties(Type type, JsonSerializerOptions options) =>
        options.GetTypeInfo(type).Properties.OrderBy(p => p.Order);

    private static string ClrName(JsonPropertyInfo p) => (p.AttributeProvider as MemberInfo)?.Name ?? p.Name;

    /// <summary>Options whose output this writer reproduces: nulls written, no indentation, no per-property conditions.</summary>
    private static bool Mirrors(JsonSerializerOptions o) =>
        o.DefaultIgnoreCondition == JsonIgnoreCondition.Never && !o.WriteIndented && o.ReferenceHandler is null;
}

/// <summary>
/// The 200 of <c>GET /api/catalog/products</c>: the page written by <see cref="CatalogPageJson"/>. Declares itself in the
/// OpenAPI document exactly as <c>Ok&lt;CatalogPageDto&gt;</c> does (200, <see cref="CatalogPageDto"/>, application/json).
/// </summary>
public sealed class CatalogPageResult(CatalogPage page) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var bytes = CatalogPageJson.Write(page, services.GetRequiredService<IMapper>(), services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(CatalogPageDto), ["application/json"]));
}
