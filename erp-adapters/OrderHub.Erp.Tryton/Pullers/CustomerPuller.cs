using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Customers: <c>party.party</c> records with a code, except the company's own party. Credit limit is
/// <c>credit_limit_amount</c> (module account_credit_limit, per company) and receivable is the computed
/// <c>receivable</c> (posted and unposted receivable move lines). Group code = the party's first category name.
/// Feed key: the party id; changes of the party, its addresses, contact mechanisms, credit limit or receivable
/// move lines count.
/// </summary>
internal sealed class CustomerPuller
{
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly IErpDataIssues _issues;
    private readonly ChangeFeed _feed;

    public CustomerPuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options, IErpDataIssues issues)
    {
        (_rpc, _masterData, _issues) = (rpc, masterData, issues);
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("party.party", [D("code", "!=", null)], [], ChangeFeed.KeyFromField("id"), IncludeInactive: true),
            new ChangeSource("party.address", [], ["party"], ChangeFeed.KeyFromField("party"), IncludeInactive: true),
            new ChangeSource("party.contact_mechanism", [], ["party"], ChangeFeed.KeyFromField("party"), IncludeInactive: true),
            new ChangeSource("account.move.line", [D("party", "!=", null)], ["party"], ChangeFeed.KeyFromField("party")),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpCustomer>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var changedAt = page.Keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var companies = await _masterData.CompanyPartyIdsAsync(ct);
        var parties = (await _rpc.ReadAsync("party.party", changedAt.Keys,
                ["code", "name", "active", "phone", "mobile", "addresses", "categories",
                 "credit_limit_amount", "receivable", "create_date", "write_date"], ct, ChangeFeed.InactiveToo))
            .Where(p => p.String("code") is not null && !companies.Contains(p.Id))
            .ToList();
        var addresses = (await _rpc.ReadAsync("party.address",
                parties.Select(p => p.Ids("addresses").FirstOrDefault()).Where(id => id != 0).ToList(),
                ["full_address"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(a => a.Id, a => OneLine(a.String("full_address")));
        var categories = (await _rpc.ReadAsync("party.category",
                parties.SelectMany(p => p.Ids("categories")).Distinct().ToList(), ["name"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(c => c.Id, c => c.String("name"));

        var items = parties.Select(p =>
        {
            var code = p.String("code")!;
            var firstAddress = p.Ids("addresses").FirstOrDefault();
            var firstCategory = p.Ids("categories").FirstOrDefault();
            return new ErpCustomer(
                Code: code,
                Name: p.String("name") ?? code,
                Contact: null,
                Phone: p.String("mobile") ?? p.String("phone"),
                Address: addresses.GetValueOrDefault(firstAddress),
                GroupCode: categories.GetValueOrDefault(firstCategory),
                // Receivable and limits are company amounts, never finer than the currency's 0.01.
                CreditLimitFen: ErpMoney.ToFen(p.DecimalOrNull("credit_limit_amount") ?? 0m, SubFenPolicy.Round, _issues, "Customers", code, "credit limit"),
                ReceivableFen: ErpMoney.ToFen(p.DecimalOrNull("receivable") ?? 0m, SubFenPolicy.Round, _issues, "Customers", code, "receivable"),
                Active: p.Bool("active"),
                ChangedAt: new DateTimeOffset(ChangeFeed.Latest(changedAt[p.Id], p.ChangedAt), TimeSpan.Zero));
        }).ToList();
        return new ErpPage<ErpCustomer>(items, page.NextCursor, page.HasMore);
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct)
    {
        var companies = await _masterData.CompanyPartyIdsAsync(ct);
        return (await _rpc.SearchAsync("party.party", [D("code", "!=", null)], ct, context: ChangeFeed.InactiveToo))
            .Where(id => !companies.Contains(id)).Select(id => id.ToString());
    }

    private static string? OneLine(string? text) =>
        text is null ? null : string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
