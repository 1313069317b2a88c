using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;

namespace OrderHub.Application.Sync;

public sealed record InitialImportStatus(bool Complete, long? CompletedAtMs, long Products, long Stores, long Warehouses, long StockRows, long CustomerPrices);

/// <summary>
/// The first import from the ERP, in dependency order (products, stock — which brings the warehouses —, customers, prices,
/// payments, order status), before the store-facing catalog opens: until it is complete, store and agent endpoints answer
/// 503 with Retry-After (正在同步 ERP 数据). It runs as scheduled work until it has completed once, or at once from the
/// go-live page. The demo's seeded data counts as imported.
/// </summary>
public sealed class InitialImport(ErpSyncService sync, WarehouseRule warehouses, Db db, TimeProvider clock, ILogger<InitialImport> log)
{
    public const string SettingKey = "initial_import_completed_at";
    private volatile bool _complete;
    private long _checkedAtMs;

    /// <summary>Whether the first import has completed; once true, true for good (read from the database at most once a second).</summary>
    public async ValueTask<bool> IsCompleteAsync(CancellationToken ct = default)
    {
        if (_complete) return true;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - Interlocked.Read(ref _checkedAtMs) < 1000) return false;
        Interlocked.Exchange(ref _checkedAtMs, now);
        await using var c = await db.OpenAsync(ct);
        _complete = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM app_settings WHERE setting_key = @k", new { k = SettingKey }) > 0;
        return _complete;
    }

    /// <summary>Pulls every feed to its end in dependency order, settles the stores' warehouses, and marks the import complete when every feed succeeded.</summary>
    public async Task<(IReadOnlyList<FeedRunResult> Feeds, InitialImportStatus Status)> RunAsync(CancellationToken ct = default)
    {
        var results = await sync.PullAllAsync(ct);
        var moved = await warehouses.RepairAsync(ct);
        if (results.All(r => r.Succeeded))
        {
            await MarkCompleteAsync(ct);
            log.LogInformation("Initial ERP import complete: {Rows} rows, {Issues} issues, {Moved} stores moved to the default warehouse",
                results.Sum(r => r.RowsChanged), results.Sum(r => r.Issues), moved);
        }
        else
            log.LogWarning("Initial ERP import not complete yet: {Failed}", string.Join("; ", results.Where(r => !r.Succeeded)
                .Select(r => $"{r.Feed}: {r.Error ?? r.WaitingFor ?? (r.Busy ? "busy" : "?")}")));
        return (results, await StatusAsync(ct));
    }

    public async Task MarkCompleteAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("""
            INSERT INTO app_settings (setting_key, setting_value, updated_at) VALUES (@k, @now, @now)
            ON CONFLICT (setting_key) DO NOTHING
            """, new { k = SettingKey, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        _complete = true;
    }

    public async Task<InitialImportStatus> StatusAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var at = await c.ExecuteScalarAsync<long?>("SELECT updated_at FROM app_settings WHERE setting_key = @k", new { k = SettingKey });
        var counts = await c.QuerySingleAsync<(long P, long S, long W, long St, long Cp)>("""
            SELECT (SELECT COUNT(*) FROM products WHERE active = TRUE), (SELECT COUNT(*) FROM customers WHERE active = TRUE),
                   (SELECT COUNT(*) FROM warehouses), (SELECT COUNT(*) FROM stock), (SELECT COUNT(*) FROM customer_prices)
            """);
        return new InitialImportStatus(at is not null, at, counts.P, counts.S, counts.W, counts.St, counts.Cp);
    }
}

/// <summary>Runs the first import until it has completed once; afterwards does nothing (the regular feeds keep the data fresh).</summary>
public sealed class RunInitialImport(InitialImport import) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (!await import.IsCompleteAsync(ct)) await import.RunAsync(ct);
    }
}
