using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderHub.Benchmarks;

/// <summary>One <c>wrk</c> run: requests per second, latency percentiles, and what did not answer 2xx/3xx.</summary>
/// <param name="ServerCpuUsPerRequest">The server process's CPU time (user + system) per request during the run: on a machine shared with
/// other work, a steadier figure than requests per second (NaN when the server's process id is not known).</param>
public sealed record WrkResult(string Name, int Connections, double Seconds, long Requests, double PerSecond,
    double P50Ms, double P90Ms, double P99Ms, long Non2xx, long SocketErrors, string? Error, double ServerCpuUsPerRequest = double.NaN)
{
    public override string ToString() => Error is not null
        ? $"{Name} @{Connections}: {Error}"
        : $"{PerSecond:N0} req/s, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms" + (double.IsNaN(ServerCpuUsPerRequest) ? "" : $", server CPU {ServerCpuUsPerRequest:F0} µs/req")
          + (Non2xx + SocketErrors > 0 ? $"; non-2xx {Non2xx:N0}, socket errors {SocketErrors:N0}" : "");
}

/// <summary>
/// Drives the server with <c>wrk</c> (Debian package <c>wrk</c>, one thread), a load generator much lighter than the .NET
/// client of <see cref="LoadRunner"/>, so the figures are closer to the server's own cost on this 2-core machine. The
/// request paths and bearer tokens rotate through a Lua script, so every request is a different store's page.
/// </summary>
public static class WrkRun
{
    public static bool Available => File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    /// <param name="acceptEncoding">Sent as Accept-Encoding (e.g. "br", as a phone asks); none by default, so the body is not compressed.</param>
    public static async Task<WrkResult> RunAsync(string name, string baseUrl, IReadOnlyList<string> paths, IReadOnlyList<string> tokens,
        int connections, TimeSpan duration, TimeSpan warmup, int? serverPid = null, string? acceptEncoding = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"orderhub-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, Script(paths, tokens, acceptEncoding));
        try
        {
            if (warmup > TimeSpan.Zero) await RunWrkAsync(baseUrl, script, connections, warmup);
            var cpuBefore = CpuSeconds(serverPid);
            var (code, output) = await RunWrkAsync(baseUrl, script, connections, duration);
            var cpu = CpuSeconds(serverPid) - cpuBefore;
            if (code != 0) return Failed(name, connections, duration, $"wrk exited {code}: {output.Trim()}");
            var r = Parse(name, connections, duration.TotalSeconds, output);
            return r.Requests > 0 ? r with { ServerCpuUsPerRequest = cpu * 1e6 / r.Requests } : r;
        }
        finally { File.Delete(script); }
    }

    /// <summary>A process's user + system CPU seconds so far (/proc/&lt;pid&gt;/stat, fields 14 and 15, in clock ticks of 1/100 s); NaN if unknown.</summary>
    private static double CpuSeconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat")) return double.NaN;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static WrkResult Failed(string name, int connections, TimeSpan duration, string why) =>
        new(name, connections, duration.TotalSeconds, 0, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, why);

