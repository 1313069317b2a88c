using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>
/// A feed reads its next page from the ERP while the page before is written (a first import of a million prices is as
/// fast as the slower of the two sides, not their sum), and a failed write still loses nothing and records nothing twice.
/// </summary>
public sealed class ReadAheadTests
{
    /// <summary>The ERP's pages: "p1", "p2"… with the cursor after each; every read is logged, and an issue reported per read.</summary>
    private sealed class PagedErp(int pages, SyncIssueCollector issues)
    {
        public readonly List<string?> Reads = [];
        public readonly TaskCompletionSource SecondReadStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int ReadsInFlight;

        public async Task<ErpPage<string>> PullAsync(string? cursor, CancellationToken ct)
        {
            Interlocked.Increment(ref ReadsInFlight);
            try
            {
                lock (Reads) Reads.Add(cursor);
                var n = cursor is null ? 1 : int.Parse(cursor) + 1;
                if (n == 2) SecondReadStarted.TrySetResult();
                await Task.Delay(20, ct);
                issues.Report(new ErpDataIssue(SyncFeed.Products, $"p{n}", $"read {n}", false));
                return new ErpPage<string>([$"p{n}"], n.ToString(), n < pages);
            }
            finally { Interlocked.Decrement(ref ReadsInFlight); }
        }
    }

    /// <summary>Writes each page's items into app_settings; page <see cref="FailOn"/> fails after its rows, as a refused write would.</summary>
    private sealed class RecordingApplier(Db db, PagedErp erp) : IPageApplier<string>
    {
        public string? FailOn { get; init; }
        public bool WaitForReadAhead { get; init; }
        public readonly List<string> Applied = [];
        public string Feed => SyncFeed.Products;
        public DateTimeOffset? ChangedAt(string item) => null;

        public async Task<long> ApplyAsync(IReadOnlyList<string> items, PageFinish finish, CancellationToken ct)
        {
            // The first page's write waits until the ERP is already being read for the second page.
            if (WaitForReadAhead && items[0] == "p1") await erp.SecondReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            await using var c = await db.OpenAsync(ct);
            await using var tx = await db.BeginWriteAsync(c, ct);
            foreach (var item in items)
                await c.ExecuteAsync("INSERT INTO app_settings (setting_key, setting_value, updated_at) VALUES (@item, 'x', 0)", new { item }, tx);
            if (items[0] == FailOn) throw new InvalidOperationException($"write of {FailOn} refused");
            await finish(c, tx, []);
            await tx.CommitAsync(ct);
            Applied.AddRange(items);
            return items.Count;
        }
    }

    private static async Task<(Db Db, SyncIssueCollector Issues, FeedRunner Runner)> WorldAsync(string kind)
    {
        var db = await TestDatabase.CreateAsync(kind);
        var options = new ErpSyncOptions();
        var issues = new SyncIssueCollector();
        return (db, issues, new FeedRunner(new SyncStateStore(db, options), issues, options, new ManualClock(SyncWorld.Start)));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task The_next_page_is_read_while_the_page_before_is_written(string kind)
    {
        var (db, issues, runner) = await WorldAsync(kind);
        var erp = new PagedErp(4, issues);
        var applier = new RecordingApplier(db, erp) { WaitForReadAhead = true };

        var run = await runner.RunAsync(applier, erp.PullAsync, CancellationToken.None);

        // Had the second read waited for the first write, the write would have timed out waiting for it.
        Assert.That(run.Error, Is.Null);
        Assert.That((run.Pages, run.RowsChanged, run.MoreWaiting), Is.EqualTo((4, 4L, false)));
        Assert.That(applier.Applied, Is.EqualTo(new[] { "p1", "p2", "p3", "p4" }), "pages are written in the ERP's order");
        Assert.That(erp.Reads, Is.EqualTo(new string?[] { null, "1", "2", "3" }), "each page is read once, from the cursor after the one before");
        await using var c = await db.OpenAsync();
        Assert.That(await c.ExecuteScalarAsync<string>("SELECT feed_cursor FROM sync_feeds WHERE feed = 'products'"), Is.EqualTo("4"));
        Assert.That((await c.QueryAsync<string>("SELECT item_key FROM sync_issues ORDER BY id")).ToList(), Is.EqualTo(new[] { "p1", "p2", "p3", "p4" }),
            "what the adapter reported while reading a page is recorded with that page, once");
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_refused_write_drops_the_page_read_ahead_and_the_next_run_goes_on_from_the_last_written_page(string kind)
    {
        var (db, issues, runner) = await WorldAsync(kind);
        var erp = new PagedErp(4, issues);

        var failed = await runner.RunAsync(new RecordingApplier(db, erp) { FailOn = "p2" }, erp.PullAsync, CancellationToken.None);

        Assert.That(failed.Error, Does.Contain("write of p2 refused"));
        Assert.That((failed.Pages, failed.RowsChanged), Is.EqualTo((1, 1L)));
        Assert.That(erp.ReadsInFlight, Is.Zero, "no read of the ERP outlives its run");
        await using (var c = await db.OpenAsync())
        {
            Assert.That(await c.ExecuteScalarAsync<string>("SELECT feed_cursor FROM sync_feeds WHERE feed = 'products'"), Is.EqualTo("1"));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM app_settings WHERE setting_key LIKE 'p%'"), Is.EqualTo(1), "the refused page left no row");
        }

        erp.Reads.Clear();
        var applier = new RecordingApplier(db, erp);
        var again = await runner.RunAsync(applier, erp.PullAsync, CancellationToken.None);

        Assert.That(again.Error, Is.Null);
        Assert.That(erp.Reads.First(), Is.EqualTo("1"), "the next run starts after the last written page");
        Assert.That(applier.Applied, Is.EqualTo(new[] { "p2", "p3", "p4" }));
        await using var c2 = await db.OpenAsync();
        Assert.That(await c2.ExecuteScalarAsync<string>("SELECT feed_cursor FROM sync_feeds WHERE feed = 'products'"), Is.EqualTo("4"));
        Assert.That((await c2.QueryAsync<string>("SELECT item_key FROM sync_issues ORDER BY id")).ToList(), Is.EqualTo(new[] { "p1", "p2", "p3", "p4" }),
            "the dropped pages' findings are recorded when they are written, not twice and not lost");
    }
}
