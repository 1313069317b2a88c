namespace OrderHub.Erp.SqlDatabase.Issues;

/// <summary>
/// A row the ERP returned that OrderHub could not take as it is (unknown unit, negative stock, foreign currency,
/// a price below one fen…). <paramref name="RowSkipped"/> says whether the row was left out of the page or taken after
/// a correction (negative stock is taken as 0). The cursor still moves past the row: once someone fixes it in the ERP,
/// its change time moves and the next pull picks it up.
/// </summary>
/// <param name="Feed">Products, Stock, Prices, Customers, Payments or OrderStatus.</param>
/// <param name="Key">The row's code (product code, customer code, payment reference, order number…), when it had one.</param>
public sealed record ErpDataIssue(string Feed, string? Key, string Problem, bool RowSkipped)
{
    public override string ToString() => $"{Feed} {Key ?? "(no code)"}: {Problem}{(RowSkipped ? " — skipped" : "")}";
}

/// <summary>Where an adapter reports bad ERP rows. The sync job passes its own sink, or reads <see cref="ErpDataIssueList"/>.</summary>
public interface IErpDataIssues
{
    void Report(ErpDataIssue issue);
}

/// <summary>
/// The default sink: keeps the issues until someone takes them. A sync job calls <see cref="Drain"/> after each pull
/// and writes what it gets to its sync log (shown to the admin as "ERP data problems").
/// Holds at most <see cref="Capacity"/> issues; older ones are dropped first and counted in <see cref="Dropped"/>.
/// </summary>
public sealed class ErpDataIssueList : IErpDataIssues
{
    private readonly Queue<ErpDataIssue> _issues = new();
    private readonly Lock _lock = new();

    public int Capacity { get; init; } = 1000;
    public int Dropped { get; private set; }

    public void Report(ErpDataIssue issue)
    {
        lock (_lock)
        {
            _issues.Enqueue(issue);
            while (_issues.Count > Capacity) { _issues.Dequeue(); Dropped++; }
        }
    }

    /// <summary>The issues so far, oldest first, without removing them.</summary>
    public IReadOnlyList<ErpDataIssue> Peek()
    {
        lock (_lock) return [.. _issues];
    }

    /// <summary>Returns the issues so far, oldest first, and forgets them.</summary>
    public IReadOnlyList<ErpDataIssue> Drain()
    {
        lock (_lock)
        {
            var all = _issues.ToList();
            _issues.Clear();
            Dropped = 0;
            return all;
        }
    }
}
