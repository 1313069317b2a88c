using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

internal sealed class ProductMapper(IReadOnlyCollection<string> knownUnits) : RowMapper<ErpProduct>
{
    private readonly HashSet<string> _units = new(knownUnits, StringComparer.OrdinalIgnoreCase);

    public override string Feed => "Products";
    public override string? Key(ErpRow row) => row.String("Code");

    public override ErpProduct Map(ErpRow row, Action<string> note)
    {
        var unit = row.Required("Unit");
        if (_units.Count > 0 && !_units.Contains(unit)) throw new BadErpRowException($"unit '{unit}' is not a known unit");
        return new ErpProduct(
            Code: row.Required("Code"),
            Name: row.Required("Name"),
            Spec: row.String("Spec"),
            Unit: unit,
            PackSize: ErpValues.Positive(row, "PackSize"),
            MinOrderQty: ErpValues.Positive(row, "MinOrderQty"),
            Barcode: row.String("Barcode"),
            Brand: row.String("Brand"),
            CategoryPath: (row.String("CategoryPath") ?? "").Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            BasePriceFen: ErpValues.NotNegative(row.Fen("BasePrice"), "BasePrice"),
            Currency: ErpValues.Currency(row),
            Active: row.Bool("Active", whenAbsent: true),
            ChangedAt: row.Time("ChangedAt"),
            // Optional column UnitCost (yuan per base unit, any number of decimals) for gross profit.
            CostFen: row.Has("UnitCost") ? ErpMoney.CostToFen(row.Decimal("UnitCost")) : null);
    }
}
