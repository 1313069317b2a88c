using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

/// <summary>Maps the ERP's own status values through <see cref="SqlDatabaseErpOptions.StateMap"/>, then by state name.</summary>
internal sealed class OrderStatusMapper(IReadOnlyDictionary<string, ErpOrderState> stateMap) : RowMapper<ErpOrderStatusChange>
{
    private readonly Dictionary<string, ErpOrderState> _map = new(stateMap, StringComparer.OrdinalIgnoreCase);

    public override string Feed => "OrderStatus";
    public override string? Key(ErpRow row) => row.String("OrderNumber");

    public override ErpOrderStatusChange Map(ErpRow row, Action<string> note)
    {
        var state = row.Required("State");
        var mapped = _map.TryGetValue(state, out var s) ? s
            : Enum.TryParse<ErpOrderState>(state, ignoreCase: true, out var byName) && !int.TryParse(state, out _) ? byName
            : throw new BadErpRowException($"State '{state}' is not mapped to an OrderHub state (add it to StateMap)");
        return new ErpOrderStatusChange(row.Required("OrderNumber"), row.Required("ErpOrderId"), mapped, row.Time("ChangedAt"), row.String("Detail"));
    }
}
