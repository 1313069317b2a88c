using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.Data;
using OrderHub.DemoData;
using OrderHub.Application.Sync;
using OrderHub.Erp.Demo;

namespace OrderHub.Benchmarks;

/// <summary>
/// The demo ERP's file, prepared by the benchmark before the server starts: seeded from the very data set OrderHub's
/// database was loaded with (not generated again inside the server, whose memory and time would then include it).
/// </summary>
public static class DemoErpFile
{
    /// <summary>Seeds a new demo ERP file from <paramref name="data"/>; returns the seconds it took.</summary>
    public static async Task<double> SeedAsync(string file, DemoDataSet data)
    {
        var clock = Stopwatch.StartNew();
        await new DemoErp(new DemoErpOptions { FilePath = file }).SeedIfEmptyAsync(data);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Server settings for a demo ERP file the benchmark seeded: the server's demo-ERP host finds the file seeded and
    /// generates nothing (<c>Demo:Size</c> only matters for an empty file, which this never is).
    /// </summary>
    public static Dictionary<string, string> ServerSettings(string file) => new()
    {
        ["Erp__Adapter"] = "Demo", ["Erp__Demo__FilePath"] = file, ["Demo__Size"] = "small", ["Demo__RandomSeed"] = "20261125",
    };

    /// <summary>
    /// Records every pull feed of OrderHub's database as caught up with the ERP file (cursor = the ERP's current change number),
    /// as after an initial import: both were loaded from the same data set, so the server starts in steady state instead of
    /// pulling the whole ERP again in the background of the measured runs (the initial import is measured on its own).
    /// </summary>
    public static async Task MarkInSyncAsync(Db db, string file)
    {
        long seq;
        await using (var erp = new SqliteConnection($"Data Source={file};Default Timeout=30"))
        {
            await erp.OpenAsync();
            seq = await erp.ExecuteScalarAsync<long>("SELECT value FROM change_seq WHERE id = 1");
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync();
        foreach (var feed in SyncFeed.Pulls)
        {
            await c.ExecuteAsync("INSERT INTO sync_feeds (feed) VALUES (@feed) ON CONFLICT (feed) DO NOTHING", new { feed });
            await c.ExecuteAsync("UPDATE sync_feeds SET feed_cursor = @cursor, last_succeeded_at = @now, last_finished_at = @now, newest_change_at = @now WHERE feed = @feed",
                new { feed, cursor = seq.ToString(System.Globalization.CultureInfo.InvariantCulture), now });
        }
        // ...and the first import as done, as the demo's seeded data counts: otherwise the server runs it at start and, until it
        // has, answers the store endpoints 503 (the PostgreSQL runs of 2026-12-07 lost their first seconds of catalog requests so).
        await c.ExecuteAsync("""
            INSERT INTO app_settings (setting_key, setting_value, updated_at) VALUES (@k, @value, @now)
            ON CONFLICT (setting_key) DO NOTHING
            """, new { k = OrderHub.Application.Sync.InitialImport.SettingKey, value = now.ToString(System.Globalization.CultureInfo.InvariantCulture), now });
    }
}
