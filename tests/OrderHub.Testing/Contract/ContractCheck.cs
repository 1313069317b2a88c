using System.Text.Json;
using NUnit.Framework;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OrderHub.Testing.Contract;

/// <summary>
/// The contract test that cannot drift (issue #21): every response any test host gives — in-process hosts
/// (<see cref="ContractCheckedFactory{TEntryPoint}"/>: the API tests, the sweep, the fuzz, the console's browser tests, the
/// go-live test) and the server as a child process (<see cref="ServerProcess"/>: the reliability tests) — is checked
/// against the OpenAPI document that very host generates. The check fails the test (or fixture) that owns the host,
/// first mismatch first, naming the operation and the status. Nothing is listed by hand, so a new endpoint or a new
/// answer is checked the day it appears. The mini-program's Node tests check theirs with ajv
/// (miniprogram-api/miniprogram/test/support/contract.js) over the same recording format.
/// </summary>
public static class ContractCheck
{
    private static long _validated, _skipped, _failed, _hosts;

    public static long Validated => Interlocked.Read(ref _validated);
    public static long Failed => Interlocked.Read(ref _failed);
    private static void CountValidated(long n) => Interlocked.Add(ref _validated, n);
    private static void CountSkipped(long n) => Interlocked.Add(ref _skipped, n);
    private static void CountFailed(long n) => Interlocked.Add(ref _failed, n);

    /// <summary>The document a host in this process generates (served or not: Production hosts are checked too).</summary>
    public static async Task<JsonElement> DocumentOf(IServiceProvider services, string name = "v1")
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(name);
        var doc = await provider.GetOpenApiDocumentAsync();
        var json = await doc.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>
    /// Checks <paramref name="responses"/> against <paramref name="document"/>; throws an NUnit assertion failure listing
    /// the mismatches (the first one first, each operation and status once with its count).
    /// </summary>
    public static void Verify(string host, JsonElement document, IReadOnlyCollection<RecordedResponse> responses)
    {
        Interlocked.Increment(ref _hosts);
        if (responses.Count == 0) return;
        var contract = new OpenApiContract(document);
        var failures = contract.Check(responses);
        CountValidated(contract.Validated);
        CountSkipped(contract.Skipped);
        CountFailed(failures.Count);
        TestContext.Progress.WriteLine($"contract ({host}): {responses.Count} responses recorded, {failures.Count} mismatches");
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} responses do not match the OpenAPI document ({host}); the first: {failures[0]}\n" +
                        string.Join("\n", failures.GroupBy(f => f[..f.IndexOf(" [", StringComparison.Ordinal)]).Select(g => $"{g.First()} (×{g.Count()})").Take(80)));
    }

    /// <summary>
    /// Reads what the API host recorded with <c>Api:RecordResponsesTo</c> (one JSON object a line: method, path, status,
    /// mediaType, body in base64). A line cut short by a SIGKILL is the last one and is left out.
    /// </summary>
    public static List<RecordedResponse> ReadRecording(string file)
    {
        var list = new List<RecordedResponse>();
        if (!File.Exists(file)) return list;
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try
            {
                var e = JsonDocument.Parse(lines[i]).RootElement;
                list.Add(new RecordedResponse(e.GetProperty("method").GetString()!, e.GetProperty("path").GetString()!,
                    e.GetProperty("status").GetInt32(), e.GetProperty("mediaType").GetString(), Convert.FromBase64String(e.GetProperty("body").GetString() ?? "")));
            }
            catch (JsonException) when (i == lines.Length - 1) { /* cut short by a kill */ }
        }
        return list;
    }

    /// <summary>
    /// The one line ./test.sh prints per suite; called by each test project's [SetUpFixture] after its last test
    /// (dotnet test hides progress output of passing runs, so it is also written to contract-summary.txt in the output folder).
    /// </summary>
    public static void WriteSummary(string suite)
    {
        var line = $"contract ({suite}): {Validated} responses validated against the OpenAPI document from {Interlocked.Read(ref _hosts)} hosts, {Failed} mismatches, {Interlocked.Read(ref _skipped)} responses to non-operations skipped";
        TestContext.Progress.WriteLine(line);
        File.WriteAllText(Path.Combine(TestContext.CurrentContext.WorkDirectory, "contract-summary.txt"), line + "\n");
    }
}
