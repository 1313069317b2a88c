using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// The sink adapters report bad rows to (<see cref="IErpDataIssues"/>). The sync takes what was reported during a pull
/// and records it with the page, so an adapter's own findings show up beside OrderHub's in the sync health.
/// </summary>
public sealed class SyncIssueCollector : IErpDataIssues
{
    private readonly List<ErpDataIssue> _issues = [];
    private readonly Lock _lock = new();

    public void Report(ErpDataIssue issue)
    {
        lock (_lock)
        {
            if (_issues.Count < 10_000) _issues.Add(issue);
        }
    }

    /// <summary>The issues reported for <paramref name="feed"/> so far; they are forgotten here.</summary>
    public IReadOnlyList<ErpDataIssue> Take(string feed)
    {
        lock (_lock)
        {
            var mine = _issues.Where(i => SameFeed(i.Feed, feed)).ToList();
            _issues.RemoveAll(i => SameFeed(i.Feed, feed));
            return mine;
        }
    }

    private static bool SameFeed(string reported, string feed) =>
        string.Equals(reported.Replace("_", ""), feed.Replace("_", ""), StringComparison.OrdinalIgnoreCase);
}
