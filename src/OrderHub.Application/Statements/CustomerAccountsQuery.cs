using OrderHub.Application.Chains;
using System.Data.Common;
using System.Text;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;

namespace OrderHub.Application.Statements;

/// <summary>
/// What a store owes and may still order: balance (Σ ledger), open orders (not yet shipped), credit limit.
/// A credit limit of 0 means no limit (as finance review treats it): AvailableFen is then null.
/// </summary>
public sealed record AccountBalance(long CustomerId, long BalanceFen, long OpenOrdersFen, long CreditLimitFen)
{
    public long? AvailableFen => CreditLimitFen <= 0 ? null : CreditLimitFen - BalanceFen - OpenOrdersFen;
}

public sealed record CustomerListFilter(string? Search, long? AgentId, long? GroupId, string? After, int Limit);

public sealed record CustomerAccountRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? ContactName { get; init; }
    public string? Phone { get; init; }
    public string? Region { get; init; }
    public bool Active { get; init; }
    public long? GroupId { get; init; }
    public string? GroupName { get; init; }
    public long? AgentId { get; init; }
    public string? AgentName { get; init; }
    public long CreditLimitFen { get; init; }
    public long BalanceFen { get; init; }
}

public sealed record CustomerAccountPage(IReadOnlyList<CustomerAccountRow> Items, string? NextCursor);

public sealed record CustomerUserInfo
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string Role { get; init; } = "";
    public bool Active { get; init; }
}

public sealed record AgentInfo
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
}

public sealed record GroupInfo
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed record CustomerAccountDetail(
    long Id, string Code, string Name, string? ContactName, string? Phone, string? Address, string? Region, bool Active,
    GroupInfo? Group, AgentInfo? Agent, IReadOnlyList<CustomerUserInfo> Users, long ErpReceivableFen, AccountBalance Balance);

/// <summary>The back office's customer list and detail with balances (应收款) and credit (信用额度).</summary>
public sealed class CustomerAccountsQuery(Db db, ChainOptions? chains = null)
{
    public async Task<AccountBalance?> BalanceAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await BalanceAsync(c, customerId, chains?.CreditAt ?? ChainLevel.Branch);
    }

    /// <summary>The same numbers finance review checks (<see cref="CreditCheck"/>), or null for an unknown customer.</summary>
    private static async Task<AccountBalance?> BalanceAsync(DbConnection c, long customerId, ChainLevel creditAt)
    {
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE id = @customerId", new { customerId }) is null) return null;
        var e = await CreditCheck.ExposureAsync(c, null, customerId, excludeOrderId: null, creditAt);
        return new AccountBalance(customerId, e.BalanceFen, e.OpenOrdersFen, e.CreditLimitFen);
    }

    /// <summary>Customers by code (keyset: the cursor is the last code), with balance and credit limit.</summary>
    public async Task<CustomerAccountPage> ListAsync(CustomerListFilter f, CancellationToken ct = default)
    {
        var sql = new StringBuilder("""
            SELECT c.id AS Id, c.code AS Code, c.name AS Name, c.contact_name AS ContactName, c.phone AS Phone, c.region AS Region,
                   c.active AS Active, c.group_id AS GroupId, g.name AS GroupName, c.agent_id AS AgentId, a.name AS AgentName,
                   c.credit_limit_fen AS CreditLimitFen,
                   CAST((SELECT COALESCE(SUM(l.amount_fen), 0) FROM ledger_entries l WHERE l.customer_id = c.id) AS BIGINT) AS BalanceFen
            FROM customers c
            LEFT JOIN customer_groups g ON g.id = c.group_id
            LEFT JOIN agents a ON a.id = c.agent_id
            WHERE 1 = 1
            """);
        var args = new DynamicParameters(new { limit = f.Limit + 1 });
        if (!string.IsNullOrWhiteSpace(f.Search))
        {
            sql.Append(@" AND (LOWER(c.code) LIKE @q ESCAPE '\' OR LOWER(c.name) LIKE @q ESCAPE '\' OR c.phone LIKE @q ESCAPE '\' OR LOWER(c.contact_name) LIKE @q ESCAPE '\')");
            args.Add("q", SqlText.Contains(f.Search));
        }
        if (f.AgentId is { } agentId) { sql.Append(" AND c.agent_id = @agentId"); args.Add("agentId", agentId); }
        if (f.GroupId is { } groupId) { sql.Append(" AND c.group_id = @groupId"); args.Add("groupId", groupId); }
        if (!string.IsNullOrEmpty(f.After)) { sql.Append(" AND c.code > @after"); args.Add("after", f.After); }
        sql.Append(" ORDER BY c.code LIMIT @limit");

        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<CustomerAccountRow>(sql.ToString(), args)).ToList();
        var more = rows.Count > f.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new CustomerAccountPage(rows, more ? rows[^1].Code : null);
    }

    /// <summary>The customer with its users, agent, group, credit and balance; null when unknown.</summary>
    public async Task<CustomerAccountDetail?> GetAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<DetailRow>("""
            SELECT id AS Id, code AS Code, name AS Name, contact_name AS ContactName, phone AS Phone, address AS Address, region AS Region,
                   active AS Active, group_id AS GroupId, agent_id AS AgentId, erp_receivable_fen AS ErpReceivableFen
            FROM customers WHERE id = @customerId
            """, new { customerId });
        if (row is null) return null;
        var group = row.GroupId is { } gid
            ? await c.QuerySingleOrDefaultAsync<GroupInfo>("SELECT id AS Id, code AS Code, name AS Name FROM customer_groups WHERE id = @gid", new { gid })
            : null;
        var agent = row.AgentId is { } aid
            ? await c.QuerySingleOrDefaultAsync<AgentInfo>("SELECT id AS Id, code AS Code, name AS Name, phone AS Phone FROM agents WHERE id = @aid", new { aid })
            : null;
        var users = (await c.QueryAsync<CustomerUserInfo>(
            "SELECT id AS Id, name AS Name, phone AS Phone, role AS Role, active AS Active FROM customer_users WHERE customer_id = @customerId ORDER BY id",
            new { customerId })).ToList();
        var balance = (await BalanceAsync(c, customerId, chains?.CreditAt ?? ChainLevel.Branch))!;
        return new CustomerAccountDetail(row.Id, row.Code, row.Name, row.ContactName, row.Phone, row.Address, row.Region, row.Active,
            group, agent, users, row.ErpReceivableFen, balance);
    }


    private sealed class DetailRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string? ContactName { get; init; }
        public string? Phone { get; init; }
        public string? Address { get; init; }
        public string? Region { get; init; }
        public bool Active { get; init; }
        public long? GroupId { get; init; }
        public long? AgentId { get; init; }
        public long ErpReceivableFen { get; init; }
    }
}
