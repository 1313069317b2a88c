using OrderHub.Application.Data;

namespace OrderHub.Application.Catalog;

/// <summary>
/// Holds this node's current <see cref="CatalogSnapshot"/> and replaces it when a newer <see cref="CatalogVersion"/> is
/// seen. One load at a time: callers that need a newer snapshot while one is loading wait for that load. The snapshot is
/// never trusted blindly: every catalog read checks the version in the same round trip as its live data.
/// </summary>
public sealed class CatalogCache(Db db)
{
    private readonly object _gate = new();
    private CatalogSnapshot? _current;
    private Task<CatalogSnapshot>? _loading;

    /// <summary>The current snapshot, loading it first if there is none or it is older than <paramref name="atLeastVersion"/>.</summary>
    public async Task<CatalogSnapshot> GetAsync(long atLeastVersion = 0, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            Task<CatalogSnapshot> load;
            lock (_gate)
            {
                if (_current is { } s && s.Version >= atLeastVersion) return s;
                load = _loading ??= Task.Run(LoadAsync, CancellationToken.None);
            }
            var loaded = await load.WaitAsync(ct);
            // A load that started before the change committed comes back older; start another (rarely more than once).
            if (loaded.Version >= atLeastVersion || attempt >= 3) return loaded;
        }
    }

    private async Task<CatalogSnapshot> LoadAsync()
    {
        try
        {
            await using var c = await db.OpenAsync();
            var loaded = await CatalogSnapshot.LoadAsync(c);
            lock (_gate)
            {
                if (_current is null || loaded.Version >= _current.Version) _current = loaded;
                _loading = null;
            }
            return loaded;
        }
        catch
        {
            lock (_gate) _loading = null;
            throw;
        }
    }
}
