using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderHub.Hosting;

/// <summary>Settings of <see cref="IdleMemoryTrim"/> (section <c>Memory</c>).</summary>
/// <param name="IdleTrimSeconds">Quiet this long (little allocated) before free GC memory is given back; 0 turns the trim off.</param>
/// <param name="IdleTrimAfterAllocatedMb">Trim only after the process allocated at least this much since it started or was last trimmed (a burst worth giving back after).</param>
/// <param name="QuietAllocationMbPerSecond">Below this allocation rate the process counts as quiet (the scheduled pulls of an idle server allocate far less).</param>
public sealed record MemoryTrimSettings(int IdleTrimSeconds = 30, int IdleTrimAfterAllocatedMb = 256, double QuietAllocationMbPerSecond = 2)
{
    public static MemoryTrimSettings From(IConfiguration configuration)
    {
        var s = configuration.GetSection("Memory");
        var d = new MemoryTrimSettings();
        var settings = new MemoryTrimSettings(
            s.GetValue("IdleTrimSeconds", d.IdleTrimSeconds), s.GetValue("IdleTrimAfterAllocatedMb", d.IdleTrimAfterAllocatedMb),
            s.GetValue("QuietAllocationMbPerSecond", d.QuietAllocationMbPerSecond));
        if (settings.IdleTrimSeconds < 0 || settings.IdleTrimAfterAllocatedMb < 0 || settings.QuietAllocationMbPerSecond <= 0)
            throw new InvalidOperationException("Memory:IdleTrimSeconds and Memory:IdleTrimAfterAllocatedMb must be 0 or more, Memory:QuietAllocationMbPerSecond more than 0");
        return settings;
    }
}

/// <summary>What the trim reads from and does to the runtime; <see cref="IdleMemoryTrim.Runtime"/> in production, a fake in tests.</summary>
public interface IMemoryProbe
{
    /// <summary>Bytes allocated by the process so far (monotonic).</summary>
    long AllocatedBytes { get; }

    /// <summary>A full, blocking, compacting collection that gives committed memory back to the operating system; the GC's committed bytes before and after.</summary>
    (long CommittedBefore, long CommittedAfter) GiveBack();
}

/// <summary>
/// Gives the GC's free memory back to the operating system once the process has been quiet for a while (issue #19,
/// memory). After a burst — a catalog snapshot built, thousands of pages, an import — the .NET GC keeps the regions it
/// emptied committed for the next burst: on the large PostgreSQL set 269 MB committed for 150 MB of live objects, the
/// difference counted in the server's RSS for as long as nothing else happened (the GC cannot tell how much of its old
/// generation is dead without the full collection it avoids while quiet). When allocation has stayed under
/// <see cref="MemoryTrimSettings.QuietAllocationMbPerSecond"/> for <see cref="MemoryTrimSettings.IdleTrimSeconds"/>
/// after a burst (at least <see cref="MemoryTrimSettings.IdleTrimAfterAllocatedMb"/> allocated since the last trim), it
/// runs one aggressive collection (<see cref="GCCollectionMode.Aggressive"/>: blocking, compacting, decommitting), once
/// per quiet spell. Its pause (113 ms measured on the large set's held server, 100 MB live) falls when nobody is asking;
/// a busy server is never trimmed, and an idle one, whose scheduled pulls allocate little, is not trimmed again and again.
/// </summary>
public sealed class IdleMemoryTrim(MemoryTrimSettings settings, IMemoryProbe probe, TimeProvider clock, ILogger<IdleMemoryTrim> log) : BackgroundService
{
    /// <summary>How often the allocation rate is sampled.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    private long _lastAllocated = -1;
    private long _allocatedAtLastTrim;
    private TimeSpan _quietFor;
    private bool _trimmedThisQuietSpell;

    /// <summary>One sample: true when it gave memory back. Called every <see cref="Tick"/> by the service; by tests directly.</summary>
    public bool Sample(TimeSpan elapsed)
    {
        var allocated = probe.AllocatedBytes;
        var delta = _lastAllocated < 0 ? long.MaxValue : allocated - _lastAllocated;
        _lastAllocated = allocated;
        var quiet = elapsed > TimeSpan.Zero && delta / 1048576.0 / elapsed.TotalSeconds < settings.QuietAllocationMbPerSecond;
        if (!quiet)
        {
            _quietFor = TimeSpan.Zero;
            _trimmedThisQuietSpell = false;
            return false;
        }
        _quietFor += elapsed;
        if (_trimmedThisQuietSpell || _quietFor < TimeSpan.FromSeconds(settings.IdleTrimSeconds)) return false;
        if (allocated - _allocatedAtLastTrim < settings.IdleTrimAfterAllocatedMb * 1048576L) return false;
        _trimmedThisQuietSpell = true;
        var rssBefore = Environment.WorkingSet;
        var started = clock.GetTimestamp();
        var (before, after) = probe.GiveBack();
        log.LogInformation("Quiet for {Seconds:F0} s after {AllocatedMb} MB allocated: GC memory given back in {Ms:F0} ms, committed {BeforeMb} → {AfterMb} MB, RSS {RssBeforeMb} → {RssAfterMb} MB",
            _quietFor.TotalSeconds, (allocated - _allocatedAtLastTrim) / 1048576, clock.GetElapsedTime(started).TotalMilliseconds,
            before / 1048576, after / 1048576, rssBefore / 1048576, Environment.WorkingSet / 1048576);
        // A trim allocates nothing worth counting; start the next window from here so it does not look busy.
        _lastAllocated = _allocatedAtLastTrim = probe.AllocatedBytes;
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.IdleTrimSeconds == 0) return;
        var last = clock.GetTimestamp();
        Sample(TimeSpan.Zero);
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(Tick, clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
            var now = clock.GetTimestamp();
            try { Sample(clock.GetElapsedTime(last, now)); }
            catch (Exception ex) { log.LogWarning(ex, "Idle memory trim failed; trying again later"); }
            last = now;
        }
    }

    /// <summary>The runtime's own figures and collection.</summary>
    public sealed class Runtime : IMemoryProbe
    {
        public long AllocatedBytes => GC.GetTotalAllocatedBytes();

        public (long CommittedBefore, long CommittedAfter) GiveBack()
        {
            var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return (before, GC.GetGCMemoryInfo().TotalCommittedBytes);
        }
    }
}