    /// <summary>The Lua script that rotates <paramref name="paths"/> and bearer <paramref name="tokens"/> per request.</summary>
    internal static string Script(IReadOnlyList<string> paths, IReadOnlyList<string> tokens, string? acceptEncoding)
    {
        static string Lua(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var sb = new StringBuilder();
        sb.Append("local paths = {").AppendJoin(",", paths.Select(Lua)).AppendLine("}");
        sb.Append("local tokens = {").AppendJoin(",", tokens.Select(Lua)).AppendLine("}");
        sb.AppendLine("""
            local n = 0
            request = function()
              n = n + 1
              local headers = {}
            """);
        if (acceptEncoding is not null) sb.AppendLine($"  headers[\"Accept-Encoding\"] = {Lua(acceptEncoding)}");
        sb.AppendLine("""
              if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] end
              return wrk.format("GET", paths[math.random(#paths)], headers)
            end
            """);
        return sb.ToString();
    }

    private static async Task<(int Code, string Output)> RunWrkAsync(string baseUrl, string script, int connections, TimeSpan duration)
    {
        var psi = new ProcessStartInfo("wrk", $"-t1 -c{connections} -d{Math.Max(1, (int)duration.TotalSeconds)}s --latency -s {script} {baseUrl}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>Reads wrk's <c>--latency</c> report (the "Latency Distribution" block, the request count and Requests/sec).</summary>
    public static WrkResult Parse(string name, int connections, double seconds, string output)
    {
        double Pct(string q)
        {
            var m = Regex.Match(output, $@"^\s*{q}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) return double.NaN;
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "ms" => v, _ => v * 1000 };
        }
        long Long(string pattern) { var m = Regex.Match(output, pattern); return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0; }
        var rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
        if (!rps.Success) return new(name, connections, seconds, 0, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, "no Requests/sec in wrk's output: " + output.Trim());
        var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var socketErrors = socket.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(name, connections, seconds, Long(@"(\d+) requests in"), double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Pct("50"), Pct("90"), Pct("99"), Long(@"Non-2xx or 3xx responses: (\d+)"), socketErrors, null);
    }
}

/// <summary>The wrk figures of one database run: /health (the ceiling), product detail and the catalog page, at 8 and 64 connections.</summary>
/// <param name="CatalogBrotli64">The catalog page at 64 connections asked with Accept-Encoding: br, as a phone asks: what compression costs the server.</param>
public sealed record WrkSet(WrkResult Health8, WrkResult Health64, WrkResult Detail8, WrkResult Detail64, WrkResult Catalog8, WrkResult Catalog64,
    WrkResult CatalogBrotli64)
{
    /// <summary>The catalog page's throughput at 64 connections as a share of /health's in the same run.</summary>
    public double CatalogShareOfHealth => Catalog64.PerSecond / Health64.PerSecond;

    public static async Task<WrkSet> RunAsync(string baseUrl, IReadOnlyList<string> skus, IReadOnlyList<string> tokens, BenchOptions o, int? serverPid = null)
    {
        var rnd = new Random(20261206);
        var sample = Enumerable.Range(0, Math.Min(2000, skus.Count)).Select(_ => skus[rnd.Next(skus.Count)]).ToList();
        var catalog = sample.Select(s => $"/api/catalog/products?limit=20&after={Uri.EscapeDataString(s)}").ToList();
        var detail = sample.Select(s => $"/api/catalog/products/{Uri.EscapeDataString(s)}").ToList();
        var run = TimeSpan.FromSeconds(o.Seconds);
        var warm = TimeSpan.FromSeconds(Math.Min(o.Warmup, 2));
        async Task<WrkResult> One(string name, IReadOnlyList<string> paths, IReadOnlyList<string> auth, int c, string? encoding = null)
        {
            var r = await WrkRun.RunAsync(name, baseUrl, paths, auth, c, run, warm, serverPid, encoding);
            Console.WriteLine($"  wrk {name,-24} @{c,-3} {r}");
            return r;
        }
        return new WrkSet(
            await One("/health", ["/health"], [], 8), await One("/health", ["/health"], [], 64),
            await One("product detail", detail, tokens, 8), await One("product detail", detail, tokens, 64),
            await One("catalog page (20 items)", catalog, tokens, 8), await One("catalog page (20 items)", catalog, tokens, 64),
            await One("catalog page, Brotli", catalog, tokens, 64, "br"));
    }
}

/// <summary>Issue #19's targets, each printed met / not met per database run from the figures of this invocation.</summary>
public static class Targets
{
    public static void Print(IReadOnlyList<Dictionary<string, object?>> results)
    {
        var runs = results.Where(r => r.ContainsKey("catalog")).ToList();
        if (runs.Count == 0) return;
        Console.WriteLine("\nTargets (issue #19; figures from this invocation):");
        foreach (var r in runs)
        {
            var db = (string)r["database"]!;
            var size = (string)r["size"]!;
            void Line(string target, bool? met, string figure) =>
                Console.WriteLine($"  [{db}, {size}] {target,-58} {(met is null ? "not measured" : met.Value ? "met" : "NOT MET"),-12} {figure}");
            if (r["wrk"] is WrkSet w)
            {
                Line("catalog page ≥ 5,000 req/s at 64 connections (wrk)", w.Catalog64.PerSecond >= 5000, $"{w.Catalog64.PerSecond:N0} req/s");
                Line("catalog page p99 ≤ 10 ms at 8 connections (wrk)", w.Catalog8.P99Ms <= 10, $"p99 {w.Catalog8.P99Ms:F2} ms");
                Line("catalog page ≥ 35% of /health at 64 connections", w.CatalogShareOfHealth >= 0.35,
                    $"{w.CatalogShareOfHealth:P0} ({w.Catalog64.PerSecond:N0} of {w.Health64.PerSecond:N0} req/s)");
                if (double.IsFinite(w.Catalog64.ServerCpuUsPerRequest))
                    Console.WriteLine($"  [{db}, {size}] server CPU per request at 64 connections: /health {w.Health64.ServerCpuUsPerRequest:F0} µs, catalog page {w.Catalog64.ServerCpuUsPerRequest:F0} µs " +
                                      $"(the share of /health the page would reach on otherwise idle cores: {w.Health64.ServerCpuUsPerRequest / w.Catalog64.ServerCpuUsPerRequest:P0})");
            }
            else Line("catalog page under wrk", null, "wrk did not run");
            if (r.GetValueOrDefault("phonePayload") is PhonePayloadResult phone)
            {
                Line("phones: catalog page compressed (Brotli/gzip)", phone.BrotliBytes < phone.IdentityBytes,
                    $"{phone.IdentityBytes / 1024:F1} KB → Brotli {phone.BrotliBytes / 1024:F1} KB ({phone.BrotliShare:P0}), gzip {phone.GzipBytes / 1024:F1} KB");
                Line("phones: unchanged page asked with its ETag → 304, no body", phone.Not304 == 0 && phone.Bytes304 == 0,
                    $"{phone.Answered304} of {phone.Pages} × 304, {phone.Bytes304} bytes");
            }
            if (db == "postgres" && r["orderSubmit"] is LoadResult submit)
                Line("order submit ≥ 1,000 orders/s on PostgreSQL (10 lines)", submit.PerSecond >= 1000, $"{submit.PerSecond:N0} orders/s");
            if (db == "postgres" && size == "large" && r["erpImport"] is ImportResult import)
                Line("large initial import on PostgreSQL ≤ 20 s", import.Seconds <= 20, double.IsFinite(import.Seconds) ? $"{import.Seconds:F1} s" : "not finished");
            if (size == "large" && r["serverRssMb"] is double rss)
                Line("server RSS ≤ 400 MB after the large-set runs", rss <= 400, $"{rss:F0} MB" +
                    (r.GetValueOrDefault("serverRssBusyMb") is double busy ? $" after {Scenario.QuietBeforeMemory.TotalSeconds:F0} s quiet (idle trim); {busy:F0} MB right after the order run" : "") +
                    (r.GetValueOrDefault("serverPeakMb") is double peak ? $", peak {peak:F0} MB" : ""));
        }
    }
}
