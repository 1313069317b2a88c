using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OrderHub.Testing.Contract;

/// <summary>
/// Validates recorded responses against an OpenAPI 3.1 document: the status must be documented for the operation, the
/// media type must be one it documents, and a JSON body must match its schema (JsonSchema.Net, draft 2020-12, the dialect
/// of OpenAPI 3.1). Each mismatch names the operation and the status. Used by every test host (<see cref="ContractCheck"/>).
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonElement _doc;
    private readonly JsonObject _defs;
    private readonly List<(string Template, Regex Pattern, int Literals)> _paths;
    private readonly Dictionary<string, JsonSchema> _schemas = new();
    private int _n;

    /// <summary>Responses checked and responses to paths that are not operations, over every <see cref="Check"/> call.</summary>
    public int Validated { get; private set; }
    public int Skipped { get; private set; }

    public OpenApiContract(JsonElement doc)
    {
        _doc = doc;
        _defs = doc.TryGetProperty("components", out var comp) && comp.TryGetProperty("schemas", out var s)
            ? (JsonObject)Rewrite(JsonNode.Parse(s.GetRawText())!) : new JsonObject();
        _paths = doc.GetProperty("paths").EnumerateObject().Select(p =>
        {
            var segments = p.Name.Trim('/').Split('/');
            var regex = "^/" + string.Join("/", segments.Select(seg => seg.StartsWith('{') ? "[^/]+" : Regex.Escape(seg))) + "$";
            return (p.Name, new Regex(regex, RegexOptions.CultureInvariant), segments.Count(seg => !seg.StartsWith('{')));
        }).ToList();
    }

    /// <summary>"#/components/schemas/X" becomes "#/$defs/X", so each response schema is a self-contained 2020-12 schema.</summary>
    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    if (k == "$ref" && v is JsonValue r && r.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        o[k] = "#/$defs/" + r.GetValue<string>()["#/components/schemas/".Length..];
                    else if (v is not null) Rewrite(v);
                }
                break;
            case JsonArray a:
                foreach (var v in a) if (v is not null) Rewrite(v);
                break;
        }
        return node;
    }

    private string? Template(string path) =>
        _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literals).Select(p => p.Template).FirstOrDefault();

    private JsonSchema SchemaFor(string key, JsonElement schema)
    {
        if (_schemas.TryGetValue(key, out var built)) return built;
        var root = (JsonObject)Rewrite(JsonNode.Parse(schema.GetRawText())!);
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        // Each schema gets its own base URI, so the same $defs of different documents never collide in the registry.
        built = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://orderhub.contract.test/{Guid.NewGuid():N}/{_n++}"));
        _schemas[key] = built;
        return built;
    }

    /// <returns>The mismatches, each naming the operation; responses to paths that are not operations are skipped.</returns>
    public List<string> Check(IEnumerable<RecordedResponse> responses)
    {
        var failures = new List<string>();
        foreach (var r in responses)
        {
            var template = Template(r.Path);
            var method = r.Method.ToLowerInvariant();
            if (template is null || !_doc.GetProperty("paths").GetProperty(template).TryGetProperty(method, out var op))
            {
                Skipped++;
                continue;
            }
            var name = $"{r.Method} {template}" + (op.TryGetProperty("operationId", out var id) ? $" ({id.GetString()})" : "");
            Validated++;
            var status = r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!op.TryGetProperty("responses", out var responsesDoc) ||
                !(responsesDoc.TryGetProperty(status, out var resp) || responsesDoc.TryGetProperty(status[0] + "XX", out resp) || responsesDoc.TryGetProperty("default", out resp)))
            {
                failures.Add($"{name} → {r.Status}: status not documented{Excerpt(r)}");
                continue;
            }
            var hasContent = resp.TryGetProperty("content", out var content) && content.EnumerateObject().Any();
            if (r.Body.Length == 0) continue;
            if (!hasContent)
            {
                failures.Add($"{name} → {r.Status}: a {r.MediaType} body, but the document declares none{Excerpt(r)}");
                continue;
            }
            JsonElement media = default;
            var found = r.MediaType is not null && content.TryGetProperty(r.MediaType, out media);
            if (!found)
            {
                failures.Add($"{name} → {r.Status}: media type {r.MediaType} not documented (documented: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}){Excerpt(r)}");
                continue;
            }
            if (r.MediaType is not ("application/json" or "application/problem+json") || !media.TryGetProperty("schema", out var schema)) continue;
            JsonElement body;
            try { body = JsonDocument.Parse(r.Body).RootElement; }
            catch (JsonException) { failures.Add($"{name} → {r.Status}: body is not JSON{Excerpt(r)}"); continue; }
            var result = SchemaFor($"{method} {template} {status} {r.MediaType}", schema).Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(5);
                failures.Add($"{name} → {r.Status}: body does not match the schema: {string.Join("; ", errors)}{Excerpt(r)}");
            }
        }
        return failures;
    }

    private static string Excerpt(RecordedResponse r)
    {
        var text = System.Text.Encoding.UTF8.GetString(r.Body);
        return text.Length == 0 ? $" [{r.Path}]" : $" [{r.Path}] {text[..Math.Min(200, text.Length)]}";
    }
}

