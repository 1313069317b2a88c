using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Customers: the <c>party.party</c> records the <see cref="TrytonCustomerRule"/> makes stores. Credit limit is
/// <c>credit_limit_amount</c> (module account_credit_limit, per company) and receivable is the computed
/// <c>receivable</c> (posted and unposted receivable move lines). Group code = the party's first category name.
/// Warehouse: the warehouse of the party's latest sale, else — when only one warehouse is reported — that one
/// (what a new Tryton sale would take); null when Tryton cannot say. Only reported warehouses count.
/// Feed key: the party id; changes of the party, its addresses, contact mechanisms, credit limit, sales or receivable
/// move lines count. Limit: a party that stops matching the rule is not reported (OrderHub keeps the store).
/// Chains: with <see cref="TrytonOptions.ChainCategory"/> set, a party in a sub-category of it is a branch of the party whose
/// code is the sub-category's name (its first such category), any other store has no head office; such categories are never
/// the group. Unset: no chain information (null).
/// </summary>
internal sealed class CustomerPuller
{
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly IErpDataIssues _issues;
    private readonly TrytonCustomerRule _rule;
    private readonly string? _chainCategory;
    private readonly ChangeFeed _feed;

    public CustomerPuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options, IErpDataIssues issues, TrytonCustomerRule rule)
    {
        (_rpc, _masterData, _issues, _rule) = (rpc, masterData, issues, rule);
        _chainCategory = string.IsNullOrWhiteSpace(options.ChainCategory) ? null : options.ChainCategory.Trim();
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("party.party", [D("code", "!=", null)], [], ChangeFeed.KeyFromField("id"), IncludeInactive: true),
            new ChangeSource("party.address", [], ["party"], ChangeFeed.KeyFromField("party"), IncludeInactive: true),
            new ChangeSource("party.contact_mechanism", [], ["party"], ChangeFeed.KeyFromField("party"), IncludeInactive: true),
            new ChangeSource("account.move.line", [D("party", "!=", null)], ["party"], ChangeFeed.KeyFromField("party")),
            new ChangeSource("sale.sale", [], ["party"], ChangeFeed.KeyFromField("party")),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpCustomer>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var changedAt = page.Keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var stores = await _rule.StoresAmongAsync(changedAt.Keys, ct);
        var parties = await _rpc.ReadAsync("party.party", stores,
                ["code", "name", "active", "phone", "mobile", "addresses", "categories",
                 "credit_limit_amount", "receivable", "create_date", "write_date"], ct, ChangeFeed.InactiveToo);
        var warehouses = await WarehousesAsync(stores, ct);
        var addresses = (await _rpc.ReadAsync("party.address",
                parties.Select(p => p.Ids("addresses").FirstOrDefault()).Where(id => id != 0).ToList(),
                ["full_address"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(a => a.Id, a => OneLine(a.String("full_address")));
        var categoryRows = (await _rpc.ReadAsync("party.category",
                parties.SelectMany(p => p.Ids("categories")).Distinct().ToList(), ["name", "parent"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(c => c.Id);
        var categories = categoryRows.ToDictionary(c => c.Key, c => c.Value.String("name"));
        var chainIds = await ChainCategoryIdsAsync(ct);
        // A sub-category of the chain category names a head office; the chain category and its children are not groups.
        string? HeadOffice(TrytonRecord party) => chainIds is null ? null
            : party.Ids("categories").Where(id => categoryRows.TryGetValue(id, out var c) && c.IntOrNull("parent") is { } parent && chainIds.Contains(parent))
                .Select(id => categories[id]?.Trim()).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? ErpCustomer.NoHeadOffice;
        bool IsGroup(int category) => chainIds is null || (!chainIds.Contains(category)
            && !(categoryRows.TryGetValue(category, out var c) && c.IntOrNull("parent") is { } parent && chainIds.Contains(parent)));

        var items = parties.Select(p =>
        {
            var code = p.String("code")!;
            var firstAddress = p.Ids("addresses").FirstOrDefault();
            var firstCategory = p.Ids("categories").FirstOrDefault(IsGroup);
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
                ChangedAt: new DateTimeOffset(ChangeFeed.Latest(changedAt[p.Id], p.ChangedAt), TimeSpan.Zero),
                WarehouseCode: warehouses.GetValueOrDefault(p.Id),
                HeadOfficeCode: HeadOffice(p));
        }).ToList();
        return new ErpPage<ErpCustomer>(items, page.NextCursor, page.HasMore);
    }

    /// <summary>The ids of the categories named <see cref="TrytonOptions.ChainCategory"/> (null when unset); none in Tryton is an error.</summary>
    private async Task<HashSet<int>?> ChainCategoryIdsAsync(CancellationToken ct)
    {
        if (_chainCategory is null) return null;
        var ids = await _rpc.SearchAsync("party.category", [D("name", "=", _chainCategory), D("parent", "=", null)], ct, context: ChangeFeed.InactiveToo);
        if (ids.Count == 0)
            throw new ErpRejectedException($"Tryton has no top-level party category '{_chainCategory}' (Erp:Tryton:ChainCategory).");
        return ids.ToHashSet();
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct) =>
        (await _rule.StoresAmongAsync(null, ct)).Select(id => id.ToString());

    /// <summary>Party id → warehouse code: its latest sale's warehouse, else the only warehouse reported (see <see cref="TrytonOptions.WarehouseCodes"/>).</summary>
    private async Task<Dictionary<int, string>> WarehousesAsync(IReadOnlyCollection<int> parties, CancellationToken ct)
    {
        var result = new Dictionary<int, string>();
        if (parties.Count == 0) return result;
        var all = await _masterData.WarehousesAsync(ct);
        var codes = all.ToDictionary(w => w.Id, w => w.Code);
        var sales = await _rpc.SearchReadAsync("sale.sale", [D("party", "in", parties.ToList()), D("warehouse", "!=", null)],
            ["party", "warehouse"], ct, order: "create_date DESC, id DESC");
        foreach (var sale in sales)
            if (codes.TryGetValue(sale.Int("warehouse"), out var code)) result.TryAdd(sale.Int("party"), code);
        if (all.Count == 1)
            foreach (var party in parties) result.TryAdd(party, all[0].Code);
        return result;
    }

    private static string? OneLine(string? text) =>
        text is null ? null : string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
