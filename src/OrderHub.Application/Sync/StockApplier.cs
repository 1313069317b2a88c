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

    protected override async Task<long> ApplyRowAsync(DbConnection c, DbTransaction tx, ErpStockLevel s, PageIssues issues, long nowMs)
    {
        var productId = await CodeLookups.ProductIdAsync(c, tx, s.ProductCode);
        if (productId is null)
        {
            issues.Skip(KeyOf(s), $"库存行的商品 {s.ProductCode} 在 OrderHub 中不存在 / Stock for unknown product {s.ProductCode}");
            return 0;
        }
        if (string.IsNullOrWhiteSpace(s.WarehouseCode))
        {
            issues.Skip(KeyOf(s), "库存行缺少仓库编码 / Stock row without a warehouse code");
            return 0;
        }
        var onHand = s.OnHand;
        if (onHand < 0)
        {
            issues.Corrected(KeyOf(s), $"负库存 {s.OnHand}，按 0 处理 / Negative stock {s.OnHand} taken as 0");
            onHand = 0;
        }
        var warehouseId = await CodeLookups.WarehouseIdAsync(c, tx, s.WarehouseCode.Trim());
        return await c.ExecuteAsync("""
            INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at) VALUES (@productId, @warehouseId, @onHand, 0, @nowMs)
            ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at
            WHERE stock.on_hand <> excluded.on_hand
            """, new { productId, warehouseId, onHand, nowMs }, tx);
    }
}
