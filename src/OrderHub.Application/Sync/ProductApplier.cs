using System.Data.Common;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>ERP products → <c>products</c> (upsert by SKU; category path created when missing; search text refilled).</summary>
public sealed class ProductApplier(Db db, TimeProvider clock) : RowPageApplier<ErpProduct>(db, clock)
{
    /// <summary>Categories found or created in this run (an applier lives for one run; a failed page ends the run).</summary>
    private CategoryPaths _categories = new();

    protected override void OnRowRolledBack() => _categories = new CategoryPaths();

    public override string Feed => SyncFeed.Products;
    public override DateTimeOffset? ChangedAt(ErpProduct item) => item.ChangedAt;
    protected override string? KeyOf(ErpProduct item) => item.Code;

    /// <summary>
    /// Checks one ERP product and returns the values of its row (in <see cref="UpsertHead"/>'s column order), or null after
    /// recording why it is left out. Both the row-by-row and the bulk path use it, so their checks and texts are the same.
    /// </summary>
    private async Task<object?[]?> ValuesAsync(DbConnection c, DbTransaction tx, ErpProduct p, PageIssues issues, long nowMs)
    {
        if (string.IsNullOrWhiteSpace(p.Code) || string.IsNullOrWhiteSpace(p.Name))
        {
            issues.Skip(p.Code, "商品缺少编码或名称 / Product without code or name");
            return null;
        }
        if (!ErpMoney.IsCny(p.Currency))
        {
            issues.Skip(p.Code, $"商品币种为 {p.Currency}，只接受人民币 / Currency {p.Currency} is not CNY");
            return null;
        }
        if (p.BasePriceFen < 0)
        {
            issues.Skip(p.Code, $"基础价为负 / Negative base price {p.BasePriceFen}");
            return null;
        }
        var pack = p.PackSize;
        if (pack < 1)
        {
            issues.Corrected(p.Code, $"箱规 {p.PackSize} 无效，按 1 处理 / Pack size {p.PackSize} taken as 1");
            pack = 1;
        }
        var moq = Math.Max(1, p.MinOrderQty);
        // Categories are found or created once per path (remembered for the run), in the order the rows name them.
        var (categoryId, categoryPath) = await _categories.ResolveAsync(c, tx, p.CategoryPath);
        CatalogTouched();
        var name = p.Name.Trim();
        return
        [
            p.Code, name, p.Spec, string.IsNullOrWhiteSpace(p.Unit) ? "件" : p.Unit.Trim(), pack, moq, p.Barcode, p.Brand,
            categoryId, categoryPath, p.BasePriceFen, p.Active, ProductSearchText.For(name, p.Code, p.Barcode, p.Brand, p.Spec), nowMs,
            p.CostFen is >= 0 ? p.CostFen : null,
        ];
    }

    private const string UpsertHead = """
        INSERT INTO products (sku, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_id, category_path,
                              base_price_fen, active, search_text, updated_at, cost_fen)
        """;

    private static readonly string[] ColumnTypes =
        BulkRows.Types("text, text, text, text, integer, integer, text, text, bigint, text, bigint, boolean, text, bigint, bigint");

    private const string UpsertTail = """
        ON CONFLICT (sku) DO UPDATE SET
            name = excluded.name, spec = excluded.spec, unit = excluded.unit, pack_size = excluded.pack_size,
            min_order_qty = excluded.min_order_qty, barcode = excluded.barcode, brand = excluded.brand,
            category_id = excluded.category_id, category_path = excluded.category_path, base_price_fen = excluded.base_price_fen,
            active = excluded.active, search_text = excluded.search_text, updated_at = excluded.updated_at, cost_fen = excluded.cost_fen
        """;

    protected override async Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpProduct> items, PageIssues issues, long nowMs)
    {
        var rows = new List<object?[]>(items.Count);
        var skus = new List<string>(items.Count);
        foreach (var p in items)
        {
            if (await ValuesAsync(c, tx, p, issues, nowMs) is not { } values) continue;
            skus.Add(p.Code);
            rows.Add(values);
        }
        long changed = 0;
        foreach (var round in BulkRows.Rounds(Enumerable.Range(0, rows.Count), i => skus[i]))
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, UpsertHead, UpsertTail, ColumnTypes, round.Select(i => rows[i]).ToList(), 5000);
        var applied = skus.ToHashSet(StringComparer.Ordinal);
        await ApplyUnitsAsync(c, tx, items.Where(p => p.Units is not null && applied.Contains(p.Code)).ToList(), issues, nowMs);
        return changed;
    }

    /// <summary>
    /// A product's larger units replace what OrderHub had for it, when the adapter sent units (null = the adapter does not
    /// know units; the rows stay). A unit with a factor below 2, its base unit's name or a negative price is left out as an issue.
    /// </summary>
    private async Task ApplyUnitsAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpProduct> products, PageIssues issues, long nowMs)
    {
        if (products.Count == 0) return;
        // Bulk statements, not IN lists or multi-row VALUES of named parameters: on SQLite binding n named parameters costs n²
        // (a 5,000-product page with two units each was 60,000 parameters; the large import stalled for minutes on it).
        var ids = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "products", "sku", products.Select(p => p.Code));
        var rows = new List<object?[]>();
        foreach (var p in products)
        {
            if (!ids.TryGetValue(p.Code, out var id)) continue;
            foreach (var u in p.Units!.GroupBy(u => u.Name?.Trim() ?? "").Select(g => g.First()))
            {
                if (string.IsNullOrWhiteSpace(u.Name) || u.Factor < 2 || u.Name.Trim() == p.Unit?.Trim() || u.PriceFen < 0)
                {
                    issues.Corrected(p.Code, $"单位 {u.Name} (×{u.Factor}) 无效，已忽略 / Unit {u.Name} (×{u.Factor}) is invalid and was left out");
                    continue;
                }
                rows.Add([id, u.Name.Trim(), u.Factor, u.PriceFen, u.ErpCode, nowMs]);
            }
        }
        await BulkRows.ExecuteAsync(c, tx, Dialect, "DELETE FROM product_units WHERE product_id IN (", ")", BulkRows.Types("bigint"),
            ids.Values.Select(id => new object?[] { id }).ToList(), 5000);
        await BulkRows.ExecuteAsync(c, tx, Dialect, "INSERT INTO product_units (product_id, unit, factor, price_fen, erp_code, updated_at)", "",
            BulkRows.Types("bigint, text, integer, bigint, text, bigint"), rows, 5000);
    }
}

