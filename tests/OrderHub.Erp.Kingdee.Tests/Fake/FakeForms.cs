namespace OrderHub.Erp.Kingdee.Tests.Fake;

/// <summary>One business object document: header values plus named entities (单据体) of rows, keyed by query field key.</summary>
public sealed class FakeDoc
{
    public Dictionary<string, object?> Header { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, List<Dictionary<string, object?>>> Entities { get; } = new(StringComparer.OrdinalIgnoreCase);

    public object? this[string key]
    {
        get => Header.TryGetValue(key, out var v) ? v : null;
        set => Header[key] = value;
    }

    public List<Dictionary<string, object?>> Entity(string name) =>
        Entities.TryGetValue(name, out var list) ? list : Entities[name] = [];

    public static Dictionary<string, object?> Row(params (string Key, object? Value)[] values)
    {
        var d = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in values) d[k] = v;
        return d;
    }
}

/// <summary>A form (业务对象) of the fake: its documents and which field keys exist on the header and on each entity.</summary>
public sealed class FakeForm(string id, IEnumerable<string> headerKeys, IReadOnlyDictionary<string, string[]>? entityKeys = null)
{
    public string Id { get; } = id;
    public HashSet<string> HeaderKeys { get; } = new(headerKeys, StringComparer.OrdinalIgnoreCase);
    public IReadOnlyDictionary<string, HashSet<string>> EntityKeys { get; } =
        (entityKeys ?? new Dictionary<string, string[]>()).ToDictionary(p => p.Key, p => new HashSet<string>(p.Value, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    public List<FakeDoc> Docs { get; } = [];

    public bool Knows(string key) => HeaderKeys.Contains(key) || EntityKeys.Values.Any(s => s.Contains(key));

    /// <summary>
    /// Flattens documents the way a bill query does: one row per header when only header keys are used, one row per
    /// entity row when that entity's keys are used (several entities: their cross product; an empty entity: header with NULLs).
    /// </summary>
    public IEnumerable<Dictionary<string, object?>> Flatten(IEnumerable<string> usedKeys)
    {
        var keys = usedKeys.ToList();
        var touched = EntityKeys.Where(e => keys.Any(k => e.Value.Contains(k) && !HeaderKeys.Contains(k))).Select(e => e.Key).ToList();
        foreach (var doc in Docs)
        {
            IEnumerable<Dictionary<string, object?>> rows = [new Dictionary<string, object?>(doc.Header, StringComparer.OrdinalIgnoreCase)];
            foreach (var entity in touched)
            {
                var entityRows = doc.Entities.TryGetValue(entity, out var list) && list.Count > 0 ? list : [new Dictionary<string, object?>()];
                rows = rows.SelectMany(r => entityRows.Select(er =>
                {
                    var merged = new Dictionary<string, object?>(r, StringComparer.OrdinalIgnoreCase);
                    foreach (var (k, v) in er) merged[k] = v;
                    return merged;
                })).ToList();
            }
            foreach (var r in rows) yield return r;
        }
    }
}
