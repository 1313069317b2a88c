using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;

namespace OrderHub.Benchmarks;

/// <summary>
/// `--profile`: every database round trip of a piece of work, in order, with its time — seen from the database drivers' own
/// instrumentation, so production code carries no timing code.
/// <list type="bullet">
/// <item>PostgreSQL: Npgsql's ActivitySource ("Npgsql") gives one activity per command sent, a multi-statement command (a
/// batch) being one round trip. BEGIN travels with the first command; the COMMIT, which Npgsql sends without an activity,
/// is added by the caller (<see cref="Returned"/>).</item>
/// <item>SQLite: there is no network; the engine's own profile hook (<c>sqlite3_profile</c>) reports each statement it ran,
/// with its time, so a multi-statement command shows as its statements. The hook is set on the pool's connection handles
/// (<see cref="HookSqlitePool"/>), which the work then reuses.</item>
/// </list>
/// </summary>
public sealed class RoundTripLog : IDisposable
{
    public sealed record Trip(string Phase, string Sql, double EndMs, double Ms);

    private static RoundTripLog? _current;
    private readonly List<Trip> _trips = [];
    private readonly long _t0 = Stopwatch.GetTimestamp();
    private string _phase = "";
    private readonly ActivityListener _listener;

    public RoundTripLog()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var sql = a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName;
                Add(sql, a.Duration.TotalMilliseconds);
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _current = this;
    }

    public IReadOnlyList<Trip> Trips { get { lock (_trips) return _trips.ToList(); } }

    /// <summary>Names the part of the work the next round trips belong to.</summary>
    public void Phase(string name) => _phase = name;

    private double Now => Stopwatch.GetElapsedTime(_t0).TotalMilliseconds;

    private void Add(string sql, double ms)
    {
        lock (_trips) _trips.Add(new Trip(_phase, sql, Now, ms));
    }

    /// <summary>
    /// A round trip no driver reports — PostgreSQL's COMMIT (Npgsql sends it without an activity) — timed from the end of the
    /// round trip before it until the caller saw the work return.
    /// </summary>
    public void Returned(string what)
    {
        lock (_trips)
        {
            var now = Now;
            var previousEnd = _trips.Count > 0 ? _trips[^1].EndMs : now;
            _trips.Add(new Trip(_phase, what, now, now - previousEnd));
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        if (_current == this) _current = null;
    }

    /// <summary>Sets SQLite's profile hook on every connection handle of the pool (opened together, so they are distinct handles).</summary>
    public static async Task HookSqlitePool(Db db, int handles = 4)
    {
        if (db.Dialect != SqlDialect.Sqlite) return;
        var open = new List<System.Data.Common.DbConnection>();
        for (var i = 0; i < handles; i++) open.Add(await db.OpenAsync());
        // sqlite3_trace_v2, called straight (SQLitePCL offers only the legacy hooks, whose own time has millisecond
        // resolution): a statement's start (SQLITE_TRACE_STMT, its first step) and end (SQLITE_TRACE_PROFILE, its reset, its
        // rows read), timed here with the Stopwatch.
        foreach (var c in open)
            if (sqlite3_trace_v2(((SqliteConnection)c).Handle!.DangerousGetHandle(), TraceStmt | TraceProfile, Marshal.GetFunctionPointerForDelegate(Trace), IntPtr.Zero) != 0)
                throw new InvalidOperationException("sqlite3_trace_v2 refused");
        foreach (var c in open) await c.DisposeAsync();
    }

    private const uint TraceStmt = 1, TraceProfile = 2;
    private delegate int TraceCallback(uint type, IntPtr context, IntPtr statement, IntPtr x);
    private static readonly TraceCallback Trace = OnTrace; // kept alive: SQLite holds a pointer to it
    private static readonly Dictionary<IntPtr, (long Start, string Sql)> Running = [];

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_trace_v2(IntPtr db, uint mask, IntPtr callback, IntPtr context);

    private static int OnTrace(uint type, IntPtr context, IntPtr statement, IntPtr x)
    {
        lock (Running)
        {
            if (type == TraceStmt && Marshal.PtrToStringUTF8(x) is { } sql && !sql.StartsWith("--", StringComparison.Ordinal))
                Running[statement] = (Stopwatch.GetTimestamp(), sql);
            else if (type == TraceProfile && Running.Remove(statement, out var run))
                _current?.Add(run.Sql, Stopwatch.GetElapsedTime(run.Start).TotalMilliseconds);
        }
        return 0;
    }

    /// <summary>A short label for a round trip: each statement's verb and table, repeats counted ("UPDATE stock ×10").</summary>
    public static string Label(string sql)
    {
        var parts = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0).Select(OneLabel).ToList();
        var grouped = new List<(string Label, int Count)>();
        foreach (var p in parts)
            if (grouped.Count > 0 && grouped[^1].Label == p) grouped[^1] = (p, grouped[^1].Count + 1);
            else grouped.Add((p, 1));
        return string.Join(" + ", grouped.Select(g => g.Count > 1 ? $"{g.Label} ×{g.Count}" : g.Label));
    }

    private static string OneLabel(string statement)
    {
        var s = Regex.Replace(statement, @"\s+", " ").Trim();
        Match m;
        if ((m = Regex.Match(s, @"^INSERT INTO (\w+)", RegexOptions.IgnoreCase)).Success) return $"INSERT {m.Groups[1].Value}";
        if ((m = Regex.Match(s, @"^UPDATE (\w+)", RegexOptions.IgnoreCase)).Success) return $"UPDATE {m.Groups[1].Value}";
        if ((m = Regex.Match(s, @"^DELETE FROM (\w+)", RegexOptions.IgnoreCase)).Success) return $"DELETE {m.Groups[1].Value}";
        if (Regex.IsMatch(s, @"^SELECT pg_advisory", RegexOptions.IgnoreCase)) return "SELECT pg_advisory_xact_lock";
        if ((m = Regex.Match(s, @"^(SELECT|WITH)\b.*?\bFROM (\w+)", RegexOptions.IgnoreCase)).Success) return $"SELECT {m.Groups[2].Value}";
        return s.Length > 40 ? s[..40] + "…" : s;
    }
}
