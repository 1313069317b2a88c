using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;
using OrderHub.Erp;

namespace OrderHub.Application.Chains;

/// <summary>
/// Chains from the ERP: the customers feed's head-office codes (<see cref="ErpCustomer.HeadOfficeCode"/>) become
/// <c>customers.parent_customer_id</c>. The code is kept in <c>parent_erp_code</c> until that customer is known (a branch may
/// arrive before its head office; the link is made on the page that brings the head office). The ERP's chain is followed —
/// also when it moves or ends a branch — except where a person set the head office in the console
/// (<see cref="ChainSource.Manual"/>), which is kept unless <see cref="ChainOptions.ErpOverridesConsole"/>; the difference is
/// a sync issue. A chain is one level deep: a head office that is itself a branch, or a branch that has branches, is an issue
/// and the store stays on its own.
/// </summary>
public static class ErpChainLinks
{
    public static async Task ApplyAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, IReadOnlyList<ErpCustomer> page,
        ChainOptions options, PageIssues issues)
    {
        var told = page.Where(x => x.HeadOfficeCode is not null).ToList();
        if (told.Count == 0) return;
        foreach (var x in told)
        {
            var head = string.IsNullOrWhiteSpace(x.HeadOfficeCode) ? null : x.HeadOfficeCode.Trim();
            await c.ExecuteAsync("UPDATE customers SET parent_erp_code = @head WHERE code = @code", new { head, code = x.Code }, tx);
        }
        var pageCodes = page.Select(x => x.Code).ToArray();
        var toldCodes = told.Select(x => x.Code).ToHashSet(StringComparer.Ordinal);
        // The page's stores that the ERP told about, and stores waiting for a head office this page brings.
        var rows = await c.QueryAsync<Row>($"""
            SELECT b.id AS Id, b.code AS Code, b.parent_erp_code AS ErpHead, b.parent_customer_id AS ParentId, b.parent_source AS Source,
                   h.id AS HeadId
            FROM customers b LEFT JOIN customers h ON h.code = b.parent_erp_code
            WHERE {dialect.InList("b.code", "codes")} OR {dialect.InList("b.parent_erp_code", "codes")}
            ORDER BY b.code
            """, new { codes = pageCodes }, tx);
        foreach (var r in rows)
        {
            var reports = toldCodes.Contains(r.Code);
            long? wanted = null;
            if (r.ErpHead is { } headCode && r.HeadId is { } headId)
            {
                // Checked against the links as they are now (earlier rows of this page may have changed them).
                var headParent = await c.ExecuteScalarAsync<long?>("SELECT parent_customer_id FROM customers WHERE id = @headId", new { headId }, tx);
                var branches = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE parent_customer_id = @Id", new { r.Id }, tx);
                if (headId == r.Id)
                {
                    if (reports) issues.Corrected(r.Code, $"ERP 中门店的总部是它自己（{headCode}），按独立门店处理 / The ERP names the store as its own head office; taken as a store of its own");
                }
                else if (headParent is not null)
                {
                    if (reports) issues.Corrected(r.Code, $"总部 {headCode} 本身是分店，连锁只有一级，未关联 / Head office {headCode} is itself a branch; chains are one level deep, not linked");
                }
                else if (branches > 0)
                {
                    if (reports) issues.Corrected(r.Code, $"该门店是其他门店的总部，不能再设为 {headCode} 的分店 / The store is the head office of other stores and cannot become a branch of {headCode}");
                }
                else wanted = headId;
            }
            if (r.Source == ChainSource.Manual && !options.ErpOverridesConsole)
            {
                if (reports && wanted != r.ParentId && (r.ErpHead is null || wanted is not null))
                    issues.Corrected(r.Code, $"总部由人工在后台设置，保留人工设置（ERP：{r.ErpHead ?? "无"}） / The head office was set in the console and is kept (the ERP says {r.ErpHead ?? "none"}; Chains:ErpOverridesConsole)");
                continue;
            }
            // A head office the ERP names but OrderHub does not know yet: linked when it arrives; until then the store is on its own.
            if (wanted == r.ParentId && (wanted is null ? r.Source != ChainSource.Manual : r.Source == ChainSource.Erp)) continue;
            await c.ExecuteAsync("UPDATE customers SET parent_customer_id = @wanted, parent_source = @source WHERE id = @id",
                new { wanted, source = wanted is null ? null : ChainSource.Erp, id = r.Id }, tx);
        }
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string? ErpHead { get; init; }
        public long? ParentId { get; init; }
        public string? Source { get; init; }
        public long? HeadId { get; init; }
    }
}
