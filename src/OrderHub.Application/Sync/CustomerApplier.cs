using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP customers → <c>customers</c> (upsert by code): name, contact, phone, address, credit limit, the ERP's receivable and
/// active. The group follows the ERP only when its code names an OrderHub group. A new customer is served by the first
/// warehouse, gets no agent, and its address becomes its default delivery address.
/// </summary>
public sealed class CustomerApplier(Db db, TimeProvider clock) : RowPageApplier<ErpCustomer>(db, clock)
{
    public override string Feed => SyncFeed.Customers;
    public override DateTimeOffset? ChangedAt(ErpCustomer item) => item.ChangedAt;
    protected override string? KeyOf(ErpCustomer item) => item.Code;

    protected override async Task<long> ApplyRowAsync(DbConnection c, DbTransaction tx, ErpCustomer x, PageIssues issues, long nowMs)
    {
        if (string.IsNullOrWhiteSpace(x.Code) || string.IsNullOrWhiteSpace(x.Name))
        {
            issues.Skip(x.Code, "客户缺少编码或名称 / Customer without code or name");
            return 0;
        }
        var credit = x.CreditLimitFen;
        if (credit < 0)
        {
            issues.Corrected(x.Code, $"信用额度为负 {credit}，按 0 处理 / Negative credit limit taken as 0");
            credit = 0;
        }
        var groupId = await CodeLookups.GroupIdAsync(c, tx, x.GroupCode);
        // A new customer is served by the first warehouse; an OrderHub without any gets a main warehouse to change later.
        var warehouseId = await c.ExecuteScalarAsync<long?>("SELECT id FROM warehouses ORDER BY id LIMIT 1", transaction: tx)
            ?? await c.ExecuteScalarAsync<long>("INSERT INTO warehouses (code, name) VALUES ('MAIN', '主仓') RETURNING id", transaction: tx);
        var changed = await c.ExecuteAsync("""
            INSERT INTO customers (code, name, contact_name, phone, address, group_id, warehouse_id, credit_limit_fen, erp_receivable_fen,
                                   active, created_at, updated_at)
            VALUES (@Code, @Name, @Contact, @Phone, @Address, @groupId, @warehouseId, @credit, @ReceivableFen, @Active, @nowMs, @nowMs)
            ON CONFLICT (code) DO UPDATE SET
                name = excluded.name, contact_name = excluded.contact_name, phone = excluded.phone, address = excluded.address,
                group_id = COALESCE(excluded.group_id, customers.group_id), credit_limit_fen = excluded.credit_limit_fen,
                erp_receivable_fen = excluded.erp_receivable_fen, active = excluded.active, updated_at = excluded.updated_at
            """, new { x.Code, Name = x.Name.Trim(), x.Contact, x.Phone, x.Address, groupId, warehouseId, credit, x.ReceivableFen, x.Active, nowMs }, tx);
        if (!string.IsNullOrWhiteSpace(x.Address))
            await c.ExecuteAsync("""
                INSERT INTO customer_addresses (customer_id, label, contact_name, phone, address, is_default, active, created_at)
                SELECT id, '门店', COALESCE(@Contact, name), COALESCE(@Phone, ''), @Address, TRUE, TRUE, @nowMs FROM customers cu
                WHERE cu.code = @Code AND NOT EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = cu.id)
                """, new { x.Code, x.Contact, x.Phone, x.Address, nowMs }, tx);
        return changed;
    }

    protected override async Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpCustomer> items, PageIssues issues, long nowMs)
    {
        var groups = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "customer_groups", "code",
            items.Where(x => !string.IsNullOrWhiteSpace(x.GroupCode)).Select(x => x.GroupCode));
        var valid = new List<(ErpCustomer X, long Credit, long? GroupId)>(items.Count);
        foreach (var x in items)
        {
            // The same checks, in the same order and with the same texts, as ApplyRowAsync.
            if (string.IsNullOrWhiteSpace(x.Code) || string.IsNullOrWhiteSpace(x.Name))
            {
                issues.Skip(x.Code, "客户缺少编码或名称 / Customer without code or name");
                continue;
            }
            var credit = x.CreditLimitFen;
            if (credit < 0)
            {
                issues.Corrected(x.Code, $"信用额度为负 {credit}，按 0 处理 / Negative credit limit taken as 0");
                credit = 0;
            }
            long? groupId = !string.IsNullOrWhiteSpace(x.GroupCode) && groups.TryGetValue(x.GroupCode, out var g) ? g : null;
            valid.Add((x, credit, groupId));
        }
        if (valid.Count == 0) return 0;
        var warehouseId = await c.ExecuteScalarAsync<long?>("SELECT id FROM warehouses ORDER BY id LIMIT 1", transaction: tx)
            ?? await c.ExecuteScalarAsync<long>("INSERT INTO warehouses (code, name) VALUES ('MAIN', '主仓') RETURNING id", transaction: tx);
        long changed = 0;
        foreach (var round in BulkRows.Rounds(valid, r => r.X.Code))
        {
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, """
                INSERT INTO customers (code, name, contact_name, phone, address, group_id, warehouse_id, credit_limit_fen, erp_receivable_fen,
                                       active, created_at, updated_at)
                """, """
                ON CONFLICT (code) DO UPDATE SET
                    name = excluded.name, contact_name = excluded.contact_name, phone = excluded.phone, address = excluded.address,
                    group_id = COALESCE(excluded.group_id, customers.group_id), credit_limit_fen = excluded.credit_limit_fen,
                    erp_receivable_fen = excluded.erp_receivable_fen, active = excluded.active, updated_at = excluded.updated_at
                """, BulkRows.Types("text, text, text, text, text, bigint, bigint, bigint, bigint, boolean, bigint, bigint"), round.Select(r => new object?[]
                {
                    r.X.Code, r.X.Name.Trim(), r.X.Contact, r.X.Phone, r.X.Address, r.GroupId, warehouseId, r.Credit, r.X.ReceivableFen, r.X.Active, nowMs, nowMs,
                }).ToList(), 5000);
            var addresses = round.Where(r => !string.IsNullOrWhiteSpace(r.X.Address))
                .Select(r => new object?[] { r.X.Code, r.X.Contact, r.X.Phone, r.X.Address, nowMs }).ToList();
            await BulkRows.ExecuteAsync(c, tx, Dialect, """
                INSERT INTO customer_addresses (customer_id, label, contact_name, phone, address, is_default, active, created_at)
                SELECT cu.id, '门店', COALESCE(v.column2, cu.name), COALESCE(v.column3, ''), v.column4, TRUE, TRUE, v.column5
                FROM (
                """, """
                ) AS v JOIN customers cu ON cu.code = v.column1
                WHERE NOT EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = cu.id)
                """, BulkRows.Types("text, text, text, text, bigint"), addresses, 5000);
        }
        return changed;
    }
}
