namespace OrderHub.Erp.Tryton.Rpc;

/// <summary>Typed wrappers for the standard model methods (<c>model.&lt;name&gt;.&lt;method&gt;</c>).</summary>
public static class TrytonModelCalls
{
    public static async Task<List<TrytonRecord>> SearchReadAsync(this TrytonJsonRpcClient c, string model,
        object?[] domain, string[] fields, CancellationToken ct,
        string? order = "id", int? limit = null, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await c.CallAsync($"model.{model}.search_read",
            [domain, 0, limit, Order(order), fields], context, ct);
        return Records(result);
    }

    public static async Task<List<int>> SearchAsync(this TrytonJsonRpcClient c, string model, object?[] domain,
        CancellationToken ct, string? order = "id", int? limit = null, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await c.CallAsync($"model.{model}.search", [domain, 0, limit, Order(order)], context, ct);
        return Ids(result);
    }

    public static async Task<List<TrytonRecord>> ReadAsync(this TrytonJsonRpcClient c, string model,
        IReadOnlyCollection<int> ids, string[] fields, CancellationToken ct,
        IReadOnlyDictionary<string, object?>? context = null)
    {
        if (ids.Count == 0) return [];
        return Records(await c.CallAsync($"model.{model}.read", [ids, fields], context, ct));
    }

    public static async Task<List<int>> CreateAsync(this TrytonJsonRpcClient c, string model,
        IReadOnlyList<Dictionary<string, object?>> values, CancellationToken ct,
        IReadOnlyDictionary<string, object?>? context = null) =>
        Ids(await c.CallAsync($"model.{model}.create", [values], context, ct));

    public static async Task<int> CreateOneAsync(this TrytonJsonRpcClient c, string model,
        Dictionary<string, object?> values, CancellationToken ct, IReadOnlyDictionary<string, object?>? context = null) =>
        (await c.CreateAsync(model, [values], ct, context))[0];

    public static Task WriteAsync(this TrytonJsonRpcClient c, string model, IReadOnlyCollection<int> ids,
        Dictionary<string, object?> values, CancellationToken ct, IReadOnlyDictionary<string, object?>? context = null) =>
        c.CallAsync($"model.{model}.write", [ids, values], context, ct);

    public static Task DeleteAsync(this TrytonJsonRpcClient c, string model, IReadOnlyCollection<int> ids,
        CancellationToken ct) =>
        c.CallAsync($"model.{model}.delete", [ids], null, ct);

    /// <summary>Runs a button (workflow transition) such as <c>sale.sale</c> <c>quote</c>.</summary>
    public static Task<object?> ButtonAsync(this TrytonJsonRpcClient c, string model, string button,
        IReadOnlyCollection<int> ids, CancellationToken ct, IReadOnlyDictionary<string, object?>? context = null) =>
        c.CallAsync($"model.{model}.{button}", [ids], context, ct);

    /// <summary>
    /// Runs the on_change of <paramref name="field"/> the way the Tryton client does: the server only sees the
    /// values it is sent, so every field the on_change depends on (from <c>fields_get</c>) is sent, null when unknown.
    /// Returns the changed values, without the <c>x.rec_name</c> display helpers.
    /// </summary>
    public static async Task<Dictionary<string, object?>> OnChangeAsync(this TrytonJsonRpcClient c, string model,
        string field, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var definition = (Dictionary<string, object?>)(await c.CallAsync($"model.{model}.fields_get", [new[] { field }], null, ct))!;
        var fieldDef = (Dictionary<string, object?>)definition[field]!;
        var depends = fieldDef.TryGetValue("on_change", out var d) && d is List<object?> list
            ? list.Cast<string>() : [];
        var sent = new Dictionary<string, object?>(values);
        foreach (var name in depends) sent.TryAdd(name, null);
        var result = await c.CallAsync($"model.{model}.on_change", [sent, new[] { field }], null, ct);
        var changes = result is List<object?> { Count: > 0 } l ? (Dictionary<string, object?>)l[0]! : [];
        return changes.Where(kv => !kv.Key.Contains('.')).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>Accepts a <c>UserWarning</c> once (what clicking "Yes" in the Tryton client does).</summary>
    public static Task AcceptWarningAsync(this TrytonJsonRpcClient c, string warningName, CancellationToken ct) =>
        c.CreateAsync("res.user.warning",
            [new() { ["user"] = c.UserId, ["name"] = warningName, ["always"] = false }], ct);

    /// <summary>The database id of an XML record, e.g. ("product", "uom_unit").</summary>
    public static async Task<int> ModelDataIdAsync(this TrytonJsonRpcClient c, string module, string fsId,
        CancellationToken ct)
    {
        var rows = await c.SearchReadAsync("ir.model.data",
            [new object?[] { "module", "=", module }, new object?[] { "fs_id", "=", fsId }], ["db_id"], ct, limit: 1);
        return rows.Count == 1 ? rows[0].Int("db_id") : throw new InvalidOperationException($"No XML id {module}.{fsId}.");
    }

    /// <summary>Domain clause helper: <c>D("code", "=", "X")</c>.</summary>
    public static object?[] D(string field, string op, object? value) => [field, op, value];

    private static object? Order(string? order) =>
        order is null ? null : order.Split(',').Select(o =>
        {
            var parts = o.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new object?[] { parts[0], parts.Length > 1 ? parts[1].ToUpperInvariant() : "ASC" };
        }).ToList();

    private static List<TrytonRecord> Records(object? result) =>
        ((List<object?>)result!).Select(r => new TrytonRecord((Dictionary<string, object?>)r!)).ToList();

    private static List<int> Ids(object? result) =>
        ((List<object?>)result!).Select(x => checked((int)(long)x!)).ToList();
}
