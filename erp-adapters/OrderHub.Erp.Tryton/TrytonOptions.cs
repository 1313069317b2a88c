namespace OrderHub.Erp.Tryton;

/// <param name="Url">Server root, e.g. <c>http://127.0.0.1:8000</c> (the database name is appended).</param>
/// <param name="WarehouseCodes">Codes of the <c>stock.location</c> warehouses to report stock for; null = all warehouses.</param>
/// <param name="TimeoutSeconds">Per-request timeout; a timeout surfaces as <see cref="ErpUnavailableException"/>.</param>
/// <param name="PageSize">Most changed records (products, customers, sales, …) returned by one pull.</param>
/// <param name="AcceptConfirmWarnings">
/// When confirming a pushed sale raises a Tryton warning (e.g. the customer's credit limit is exceeded):
/// false = leave the sale as a quotation for a Tryton user to confirm; true = accept the warning and confirm.
/// </param>
/// <param name="SubFenPrices">
/// Tryton prices may carry 4 decimals. Round (default) = round half-up to whole fen and report a data issue for the row;
/// Refuse = leave the row out with a data issue. Either way the rest of the page applies.
/// </param>
/// <param name="CustomerRule">Which Tryton parties are OrderHub stores (customers feed, prices feed, connection check); see <see cref="TrytonCustomerRule"/>.</param>
/// <param name="PriceMismatch">What a push does when OrderHub's unit price differs from the one Tryton computes for the line.</param>
/// <param name="ChainCategory">
/// Chains (连锁) from Tryton, which 6.0 has no relation for (party_relationship is not installed): the name of a party category
/// whose sub-categories are named by head-office party codes; a store in sub-category <c>&lt;ChainCategory&gt; / HQ001</c> is a
/// branch of the party coded HQ001. Such categories are not customer groups. Null (default) = chains are not imported
/// (a person sets them in the console).
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
    SubFenPolicy SubFenPrices = SubFenPolicy.Round,
    string CustomerRule = TrytonCustomerRule.Default,
    TrytonPriceMismatch PriceMismatch = TrytonPriceMismatch.KeepOrderPrice,
    string? ChainCategory = null);

/// <summary>What a push does when an order line's price differs from the price Tryton computes for it. Every case is reported as a sync issue.</summary>
public enum TrytonPriceMismatch
{
    /// <summary>The sale keeps OrderHub's price (what the customer saw and ordered at: promotions, gifts at 0), with an issue.</summary>
    KeepOrderPrice,
    /// <summary>The sale takes Tryton's price (its price list wins), with an issue.</summary>
    UseTrytonPrice,
    /// <summary>The push is refused (parked with the message) until someone aligns the prices.</summary>
    Refuse,
}
