using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

/// <summary>Negative stock (ERPs that allow selling below zero) is taken as 0 and reported, so nothing is sold on it.</summary>
internal sealed class StockMapper : RowMapper<ErpStockLevel>
{
    public override string Feed => "Stock";
    public override string? Key(ErpRow row) => $"{row.String("ProductCode")}@{row.String("WarehouseCode")}";

    public override ErpStockLevel Map(ErpRow row, Action<string> note)
    {
        var onHand = row.Long("OnHand", required: true)!.Value;
        if (onHand < 0)
        {
            note($"negative stock {onHand} taken as 0");
            onHand = 0;
        }
        return new ErpStockLevel(row.Required("ProductCode"), row.Required("WarehouseCode"), onHand, row.Time("ChangedAt"));
    }
}
