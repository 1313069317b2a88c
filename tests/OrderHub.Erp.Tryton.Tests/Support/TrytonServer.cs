using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderHub.Erp.Tryton.Tests.Support;

/// <summary>
/// A throw-away Tryton 6.0 server for tests: a temp directory with a SQLite database (modules sale, stock,
/// sale_price_list, sale_credit_limit activated), <c>trytond</c> as a child process on a free 127.0.0.1 port.
/// Dispose kills the process and deletes the directory.
/// </summary>
/// <remarks>
/// Creating the database takes ~15 s, so the first server of a test run builds a template file once and later
/// servers copy it. Set <c>ORDERHUB_TRYTON_TEMPLATE_DIR</c> to keep that template between runs (local use only).
/// Reusable from other test projects: link this file, or copy it with TrytonSeed.
/// </remarks>
public sealed class TrytonServer : IAsyncDisposable
{
    public const string DatabaseName = "orderhub";
    public const string AdminLogin = "admin";
    public const string AdminPassword = "admin";
    public const string InstallHint =
        "Tryton not installed: run .ci/run or apt-get install -y tryton-server tryton-modules-sale tryton-modules-stock " +
        "tryton-modules-sale-price-list tryton-modules-sale-credit-limit";

    private static readonly string[] Modules = ["sale", "stock", "sale_price_list", "sale_credit_limit"];
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _templateFile;

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TrytonServer(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Directory { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public bool IsRunning => !_process.HasExited;

    /// <summary>The server's output so far (for assertion messages).</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public TrytonOptions AdminOptions(int timeoutSeconds = 30, IReadOnlyList<string>? warehouseCodes = null) =>
        new(Url, DatabaseName, AdminLogin, AdminPassword, warehouseCodes, timeoutSeconds);

    /// <summary>Starts a server on a fresh copy of the template database. Ignores the test when Tryton is not installed.</summary>
    /// <param name="extraConfig">More trytond.conf sections, e.g. "[session]\ntimeout = 2".</param>
    public static async Task<TrytonServer> StartAsync(string? extraConfig = null, CancellationToken ct = default)
    {
        var trytond = FindOnPath("trytond");
        if (trytond is null || FindOnPath("trytond-admin") is null) Assert.Ignore(InstallHint);

        var template = await TemplateAsync(ct);
        var directory = Path.Combine(Path.GetTempPath(), "orderhub-tryton-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        File.Copy(template, Path.Combine(directory, DatabaseName + ".sqlite"));
        var port = FreePort();
        var config = WriteConfig(directory, port, extraConfig);

        var process = Process.Start(new ProcessStartInfo(trytond!, ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        }) ?? throw new InvalidOperationException("Could not start trytond.");
        var server = new TrytonServer(directory, port, process);
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(30), ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills trytond (the directory stays until dispose); used to test an unreachable ERP.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.Yield();
        TryDelete(Directory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up; never fail a test run over a temp directory.
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan limit, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"trytond exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                var body = new StringContent("""{"method":"common.server.version","params":[],"id":0}""",
                    Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(Url + "/", body, ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"trytond did not answer on {Url} within {limit.TotalSeconds} s:\n{Log}");
    }

    /// <summary>Builds the initialized database once per test run (or reuses ORDERHUB_TRYTON_TEMPLATE_DIR).</summary>
    private static async Task<string> TemplateAsync(CancellationToken ct)
    {
        await TemplateLock.WaitAsync(ct);
        try
        {
            if (_templateFile is not null && File.Exists(_templateFile)) return _templateFile;
            var keepDir = Environment.GetEnvironmentVariable("ORDERHUB_TRYTON_TEMPLATE_DIR");
            var version = (await RunAsync("trytond-admin", ["--version"], null, null, ct)).Trim().Replace(' ', '-');
            var cached = keepDir is null ? null : Path.Combine(keepDir, $"{version}-{string.Join("-", Modules)}.sqlite");
            if (cached is not null && File.Exists(cached)) return _templateFile = cached;

            var directory = Path.Combine(Path.GetTempPath(), "orderhub-tryton-template-" + Environment.ProcessId);
            System.IO.Directory.CreateDirectory(directory);
            var database = Path.Combine(directory, DatabaseName + ".sqlite");
            File.Delete(database);
            File.WriteAllBytes(database, []);
            var config = WriteConfig(directory, FreePort());
            var passFile = Path.Combine(directory, "admin-password");
            File.WriteAllText(passFile, AdminPassword);
            var env = new Dictionary<string, string> { ["TRYTONPASSFILE"] = passFile };
            await RunAsync("trytond-admin", ["-c", config, "-d", DatabaseName, "--all", "--email", "admin@example.com", "-p"], env, directory, ct);
            await RunAsync("trytond-admin", ["-c", config, "-d", DatabaseName, "-u", .. Modules, "--activate-dependencies"], env, directory, ct);

            if (cached is null)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
                return _templateFile = database;
            }
            System.IO.Directory.CreateDirectory(keepDir!);
            File.Copy(database, cached + ".tmp", overwrite: true);
            File.Move(cached + ".tmp", cached, overwrite: true);
            TryDelete(directory);
            return _templateFile = cached;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static string WriteConfig(string directory, int port, string? extraConfig = null)
    {
        var path = Path.Combine(directory, "trytond.conf");
        File.WriteAllText(path, $"""
            [database]
            uri = sqlite://
            path = {directory}

            [web]
            listen = 127.0.0.1:{port}

            {extraConfig}
            """);
        return path;
    }

    private static async Task<string> RunAsync(string program, string[] args, IDictionary<string, string>? env,
        string? workingDirectory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(" ", args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length > 200_000) _log.Remove(0, 100_000);
            _log.AppendLine(line);
        }
    }
}
