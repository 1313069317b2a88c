using System.Diagnostics;

namespace OrderHub.Benchmarks;

/// <summary>What one load run measured. Latencies in milliseconds; warm-up excluded; errors counted, never hidden.</summary>
public sealed record LoadResult(string Name, int Clients, double Seconds, long Ok, long Refused, long Errors, double PerSecond,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, IReadOnlyDictionary<string, long> ErrorKinds);

public enum Outcome { Ok, Refused, Error }

/// <summary>
/// Runs <c>clients</c> concurrent loops of one request for a warm-up period (not measured) and then for the measured period.
/// Each loop records the latency of each request; the result gives throughput and percentiles of successful requests.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string name, int clients, TimeSpan warmup, TimeSpan duration, Func<int, CancellationToken, Task<Outcome>> request)
    {
        using var warm = new CancellationTokenSource(warmup);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            while (!warm.IsCancellationRequested) { try { await request(w, CancellationToken.None); } catch { /* warm-up */ } }
        }));
        ForgetStatuses(); // the warm-up's error statuses are not part of the measured run's error count

        var errorKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var latencies = new List<double>[clients];
        var counts = new long[clients, 3];
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                Outcome outcome;
                try { outcome = await request(w, CancellationToken.None); }
                catch (Exception e) { outcome = Outcome.Error; errorKinds.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1); }
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                counts[w, (int)outcome]++;
                if (outcome == Outcome.Ok) mine.Add(ms);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        long Sum(int k) => Enumerable.Range(0, clients).Sum(w => counts[w, k]);
        return Summarize(name, clients, seconds, latencies.SelectMany(l => l), Sum(0), Sum(1), Sum(2), errorKinds);
    }

    /// <summary>
    /// A result from raw figures: throughput is <paramref name="ok"/> over <paramref name="seconds"/> of measured wall time,
    /// percentiles over the latencies of successful requests; the HTTP error statuses counted by <see cref="Classify"/>
    /// since the last summary are added to <paramref name="errorKinds"/>.
    /// </summary>
    public static LoadResult Summarize(string name, int clients, double seconds, IEnumerable<double> okLatenciesMs, long ok, long refused, long errors,
        IDictionary<string, long> errorKinds)
    {
        var all = okLatenciesMs.Order().ToArray();
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        var kinds = new Dictionary<string, long>(errorKinds);
        foreach (var (k, v) in LastStatuses) kinds["HTTP " + k] = kinds.GetValueOrDefault("HTTP " + k) + v;
        LastStatuses.Clear();
        return new LoadResult(name, clients, seconds, ok, refused, errors, seconds > 0 ? ok / seconds : double.NaN, P(0.50), P(0.90), P(0.99),
            all.Length == 0 ? double.NaN : all[^1], kinds);
    }

    /// <summary>Forgets the error statuses counted so far (e.g. those of a warm-up that is not reported).</summary>
    public static void ForgetStatuses() => LastStatuses.Clear();

    /// <summary>The error statuses counted since the last call (as "HTTP 503" → count), and forgets them.</summary>
    public static Dictionary<string, long> TakeStatuses()
    {
        var taken = new Dictionary<string, long>();
        foreach (var k in LastStatuses.Keys.ToList())
            if (LastStatuses.TryRemove(k, out var v)) taken["HTTP " + k] = v;
        return taken;
    }

    /// <summary>Error statuses seen by the request functions during a run (filled through <see cref="Classify"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> LastStatuses = new();

    /// <summary>2xx ok, 409 refused (e.g. short stock), anything else an error whose status is counted for the report.</summary>
    public static Outcome Classify(HttpResponseMessage r)
    {
        if (r.IsSuccessStatusCode) return Outcome.Ok;
        if ((int)r.StatusCode == 409) return Outcome.Refused;
        if (LastStatuses.AddOrUpdate((int)r.StatusCode, 1, (_, n) => n + 1) == 1)
            Console.Error.WriteLine($"  first HTTP {(int)r.StatusCode}: {r.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        return Outcome.Error;
    }
}
