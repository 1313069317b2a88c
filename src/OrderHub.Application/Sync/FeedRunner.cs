using System.Data.Common;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>What one run of a feed did. <c>Busy</c>: another run held the feed, nothing was done.</summary>
/// <c>WaitingFor</c>: a feed it depends on has never been pulled yet, so it did not run.
public sealed record FeedRunResult(string Feed, bool Busy, int Pages, long RowsChanged, int Issues, string? Error, bool MoreWaiting, string? WaitingFor = null)
{
    public bool Succeeded => !Busy && Error is null && WaitingFor is null;
}

/// <summary>Moves the cursor (and records the page's issues) inside the transaction that applied the page.</summary>
public delegate Task PageFinish(DbConnection c, DbTransaction tx, IReadOnlyCollection<ErpDataIssue> issues);

/// <summary>Applies one page of a feed to OrderHub's tables.</summary>
public interface IPageApplier<T>
{
    string Feed { get; }
    DateTimeOffset? ChangedAt(T item);
    /// <summary>Applies the page and calls <paramref name="finish"/> in the same transaction. Returns the rows it changed.</summary>
    Task<long> ApplyAsync(IReadOnlyList<T> items, PageFinish finish, CancellationToken ct);
}

/// <summary>
/// Runs one feed: takes its lease, pulls pages from the stored cursor, applies each page with its cursor in one transaction
/// (reading the next page from the ERP while the page before is written), and records the run's health (rows changed,
/// newest change seen, consecutive failures, last error).
/// An ERP fault ends the run with the pages so far kept; the next run continues from the last committed cursor.
/// </summary>
public sealed class FeedRunner(SyncStateStore state, SyncIssueCollector adapterIssues, ErpSyncOptions options, TimeProvider clock)
{
    public async Task<FeedRunResult> RunAsync<T>(IPageApplier<T> applier, Func<string?, CancellationToken, Task<ErpPage<T>>> pull, CancellationToken ct)
    {
        var feed = applier.Feed;
        if (await state.FirstNeverSucceededAsync(SyncFeed.DependsOn(feed), ct) is { } waitingFor)
            return new FeedRunResult(feed, false, 0, 0, 0, null, false, waitingFor);
        var (busy, cursor) = await state.TryStartAsync(feed, Now(), ct);
        if (busy) return new FeedRunResult(feed, true, 0, 0, 0, null, false);

        int pages = 0, issues = 0;
        long changed = 0;
        var more = false;
        Task<(ErpPage<T> Page, IReadOnlyList<ErpDataIssue> Issues)>? next = null;
        try
        {
            next = PullAsync(cursor);
            do
            {
                var (page, pulledIssues) = await next;
                next = null;
                var newest = page.Items.Select(applier.ChangedAt).Where(t => t is not null).Max();
                var nextCursor = page.NextCursor;
                // The next page is read from the ERP while this one is written: the ERP's side and OrderHub's database
                // work at once. Its cursor is this page's, known before the write; if the write fails, the page read
                // ahead is dropped and the next run starts again from the last committed cursor.
                if (page.HasMore && pages + 1 < Math.Max(1, options.MaxPagesPerRun)) next = PullAsync(nextCursor);
                changed += await applier.ApplyAsync(page.Items, async (c, tx, found) =>
                {
                    var all = found.Concat(pulledIssues).ToList();
                    issues += all.Count;
                    await state.AddIssuesAsync(c, tx, all, Now());
                    await state.SaveCursorAsync(c, tx, feed, nextCursor, newest?.ToUnixTimeMilliseconds());
                }, ct);
                cursor = nextCursor;
                pages++;
                more = page.HasMore;
            } while (next is not null);
            await state.FinishAsync(feed, Now(), changed, CancellationToken.None);
            return new FeedRunResult(feed, false, pages, changed, issues, null, more);
        }
        catch (Exception e)
        {
            if (next is not null) await ForgetAsync(next);
            var error = ErpFailure.Describe(e);
            await state.FailAsync(feed, Now(), changed, error, CancellationToken.None);
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            return new FeedRunResult(feed, false, pages, changed, issues, error, more);
        }

        // One page and what the adapter reported while reading it (pulls of a feed never overlap, so they are its own).
        async Task<(ErpPage<T>, IReadOnlyList<ErpDataIssue>)> PullAsync(string? from)
        {
            var page = await pull(from, ct);
            return (page, adapterIssues.Take(feed));
        }
    }

    /// <summary>Waits for a page read ahead that will not be applied, so no read of the ERP outlives its run; its failure is not this run's.</summary>
    private static async Task ForgetAsync(Task task)
    {
        try { await task; }
        catch (Exception) { /* the run already failed for another reason, which is the one recorded */ }
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
