using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing.Contract;

namespace OrderHub.Testing;

/// <summary>
/// The real OrderHub server (the built miniprogram-api/OrderHub.Api.dll) as a child process on a loopback port, on a
/// prepared database, in Development (so clients may use the development login). Used by the benchmark and the
/// reliability tests that kill and restart nodes. Unless started with <c>checkContract: false</c> (the benchmarks), the
/// server records every answer (<c>Api:RecordResponsesTo</c>) and <see cref="DisposeAsync"/> checks them against the
/// OpenAPI document it served (<see cref="ContractCheck"/>), failing the test on the first mismatch.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }
    public int Pid => _process.Id;

    private readonly string? _recording;
    private JsonElement? _document;

    private ServerProcess(Process process, string baseUrl, string? recording) { _process = process; BaseUrl = baseUrl; _recording = recording; }

    /// <param name="port">A fixed port (to restart a node where it was); 0 picks a free one.</param>
    /// <param name="checkContract">Record every answer and check it against the OpenAPI document when disposed.</param>
    /// <param name="urlsFromEnvironment">Say where to listen with ASPNETCORE_URLS, the usual way, instead of --urls.</param>
    public static async Task<ServerProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null, int port = 0,
        bool checkContract = true, bool urlsFromEnvironment = false)
    {
        var dll = LocateServer();
        if (port == 0) port = PostgresCluster.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", urlsFromEnvironment ? $"\"{dll}\"" : $"\"{dll}\" --urls {url}")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (urlsFromEnvironment) psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";   // the development login gives the load clients tokens
        psi.Environment["Database__ConnectionString"] = connectionString;
        psi.Environment["Demo__Seed"] = "false";
        psi.Environment["Demo__History"] = "false"; // a seeded demo without the year of orders, unless a test asks for it
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var recording = checkContract ? Path.Combine(Path.GetTempPath(), $"orderhub-responses-{Guid.NewGuid():N}.jsonl") : null;
        if (recording is not null) psi.Environment["Api__RecordResponsesTo"] = recording;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("  server: " + line); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("  server: " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new ServerProcess(p, url, recording);
        using var http = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            if (p.HasExited) throw new InvalidOperationException($"The server exited with code {p.ExitCode}");
            try
            {
                if ((await http.GetAsync(url + "/health")).IsSuccessStatusCode)
                {
                    // The document this server serves, read while it runs (a test may kill it before disposing it).
                    if (recording is not null) server._document = JsonDocument.Parse(await http.GetStringAsync(url + "/openapi/v1.json")).RootElement.Clone();
                    return server;
                }
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not answer /health within 60 s");
    }

    /// <summary>Resident and peak memory of the server process, in MB (Linux /proc).</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Kb(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0]) / 1024;
        return (Kb("VmRSS"), Kb("VmHWM"));
    }

    public async Task<string> TokenAsync(HttpClient http, object who)
    {
        var res = await http.PostAsJsonAsync(BaseUrl + "/api/auth/dev-login", who);
        res.EnsureSuccessStatusCode();
        return (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static string LocateServer()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        if (dir is null) throw new FileNotFoundException("OrderHub.sln not found above " + AppContext.BaseDirectory);
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(dir.FullName, "miniprogram-api", "OrderHub.Api", "bin", config, "net10.0", "OrderHub.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the server first: {dll}");
    }

    /// <summary>SIGKILL: the process dies at once, mid-request, as in a power cut.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
        if (_recording is null || _document is null) return;
        var responses = ContractCheck.ReadRecording(_recording);
        try { File.Delete(_recording); } catch (IOException) { /* best effort */ }
        ContractCheck.Verify($"server process {BaseUrl}", _document.Value, responses);
    }
}
