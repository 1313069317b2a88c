using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton;

/// <summary>
/// Which Tryton parties are OrderHub stores (门店). Tryton numbers every party — customers, suppliers, carriers, employees'
/// contacts — so "has a code" is not enough. Setting <c>Erp:Tryton:CustomerRule</c>:
/// <list type="bullet">
/// <item><c>Receivable</c> (default): a party with a code that Tryton treats as a customer — it has a sale price list, a
/// customer payment term, a sale, or a line on a receivable account.</item>
/// <item><c>Category:&lt;name&gt;</c>: a party with a code in that party category or one of its sub-categories
/// (e.g. <c>Category:门店</c>); the clearest rule when the distributor keeps such a category.</item>
/// <item><c>AnyCode</c>: every party with a code (the old behaviour; suppliers become stores too).</item>
/// </list>
/// The company's own parties are never stores. The rule is applied to the customers feed, the prices feed and the connection check.
/// </summary>
public sealed class TrytonCustomerRule
{
    public const string Default = "Receivable";
    private const string CategoryPrefix = "Category:";
    private readonly TrytonJsonRpcClient _rpc;
    private readonly string _rule;

    public TrytonCustomerRule(TrytonJsonRpcClient rpc, TrytonOptions options)
    {
        _rpc = rpc;
        _rule = string.IsNullOrWhiteSpace(options.CustomerRule) ? Default : options.CustomerRule.Trim();
        if (Problem(_rule) is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>What is wrong with a rule setting, or null when it is usable.</summary>
    public static string? Problem(string? rule)
    {
        var r = rule?.Trim() ?? "";
        if (r.Length == 0 || r.Equals(Default, StringComparison.OrdinalIgnoreCase) || r.Equals("AnyCode", StringComparison.OrdinalIgnoreCase)) return null;
        if (r.StartsWith(CategoryPrefix, StringComparison.OrdinalIgnoreCase) && r[CategoryPrefix.Length..].Trim().Length > 0) return null;
        return $"CustomerRule '{rule}' must be Receivable, Category:<party category name> or AnyCode";
    }

    private string? CategoryName =>
        _rule.StartsWith(CategoryPrefix, StringComparison.OrdinalIgnoreCase) ? _rule[CategoryPrefix.Length..].Trim() : null;

    private bool AnyCode => _rule.Equals("AnyCode", StringComparison.OrdinalIgnoreCase);

    /// <summary>The rule in words, for logs and the connection report.</summary>
    public string Describe() =>
        CategoryName is { } name ? $"parties with a code in party category '{name}' (or below)"
        : AnyCode ? "every party with a code"
        : "parties with a code that have a sale price list, a customer payment term, a sale or a receivable line";

    /// <summary>
    /// The store parties among <paramref name="partyIds"/> (null = among all parties; inactive ones included).
    /// Throws <see cref="ErpRejectedException"/> when the rule names a category Tryton does not have.
    /// </summary>
    public async Task<HashSet<int>> StoresAmongAsync(IReadOnlyCollection<int>? partyIds, CancellationToken ct)
    {
        if (partyIds is { Count: 0 }) return [];
        object?[] among = partyIds is null ? [] : [D("id", "in", partyIds.ToList())];
        var coded = (await _rpc.SearchAsync("party.party", [.. among, D("code", "!=", null)], ct, context: ChangeFeed.InactiveToo)).ToHashSet();
        coded.ExceptWith(await CompanyPartiesAsync(ct));
        if (coded.Count == 0 || AnyCode) return coded;

        if (CategoryName is { } name)
        {
            var categories = await _rpc.SearchAsync("party.category", [D("name", "=", name)], ct, context: ChangeFeed.InactiveToo);
            if (categories.Count == 0)
                throw new ErpRejectedException($"Tryton has no party category '{name}' (Erp:Tryton:CustomerRule = {_rule}).");
            var inCategory = await _rpc.SearchAsync("party.party",
                [D("id", "in", coded.ToList()), new object?[] { "categories", "child_of", categories, "parent" }], ct, context: ChangeFeed.InactiveToo);
            return inCategory.ToHashSet();
        }

        // Receivable: any trace of Tryton treating the party as a customer.
        var ids = coded.ToList();
        var stores = new HashSet<int>();
        async Task AddAsync(string model, object?[] domain, string field)
        {
            var remaining = ids.Where(id => !stores.Contains(id)).ToList();
            if (remaining.Count == 0) return;
            foreach (var r in await _rpc.SearchReadAsync(model, [.. domain, D(field, "in", remaining)], [field], ct, order: null, context: ChangeFeed.InactiveToo))
                if (r.IntOrNull(field) is { } party) stores.Add(party);
        }
        // The per-company values (party.party.sale_price_list, …) are not served over RPC; search through the One2Manys.
        foreach (var domain in new[] { D("sale_price_lists.sale_price_list", "!=", null), D("payment_terms.customer_payment_term", "!=", null) })
            stores.UnionWith(await _rpc.SearchAsync("party.party", [D("id", "in", ids), domain], ct, order: null, context: ChangeFeed.InactiveToo));
        await AddAsync("sale.sale", [], "party");
        await AddAsync("account.move.line", [D("account.type.receivable", "=", true)], "party");
        return stores;
    }

    private async Task<HashSet<int>> CompanyPartiesAsync(CancellationToken ct) =>
        (await _rpc.SearchReadAsync("company.company", [], ["party"], ct)).Select(r => r.Int("party")).ToHashSet();
}
