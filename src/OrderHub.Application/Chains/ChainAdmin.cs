using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Chains;

public sealed record ChainBranch(long Id, string Code, string Name, bool Active);

/// <summary>
/// Who belongs to which chain. A branch names its head office (<c>customers.parent_customer_id</c>); chains are one level
/// deep: a head office has no head office, and a branch has no branches. The customers feed sets it where the ERP holds the
/// relation; the back office sets it for ERPs that do not.
/// </summary>
public sealed class ChainAdmin(Db db)
{
    /// <summary>Makes <paramref name="branchId"/> a branch of <paramref name="headOfficeId"/> (null: a store of its own). False: no such customer.</summary>
    public async Task<bool> SetHeadOfficeAsync(long branchId, long? headOfficeId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE id = @branchId", new { branchId }, tx) is null) return false;
        if (headOfficeId is { } h)
        {
            if (h == branchId) throw AppProblem.BadRequest("门店不能是自己的总部", "A store cannot be its own head office");
            var head = await c.QuerySingleOrDefaultAsync<(long Id, long? Parent)>("SELECT id, parent_customer_id FROM customers WHERE id = @h", new { h }, tx);
            if (head.Id == 0) throw AppProblem.BadRequest("总部客户不存在", "The head office is not a known customer");
            if (head.Parent is not null) throw AppProblem.BadRequest("总部本身是分店，连锁只有一级", "The head office is itself a branch; chains are one level deep");
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE parent_customer_id = @branchId", new { branchId }, tx) > 0)
                throw AppProblem.BadRequest("该门店是其他门店的总部，不能再设为分店", "This store is a head office of other stores and cannot become a branch");
        }
        // A person's choice: the ERP's customers feed keeps it (unless Chains:ErpOverridesConsole).
        await c.ExecuteAsync("UPDATE customers SET parent_customer_id = @headOfficeId, parent_source = @source WHERE id = @branchId",
            new { branchId, headOfficeId, source = ChainSource.Manual }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The branches of a head office, by code (for the head office's branch picker).</summary>
    public async Task<IReadOnlyList<ChainBranch>> BranchesAsync(long headOfficeId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(long Id, string Code, string Name, bool Active)>(
            "SELECT id, code, name, active FROM customers WHERE parent_customer_id = @headOfficeId ORDER BY code", new { headOfficeId }))
            .Select(b => new ChainBranch(b.Id, b.Code, b.Name, b.Active)).ToList();
    }
}
