using System.Data.Common;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// Applies a page in one transaction. An applier with a bulk path (<see cref="ApplyPageAsync"/>) first applies the whole
/// page with set-based statements under a savepoint; if the database refuses any of it, that savepoint is rolled back and
/// the page is applied row by row instead. Row by row, each row runs under its own savepoint: a row the database refuses is
/// rolled back alone and recorded as an issue, and the rest of the page still lands. So one bad row costs a slow page,
/// never a lost one. Both paths record the same issues and count the same changed rows.
/// </summary>
public abstract class RowPageApplier<T>(Db db, TimeProvider clock) : IPageApplier<T>
{
    public abstract string Feed { get; }
    public abstract DateTimeOffset? ChangedAt(T item);
    protected abstract string? KeyOf(T item);

    /// <summary>Applies one row; adds an issue and returns 0 for a row it leaves out. Returns the rows it changed.</summary>
    /// <remarks>
    /// An applier with a bulk path needs no row path of its own: a row is a page of one, so both paths share every check
    /// and text (one home per rule). Appliers without a bulk path (payments) override this.
    /// </remarks>
    protected virtual async Task<long> ApplyRowAsync(DbConnection c, DbTransaction tx, T item, PageIssues issues, long nowMs) =>
        await ApplyPageAsync(c, tx, [item], issues, nowMs)
        ?? throw new InvalidOperationException($"{GetType().Name} must override ApplyPageAsync or ApplyRowAsync");

    /// <summary>Set by a row that changed what the catalog snapshot holds; the page then moves <see cref="Catalog.CatalogVersion"/>.</summary>
    private bool _catalogTouched;
    protected void CatalogTouched() => _catalogTouched = true;

    /// <summary>A row's (or the bulk page's) savepoint was rolled back: forget anything remembered from it.</summary>
    protected virtual void OnRowRolledBack() { }

    protected SqlDialect Dialect => db.Dialect;

    /// <summary>
    /// The bulk path: applies the whole page as <see cref="ApplyRowAsync"/> would one row after the other (same issues in
    /// the same order, same rows changed, same end state), with a few statements per page. Returns null when the applier
    /// has none. A <see cref="DbException"/> from it sends the page to the row-by-row path.
    /// </summary>
    protected virtual Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<T> items, PageIssues issues, long nowMs) =>
        Task.FromResult<long?>(null);

    /// <summary>Always apply row by row, skipping the bulk path (the tests compare the two).</summary>
    public bool RowByRowOnly { get; init; }

    /// <summary>Pages this applier applied row by row (no bulk path, or the database refused the bulk page).</summary>
    public int RowByRowPages { get; private set; }

    public async Task<long> ApplyAsync(IReadOnlyList<T> items, PageFinish finish, CancellationToken ct)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var issues = new PageIssues(Feed);
        long changed = 0;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (!RowByRowOnly && items.Count > 0)
        {
            var bulkIssues = new PageIssues(Feed);
            await tx.SaveAsync("sync_page", ct);
            try
            {
                if (await ApplyPageAsync(c, tx, items, bulkIssues, nowMs) is { } bulkChanged)
                {
                    await tx.ReleaseAsync("sync_page", ct);
                    issues.AddRange(bulkIssues);
                    return await FinishAsync(c, tx, issues, bulkChanged, finish, ct);
                }
                await tx.ReleaseAsync("sync_page", ct);
            }
            catch (DbException)
            {
                // Some row of the page was refused: the row-by-row path below finds which one and applies the rest.
                await tx.RollbackAsync("sync_page", ct);
                OnRowRolledBack();
                _catalogTouched = false;
            }
        }
        RowByRowPages++;
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
        return await FinishAsync(c, tx, issues, changed, finish, ct);
    }

    private async Task<long> FinishAsync(DbConnection c, DbTransaction tx, PageIssues issues, long changed, PageFinish finish, CancellationToken ct)
    {
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

    internal void AddRange(PageIssues other) => _all.AddRange(other._all);
}
