using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderHub.Tests.Security;

/// <summary>One operation of the OpenAPI document, with its request body schema (resolved) if it takes a JSON body.</summary>
public sealed record OpenApiOperation(string Method, string Path, JsonElement? BodySchema);

/// <summary>Reads the served OpenAPI document, so the security sweeps cover every endpoint, including future ones.</summary>
public static class OpenApiOperations
{
    public static List<OpenApiOperation> Read(JsonElement doc)
    {
        var list = new List<OpenApiOperation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
        {
            JsonElement? schema = null;
            if (op.Value.TryGetProperty("requestBody", out var rb) && rb.GetProperty("content").TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var sch))
                schema = Resolve(doc, sch);
            list.Add(new OpenApiOperation(op.Name.ToUpperInvariant(), path.Name, schema));
        }
        return list;
    }

    public static JsonElement Resolve(JsonElement doc, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var r))
        {
            var name = r.GetString()!.Split('/')[^1];
            return Resolve(doc, doc.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }
        return schema;
    }

    /// <summary>The JSON types a property accepts ("integer", "number", "string", "boolean", "array", "object"), null included where allowed.</summary>
    public static IReadOnlyList<string> TypesOf(JsonElement doc, JsonElement property)
    {
        var p = Resolve(doc, property);
        if (p.TryGetProperty("type", out var t))
            return t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [t.GetString()!];
        if (p.TryGetProperty("properties", out _)) return ["object"];
        foreach (var key in new[] { "oneOf", "anyOf" })
            if (p.TryGetProperty(key, out var alts)) return alts.EnumerateArray().SelectMany(a => TypesOf(doc, a)).Distinct().ToList();
        return ["string"];
    }

    /// <summary>A body of the schema's shape with plain values, overridden by <paramref name="known"/> by property name (case-insensitive).</summary>
    public static JsonObject PlausibleBody(JsonElement doc, JsonElement schema, IReadOnlyDictionary<string, JsonNode?> known)
    {
        var body = new JsonObject();
        if (!schema.TryGetProperty("properties", out var props)) return body;
        foreach (var prop in props.EnumerateObject())
        {
            var match = known.FirstOrDefault(k => string.Equals(k.Key, prop.Name, StringComparison.OrdinalIgnoreCase));
            if (match.Key is not null) { body[prop.Name] = match.Value?.DeepClone(); continue; }
            var types = TypesOf(doc, prop.Value);
            body[prop.Name] = types.FirstOrDefault(t => t != "null") switch
            {
                "integer" => 1, "number" => 1, "boolean" => false, "array" => new JsonArray(), "object" => new JsonObject(), _ => "x",
            };
        }
        return body;
    }
}
