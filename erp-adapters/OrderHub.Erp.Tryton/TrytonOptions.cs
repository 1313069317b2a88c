namespace OrderHub.Erp.Tryton;

/// <param name="Url">Server root, e.g. <c>http://127.0.0.1:8000</c> (the database name is appended).</param>
/// <param name="WarehouseCodes">Codes of the <c>stock.location</c> warehouses to report stock for; null = all warehouses.</param>
/// <param name="TimeoutSeconds">Per-request timeout; a timeout surfaces as <see cref="ErpUnavailableException"/>.</param>
/// <param name="PageSize">Most changed records (products, customers, sales, …) returned by one pull.</param>
/// <param name="AcceptConfirmWarnings">
/// When confirming a pushed sale raises a Tryton warning (e.g. the customer's credit limit is exceeded):
/// false = leave the sale as a quotation for a Tryton user to confirm; true = accept the warning and confirm.
/// </param>
/// <param name="RoundSubFenPrices">
/// Tryton prices may carry 4 decimals. false = a price with digits below 0.01 yuan is an error (the pull throws);
/// true = round it half away from zero to whole fen.
/// </param>
public sealed record TrytonOptions(
    string Url,
    string Database,
    string Username,
    string Password,
    IReadOnlyList<string>? WarehouseCodes = null,
    int TimeoutSeconds = 30,
    int PageSize = 200,
    string Language = "en",
    bool AcceptConfirmWarnings = false,
    bool RoundSubFenPrices = false);
