using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton;

public sealed record TrytonWarehouse(int Id, string Code, int StorageLocationId);

/// <summary>Small lookups every feed needs (company currency, warehouses, product codes); cached for the adapter's lifetime.</summary>
public sealed class TrytonMasterData(TrytonJsonRpcClient rpc, TrytonOptions options)
{
    private string? _currency;
    private IReadOnlyList<TrytonWarehouse>? _warehouses;
    private DateTime _warehousesReadAt;

    public async Task<string> CurrencyCodeAsync(CancellationToken ct)
    {
        if (_currency is not null) return _currency;
        var company = (await rpc.ReadAsync("company.company", [await rpc.CompanyIdAsync(ct)], ["currency"], ct)).Single();
        var currency = (await rpc.ReadAsync("currency.currency", [company.Int("currency")], ["code"], ct)).Single();
        return _currency = currency.String("code") ?? "CNY";
    }

    /// <summary>The warehouses named in <see cref="TrytonOptions.WarehouseCodes"/> (all warehouses with a code when null).</summary>
    public async Task<IReadOnlyList<TrytonWarehouse>> WarehousesAsync(CancellationToken ct)
    {
        // Re-read now and then, so a warehouse added in Tryton shows without a restart.
        if (_warehouses is not null && DateTime.UtcNow - _warehousesReadAt < TimeSpan.FromMinutes(5)) return _warehouses;
        var rows = await rpc.SearchReadAsync("stock.location", [D("type", "=", "warehouse")],
            ["code", "storage_location"], ct);
        var all = rows.Where(r => r.String("code") is not null)
            .Select(r => new TrytonWarehouse(r.Id, r.String("code")!, r.Int("storage_location")))
            .ToList();
        if (options.WarehouseCodes is { } wanted)
        {
            var missing = wanted.Except(all.Select(w => w.Code)).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"Tryton has no warehouse with code {string.Join(", ", missing)}.");
            all = all.Where(w => wanted.Contains(w.Code)).ToList();
        }
        _warehousesReadAt = DateTime.UtcNow;
        return _warehouses = all;
    }

    /// <summary>Names of Tryton warehouses that have no code (they cannot be tied to OrderHub and are not reported).</summary>
    public async Task<IReadOnlyList<string>> WarehousesWithoutCodeAsync(CancellationToken ct) =>
        (await rpc.SearchReadAsync("stock.location", [D("type", "=", "warehouse"), D("code", "=", null)], ["name"], ct))
            .Select(r => r.String("name") ?? $"#{r.Id}").ToList();

    /// <summary>Product id → code, for products that have a code (inactive ones included).</summary>
    public async Task<Dictionary<int, string>> ProductCodesAsync(IReadOnlyCollection<int> ids, CancellationToken ct) =>
        (await rpc.ReadAsync("product.product", ids.Distinct().ToList(), ["code"], ct, ChangeFeed.InactiveToo))
            .Where(r => r.String("code") is not null)
            .ToDictionary(r => r.Id, r => r.String("code")!);

    /// <summary>Parties that are companies in Tryton (they have codes too but are not customers).</summary>
    public async Task<HashSet<int>> CompanyPartyIdsAsync(CancellationToken ct) =>
        (await rpc.SearchReadAsync("company.company", [], ["party"], ct)).Select(r => r.Int("party")).ToHashSet();
}
