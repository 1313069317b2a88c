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
using OrderHub.Application.Pricing;
using OrderHub.Domain;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Time;
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
/// reason, tiers, promotions, stock, last paid price, units — is written per request from the item's records as the
/// profile maps them (<see cref="LiveJson"/>), between them in the DTO's own property order. The bytes equal the ordinary serializer's
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

    /// <summary>
    /// A product's pre-serialized static values, one after the other in <paramref name="Raw"/> (the k-th static property's
    /// value ends at <c>Ends[k]</c>), written in its <paramref name="Layout"/>. One array per product: the property names
    /// live once in the layout (kept per property per product, they were most of the large set's managed heap).
    /// </summary>
    private sealed record Fragments(Layout? Layout, byte[] Raw, int[] Ends);

    /// <summary>Kept for a product whose DTO has a property this class does not know: its items go to the ordinary serializer.</summary>
    private static readonly Fragments Unknown = new(null, [], []);

    /// <summary>The DTO's properties in order, for one set of JSON options and one kind of image (static or live): the name as written, the CLR name, and whether its value is pre-serialized.</summary>
    private sealed record Layout(JsonSerializerOptions Options, (JsonEncodedText Name, string Clr, bool Static, JsonPropertyInfo Info)[] Properties);

    /// <summary>Layouts per options: [0] images live (staff uploaded one), [1] images static; a null entry: the DTO has a property this class does not know.</summary>
    private static readonly ConditionalWeakTable<JsonSerializerOptions, Layout?[]> Layouts = new();

    private static Layout? LayoutFor(JsonSerializerOptions options, bool imagesStatic) => Layouts.GetValue(options, o => [MakeLayout(o, false), MakeLayout(o, true)])[imagesStatic ? 1 : 0];

    private static Layout? MakeLayout(JsonSerializerOptions options, bool imagesStatic)
    {
        var properties = new List<(JsonEncodedText, string, bool, JsonPropertyInfo)>();
        foreach (var p in Properties(typeof(CatalogItemDto), options))
        {
            var clr = ClrName(p);
            var isStatic = Static.Contains(clr) || (clr == ImageUrls && imagesStatic);
            if (!isStatic && !Live.Contains(clr)) return null;
            properties.Add((JsonEncodedText.Encode(p.Name, options.Encoder), clr, isStatic, p));
        }
        return new Layout(options, properties.ToArray());
    }

    /// <summary>The page's JSON (UTF-8), as <c>JsonSerializer.Serialize(mapper.Map&lt;CatalogPageDto&gt;(page), options)</c> would write it.</summary>
    public static byte[] Write(CatalogPage page, IMapper mapper, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(2048 + 1024 * page.Items.Count);
        Write(buffer, page, mapper, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The page's JSON written into <paramref name="output"/> (e.g. the response's pooled buffer), with no copy of its own.</summary>
    public static void Write(IBufferWriter<byte> output, CatalogPage page, IMapper mapper, JsonSerializerOptions options)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
        if (!Mirrors(options))
        {
            JsonSerializer.Serialize(w, mapper.Map<CatalogPageDto>(page), options);
            return;
        }
        var shell = mapper.Map<CatalogPageDto>(page with { Items = [] });
        var live = LiveJson.For(options);
        w.WriteStartObject();
        foreach (var p in Properties(typeof(CatalogPageDto), options))
        {
            w.WritePropertyName(p.Name);
            if (ClrName(p) == nameof(CatalogPageDto.Items))
            {
                w.WriteStartArray();
                foreach (var item in page.Items) WriteItem(w, item, mapper, options, live);
                w.WriteEndArray();
            }
            else JsonSerializer.Serialize(w, p.Get!(shell), p.PropertyType, options);
        }
        w.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter w, CatalogItem item, IMapper mapper, JsonSerializerOptions options, LiveJson live)
    {
        // TryGetValue first: GetValue's factory is a closure over this item, made for every item of every page otherwise.
        var fragments = item.Display is not { } display ? null
            : Cache.TryGetValue(display, out var kept) ? kept : Cache.GetValue(display, _ => Build(item, mapper, options));
        if (fragments?.Layout is not { } layout || !ReferenceEquals(layout.Options, options))
        {
            JsonSerializer.Serialize(w, mapper.Map<CatalogItemDto>(item), options);
            return;
        }
        w.WriteStartObject();
        var k = 0;
        foreach (var (name, clr, isStatic, _) in layout.Properties)
        {
            w.WritePropertyName(name);
            if (isStatic)
            {
                var start = k == 0 ? 0 : fragments.Ends[k - 1];
                w.WriteRawValue(fragments.Raw.AsSpan(start, fragments.Ends[k] - start), skipInputValidation: true);
                k++;
                continue;
            }
            switch (clr)
            {
                case nameof(CatalogItemDto.Price): live.Price(w, item.Price, mapper, options); break;
                case nameof(CatalogItemDto.Tiers): live.Tiers(w, item.Tiers, mapper, options); break;
                case nameof(CatalogItemDto.Promotions): live.Promotions(w, item.Promotions, mapper, options); break;
                case nameof(CatalogItemDto.Stock): live.Stock(w, item.Stock, mapper, options); break;
                case nameof(CatalogItemDto.LastPaid): live.LastPaid(w, item.LastPaid, mapper, options); break;
                case nameof(CatalogItemDto.Units): live.Units(w, item.Units, mapper, options); break;
                case ImageUrls: LiveJson.Strings(w, item.ImageUrls); break;
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

    /// <summary>Serializes the mapped DTO's static properties once, into one array; <see cref="Unknown"/> if a property is unknown.</summary>
    private static Fragments Build(CatalogItem item, IMapper mapper, JsonSerializerOptions options)
    {
        if (LayoutFor(options, item.Display!.ImageFile is null) is not { } layout) return Unknown;
        var dto = mapper.Map<CatalogItemDto>(item);
        var raw = new ArrayBufferWriter<byte>(512);
        var ends = new List<int>();
        foreach (var (_, _, _, p) in layout.Properties.Where(p => p.Static))
        {
            raw.Write(JsonSerializer.SerializeToUtf8Bytes(p.Get!(dto), p.PropertyType, options));
            ends.Add(raw.WrittenCount);
        }
        return new Fragments(layout, raw.WrittenSpan.ToArray(), ends.ToArray());
    }

    /// <summary>
    /// The live half written straight from the item's own records (price, tiers, badges, stock, last paid, units), as
    /// <see cref="CatalogMappingProfile"/> maps them to their DTOs. One serializer call per DTO allocated a frame stack
    /// each, and the DTOs AutoMapper made for them were a fifth of a page's allocations (2026-12-07 profiles), so the values
    /// are written here as the profile maps them: the fen as text by <see cref="Money.Format"/>, a time by
    /// <see cref="ShanghaiTime.Format(long)"/>, a price's source by <see cref="PriceSourceNames.Of"/>, the rest as they are.
    /// The profile stays the definition: a DTO whose properties are not exactly the known ones (a field added later) is
    /// mapped by it and written by the ordinary serializer instead, and <c>CatalogPageJsonTests</c> compares this writer's
    /// bytes with the mapped DTOs' on random pages, so a change to a mapping that is not made here fails there.
    /// </summary>
    private sealed class LiveJson
    {
        private static readonly ConditionalWeakTable<JsonSerializerOptions, LiveJson> ByOptions = new();

        private readonly JsonEncodedText[]? _price, _tier, _badge, _stock, _lastPaid, _unit;

        private LiveJson(JsonSerializerOptions o)
        {
            _price = Names<PriceDto>(o, nameof(PriceDto.Fen), nameof(PriceDto.Text), nameof(PriceDto.Source), nameof(PriceDto.Reason), nameof(PriceDto.PromotionId), nameof(PriceDto.TierMinQty));
            _tier = Names<TierDto>(o, nameof(TierDto.MinQty), nameof(TierDto.PriceFen), nameof(TierDto.Text));
            _badge = Names<PromotionBadgeDto>(o, nameof(PromotionBadgeDto.PromotionId), nameof(PromotionBadgeDto.Kind), nameof(PromotionBadgeDto.Name), nameof(PromotionBadgeDto.Text), nameof(PromotionBadgeDto.EndsAt));
            _stock = Names<StockDto>(o, nameof(StockDto.Available), nameof(StockDto.Level), nameof(StockDto.LevelText));
            _lastPaid = Names<LastPaidDto>(o, nameof(LastPaidDto.PriceFen), nameof(LastPaidDto.Text), nameof(LastPaidDto.Quantity), nameof(LastPaidDto.PaidAt));
            _unit = _price is null ? null : Names<UnitDto>(o, nameof(UnitDto.Name), nameof(UnitDto.Factor), nameof(UnitDto.IsBase), nameof(UnitDto.Price), nameof(UnitDto.PackSize), nameof(UnitDto.MinOrderQty));
        }

        public static LiveJson For(JsonSerializerOptions o) => ByOptions.GetValue(o, x => new LiveJson(x));

        /// <summary>
        /// The DTO's JSON names in order, if its properties are exactly <paramref name="clr"/>, each always written and with
        /// no converter of its own; else null.
        /// </summary>
        private static JsonEncodedText[]? Names<T>(JsonSerializerOptions o, params string[] clr)
        {
            var props = Properties(typeof(T), o).ToList();
            if (props.Count != clr.Length
                || props.Where((p, i) => ClrName(p) != clr[i] || p.CustomConverter is not null || p.ShouldSerialize is not null).Any()) return null;
            return props.Select(p => JsonEncodedText.Encode(p.Name, o.Encoder)).ToArray();
        }

        public void Price(Utf8JsonWriter w, ResolvedPrice p, IMapper mapper, JsonSerializerOptions o) => Object<ResolvedPrice, PriceDto>(w, p, _price, mapper, o, static (w, p, n, _, _, _) =>
        {
            w.WriteNumber(n[0], p.UnitPriceFen);
            w.WriteString(n[1], Money.Format(p.UnitPriceFen));
            w.WriteString(n[2], PriceSourceNames.Of(p.Source));
            w.WriteString(n[3], p.Reason);
            Number(w, n[4], p.PromotionId);
            Number(w, n[5], p.TierMinQty);
        });

        public void Tiers(Utf8JsonWriter w, IReadOnlyList<PriceTier> tiers, IMapper mapper, JsonSerializerOptions o) => Objects<PriceTier, TierDto>(w, tiers, _tier, mapper, o, static (w, t, n, _, _, _) =>
        {
            w.WriteNumber(n[0], t.MinQty);
            w.WriteNumber(n[1], t.PriceFen);
            w.WriteString(n[2], Money.Format(t.PriceFen));
        });

        public void Promotions(Utf8JsonWriter w, IReadOnlyList<PromotionBadge> badges, IMapper mapper, JsonSerializerOptions o) => Objects<PromotionBadge, PromotionBadgeDto>(w, badges, _badge, mapper, o, static (w, b, n, _, _, _) =>
        {
            w.WriteNumber(n[0], b.PromotionId);
            w.WriteString(n[1], b.Kind);
            w.WriteString(n[2], b.Name);
            w.WriteString(n[3], b.Text);
            w.WriteString(n[4], ShanghaiTime.Format(b.EndsAtMs));
        });

        public void Stock(Utf8JsonWriter w, StockInfo s, IMapper mapper, JsonSerializerOptions o) => Object<StockInfo, StockDto>(w, s, _stock, mapper, o, static (w, s, n, _, _, _) =>
        {
            Number(w, n[0], s.Available);
            w.WriteString(n[1], s.Level);
            w.WriteString(n[2], s.LevelText);
        });

        public void LastPaid(Utf8JsonWriter w, LastPaid? l, IMapper mapper, JsonSerializerOptions o) => Object<LastPaid, LastPaidDto>(w, l, _lastPaid, mapper, o, static (w, l, n, _, _, _) =>
        {
            w.WriteNumber(n[0], l.PriceFen);
            w.WriteString(n[1], Money.Format(l.PriceFen));
            w.WriteNumber(n[2], l.Quantity);
            w.WriteString(n[3], ShanghaiTime.Format(l.PaidAtMs));
        });

        public void Units(Utf8JsonWriter w, IReadOnlyList<CatalogUnit> units, IMapper mapper, JsonSerializerOptions o) => Objects<CatalogUnit, UnitDto>(w, units, _unit, mapper, o, static (w, u, n, live, mapper, o) =>
        {
            w.WriteString(n[0], u.Name);
            w.WriteNumber(n[1], u.Factor);
            w.WriteBoolean(n[2], u.IsBase);
            w.WritePropertyName(n[3]);
            live.Price(w, u.Price, mapper, o);
            w.WriteNumber(n[4], u.PackSize);
            w.WriteNumber(n[5], u.MinOrderQty);
        });

        /// <summary>Writes one record's properties (its object's braces are written around them).</summary>
        private delegate void Fields<in T>(Utf8JsonWriter w, T value, JsonEncodedText[] names, LiveJson live, IMapper mapper, JsonSerializerOptions o);

        /// <summary>A record by hand, or mapped to <typeparamref name="TDto"/> and serialized when its names are unknown (null); null as null.</summary>
        private void Object<T, TDto>(Utf8JsonWriter w, T? value, JsonEncodedText[]? names, IMapper mapper, JsonSerializerOptions o, Fields<T> fields) where T : class
        {
            if (value is null) { w.WriteNullValue(); return; }
            if (names is null) { JsonSerializer.Serialize(w, mapper.Map<TDto>(value), o); return; }
            w.WriteStartObject();
            fields(w, value, names, this, mapper, o);
            w.WriteEndObject();
        }

        /// <summary>A list of records by hand, or mapped to <typeparamref name="TDto"/>s and serialized when their names are unknown (null).</summary>
        private void Objects<T, TDto>(Utf8JsonWriter w, IReadOnlyList<T> values, JsonEncodedText[]? names, IMapper mapper, JsonSerializerOptions o, Fields<T> fields) where T : class
        {
            if (names is null) { JsonSerializer.Serialize(w, mapper.Map<IReadOnlyList<TDto>>(values), o); return; }
            w.WriteStartArray();
            for (var i = 0; i < values.Count; i++)
            {
                w.WriteStartObject();
                fields(w, values[i], names, this, mapper, o);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        public static void Strings(Utf8JsonWriter w, IReadOnlyList<string>? xs)
        {
            if (xs is null) { w.WriteNullValue(); return; }
            w.WriteStartArray();
            foreach (var x in xs) w.WriteStringValue(x);
            w.WriteEndArray();
        }

        private static void Number(Utf8JsonWriter w, JsonEncodedText name, long? value)
        {
            if (value is { } v) w.WriteNumber(name, v);
            else w.WriteNull(name);
        }
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
        var (mapper, options) = (services.GetRequiredService<IMapper>(), services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        // Under ConditionalGet the body is its pooled buffer: the page is written into it with no copy of its own.
        if (http.Response.Body is IBufferWriter<byte> direct) CatalogPageJson.Write(direct, page, mapper, options);
        else await http.Response.Body.WriteAsync(CatalogPageJson.Write(page, mapper, options), http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(CatalogPageDto), ["application/json"]));
}
