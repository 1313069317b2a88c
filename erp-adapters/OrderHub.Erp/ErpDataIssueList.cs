namespace OrderHub.Erp;

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
