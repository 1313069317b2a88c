using System.Collections.Concurrent;

namespace OrderHub.WeChat;

/// <summary>An access token and the moment WeChat says it stops working.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AccessToken {{ Value = ***, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// Thread-safe cache of access tokens, one slot per app credential (the clients pick the key: the mini-program
/// AppId, or the WeCom CorpId plus a hash of the secret), so one instance can serve every client.
/// A token is refreshed <see cref="RefreshMargin"/> before its stated expiry, and on demand after WeChat rejected it.
/// Per slot only one refresh runs at a time; concurrent callers wait for it.
/// Register one instance for the life of the process (a singleton): WeChat limits how often a token may be fetched.
/// Several processes may each have their own cache: the mini-program token is the stable token (normal mode), which
/// WeChat hands every caller unchanged, so one node's fetch does not retire another's token.
/// </summary>
public sealed class AccessTokenCache
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private int _fetchCount;

    private sealed record CachedToken(AccessToken Token, DateTimeOffset RefreshAt);

    private sealed class Slot
    {
        public readonly SemaphoreSlim RefreshLock = new(1, 1);
        public CachedToken? Current;
    }

    public AccessTokenCache(TimeSpan refreshMargin, TimeProvider? timeProvider = null)
    {
        if (refreshMargin < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(refreshMargin));
        RefreshMargin = refreshMargin;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A cache with the default 5-minute margin and the system clock.</summary>
    public AccessTokenCache() : this(TimeSpan.FromMinutes(5)) { }

    public TimeSpan RefreshMargin { get; }

    /// <summary>The clock that decides when a token is due; clients also use it to compute expiry.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>How many times a fetch delegate has been called, all slots together (for diagnostics and tests).</summary>
    public int FetchCount => Volatile.Read(ref _fetchCount);

    /// <summary>Returns the cached token for <paramref name="key"/>, fetching a new one with <paramref name="fetch"/> when missing or due.</summary>
    public async Task<string> GetAsync(string key, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken ct)
    {
        var slot = _slots.GetOrAdd(key, _ => new Slot());
        var cached = Volatile.Read(ref slot.Current);
        if (cached is not null && _time.GetUtcNow() < cached.RefreshAt) return cached.Token.Value;

        await slot.RefreshLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            cached = Volatile.Read(ref slot.Current);
            if (cached is not null && _time.GetUtcNow() < cached.RefreshAt) return cached.Token.Value;

            Interlocked.Increment(ref _fetchCount);
            var fetchedAt = _time.GetUtcNow();
            var token = await fetch(ct).ConfigureAwait(false);
            var lifetime = token.ExpiresAt - fetchedAt;
            // a margin larger than the lifetime would mean refreshing on every call: use half the lifetime then
            var refreshAt = lifetime > RefreshMargin ? token.ExpiresAt - RefreshMargin : fetchedAt + lifetime / 2;
            Volatile.Write(ref slot.Current, new CachedToken(token, refreshAt));
            return token.Value;
        }
        finally
        {
            slot.RefreshLock.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="rejectedToken"/> after WeChat refused it. If another caller already replaced it,
    /// the newer token is kept, so a burst of failures causes only one refresh.
    /// </summary>
    public void Invalidate(string key, string rejectedToken)
    {
        if (!_slots.TryGetValue(key, out var slot)) return;
        var cached = Volatile.Read(ref slot.Current);
        if (cached is not null && cached.Token.Value == rejectedToken)
            Interlocked.CompareExchange(ref slot.Current, null, cached);
    }

    /// <summary>The token currently cached for a key, if any (used only to redact it from text).</summary>
    internal string? CurrentValue(string key) =>
        _slots.TryGetValue(key, out var slot) ? Volatile.Read(ref slot.Current)?.Token.Value : null;
}
