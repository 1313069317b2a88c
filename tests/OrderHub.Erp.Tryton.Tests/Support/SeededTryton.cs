using OrderHub.Erp.Tryton.Rpc;

namespace OrderHub.Erp.Tryton.Tests.Support;

/// <summary>
/// One seeded Tryton server shared by the tests in namespace <c>OrderHub.Erp.Tryton.Tests.Live</c>
/// (started by <see cref="Live.LiveTrytonSetUp"/>; starting and seeding takes a few seconds once the template exists).
/// </summary>
public static class SeededTryton
{
    public static TrytonServer Server { get; private set; } = null!;
    public static TrytonSeed Seed { get; private set; } = null!;
    private static TrytonJsonRpcClient _seedClient = null!;

    public static async Task StartAsync()
    {
        var started = DateTime.UtcNow;
        Server = await TrytonServer.StartAsync();
        _seedClient = new TrytonJsonRpcClient(Server.AdminOptions());
        Seed = new TrytonSeed(_seedClient);
        await Seed.BuildAsync();
        TestContext.Progress.WriteLine($"Tryton started and seeded in {(DateTime.UtcNow - started).TotalSeconds:F1} s on {Server.Url}");
    }

    public static async Task StopAsync()
    {
        _seedClient?.Dispose();
        // Debugging aid: keep the database the tests ran against.
        if (Environment.GetEnvironmentVariable("ORDERHUB_TRYTON_KEEP_DB") is { Length: > 0 } keep && Server is not null)
        {
            Server.Kill();
            File.Copy(Path.Combine(Server.Directory, TrytonServer.DatabaseName + ".sqlite"), keep, overwrite: true);
        }
        if (Server is not null) await Server.DisposeAsync();
    }

    public static TrytonErpAdapter NewAdapter(int timeoutSeconds = 30) =>
        new(Server.AdminOptions(timeoutSeconds, [TrytonSeed.WarehouseCode]));

    /// <summary>Pulls until HasMore is false; returns everything and the last cursor.</summary>
    public static async Task<(List<T> Items, string? Cursor)> DrainAsync<T>(
        Func<string?, CancellationToken, Task<ErpPage<T>>> pull, string? cursor)
    {
        var items = new List<T>();
        for (var i = 0; i < 1000; i++)
        {
            var page = await pull(cursor, CancellationToken.None);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            if (!page.HasMore) return (items, cursor);
        }
        throw new InvalidOperationException("The feed never ended.");
    }
}
