using OrderHub.Domain.Promotions;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;
using OrderHub.Application.Catalog;
using OrderHub.Application.Data;
using OrderHub.Application.Statements;
using OrderHub.DemoData;
using OrderHub.Domain.Time;

namespace OrderHub.Demo;

/// <summary>Loads a generated data set into an empty OrderHub database, in one transaction.</summary>
public sealed class DemoDataSeeder(Db db)
{
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products") == 0;
    }

    /// <param name="history">A year of orders, payments and returns to load with it (the one-command demo's; <see cref="DemoHistoryGenerator"/>).</param>
    public async Task SeedAsync(DemoDataSet d, long nowMs, CancellationToken ct = default, DemoHistory? history = null)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);

        await InsertAsync(c, tx, "warehouses (code, name)", d.Warehouses.Select(w => Row(w.Code, w.Name)), ct);
        var wh = await Ids(c, tx, "warehouses", "code");

        foreach (var cat in d.Categories)
        {
            var parentId = cat.ParentCode is null ? (long?)null : await c.ExecuteScalarAsync<long>("SELECT id FROM categories WHERE code = @ParentCode", cat, tx);
            var parentPath = parentId is null ? "/" : await c.ExecuteScalarAsync<string>("SELECT path FROM categories WHERE id = @parentId", new { parentId }, tx);
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO categories (code, name, parent_id, path, sort_order) VALUES (@Code, @Name, @parentId, '', @SortOrder) RETURNING id",
                new { cat.Code, cat.Name, parentId, cat.SortOrder }, tx);
            await c.ExecuteAsync("UPDATE categories SET path = @path WHERE id = @id", new { id, path = $"{parentPath}{id}/" }, tx);
        }
        var cats = (await c.QueryAsync<(string Code, long Id, string Path)>("SELECT code, id, path FROM categories", transaction: tx)).ToDictionary(x => x.Code);

        // Column values must have the CLR type of the column (long for BIGINT, int for INTEGER): COPY sends them as they are.
        // A column or table the database does not have yet is left out (upgrade tests seed a database at an older migration).
        await InsertAsync(c, tx, """
            products (sku, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_id, category_path, image_urls,
                      description, base_price_fen, active, search_text, updated_at, cost_fen)
            """, d.Products.Select(p => Row(p.Sku, p.Name, p.Spec, p.Unit, p.PackSize, p.MinOrderQty, p.Barcode, p.Brand, cats[p.CategoryCode].Id,
                cats[p.CategoryCode].Path, JsonSerializer.Serialize(p.ImageUrls), p.Description, p.BasePriceFen, p.Active,
                ProductSearchText.For(p.Name, p.Sku, p.Barcode, p.Brand, p.Spec), nowMs, (long?)DemoCosts.UnitCostFen(p))), ct);
        var products = await Ids(c, tx, "products", "sku");
        await InsertAsync(c, tx, "product_units (product_id, unit, factor, price_fen, erp_code, updated_at)",
            d.Products.SelectMany(p => (p.Units ?? []).Select(u => Row(products[p.Sku], u.Name, u.Factor, u.PriceFen, u.ErpCode, nowMs))), ct);

        await InsertAsync(c, tx, "customer_groups (code, name, sort_order)", d.Groups.Select(g => Row(g.Code, g.Name, g.SortOrder)), ct);
        var groups = await Ids(c, tx, "customer_groups", "code");
        await InsertAsync(c, tx, "agents (code, name, phone, wecom_userid, active, created_at)",
            d.Agents.Select(a => Row(a.Code, a.Name, a.Phone, a.WeComUserId, true, nowMs)), ct);
        var agents = await Ids(c, tx, "agents", "code");

        // A store with history became a customer when it joined.
        var joined = history?.Stores.ToDictionary(s => s.CustomerCode, s => ShanghaiTime.StartOfDayMs(s.Joined)) ?? [];
        await InsertAsync(c, tx, """
            customers (code, name, contact_name, phone, address, region, group_id, agent_id, warehouse_id, credit_limit_fen,
                       erp_receivable_fen, active, created_at, updated_at)
            """, d.Customers.Select(x => Row(
            x.Code, x.Name, x.ContactName, x.Phone, x.Address, x.Region, groups[x.GroupCode], agents[x.AgentCode],
            wh[x.WarehouseCode], x.CreditLimitFen, x.ReceivableFen, true, joined.GetValueOrDefault(x.Code, nowMs), nowMs)), ct);
        var customers = await Ids(c, tx, "customers", "code");

        // Each store's own address is its default delivery address; its ERP receivable opens its ledger.
        await InsertAsync(c, tx, "customer_addresses (customer_id, label, contact_name, phone, address, is_default, active, created_at)",
            d.Customers.Select(x => Row(customers[x.Code], "门店", x.ContactName, x.Phone, x.Address, true, true, nowMs)), ct);
        await InsertAsync(c, tx, "ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, note, created_by, created_at)",
            d.Customers.Where(x => x.ReceivableFen != 0).Select(x =>
            {
                var at = joined.GetValueOrDefault(x.Code, nowMs);
                return Row(customers[x.Code], LedgerKinds.Opening, x.ReceivableFen, at, "OPENING", "期初应收 (ERP)", "demo", at);
            }), ct);

        // Chains: set as the back office would (the demo ERP sends no chains); only where the schema has them (0022, 0030).
        if (d.Chains.Count > 0 && (await ColumnsAsync(c, tx, "customers")).Contains("parent_customer_id"))
        {
            var withSource = (await ColumnsAsync(c, tx, "customers")).Contains("parent_source");
            foreach (var chain in d.Chains)
                foreach (var branch in chain.BranchCodes)
                    await c.ExecuteAsync($"UPDATE customers SET parent_customer_id = @head{(withSource ? ", parent_source = @source" : "")} WHERE id = @branch",
                        new { head = customers[chain.HeadOfficeCode], branch = customers[branch], source = OrderHub.Application.Chains.ChainSource.Manual }, tx);
        }

        await InsertAsync(c, tx, "customer_users (customer_id, name, phone, role, active, created_at)",
            d.CustomerUsers.Select(u => Row(customers[u.CustomerCode], u.Name, u.Phone, u.Role, true, joined.GetValueOrDefault(u.CustomerCode, nowMs))), ct);
        await InsertAsync(c, tx, "staff (login, name, role, active, created_at)", d.Staff.Select(s => Row(s.Login, s.Name, s.Role, true, nowMs)), ct);

        await InsertAsync(c, tx, "price_lists (code, name, customer_group_id, active)", d.PriceLists.Select(l => Row(l.Code, l.Name, groups[l.GroupCode], true)), ct);
        var lists = await Ids(c, tx, "price_lists", "code");
        await InsertAsync(c, tx, "price_list_items (price_list_id, product_id, min_qty, price_fen, updated_at)",
            d.PriceListItems.Select(i => Row(lists[i.PriceListCode], products[i.Sku], i.MinQty, i.PriceFen, nowMs)), ct);
        await InsertAsync(c, tx, "customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at)",
            d.CustomerPrices.Select(p => Row(customers[p.CustomerCode], products[p.Sku], p.Source, p.MinQty, p.PriceFen, nowMs)), ct);
        // With a history the last prices are its own (DemoHistorySeeder); without, the generated ones.
        if (history is null)
            await InsertAsync(c, tx, "customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at)",
            d.LastPrices.Select(p => Row(customers[p.CustomerCode], products[p.Sku], p.PriceFen, p.Quantity, p.PaidAtMs)), ct);

        foreach (var pr in d.Promotions)
        {
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO promotions (code, name, kind, target, target_group_id, target_customer_id, starts_at, ends_at, buy_qty, free_qty,
                                        threshold_fen, discount_fen, active, description, created_at)
                VALUES (@Code, @Name, @Kind, @Target, @GroupId, @CustomerId, @StartsAtMs, @EndsAtMs, @BuyQty, @FreeQty, @ThresholdFen, @DiscountFen, TRUE, @Description, @now)
                RETURNING id
                """, new
            {
                pr.Code, pr.Name, pr.Kind, pr.Target,
                GroupId = pr.Target == PromotionTarget.Group ? groups[pr.TargetCode!] : (long?)null,
                CustomerId = pr.Target == PromotionTarget.Customer ? customers[pr.TargetCode!] : (long?)null,
                pr.StartsAtMs, pr.EndsAtMs, pr.BuyQty, pr.FreeQty, pr.ThresholdFen, pr.DiscountFen, pr.Description, now = nowMs,
            }, tx);
            await InsertAsync(c, tx, "promotion_items (promotion_id, product_id, special_price_fen)",
                pr.Items.Select(i => Row(id, products[i.Sku], i.SpecialPriceFen)), ct);
        }

        await InsertAsync(c, tx, "stock (product_id, warehouse_id, on_hand, reserved, updated_at)",
            d.Stock.Select(s => Row(products[s.Sku], wh[s.WarehouseCode], s.OnHand, 0L, nowMs)), ct);

        await InsertAsync(c, tx, "assortment_rules (customer_group_id, customer_id, product_id, category_path, effect, created_at)",
            d.AssortmentRules.Select(r => Row(
                r.GroupCode is null ? null : groups[r.GroupCode],
                r.CustomerCode is null ? null : customers[r.CustomerCode],
                r.Sku is null ? null : products[r.Sku],
                r.CategoryCode is null ? null : cats[r.CategoryCode].Path,
                r.Effect, nowMs)), ct);

        if (history is not null) await DemoHistorySeeder.InsertAsync(c, tx, d, history, ct);

        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
    }

    internal static object?[] Row(params object?[] values) => values;

    /// <summary>
    /// Inserts rows in bulk, in their order (so auto-numbered ids follow it). <paramref name="target"/> is "table (column, …)";
    /// each row holds the values in that column order, typed as the columns are (long for BIGINT, int for INTEGER: COPY does
    /// not convert). PostgreSQL: one binary COPY. SQLite, in process: one prepared INSERT run for each row, without Dapper's
    /// per-row work (multi-row INSERTs measured slower there: binding parameters by name costs more the more there are).
    /// </summary>
    internal static async Task InsertAsync(DbConnection c, DbTransaction tx, string target, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        // Only the columns (and tables) this database has: a database at an older migration gets what it can hold.
        var open = target.IndexOf('(');
        var table = target[..open].Trim();
        var columns = target[(open + 1)..target.LastIndexOf(')')].Split(',').Select(x => x.Trim()).ToArray();
        var existing = await ColumnsAsync(c, tx, table);
        if (existing.Count == 0) return;
        var keep = Enumerable.Range(0, columns.Length).Where(i => existing.Contains(columns[i])).ToArray();
        if (keep.Length < columns.Length)
        {
            target = $"{table} ({string.Join(", ", keep.Select(i => columns[i]))})";
            rows = rows.Select(r => keep.Select(i => r[i]).ToArray());
        }
        if (c is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows) await copy.WriteRowAsync(ct, row);
            await copy.CompleteAsync(ct);
            return;
        }
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        foreach (var row in rows)
        {
            if (insert.Parameters.Count == 0)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    var p = insert.CreateParameter();
                    p.ParameterName = $"@p{i}";
                    insert.Parameters.Add(p);
                }
                insert.CommandText = $"INSERT INTO {target} VALUES ({string.Join(", ", Enumerable.Range(0, row.Length).Select(i => $"@p{i}"))})";
            }
            for (var i = 0; i < row.Length; i++) insert.Parameters[i].Value = row[i] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection c, DbTransaction tx, string table) =>
        (await c.QueryAsync<string>(c is NpgsqlConnection
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table"
            : "SELECT name FROM pragma_table_info(@table)", new { table }, tx)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    internal static async Task<Dictionary<string, long>> Ids(DbConnection c, DbTransaction tx, string table, string key) =>
        (await c.QueryAsync<(string Key, long Id)>($"SELECT {key}, id FROM {table}", transaction: tx)).ToDictionary(x => x.Key, x => x.Id);
}
