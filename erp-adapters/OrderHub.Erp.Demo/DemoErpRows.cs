namespace OrderHub.Erp.Demo;

// Rows as Dapper reads them from the demo ERP's tables (columns aliased to these names in the queries).
internal sealed class ProductRow
{
    public string Code { get; set; } = ""; public string Name { get; set; } = ""; public string? Spec { get; set; }
    public string Unit { get; set; } = ""; public int PackSize { get; set; } public int MinOrderQty { get; set; }
    public string? Barcode { get; set; } public string? Brand { get; set; } public string CategoryPath { get; set; } = "";
    public long BasePriceFen { get; set; } public bool Active { get; set; } public long ChangedAt { get; set; } public long Seq { get; set; }
    public long? CostFen { get; set; }
}

internal sealed class StockRow
{
    public string ProductCode { get; set; } = ""; public string WarehouseCode { get; set; } = "";
    public long OnHand { get; set; } public long ChangedAt { get; set; } public long Seq { get; set; }
}

internal sealed class PriceRow
{
    public string ProductCode { get; set; } = ""; public string Scope { get; set; } = ""; public string ScopeCode { get; set; } = "";
    public long MinQty { get; set; } public long PriceFen { get; set; } public bool IsTracking { get; set; } public bool Deleted { get; set; }
    public long ChangedAt { get; set; } public long Seq { get; set; }
}

internal sealed class CustomerRow
{
    public string Code { get; set; } = ""; public string Name { get; set; } = ""; public string? Contact { get; set; }
    public string? Phone { get; set; } public string? Address { get; set; } public string? GroupCode { get; set; }
    public long CreditLimitFen { get; set; } public long ReceivableFen { get; set; } public bool Active { get; set; }
    public long ChangedAt { get; set; } public long Seq { get; set; }
}

internal sealed class PaymentRow
{
    public string Reference { get; set; } = ""; public string CustomerCode { get; set; } = ""; public long AmountFen { get; set; }
    public long PaidAt { get; set; } public string? Note { get; set; } public string? SourceReference { get; set; } public long Seq { get; set; }
}

internal sealed class StatusRow
{
    public string OrderNumber { get; set; } = ""; public string ErpId { get; set; } = ""; public string State { get; set; } = "";
    public long ChangedAt { get; set; } public string? Detail { get; set; } public long Seq { get; set; }
}
