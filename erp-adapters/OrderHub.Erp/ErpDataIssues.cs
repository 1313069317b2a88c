namespace OrderHub.Erp;

/// <summary>
/// A row the ERP returned that OrderHub could not take as it is (unknown unit, negative stock, foreign currency,
/// a price below one fen…). <paramref name="RowSkipped"/> says whether the row was left out of the page or taken after
/// a correction (negative stock is taken as 0). The cursor still moves past the row: once someone fixes it in the ERP,
/// its change time moves and the next pull picks it up.
/// </summary>
/// <param name="Feed">Products, Stock, Prices, Customers, Payments or OrderStatus.</param>
/// <param name="Key">The row's code (product code, customer code, payment reference, order number…), when it had one.</param>
public sealed record ErpDataIssue(string Feed, string? Key, string Problem, bool RowSkipped)
{
    public override string ToString() => $"{Feed} {Key ?? "(no code)"}: {Problem}{(RowSkipped ? " — skipped" : "")}";
}

/// <summary>Where an adapter reports bad ERP rows. OrderHub's sync passes a sink that records them as sync issues.</summary>
public interface IErpDataIssues
{
    void Report(ErpDataIssue issue);
}
