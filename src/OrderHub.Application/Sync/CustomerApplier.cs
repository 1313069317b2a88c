using System.Data.Common;
using Dapper;
using OrderHub.Application.Chains;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>
/// ERP customers → <c>customers</c> (upsert by code): name, contact, phone, address, credit limit, the ERP's receivable and
/// active. The group follows the ERP only when its code names an OrderHub group. A new customer gets no agent, and its
/// address becomes its default delivery address. Its warehouse: the ERP's where it names one (always followed), else one a
/// person chose (kept), else the default rule (<see cref="WarehouseRule"/>), chosen again on every page so a store tied
/// before the stock arrived is repaired. Chains: the ERP's head-office codes become branches' head offices (<see cref="ErpChainLinks"/>).
/// </summary>
public sealed class CustomerApplier(Db db, TimeProvider clock, WarehouseRule warehouses, ChainOptions? chains = null) : RowPageApplier<ErpCustomer>(db, clock)
{
    public override string Feed => SyncFeed.Customers;
    public override DateTimeOffset? ChangedAt(ErpCustomer item) => item.ChangedAt;
    protected override string? KeyOf(ErpCustomer item) => item.Code;

    protected override async Task<long?> ApplyPageAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ErpCustomer> items, PageIssues issues, long nowMs)
    {
        var groups = await BulkRows.IdsByCodeAsync(c, tx, Dialect, "customer_groups", "code",
            items.Where(x => !string.IsNullOrWhiteSpace(x.GroupCode)).Select(x => x.GroupCode));
        var valid = new List<(ErpCustomer X, long Credit, long? GroupId)>(items.Count);
        foreach (var x in items)
        {
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
        var defaultWarehouse = await warehouses.DefaultIdAsync(c, tx);
        var erpWarehouses = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var code in valid.Select(v => v.X.WarehouseCode?.Trim()).Where(w => !string.IsNullOrEmpty(w)).Distinct())
            erpWarehouses[code!] = await CodeLookups.WarehouseIdAsync(c, tx, code!);
        long changed = 0;
        foreach (var round in BulkRows.Rounds(valid, r => r.X.Code))
        {
            changed += await BulkRows.ExecuteAsync(c, tx, Dialect, """
                INSERT INTO customers (code, name, contact_name, phone, address, group_id, warehouse_id, warehouse_source, credit_limit_fen,
                                       erp_receivable_fen, active, created_at, updated_at)
                """, """
                ON CONFLICT (code) DO UPDATE SET
                    name = excluded.name, contact_name = excluded.contact_name, phone = excluded.phone, address = excluded.address,
                    group_id = COALESCE(excluded.group_id, customers.group_id), credit_limit_fen = excluded.credit_limit_fen,
                    erp_receivable_fen = excluded.erp_receivable_fen, active = excluded.active, updated_at = excluded.updated_at,
                    warehouse_id = CASE WHEN excluded.warehouse_source = 'erp' OR customers.warehouse_source <> 'manual'
                                        THEN excluded.warehouse_id ELSE customers.warehouse_id END,
                    warehouse_source = CASE WHEN excluded.warehouse_source = 'erp' OR customers.warehouse_source <> 'manual'
                                            THEN excluded.warehouse_source ELSE customers.warehouse_source END
                """, BulkRows.Types("text, text, text, text, text, bigint, bigint, text, bigint, bigint, boolean, bigint, bigint"), round.Select(r =>
                {
                    var erp = r.X.WarehouseCode?.Trim() is { Length: > 0 } w ? erpWarehouses[w] : (long?)null;
                    return new object?[]
                    {
                        r.X.Code, r.X.Name.Trim(), r.X.Contact, r.X.Phone, r.X.Address, r.GroupId, erp ?? defaultWarehouse,
                        erp is null ? WarehouseRule.SourceDefault : WarehouseRule.SourceErp, r.Credit, r.X.ReceivableFen, r.X.Active, nowMs, nowMs,
                    };
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
        await warehouses.RepairAsync(c, tx);
        await ErpChainLinks.ApplyAsync(c, tx, Dialect, valid.Select(v => v.X).ToList(), chains ?? new ChainOptions(), issues);
        return changed;
    }
}
