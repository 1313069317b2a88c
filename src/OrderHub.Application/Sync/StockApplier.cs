using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP stock → <c>stock.on_hand</c> per product and warehouse (a warehouse OrderHub does not know is created).
/// Never touches <c>reserved</c>: that belongs to OrderHub's open orders. Negative stock is taken as 0 and recorded.
/// </summary>
public sealed class StockApplier(Db db, TimeProvider clock) : RowPageApplier<ErpStockLevel>(db, clock)
{
    public override string Feed => SyncFeed.Stock;
    public override DateTimeOffset? ChangedAt(ErpStockLevel item) => item.ChangedAt;
    protected override string? KeyOf(ErpStockLevel item) => $"{item.ProductCode}@{item.WarehouseCode}";

    /// <summary>Product ids by SKU read so far in this run.</summary>
    private readonly Dictionary<string, long> _productIds = new(StringComparer.Ordinal);

    protected override async Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpStockLevel> items, PageIssues issues, long nowMs)
    {
        var products = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "products", "sku", items.Select(s => s.ProductCode), _productIds);
        var rows = new List<(long ProductId, string Warehouse, long OnHand)>(items.Count);
        foreach (var s in items)
        {
            if (s.ProductCode is null || !products.TryGetValue(s.ProductCode, out var productId))
            {
                issues.Skip(KeyOf(s), $"库存行的商品 {s.ProductCode} 在 OrderHub 中不存在 / Stock for unknown product {s.ProductCode}");
                continue;
            }
            if (string.IsNullOrWhiteSpace(s.WarehouseCode))
            {
                issues.Skip(KeyOf(s), "库存行缺少仓库编码 / Stock row without a warehouse code");
                continue;
            }
            var onHand = s.OnHand;
            if (onHand < 0)
            {
                issues.Corrected(KeyOf(s), $"负库存 {s.OnHand}，按 0 处理 / Negative stock {s.OnHand} taken as 0");
                onHand = 0;
            }
            rows.Add((productId, s.WarehouseCode.Trim(), onHand));
        }
        // Warehouses are few: created (when new) in the order the rows name them, as row by row.
        var warehouses = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var code in rows.Select(r => r.Warehouse).Distinct(StringComparer.Ordinal))
            warehouses[code] = await CodeLookups.WarehouseIdAsync(c, tx, code);
        long changed = 0;
        foreach (var round in BulkRows.Rounds(rows, r => (r.ProductId, warehouses[r.Warehouse])))
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, "INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at)", """
                ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at
                WHERE stock.on_hand <> excluded.on_hand
                """, BulkRows.Types("bigint, bigint, bigint, bigint, bigint"),
                round.Select(r => new object?[] { r.ProductId, warehouses[r.Warehouse], r.OnHand, 0L, nowMs }).ToList(), 5000);
        return changed;
    }
}
