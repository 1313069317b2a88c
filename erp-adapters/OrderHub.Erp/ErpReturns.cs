namespace OrderHub.Erp;

/// <summary>A line of a return: the product and the quantity received back (positive), at the price the store paid.</summary>
public sealed record ErpReturnLine(string ProductCode, long Quantity, long UnitPriceFen);

/// <summary>
/// A return (退货) as OrderHub hands it to the ERP once its goods are expected: the ERP makes its customer return
/// document (Tryton: a sale with negative quantities, which makes a customer return shipment; Kingdee: SAL_RETURNSTOCK;
/// SQL: the configured statement) carrying <paramref name="ReturnNumber"/> as its external reference.
/// </summary>
/// <param name="OrderNumber">OrderHub's number of the order the goods came from; <paramref name="ErpOrderId"/> its ERP id when known.</param>
public sealed record ErpReturn(
    string ReturnNumber, string OrderNumber, string? ErpOrderId, string CustomerCode, string? WarehouseCode,
    IReadOnlyList<ErpReturnLine> Lines, string? Reason);

public sealed record ErpReturnRef(string ErpReturnId, string ReturnNumber);

/// <summary>This adapter cannot write returns: the push parks the return for a person to enter it in the ERP.</summary>
public sealed class ErpReturnsNotSupportedException(string adapter)
    : ErpRejectedException($"{adapter} 适配器不能推送退货，请在 ERP 中手工录入 / The {adapter} adapter cannot push returns; enter it in the ERP by hand");
