namespace OrderHub.Erp;

/// <summary>What an adapter found when asked to check its connection before go-live.</summary>
/// <param name="Facts">What it saw, e.g. "company: 广州某某商贸", "warehouses: WH, WH2", "312 parties will become stores".</param>
/// <param name="Problems">What must be fixed before orders flow (empty when none).</param>
public sealed record ErpConnectionReport(bool Connected, IReadOnlyList<string> Facts, IReadOnlyList<string> Problems);

/// <summary>
/// Optional for an adapter: a go-live check that signs in, reads what the sync will need and says what is missing.
/// Adapters without it are checked by reading the first page of products.
/// </summary>
public interface IErpConnectionCheck
{
    Task<ErpConnectionReport> CheckConnectionAsync(CancellationToken ct);
}
