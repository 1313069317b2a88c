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

/// <summary>
/// A form (业务对象) of the fake, declared the way Kingdee's metadata declares it: a header entity <c>FBillHead</c>
/// with its primary key, optional one-to-one sub-heads (e.g. SAL_SaleOrder <c>FSaleOrderFinance</c>, BD_MATERIAL
/// <c>SubHeadEntity</c>, queried as if they were header fields) and entry entities (单据体) with their rows.
/// <para>Query keys: a field key (<c>FNumber</c>), a base-data property (<c>FCustId.FNumber</c>, <c>.FName</c>) of a
/// base-data field, a primary key (<c>FID</c>, <c>FMATERIALID</c>), or an entry id <c>{Entity}_FEntryID</c>
/// ([published] Kingdee ExecuteBillQuery docs: "查询单据体内码,需加单据体Key和下划线,如:FEntryKey_FEntryId").
/// Anything else is unknown and refused by the server (MsgCode 9).</para>
/// </summary>
public sealed class FakeForm
{
    public string Id { get; }
    public string PrimaryKey { get; }
    /// <summary>Header and sub-head entity → its field keys (base data fields declared with their property, e.g. "FCustId.FNumber").</summary>
    public IReadOnlyDictionary<string, string[]> Heads { get; }
    /// <summary>Entry entity → its field keys.</summary>
    public IReadOnlyDictionary<string, string[]> EntityKeys { get; }
    public List<FakeDoc> Docs { get; } = [];

    private readonly HashSet<string> _headerKeys;
    private readonly HashSet<string> _forgotten = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Removes a field (bare key, e.g. "FRowAuditStatus") from this data centre's form, as a variant data centre may lack it.</summary>
    public void Forget(string bareKey) => _forgotten.Add(bareKey);

    public FakeForm(string id, string primaryKey, IReadOnlyDictionary<string, string[]> heads, IReadOnlyDictionary<string, string[]>? entities = null)
    {
        Id = id;
        PrimaryKey = primaryKey;
        Heads = heads;
        EntityKeys = entities ?? new Dictionary<string, string[]>();
        _headerKeys = new HashSet<string>(heads.Values.SelectMany(k => k).Append(primaryKey), StringComparer.OrdinalIgnoreCase);
    }

    public FakeForm(string id, string primaryKey, IEnumerable<string> headerKeys, IReadOnlyDictionary<string, string[]>? entities = null)
        : this(id, primaryKey, new Dictionary<string, string[]> { ["FBillHead"] = headerKeys.ToArray() }, entities) { }

    /// <summary>Which entry entity a key belongs to; null for header keys; throws for unknown keys (use <see cref="Knows"/> first).</summary>
    public string? EntityOf(string key)
    {
        if (_headerKeys.Contains(key)) return null;
        foreach (var (entity, keys) in EntityKeys)
            if (key.Equals($"{entity}_FEntryID", StringComparison.OrdinalIgnoreCase) || keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                return entity;
        throw new KeyNotFoundException(key);
    }

    public bool Knows(string key)
    {
        if (_forgotten.Contains(key.Split('.')[0])) return false;
        if (_headerKeys.Contains(key)) return true;
        return EntityKeys.Any(e => key.Equals($"{e.Key}_FEntryID", StringComparison.OrdinalIgnoreCase) || e.Value.Contains(key, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The field keys as QueryBusinessInfo lists them: per entity, the bare keys (no ".FNumber").</summary>
    public IEnumerable<(string Entity, string PkFieldName, IReadOnlyList<string> Fields)> Metadata()
    {
        IReadOnlyList<string> Bare(IEnumerable<string> keys) =>
            keys.Select(k => k.Split('.')[0]).Where(k => !_forgotten.Contains(k)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var (head, keys) in Heads) yield return (head, head == "FBillHead" ? PrimaryKey : "", Bare(keys));
        foreach (var (entity, keys) in EntityKeys) yield return (entity, "FENTRYID", Bare(keys));
    }

    /// <summary>
    /// Flattens documents the way a bill query does: one row per header when only header keys are used, one row per
    /// entity row when that entity's keys are used (several entities: their cross product; an empty entity: header with NULLs).
    /// </summary>
    public IEnumerable<Dictionary<string, object?>> Flatten(IEnumerable<string> usedKeys)
    {
        var touched = usedKeys.Select(EntityOf).Where(e => e is not null).Select(e => e!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
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
