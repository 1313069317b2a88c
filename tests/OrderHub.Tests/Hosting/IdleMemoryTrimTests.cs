using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Hosting;

namespace OrderHub.Tests.Hosting;

/// <summary>
/// The server gives the GC's free memory back when it has been quiet for a while, once per quiet spell, and never while
/// busy, nor again and again when idle (issue #19, memory). The probe is a fake so each case can say how much was
/// allocated when; the last case runs the real collection.
/// </summary>
public class IdleMemoryTrimTests
{
    private const long Mb = 1048576;

    private sealed class FakeProbe : IMemoryProbe
    {
        public long AllocatedBytes { get; set; }
        public int GiveBacks { get; private set; }
        public (long, long) GiveBack() { GiveBacks++; return (300 * Mb, 200 * Mb); }
    }

    private static readonly TimeSpan Tick = IdleMemoryTrim.Tick;

    /// <summary>A trim whose process has already allocated <paramref name="startMb"/> (a burst at start, e.g. the snapshot).</summary>
    private static (IdleMemoryTrim Trim, FakeProbe Probe) Make(int idleSeconds = 30, int afterMb = 256, double quietMbPerSecond = 2, long startMb = 1000)
    {
        var probe = new FakeProbe { AllocatedBytes = startMb * Mb };
        var trim = new IdleMemoryTrim(new MemoryTrimSettings(idleSeconds, afterMb, quietMbPerSecond), probe, TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);
        trim.Sample(TimeSpan.Zero);
        return (trim, probe);
    }

    /// <summary>Runs <paramref name="ticks"/> samples, allocating <paramref name="mbPerTick"/> before each; how many gave memory back.</summary>
    private static int Run(IdleMemoryTrim trim, FakeProbe probe, int ticks, double mbPerTick)
    {
        var trims = 0;
        for (var i = 0; i < ticks; i++)
        {
            probe.AllocatedBytes += (long)(mbPerTick * Mb);
            if (trim.Sample(Tick)) trims++;
        }
        return trims;
    }

    [Test]
    public void A_server_quiet_for_the_set_time_gives_its_free_memory_back_once()
    {
        var (trim, probe) = Make(idleSeconds: 30);
        Assert.That(Run(trim, probe, 5, 0.1), Is.Zero, "25 s quiet is not yet 30 s");
        Assert.That(Run(trim, probe, 1, 0.1), Is.EqualTo(1), "at 30 s quiet it gives memory back");
        Assert.That(Run(trim, probe, 720, 1.5), Is.Zero, "one trim per quiet spell, even after another 5 GB allocated quietly over an hour");
        Assert.That(probe.GiveBacks, Is.EqualTo(1));
    }

    [Test]
    public void A_busy_server_is_never_trimmed_and_each_burst_starts_the_quiet_time_again()
    {
        var (trim, probe) = Make(idleSeconds: 30, quietMbPerSecond: 2);
        Assert.That(Run(trim, probe, 100, 50), Is.Zero, "10 MB/s is busy");
        Assert.That(Run(trim, probe, 4, 0.1) + Run(trim, probe, 1, 50) + Run(trim, probe, 4, 0.1), Is.Zero, "a burst in the middle resets the 30 s");
        Assert.That(Run(trim, probe, 2, 0.1), Is.EqualTo(1));
        // After another burst, the next quiet spell trims again.
        Assert.That(Run(trim, probe, 3, 80) + Run(trim, probe, 6, 0), Is.Zero, "240 MB since the last trim is not yet a burst");
        Assert.That(Run(trim, probe, 1, 80) + Run(trim, probe, 6, 0), Is.EqualTo(1));
        Assert.That(probe.GiveBacks, Is.EqualTo(2));
    }

    [Test]
    public void An_idle_server_that_had_no_burst_or_a_zero_setting_is_left_alone()
    {
        // Started small: quiet from the start, its scheduled pulls allocating 0.5 MB per 5 s.
        var (trim, probe) = Make(afterMb: 256, startMb: 10);
        Assert.That(Run(trim, probe, 400, 0.5), Is.Zero, "200 MB in 33 minutes is not a burst");
        Assert.That(Run(trim, probe, 200, 0.5), Is.EqualTo(1), "past 256 MB since start it gives back once");
        Assert.That(Run(trim, probe, 1000, 0.5), Is.Zero, "and not again in the same quiet spell");

        var off = MemoryTrimSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:IdleTrimSeconds"] = "0" }).Build());
        Assert.That(off.IdleTrimSeconds, Is.Zero);
        Assert.Throws<InvalidOperationException>(() => MemoryTrimSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:QuietAllocationMbPerSecond"] = "0" }).Build()));
    }

    [Test]
    public void The_real_collection_runs_gives_back_rather_than_takes_and_keeps_live_objects()
    {
        var keep = new List<byte[]>();
        for (var i = 0; i < 64; i++) keep.Add(new byte[64 * 1024]);
        for (var round = 0; round < 4; round++)
        {
            var garbage = new List<byte[]>();
            for (var i = 0; i < 2000; i++) garbage.Add(new byte[16 * 1024]);
            GC.KeepAlive(garbage);
        }
        GC.Collect();
        var (before, after) = new IdleMemoryTrim.Runtime().GiveBack();
        Assert.That(before, Is.GreaterThan(0));
        Assert.That(after, Is.LessThanOrEqualTo(before));
        Assert.That(keep.Sum(b => b.Length), Is.EqualTo(64 * 64 * 1024));
    }
}
