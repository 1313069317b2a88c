using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

/// <summary>
/// A negative receivable (the customer paid in advance) is kept as it is. Chains: when the query returns a
/// <c>HeadOfficeCode</c> column, its value is the store's head office (NULL or blank = none); without the column the adapter
/// has no chain information and OrderHub keeps what it has.
/// </summary>
internal sealed class CustomerMapper : RowMapper<ErpCustomer>
{
    public override string Feed => "Customers";
    public override string? Key(ErpRow row) => row.String("Code");

    public override ErpCustomer Map(ErpRow row, Action<string> note) => new(
        Code: row.Required("Code"),
        Name: row.Required("Name"),
        Contact: row.String("Contact"),
        Phone: row.String("Phone"),
        Address: row.String("Address"),
        GroupCode: row.String("GroupCode"),
        CreditLimitFen: ErpValues.NotNegative(row.FenOrZero("CreditLimit"), "CreditLimit"),
        ReceivableFen: row.FenOrZero("Receivable"),
        Active: row.Bool("Active", whenAbsent: true),
        ChangedAt: row.Time("ChangedAt"),
        WarehouseCode: row.String("WarehouseCode"),
        HeadOfficeCode: row.Has("HeadOfficeCode") ? row.String("HeadOfficeCode") ?? ErpCustomer.NoHeadOffice : null);
}
