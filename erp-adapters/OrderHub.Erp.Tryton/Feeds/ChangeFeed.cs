using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Feeds;

/// <summary>A changed entity: its key (see <see cref="ChangeCursor"/>) and when it last changed (null during a full resync).</summary>
public sealed record ChangedKey(string Key, DateTime? At);

/// <summary>
/// A Tryton model whose records' changes touch feed entities, e.g. <c>stock.move</c> rows touch the stock of their product.
/// <paramref name="KeysOf"/> maps the changed records (read with <paramref name="Fields"/>) to entity keys.
/// </summary>
public sealed record ChangeSource(
    string Model,
    object?[] Domain,
    string[] Fields,
    Func<IReadOnlyList<TrytonRecord>, CancellationToken, Task<IEnumerable<(string Key, DateTime At)>>> KeysOf,
    bool IncludeInactive = false);

/// <summary>
/// Turns Tryton's per-record <c>write_date</c>/<c>create_date</c> into pages of changed entity keys.
/// Incremental: every source is asked for records changed at or after the cursor time, each entity gets the latest
/// time among them, and entities are returned in (time, key) order after the cursor.
/// Full resync (null cursor): every key from <paramref name="allKeys"/> in key order; the resulting incremental cursor
/// starts after the latest change time seen when the resync began, so changes made meanwhile come again.
/// Known gap: on PostgreSQL Tryton stamps a transaction's start time, so a long transaction that commits after a
/// pull may carry a time before the cursor and be missed; a periodic full resync covers that.
/// </summary>
public sealed class ChangeFeed(
    TrytonJsonRpcClient rpc,
    Func<CancellationToken, Task<IEnumerable<string>>> allKeys,
    IReadOnlyList<ChangeSource> sources,
    int pageSize)
{
    public sealed record Page(IReadOnlyList<ChangedKey> Keys, string? NextCursor, bool HasMore);

    public async Task<Page> NextAsync(string? cursorText, CancellationToken ct)
    {
        var cursor = ChangeCursor.Parse(cursorText);
        if (cursor is null || cursor.FullResync) return await FullAsync(cursor, ct);
        return await IncrementalAsync(cursor, ct);
    }

    private async Task<Page> FullAsync(ChangeCursor? cursor, CancellationToken ct)
    {
        // Read the floor before the data, so anything that changes while we read comes again afterwards.
        var floor = cursor?.At ?? await LatestChangeAsync(ct);
        var after = cursor?.Key ?? "";
        var remaining = (await allKeys(ct)).Distinct()
            .Where(k => string.CompareOrdinal(k, after) > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        var page = remaining.Take(pageSize).Select(k => new ChangedKey(k, null)).ToList();
        return remaining.Count > pageSize
            ? new Page(page, ChangeCursor.Full(floor, page[^1].Key).ToString(), true)
            : new Page(page, ChangeCursor.After(floor).ToString(), false);
    }

    private async Task<Page> IncrementalAsync(ChangeCursor cursor, CancellationToken ct)
    {
        var latest = new Dictionary<string, DateTime>();
        foreach (var source in sources)
        {
            var records = await rpc.SearchReadAsync(source.Model,
                [.. source.Domain, ChangedSince(cursor.At)],
                ["create_date", "write_date", .. source.Fields], ct,
                context: source.IncludeInactive ? InactiveToo : null);
            if (records.Count == 0) continue;
            foreach (var (key, at) in await source.KeysOf(records, ct))
                if (!latest.TryGetValue(key, out var seen) || at > seen) latest[key] = at;
        }
        var changed = latest
            .Where(kv => cursor.IsBefore(kv.Value, kv.Key))
            .OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        if (changed.Count == 0) return new Page([], cursor.ToString(), false);
        var page = changed.Take(pageSize).Select(kv => new ChangedKey(kv.Key, kv.Value)).ToList();
        var last = page[^1];
        return new Page(page, ChangeCursor.Incremental(last.At!.Value, last.Key).ToString(), changed.Count > pageSize);
    }

    /// <summary>The latest change time over all sources (DateTime.MinValue for an empty database).</summary>
    private async Task<DateTime> LatestChangeAsync(CancellationToken ct)
    {
        var latest = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        foreach (var source in sources)
        {
            var context = source.IncludeInactive ? InactiveToo : null;
            foreach (var field in new[] { "write_date", "create_date" })
            {
                var rows = await rpc.SearchReadAsync(source.Model, [.. source.Domain, D(field, "!=", null)],
                    [field], ct, order: $"{field} DESC", limit: 1, context: context);
                if (rows.Count == 1 && rows[0].DateTimeOrNull(field) is { } at && at > latest) latest = at;
            }
        }
        return latest;
    }

    public static readonly IReadOnlyDictionary<string, object?> InactiveToo =
        new Dictionary<string, object?> { ["active_test"] = false };

    /// <summary>Records whose change time (write_date, else create_date) is at or after <paramref name="at"/>.</summary>
    private static object?[] ChangedSince(DateTime at) =>
        ["OR", D("write_date", ">=", at), D("create_date", ">=", at)];

    /// <summary>The latest of the feed's change time for a key (null during a full resync) and the records' own times.</summary>
    public static DateTime Latest(DateTime? fromFeed, params DateTime[] records) =>
        records.Append(fromFeed ?? DateTime.MinValue).Max();

    /// <summary>Helper for <see cref="ChangeSource.KeysOf"/>: the key is a field (or the id) of each record.</summary>
    public static Func<IReadOnlyList<TrytonRecord>, CancellationToken, Task<IEnumerable<(string, DateTime)>>> KeyFromField(
        string field, string prefix = "") =>
        (records, _) => Task.FromResult(records
            .Where(r => field == "id" || r.IntOrNull(field) is not null)
            .Select(r => (prefix + (field == "id" ? r.Id : r.Int(field)), r.ChangedAt)));
}
