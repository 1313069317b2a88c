namespace OrderHub.WeChat.Tests.Support;

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.FromHours(8))) { }

    public override DateTimeOffset GetUtcNow() { lock (this) return _now.ToUniversalTime(); }

    public void Advance(TimeSpan by) { lock (this) _now += by; }
}
