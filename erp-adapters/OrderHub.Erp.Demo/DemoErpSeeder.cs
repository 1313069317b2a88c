using Microsoft.Data.Sqlite;
using OrderHub.DemoData;

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

        await InsertAsync(c, tx, "warehouses (code, name)", d.Warehouses.Select(w => Row(w.Code, w.Name)));
        var paths = CategoryPaths(d);
        await InsertAsync(c, tx, "products (code, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_path, base_price_fen, active, changed_at, seq, cost_fen)",
            d.Products.Select(p => Row(p.Sku, p.Name, p.Spec, p.Unit, p.PackSize, p.MinOrderQty, p.Barcode, p.Brand, paths[p.CategoryCode],
                p.BasePriceFen, p.Active, nowMs, seq++, DemoCosts.UnitCostFen(p))));
        await InsertAsync(c, tx, "product_units (product_code, unit, factor, price_fen, erp_code)",
            d.Products.SelectMany(p => (p.Units ?? []).Select(u => Row(p.Sku, u.Name, u.Factor, u.PriceFen, u.ErpCode))));
        await InsertAsync(c, tx, "stock (product_code, warehouse_code, on_hand, changed_at, seq)",
            d.Stock.Select(s => Row(s.Sku, s.WarehouseCode, s.OnHand, nowMs, seq++)));

        const string prices = "prices (product_code, scope, scope_code, min_qty, price_fen, is_tracking, changed_at, seq)";
        await InsertAsync(c, tx, prices, d.Products.Select(p =>
            Row(p.Sku, nameof(ErpPriceScope.Base), "", 1L, p.BasePriceFen, false, nowMs, seq++)));
        await InsertAsync(c, tx, prices, d.PriceListItems.Select(i =>
            Row(i.Sku, nameof(ErpPriceScope.CustomerGroup), groupOfList[i.PriceListCode], i.MinQty, i.PriceFen, false, nowMs, seq++)));
        await InsertAsync(c, tx, prices, d.CustomerPrices.Select(p =>
            Row(p.Sku, nameof(ErpPriceScope.Customer), p.CustomerCode, p.MinQty, p.PriceFen, p.Source == "erp_tracking", nowMs, seq++)));

        await InsertAsync(c, tx, "customers (code, name, contact, phone, address, group_code, warehouse_code, credit_limit_fen, receivable_fen, active, changed_at, seq)",
            d.Customers.Select(x => Row(x.Code, x.Name, x.ContactName, x.Phone, x.Address, x.GroupCode, x.WarehouseCode, x.CreditLimitFen, x.ReceivableFen,
                true, nowMs, seq++)));
    }

    private static object?[] Row(params object?[] values) => values;

    /// <summary>
    /// Inserts rows in their order with one prepared INSERT run for each row; <paramref name="target"/> is "table (column, …)".
    /// (Dapper's list form did the same with more work per row; multi-row INSERTs measured slower, as binding parameters by
    /// name costs more the more a statement has.)
    /// </summary>
    private static async Task InsertAsync(SqliteConnection c, SqliteTransaction tx, string target, IEnumerable<object?[]> rows)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        foreach (var row in rows)
        {
            if (insert.Parameters.Count == 0)
            {
                for (var i = 0; i < row.Length; i++) insert.Parameters.Add(new SqliteParameter($"@p{i}", null));
                insert.CommandText = $"INSERT INTO {target} VALUES ({string.Join(", ", insert.Parameters.Cast<SqliteParameter>().Select(p => p.ParameterName))})";
            }
            for (var i = 0; i < row.Length; i++) insert.Parameters[i].Value = row[i] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
        }
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
