using Dapper;
using Microsoft.Data.Sqlite;
using OrderHub.Application.DemoData;

namespace OrderHub.Erp.Demo;

/// <summary>
/// Loads a generated distributor into the demo ERP: products (category path of names), stock per warehouse,
/// base prices, group price lists (with tiers) and customer prices (erp_tracking ones as 客户跟踪价), customers with receivables.
/// </summary>
internal static class DemoErpSeeder
{
    public static async Task SeedAsync(SqliteConnection c, SqliteTransaction tx, DemoDataSet d, long nowMs)
    {
        var groupOfList = d.PriceLists.ToDictionary(l => l.Code, l => l.GroupCode);
        var rows = d.Products.Count * 2 + d.Stock.Count + d.PriceListItems.Count + d.CustomerPrices.Count + d.Customers.Count;
        var seq = await ChangeSequence.ReserveAsync(c, tx, rows);

        await c.ExecuteAsync("INSERT INTO warehouses (code, name) VALUES (@Code, @Name)", d.Warehouses, tx);
        var paths = CategoryPaths(d);
        await c.ExecuteAsync("""
            INSERT INTO products (code, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_path, base_price_fen, active, changed_at, seq)
            VALUES (@Sku, @Name, @Spec, @Unit, @PackSize, @MinOrderQty, @Barcode, @Brand, @Path, @BasePriceFen, @Active, @now, @seq)
            """, d.Products.Select(p => new
        {
            p.Sku, p.Name, p.Spec, p.Unit, p.PackSize, p.MinOrderQty, p.Barcode, p.Brand, Path = paths[p.CategoryCode],
            p.BasePriceFen, p.Active, now = nowMs, seq = seq++,
        }), tx);
        await c.ExecuteAsync("INSERT INTO stock (product_code, warehouse_code, on_hand, changed_at, seq) VALUES (@Sku, @WarehouseCode, @OnHand, @now, @seq)",
            d.Stock.Select(s => new { s.Sku, s.WarehouseCode, s.OnHand, now = nowMs, seq = seq++ }), tx);

        const string insertPrice = """
            INSERT INTO prices (product_code, scope, scope_code, min_qty, price_fen, is_tracking, changed_at, seq)
            VALUES (@Sku, @Scope, @ScopeCode, @MinQty, @PriceFen, @Tracking, @now, @seq)
            """;
        await c.ExecuteAsync(insertPrice, d.Products.Select(p => new
            { p.Sku, Scope = nameof(ErpPriceScope.Base), ScopeCode = "", MinQty = 1L, PriceFen = p.BasePriceFen, Tracking = false, now = nowMs, seq = seq++ }), tx);
        await c.ExecuteAsync(insertPrice, d.PriceListItems.Select(i => new
            { i.Sku, Scope = nameof(ErpPriceScope.CustomerGroup), ScopeCode = groupOfList[i.PriceListCode], i.MinQty, i.PriceFen, Tracking = false, now = nowMs, seq = seq++ }), tx);
        await c.ExecuteAsync(insertPrice, d.CustomerPrices.Select(p => new
            { p.Sku, Scope = nameof(ErpPriceScope.Customer), ScopeCode = p.CustomerCode, p.MinQty, p.PriceFen, Tracking = p.Source == "erp_tracking", now = nowMs, seq = seq++ }), tx);

        await c.ExecuteAsync("""
            INSERT INTO customers (code, name, contact, phone, address, group_code, warehouse_code, credit_limit_fen, receivable_fen, active, changed_at, seq)
            VALUES (@Code, @Name, @ContactName, @Phone, @Address, @GroupCode, @WarehouseCode, @CreditLimitFen, @ReceivableFen, 1, @now, @seq)
            """, d.Customers.Select(x => new
        {
            x.Code, x.Name, x.ContactName, x.Phone, x.Address, x.GroupCode, x.WarehouseCode, x.CreditLimitFen, x.ReceivableFen, now = nowMs, seq = seq++,
        }), tx);
    }

    /// <summary>"饮料/饮用水" for each category code.</summary>
    private static Dictionary<string, string> CategoryPaths(DemoDataSet d)
    {
        var byCode = d.Categories.ToDictionary(c => c.Code);
        return byCode.Keys.ToDictionary(code => code, code =>
        {
            var names = new List<string>();
            for (var c = byCode[code]; ; c = byCode[c.ParentCode])
            {
                names.Insert(0, c.Name);
                if (c.ParentCode is null) break;
            }
            return string.Join('/', names);
        });
    }
}
