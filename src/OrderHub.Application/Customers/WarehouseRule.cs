using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Settings;

namespace OrderHub.Application.Customers;

/// <summary>Section <c>Erp</c>: which adapter (read by the host) and the warehouse of stores the ERP ties to none.</summary>
public sealed class ErpOptions : IValidatedSettings
{
    public string Adapter { get; set; } = "Demo";
    /// <summary>Code of the warehouse (as the ERP's stock feed names it, e.g. Tryton's "WH") serving stores whose ERP record names none.</summary>
    public string? DefaultWarehouse { get; set; }

    public IEnumerable<string> Validate()
    {
        if (DefaultWarehouse is { Length: > 64 }) yield return "DefaultWarehouse is a warehouse code, up to 64 characters";
    }
}

public sealed class WarehouseRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long ProductsInStock { get; init; }
    public long Stores { get; init; }
}

/// <summary>
/// Which warehouse serves a store. The ERP's, where its customer record names one (source <c>erp</c>, followed on every
/// sync); else one a person chose in the console (<c>manual</c>, kept by the sync); else the default rule (<c>default</c>,
/// chosen again by every customers sync, so stores tied before the stock arrived are repaired):
/// the default warehouse set in the console → <c>Erp:DefaultWarehouse</c> → the warehouse holding stock of the most
/// products → the first warehouse. Only an OrderHub with no warehouse at all gets a placeholder MAIN, repaired later.
/// </summary>
public sealed class WarehouseRule(Db db, ErpOptions erp, TimeProvider clock)
{
    public const string SourceErp = "erp", SourceManual = "manual", SourceDefault = "default";
    private const string DefaultSettingKey = "default_warehouse";

    public async Task<long> DefaultIdAsync(DbConnection c, DbTransaction tx)
    {
        foreach (var code in new[] { await c.ExecuteScalarAsync<string?>("SELECT setting_value FROM app_settings WHERE setting_key = @k", new { k = DefaultSettingKey }, tx), erp.DefaultWarehouse })
            if (!string.IsNullOrWhiteSpace(code) && await c.ExecuteScalarAsync<long?>("SELECT id FROM warehouses WHERE code = @code", new { code = code.Trim() }, tx) is { } id)
                return id;
        return await c.ExecuteScalarAsync<long?>("""
                SELECT w.id FROM warehouses w
                ORDER BY (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.on_hand > 0) DESC, w.id
                LIMIT 1
                """, transaction: tx)
            ?? await c.ExecuteScalarAsync<long>("INSERT INTO warehouses (code, name) VALUES ('MAIN', '主仓') RETURNING id", transaction: tx);
    }

    /// <summary>Moves every store on the default rule to the current default warehouse; returns how many moved.</summary>
    public async Task<int> RepairAsync(DbConnection c, DbTransaction tx)
    {
        var id = await DefaultIdAsync(c, tx);
        return await c.ExecuteAsync("UPDATE customers SET warehouse_id = @id, updated_at = @now WHERE warehouse_source = 'default' AND warehouse_id <> @id",
            new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
    }

    public async Task<int> RepairAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var n = await RepairAsync(c, tx);
        await tx.CommitAsync(ct);
        return n;
    }

    public async Task<IReadOnlyList<WarehouseRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<WarehouseRow>("""
            SELECT w.id AS Id, w.code AS Code, w.name AS Name,
                   (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.on_hand > 0) AS ProductsInStock,
                   (SELECT COUNT(*) FROM customers cu WHERE cu.warehouse_id = w.id AND cu.active = TRUE) AS Stores
            FROM warehouses w ORDER BY w.code
            """)).AsList();
    }

    /// <summary>The console's default warehouse (null clears it); false when there is no warehouse with that code. Stores on the default rule move at once.</summary>
    public async Task<bool> SetDefaultAsync(string? code, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (code is not null && await c.ExecuteScalarAsync<long?>("SELECT id FROM warehouses WHERE code = @code", new { code }, tx) is null) return false;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await c.ExecuteAsync("""
            INSERT INTO app_settings (setting_key, setting_value, updated_at) VALUES (@k, @code, @now)
            ON CONFLICT (setting_key) DO UPDATE SET setting_value = excluded.setting_value, updated_at = excluded.updated_at
            """, new { k = DefaultSettingKey, code, now }, tx);
        await RepairAsync(c, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// A person ties a store to a warehouse (kept by later syncs unless the ERP names one), or with null hands it back to the
    /// default rule. Null when there is no such store; false when there is no such warehouse.
    /// </summary>
    public async Task<bool?> SetForStoreAsync(long customerId, string? code, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @customerId", new { customerId }, tx) == 0) return null;
        long id;
        if (code is null) id = await DefaultIdAsync(c, tx);
        else if (await c.ExecuteScalarAsync<long?>("SELECT id FROM warehouses WHERE code = @code", new { code }, tx) is { } w) id = w;
        else return false;
        await c.ExecuteAsync("UPDATE customers SET warehouse_id = @id, warehouse_source = @source, updated_at = @now WHERE id = @customerId",
            new { id, source = code is null ? SourceDefault : SourceManual, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), customerId }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Active stores whose warehouse holds no stock at all (they would see everything out of stock): how many, and the
    /// first <paramref name="limit"/> of them by code.
    /// </summary>
    public async Task<(long Count, IReadOnlyList<(long Id, string Code, string Name, string Warehouse)> First)> StoresWithoutStockAsync(int limit, CancellationToken ct = default)
    {
        const string withoutStock = """
            FROM customers cu JOIN warehouses w ON w.id = cu.warehouse_id
            WHERE cu.active = TRUE AND NOT EXISTS (SELECT 1 FROM stock s WHERE s.warehouse_id = cu.warehouse_id AND s.on_hand > 0)
            """;
        await using var c = await db.OpenAsync(ct);
        var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) " + withoutStock);
        var first = (await c.QueryAsync<(long, string, string, string)>(
            "SELECT cu.id, cu.code, cu.name, w.code " + withoutStock + " ORDER BY cu.code LIMIT @limit", new { limit })).AsList();
        return (count, first);
    }
}
