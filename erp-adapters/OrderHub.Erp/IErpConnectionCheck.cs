namespace OrderHub.Erp;

/// <summary>
/// What the go-live checklist asks an adapter before the first sync: can it log in, which company, currency and warehouses it
/// sees, and how many ERP parties its customer rule would make stores. An adapter may implement it beside <see cref="IErpAdapter"/>.
/// </summary>
public interface IErpConnectionCheck
{
    Task<ErpConnectionReport> CheckConnectionAsync(CancellationToken ct);
}

/// <param name="StoreRule">The customer rule in words, e.g. "parties in category 门店".</param>
/// <param name="StoreCount">How many ERP parties the rule makes stores ("these 312 parties will become stores").</param>
/// <param name="Problems">What a person must fix before going live; empty when none was found.</param>
public sealed record ErpConnectionReport(
    string Erp, string User, string Company, string Currency, IReadOnlyList<string> WarehouseCodes,
    string StoreRule, int StoreCount, int ProductCount, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;

    public override string ToString() =>
        $"{Erp} as {User}: company {Company}, currency {Currency}, warehouses {string.Join(", ", WarehouseCodes)}; " +
        $"{StoreCount} parties will become stores ({StoreRule}); {ProductCount} products" +
        (Ok ? "" : $"; problems: {string.Join(" | ", Problems)}");
}
