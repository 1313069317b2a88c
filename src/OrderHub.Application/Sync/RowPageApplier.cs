using System.Data.Common;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// Applies a page row by row in one transaction. Each row runs under a savepoint: a row the database refuses is rolled
/// back alone and recorded as an issue, and the rest of the page still lands.
/// </summary>
public abstract class RowPageApplier<T>(Db db, TimeProvider clock) : IPageApplier<T>
{
    public abstract string Feed { get; }
    public abstract DateTimeOffset? ChangedAt(T item);
    protected abstract string? KeyOf(T item);

    /// <summary>Applies one row; adds an issue and returns 0 for a row it leaves out. Returns the rows it changed.</summary>
    protected abstract Task<long> ApplyRowAsync(DbConnection c, DbTransaction tx, T item, PageIssues issues, long nowMs);

    /// <summary>Set by a row that changed what the catalog snapshot holds; the page then moves <see cref="Catalog.CatalogVersion"/>.</summary>
    private bool _catalogTouched;
    protected void CatalogTouched() => _catalogTouched = true;

    /// <summary>A row's savepoint was rolled back: forget anything remembered from it.</summary>
    protected virtual void OnRowRolledBack() { }

    public async Task<long> ApplyAsync(IReadOnlyList<T> items, PageFinish finish, CancellationToken ct)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var issues = new PageIssues(Feed);
        long changed = 0;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        foreach (var item in items)
        {
            await tx.SaveAsync("sync_row", ct);
            try
            {
                changed += await ApplyRowAsync(c, tx, item, issues, nowMs);
                await tx.ReleaseAsync("sync_row", ct);
            }
            catch (DbException e)
            {
                await tx.RollbackAsync("sync_row", ct);
                OnRowRolledBack();
                issues.Skip(KeyOf(item), $"数据库拒绝该行 / The database refused the row: {e.Message}");
            }
        }
        if (_catalogTouched) await Catalog.CatalogVersion.BumpAsync(c, tx);
        _catalogTouched = false;
        await finish(c, tx, issues.All);
        await tx.CommitAsync(ct);
        return changed;
    }
}

/// <summary>The issues found while applying one page.</summary>
public sealed class PageIssues(string feed)
{
    private readonly List<ErpDataIssue> _all = [];
    public IReadOnlyCollection<ErpDataIssue> All => _all;

    /// <summary>The row was left out.</summary>
    public void Skip(string? key, string problem) => _all.Add(new ErpDataIssue(feed, key, problem, RowSkipped: true));
    /// <summary>The row was taken after a correction.</summary>
    public void Corrected(string? key, string problem) => _all.Add(new ErpDataIssue(feed, key, problem, RowSkipped: false));
}
