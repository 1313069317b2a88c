using System.Text.Json;
using OrderHub.Testing.Contract;

namespace OrderHub.Tests.Api;

/// <summary>
/// Issue #21: a mini-program developer reads every parameter and every field of the store's and the agent's operations in
/// Chinese and English in the OpenAPI document (/docs). Fails naming each parameter or field without a description, so a
/// new endpoint or a new DTO field cannot ship undescribed.
/// </summary>
public sealed class ApiDescriptionsTests
{
    /// <summary>The store's and the agent's operations (and their sign-ins): everything a mini-program calls, not the back office.</summary>
    private static bool ForStoresAndAgents(string path) => path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/api/admin", StringComparison.Ordinal)
                                                          && path != "/api/auth/staff/login";

    [Test]
    public async Task Every_parameter_and_field_of_the_store_and_agent_operations_is_described_in_Chinese_and_English()
    {
        await using var host = new ApiHost();
        var doc = await ContractCheck.DocumentOf(host.Services);
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>();
        var operations = 0;

        void Text(string where, JsonElement e)
        {
            if (!e.TryGetProperty("description", out var d) || d.GetString() is not { Length: > 0 } text) missing.Add(where + ": no description");
            else if (!text.Contains(" / ", StringComparison.Ordinal) || !text.Any(c => c >= '\u4e00' && c <= '\u9fff') || !text.Any(char.IsAsciiLetter))
                missing.Add($"{where}: \"{text}\" is not \"中文 / English\"");
        }

        // A nullable field of a DTO type is oneOf [null, {$ref, description}]: the description sits beside the $ref.
        static JsonElement Described(JsonElement s)
        {
            foreach (var k in new[] { "oneOf", "anyOf" })
                if (!s.TryGetProperty("description", out _) && s.TryGetProperty(k, out var alternatives))
                    foreach (var a in alternatives.EnumerateArray()) if (a.TryGetProperty("description", out _)) return a;
            return s;
        }

        void Schema(string where, JsonElement s)
        {
            if (s.TryGetProperty("$ref", out var r))
            {
                var name = r.GetString()!.Split('/')[^1];
                if (name is "Problem" or "ValidationProblem" || !visited.Add(name)) return;
                Schema(name, schemas.GetProperty(name));
                return;
            }
            foreach (var k in new[] { "anyOf", "oneOf", "allOf" })
                if (s.TryGetProperty(k, out var alternatives)) foreach (var a in alternatives.EnumerateArray()) Schema(where, a);
            if (s.TryGetProperty("items", out var items)) Schema(where + "[]", items);
            if (s.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.Object) Schema(where + "{}", ap);
            if (s.TryGetProperty("properties", out var props))
                foreach (var p in props.EnumerateObject())
                {
                    Text($"{where}.{p.Name}", Described(p.Value));
                    Schema($"{where}.{p.Name}", p.Value);
                }
        }

        foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => ForStoresAndAgents(p.Name)))
        foreach (var op in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
        {
            operations++;
            var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
            if (op.Value.TryGetProperty("parameters", out var ps))
                foreach (var p in ps.EnumerateArray()) Text($"{name} parameter {p.GetProperty("name").GetString()}", p);
            if (op.Value.TryGetProperty("requestBody", out var rb) && rb.TryGetProperty("content", out var rc))
                foreach (var m in rc.EnumerateObject()) if (m.Value.TryGetProperty("schema", out var s)) Schema(name + " body", s);
            foreach (var resp in op.Value.GetProperty("responses").EnumerateObject())
                if (resp.Value.TryGetProperty("content", out var c))
                    foreach (var m in c.EnumerateObject()) if (m.Value.TryGetProperty("schema", out var s)) Schema($"{name} {resp.Name}", s);
        }

        Assert.That(operations, Is.GreaterThan(40), "the store and agent operations were found");
        Assert.That(missing, Is.Empty, $"{missing.Count} parameters or fields lack a \"中文 / English\" description:\n" + string.Join("\n", missing));
    }
}
