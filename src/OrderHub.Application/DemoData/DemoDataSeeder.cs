using System.Data.Common;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Data;

namespace OrderHub.Application.DemoData;

/// <summary>Loads a generated data set into an empty OrderHub database, in one transaction.</summary>
public sealed class DemoDataSeeder(Db db)
{
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products") == 0;
    }

    public async Task SeedAsync(DemoDataSet d, long nowMs, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);

        await c.ExecuteAsync("INSERT INTO warehouses (code, name) VALUES (@Code, @Name)", d.Warehouses, tx);
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

        await c.ExecuteAsync("""
            INSERT INTO products (sku, name, spec, unit, pack_size, min_order_qty, barcode, brand, category_id, category_path, image_urls,
                                  description, base_price_fen, active, search_text, updated_at)
            VALUES (@Sku, @Name, @Spec, @Unit, @PackSize, @MinOrderQty, @Barcode, @Brand, @CategoryId, @CategoryPath, @ImageUrls,
                    @Description, @BasePriceFen, @Active, @SearchText, @now)
            """, d.Products.Select(p => new
        {
            p.Sku, p.Name, p.Spec, p.Unit, p.PackSize, p.MinOrderQty, p.Barcode, p.Brand,
            CategoryId = cats[p.CategoryCode].Id, CategoryPath = cats[p.CategoryCode].Path,
            ImageUrls = JsonSerializer.Serialize(p.ImageUrls), p.Description, p.BasePriceFen, p.Active,
            SearchText = ProductSearchText.For(p.Name, p.Sku, p.Barcode, p.Brand, p.Spec), now = nowMs,
        }), tx);
        var products = await Ids(c, tx, "products", "sku");

        await c.ExecuteAsync("INSERT INTO customer_groups (code, name, sort_order) VALUES (@Code, @Name, @SortOrder)", d.Groups, tx);
        var groups = await Ids(c, tx, "customer_groups", "code");
        await c.ExecuteAsync("INSERT INTO agents (code, name, phone, wecom_userid, active, created_at) VALUES (@Code, @Name, @Phone, @WeComUserId, TRUE, @now)",
            d.Agents.Select(a => new { a.Code, a.Name, a.Phone, a.WeComUserId, now = nowMs }), tx);
        var agents = await Ids(c, tx, "agents", "code");

        await c.ExecuteAsync("""
            INSERT INTO customers (code, name, contact_name, phone, address, region, group_id, agent_id, warehouse_id, credit_limit_fen,
                                   erp_receivable_fen, active, created_at, updated_at)
            VALUES (@Code, @Name, @ContactName, @Phone, @Address, @Region, @GroupId, @AgentId, @WarehouseId, @CreditLimitFen,
                    @ReceivableFen, TRUE, @now, @now)
            """, d.Customers.Select(x => new
        {
            x.Code, x.Name, x.ContactName, x.Phone, x.Address, x.Region, GroupId = groups[x.GroupCode], AgentId = agents[x.AgentCode],
            WarehouseId = wh[x.WarehouseCode], x.CreditLimitFen, x.ReceivableFen, now = nowMs,
        }), tx);
        var customers = await Ids(c, tx, "customers", "code");

        // Each store's own address is its default delivery address; its ERP receivable opens its ledger.
        await c.ExecuteAsync("""
            INSERT INTO customer_addresses (customer_id, label, contact_name, phone, address, is_default, active, created_at)
            VALUES (@CustomerId, '门店', @ContactName, @Phone, @Address, TRUE, TRUE, @now)
            """, d.Customers.Select(x => new { CustomerId = customers[x.Code], x.ContactName, x.Phone, x.Address, now = nowMs }), tx);
        await c.ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, note, created_by, created_at)
            VALUES (@CustomerId, 'opening', @ReceivableFen, @now, 'OPENING', '期初应收 (ERP)', 'demo', @now)
            """, d.Customers.Where(x => x.ReceivableFen != 0).Select(x => new { CustomerId = customers[x.Code], x.ReceivableFen, now = nowMs }), tx);

        await c.ExecuteAsync("INSERT INTO customer_users (customer_id, name, phone, role, active, created_at) VALUES (@CustomerId, @Name, @Phone, @Role, TRUE, @now)",
            d.CustomerUsers.Select(u => new { CustomerId = customers[u.CustomerCode], u.Name, u.Phone, u.Role, now = nowMs }), tx);
        await c.ExecuteAsync("INSERT INTO staff (login, name, role, active, created_at) VALUES (@Login, @Name, @Role, TRUE, @now)",
            d.Staff.Select(s => new { s.Login, s.Name, s.Role, now = nowMs }), tx);

        await c.ExecuteAsync("INSERT INTO price_lists (code, name, customer_group_id, active) VALUES (@Code, @Name, @GroupId, TRUE)",
            d.PriceLists.Select(l => new { l.Code, l.Name, GroupId = groups[l.GroupCode] }), tx);
        var lists = await Ids(c, tx, "price_lists", "code");
        await c.ExecuteAsync("INSERT INTO price_list_items (price_list_id, product_id, min_qty, price_fen, updated_at) VALUES (@ListId, @ProductId, @MinQty, @PriceFen, @now)",
            d.PriceListItems.Select(i => new { ListId = lists[i.PriceListCode], ProductId = products[i.Sku], i.MinQty, i.PriceFen, now = nowMs }), tx);
        await c.ExecuteAsync("INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at) VALUES (@CustomerId, @ProductId, @Source, @MinQty, @PriceFen, @now)",
            d.CustomerPrices.Select(p => new { CustomerId = customers[p.CustomerCode], ProductId = products[p.Sku], p.Source, p.MinQty, p.PriceFen, now = nowMs }), tx);
        await c.ExecuteAsync("INSERT INTO customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at) VALUES (@CustomerId, @ProductId, @PriceFen, @Quantity, @PaidAtMs)",
            d.LastPrices.Select(p => new { CustomerId = customers[p.CustomerCode], ProductId = products[p.Sku], p.PriceFen, p.Quantity, p.PaidAtMs }), tx);

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
                GroupId = pr.Target == "group" ? groups[pr.TargetCode!] : (long?)null,
                CustomerId = pr.Target == "customer" ? customers[pr.TargetCode!] : (long?)null,
                pr.StartsAtMs, pr.EndsAtMs, pr.BuyQty, pr.FreeQty, pr.ThresholdFen, pr.DiscountFen, pr.Description, now = nowMs,
            }, tx);
            await c.ExecuteAsync("INSERT INTO promotion_items (promotion_id, product_id, special_price_fen) VALUES (@id, @ProductId, @Price)",
                pr.Items.Select(i => new { id, ProductId = products[i.Sku], Price = i.SpecialPriceFen }), tx);
        }

        await c.ExecuteAsync("INSERT INTO stock (product_id, warehouse_id, on_hand, reserved, updated_at) VALUES (@ProductId, @WarehouseId, @OnHand, 0, @now)",
            d.Stock.Select(s => new { ProductId = products[s.Sku], WarehouseId = wh[s.WarehouseCode], s.OnHand, now = nowMs }), tx);

        await c.ExecuteAsync("""
            INSERT INTO assortment_rules (customer_group_id, customer_id, product_id, category_path, effect, created_at)
            VALUES (@GroupId, @CustomerId, @ProductId, @CategoryPath, @Effect, @now)
            """, d.AssortmentRules.Select(r => new
        {
            GroupId = r.GroupCode is null ? (long?)null : groups[r.GroupCode],
            CustomerId = r.CustomerCode is null ? (long?)null : customers[r.CustomerCode],
            ProductId = r.Sku is null ? (long?)null : products[r.Sku],
            CategoryPath = r.CategoryCode is null ? null : cats[r.CategoryCode].Path,
            r.Effect, now = nowMs,
        }), tx);

        await Catalog.CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
    }

    private static async Task<Dictionary<string, long>> Ids(DbConnection c, DbTransaction tx, string table, string key) =>
        (await c.QueryAsync<(string Key, long Id)>($"SELECT {key}, id FROM {table}", transaction: tx)).ToDictionary(x => x.Key, x => x.Id);
}
