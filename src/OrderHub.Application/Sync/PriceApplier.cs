using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP prices → base price (<c>products.base_price_fen</c>), the customer group's price list (<c>price_list_items</c>, a list
/// per group created when the group has none) and customer prices (<c>customer_prices</c>: source <c>erp_tracking</c> for the
/// 客户跟踪价, <c>contract</c> otherwise). A deleted price is deleted.
/// </summary>
public sealed class PriceApplier(Db db, TimeProvider clock) : RowPageApplier<ErpPrice>(db, clock)
{
    public const string TrackingSource = "erp_tracking";
    public const string ContractSource = "contract";

    public override string Feed => SyncFeed.Prices;
    public override DateTimeOffset? ChangedAt(ErpPrice item) => item.ChangedAt;
    protected override string? KeyOf(ErpPrice p) => p.Scope == ErpPriceScope.Base ? p.ProductCode : $"{p.ProductCode}@{p.Scope}:{p.ScopeCode}";

    private long Touched(long changed)
    {
        if (changed > 0) CatalogTouched();
        return changed;
    }

    private static async Task<long> PriceListOfGroupAsync(DbConnection c, DbTransaction tx, long groupId, string groupCode)
    {
        var existing = await c.ExecuteScalarAsync<long?>(
            "SELECT id FROM price_lists WHERE customer_group_id = @groupId AND active = TRUE ORDER BY id LIMIT 1", new { groupId }, tx);
        if (existing is { } id) return id;
        var code = $"ERP-{groupCode}";
        var name = await c.ExecuteScalarAsync<string>("SELECT name FROM customer_groups WHERE id = @groupId", new { groupId }, tx);
        await c.ExecuteAsync("""
            INSERT INTO price_lists (code, name, customer_group_id, active) VALUES (@code, @name, @groupId, TRUE)
            ON CONFLICT (code) DO UPDATE SET customer_group_id = excluded.customer_group_id, active = TRUE
            """, new { code, name = $"{name} 价目表 (ERP)", groupId }, tx);
        return await c.ExecuteScalarAsync<long>("SELECT id FROM price_lists WHERE code = @code", new { code }, tx);
    }

    private const string GroupUpsertHead = "INSERT INTO price_list_items (price_list_id, product_id, min_qty, price_fen, updated_at)";
    private const string GroupUpsertTail = """
        ON CONFLICT (price_list_id, product_id, min_qty) DO UPDATE SET price_fen = excluded.price_fen, updated_at = excluded.updated_at
        WHERE price_list_items.price_fen <> excluded.price_fen
        """;
    private const string CustomerUpsertHead = "INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at, list_name)";
    private const string CustomerUpsertTail = """
        ON CONFLICT (customer_id, product_id, source, min_qty) DO UPDATE SET price_fen = excluded.price_fen, updated_at = excluded.updated_at,
            list_name = excluded.list_name
        WHERE customer_prices.price_fen <> excluded.price_fen OR COALESCE(customer_prices.list_name, '') <> COALESCE(excluded.list_name, '')
        """;

    /// <summary>Product ids by SKU read so far in this run (a first import's million prices name the same products again and again).</summary>
    private readonly Dictionary<string, long> _productIds = new(StringComparer.Ordinal);

    private sealed record GroupRow(long ListId, long ProductId, long MinQty, long PriceFen, bool Deleted);
    private sealed record CustomerRow(long CustomerId, long ProductId, string Source, long MinQty, long PriceFen, bool Deleted, string? ListName);

