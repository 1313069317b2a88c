using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

internal sealed class PriceMapper : RowMapper<ErpPrice>
{
    public override string Feed => "Prices";
    public override string? Key(ErpRow row) => row.String("ScopeCode") is { } scope ? $"{row.String("ProductCode")}/{scope}" : row.String("ProductCode");

    public override ErpPrice Map(ErpRow row, Action<string> note)
    {
        var scope = Scope(row.Required("Scope"));
        var scopeCode = scope == ErpPriceScope.Base ? null : row.Required("ScopeCode");
        var minQty = row.Long("MinQty") ?? 1;
        if (minQty < 1) throw new BadErpRowException($"MinQty {minQty} is below 1");
        var deleted = row.Bool("Deleted", whenAbsent: false);
        var fen = deleted ? row.FenOrZero("Price") : row.Fen("Price");
        return new ErpPrice(row.Required("ProductCode"), scope, scopeCode, minQty, ErpValues.NotNegative(fen, "Price"),
            ErpValues.Currency(row), row.Bool("IsTrackingPrice", whenAbsent: false), row.Time("ChangedAt"), deleted);
    }

    private static ErpPriceScope Scope(string s) => s.ToUpperInvariant() switch
    {
        "BASE" or "基价" or "零售价" => ErpPriceScope.Base,
        "CUSTOMERGROUP" or "GROUP" or "价格组" or "客户分类" => ErpPriceScope.CustomerGroup,
        "CUSTOMER" or "客户" => ErpPriceScope.Customer,
        _ => throw new BadErpRowException($"Scope '{s}' is not Base, CustomerGroup or Customer"),
    };
}
