using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

/// <summary>A negative amount (refund, 红冲) is kept as it is.</summary>
internal sealed class PaymentMapper : RowMapper<ErpPayment>
{
    public override string Feed => "Payments";
    public override string? Key(ErpRow row) => row.String("Reference");

    public override ErpPayment Map(ErpRow row, Action<string> note)
    {
        ErpValues.Currency(row);
        return new ErpPayment(row.Required("Reference"), row.Required("CustomerCode"), row.Fen("Amount"), row.Time("PaidAt"), row.String("Note"),
            row.String("SourceReference", required: false));
    }
}
