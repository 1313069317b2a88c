using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Application.Common;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// Refuses control characters (<see cref="InputText"/>) in the query, the route values, the path and the headers with a
/// 400 validation problem naming the field, before any endpoint runs. JSON bodies are checked by <see cref="StrictStringConverter"/>.
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (FirstBadField(http) is { } field)
        {
            await Problems.Validation(new() { [field] = [$"{InputText.ProblemZh} / {field} {InputText.ProblemEn}"] }).ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    private static string? FirstBadField(HttpContext http)
    {
        foreach (var (key, values) in http.Request.Query)
        {
            if (InputText.HasControl(key)) return "query";
            foreach (var v in values) if (InputText.HasControl(v)) return key;
        }
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string s && InputText.HasControl(s)) return key;
        if (InputText.HasControl(http.Request.Path.Value)) return "path";
        foreach (var (key, values) in http.Request.Headers)
            foreach (var v in values) if (InputText.HasControl(v)) return key;
        return null;
    }
}

/// <summary>Reads every JSON string through <see cref="InputText"/>: a control character is a JSON error at that field.</summary>
public sealed class StrictStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected a string");
        var s = reader.GetString();
        if (InputText.HasControl(s)) throw new JsonException(InputText.ProblemEn);
        return s;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