    protected override async Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpPrice> items, PageIssues issues, long nowMs)
    {
        var products = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "products", "sku", items.Select(p => p.ProductCode), _productIds);
        var groups = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "customer_groups", "code",
            items.Where(p => p.Scope == ErpPriceScope.CustomerGroup && !string.IsNullOrWhiteSpace(p.ScopeCode)).Select(p => p.ScopeCode));
        var customers = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "customers", "code",
            items.Where(p => p.Scope is not (ErpPriceScope.Base or ErpPriceScope.CustomerGroup) && !string.IsNullOrWhiteSpace(p.ScopeCode)).Select(p => p.ScopeCode));
        var listOfGroup = new Dictionary<long, long>();
        var baseRows = new List<(long ProductId, long PriceFen)>();
        var groupRows = new List<GroupRow>();
        var customerRows = new List<CustomerRow>();
        foreach (var p in items)
        {
            if (!ErpMoney.IsCny(p.Currency))
            {
                issues.Skip(KeyOf(p), $"价格币种为 {p.Currency}，只接受人民币 / Currency {p.Currency} is not CNY");
                continue;
            }
            if (!p.Deleted && (p.PriceFen < 0 || p.MinQty < 1))
            {
                issues.Skip(KeyOf(p), $"价格 {p.PriceFen} 或起始数量 {p.MinQty} 无效 / Invalid price {p.PriceFen} or tier start {p.MinQty}");
                continue;
            }
            if (p.ProductCode is null || !products.TryGetValue(p.ProductCode, out var productId))
            {
                issues.Skip(KeyOf(p), $"价格的商品 {p.ProductCode} 在 OrderHub 中不存在 / Price for unknown product {p.ProductCode}");
                continue;
            }
            switch (p.Scope)
            {
                case ErpPriceScope.Base:
                    if (p.Deleted || p.MinQty != 1)
                    {
                        issues.Skip(KeyOf(p), p.Deleted ? "ERP 删除了基础价，保留原价 / Base price deleted in the ERP; kept" : "基础价不支持数量阶梯 / Base prices have no tiers");
                        continue;
                    }
                    baseRows.Add((productId, p.PriceFen));
                    break;
                case ErpPriceScope.CustomerGroup:
                    if (string.IsNullOrWhiteSpace(p.ScopeCode) || !groups.TryGetValue(p.ScopeCode, out var groupId))
                    {
                        issues.Skip(KeyOf(p), $"客户等级 {p.ScopeCode} 在 OrderHub 中不存在 / Unknown customer group {p.ScopeCode}");
                        continue;
                    }
                    // A group's price list is found (or created) when its first row comes, as row by row.
                    if (!listOfGroup.TryGetValue(groupId, out var listId))
                        listOfGroup[groupId] = listId = await PriceListOfGroupAsync(c, tx, groupId, p.ScopeCode);
                    groupRows.Add(new GroupRow(listId, productId, p.MinQty, p.PriceFen, p.Deleted));
                    break;
                default:
                    if (string.IsNullOrWhiteSpace(p.ScopeCode) || !customers.TryGetValue(p.ScopeCode, out var customerId))
                    {
                        issues.Skip(KeyOf(p), $"客户 {p.ScopeCode} 在 OrderHub 中不存在 / Price for unknown customer {p.ScopeCode}");
                        continue;
                    }
                    customerRows.Add(new CustomerRow(customerId, productId, p.IsTrackingPrice ? TrackingSource : ContractSource, p.MinQty, p.PriceFen, p.Deleted,
                        string.IsNullOrWhiteSpace(p.ListName) ? null : p.ListName.Trim()));
                    break;
            }
        }

        // The base price is part of a product's display half, kept with the catalog snapshot: a change moves the catalog version.
        long baseChanged = 0;
        foreach (var round in BulkRows.Rounds(baseRows, r => r.ProductId))
            baseChanged += await BulkRows.ExecuteAsync(c, tx, Dialect, "UPDATE products SET base_price_fen = v.column2, updated_at = v.column3 FROM (", """
                ) AS v WHERE products.id = v.column1 AND products.base_price_fen <> v.column2
                """, BulkRows.Types("bigint, bigint, bigint"), round.Select(r => new object?[] { r.ProductId, r.PriceFen, nowMs }).ToList(), 5000);
        var changed = Touched(baseChanged);

        long groupChanged = 0;
        foreach (var round in BulkRows.Rounds(groupRows, r => (r.ListId, r.ProductId, r.MinQty)))
        {
            var upserts = round.Where(r => !r.Deleted).Select(r => new object?[] { r.ListId, r.ProductId, r.MinQty, r.PriceFen, nowMs }).ToList();
            groupChanged += await BulkRows.ExecuteAsync(c, tx, Dialect, GroupUpsertHead, GroupUpsertTail, BulkRows.Types("bigint, bigint, bigint, bigint, bigint"), upserts, 5000);
            var deletes = round.Where(r => r.Deleted).Select(r => new object?[] { r.ListId, r.ProductId, r.MinQty }).ToList();
            groupChanged += await BulkRows.ExecuteAsync(c, tx, Dialect, "DELETE FROM price_list_items WHERE (price_list_id, product_id, min_qty) IN (", ")",
                BulkRows.Types("bigint, bigint, bigint"), deletes, 5000);
        }
        changed += Touched(groupChanged);

        foreach (var round in BulkRows.Rounds(customerRows, r => (r.CustomerId, r.ProductId, r.Source, r.MinQty)))
        {
            var upserts = round.Where(r => !r.Deleted).Select(r => new object?[] { r.CustomerId, r.ProductId, r.Source, r.MinQty, r.PriceFen, nowMs, r.ListName }).ToList();
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, CustomerUpsertHead, CustomerUpsertTail, BulkRows.Types("bigint, bigint, text, bigint, bigint, bigint, text"), upserts, 5000);
            var deletes = round.Where(r => r.Deleted).Select(r => new object?[] { r.CustomerId, r.ProductId, r.Source, r.MinQty }).ToList();
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, "DELETE FROM customer_prices WHERE (customer_id, product_id, source, min_qty) IN (", ")",
                BulkRows.Types("bigint, bigint, text, bigint"), deletes, 5000);
        }
        return changed;
    }
}
