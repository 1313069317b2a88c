namespace OrderHub.Erp.SqlDatabase;

/// <summary>
/// Settings of <see cref="SqlDatabaseErpAdapter"/>. Every query is SQL text written for the ERP's own schema;
/// QUERIES.md beside this file gives the contract of each (parameters received, column aliases returned).
/// </summary>
public sealed class SqlDatabaseErpOptions
{
    public const string SqlServer = "SqlServer";
    public const string PostgreSql = "PostgreSQL";

    /// <summary><c>SqlServer</c> (Microsoft.Data.SqlClient) or <c>PostgreSQL</c> (Npgsql).</summary>
    public string Provider { get; set; } = SqlServer;
    public string ConnectionString { get; set; } = "";
    public SqlDatabaseQueries Queries { get; set; } = new();
    public SqlPushOrderCommands PushOrder { get; set; } = new();
    /// <summary>How a receipt (收款单) for money OrderHub took is written; empty = receipts are listed for a person to post.</summary>
    public SqlPushReceiptCommands PushReceipt { get; set; } = new();
    /// <summary>How a refund (收款退款单) for money OrderHub paid back is written; empty = refunds are listed for a person to post.</summary>
    public SqlPushRefundCommands PushRefund { get; set; } = new();
    /// <summary>How a customer return (退货单) is written; empty = returns are parked for a person to enter.</summary>
    public SqlPushReturnCommands PushReturn { get; set; } = new();
    /// <summary>The <c>@limit</c> passed to every pull query.</summary>
    public int PageSize { get; set; } = 500;
    public int CommandTimeoutSeconds { get; set; } = 30;
    /// <summary>Time zone of date/time columns without an offset (Chinese ERPs store local time).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
    /// <summary>Units OrderHub accepts; a product with another unit is reported and skipped. Empty = any non-blank unit.</summary>
    public List<string> KnownUnits { get; set; } =
    [
        "瓶", "罐", "听", "盒", "桶", "箱", "件", "包", "袋", "提", "杯", "条", "支", "个", "只", "台", "套", "双", "张", "本",
        "卷", "块", "片", "斤", "公斤", "千克", "克", "升", "毫升", "kg", "g", "L", "ml", "PCS", "EA",
    ];
    /// <summary>
    /// ERP status values (as returned in the OrderStatus query's <c>State</c> column) mapped to OrderHub states,
    /// e.g. <c>"审核": "Confirmed"</c>. Values not in the map are matched to the state names themselves, case-insensitively.
    /// </summary>
    public Dictionary<string, ErpOrderState> StateMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>SQL text of each pull and of the order look-up. A query left empty means the ERP has no such feed (the pull returns nothing).</summary>
public sealed class SqlDatabaseQueries
{
    public string? Products { get; set; }
    public string? Stock { get; set; }
    public string? Prices { get; set; }
    public string? Customers { get; set; }
    public string? Payments { get; set; }
    public string? OrderStatus { get; set; }
    public string? FindOrder { get; set; }
    /// <summary>
    /// Larger units of the products of a page (箱 = 24 瓶): columns <c>ProductCode, Unit, Factor</c> (base units in one),
    /// optional <c>Price</c> (yuan for one of the unit) and <c>ErpCode</c> (what an order line's <c>@unit</c> gets; absent =
    /// the unit's name); parameter <c>@codes</c> is the page's product codes (SQL Server <c>IN @codes</c>, PostgreSQL <c>= ANY(@codes)</c>). Empty = units are
    /// not imported (OrderHub keeps what it has).
    /// </summary>
    public string? ProductUnits { get; set; }
    /// <summary>Gets <c>@receiptNumber</c>; returns <c>ErpReceiptId</c> of the receipt carrying it, or no row.</summary>
    public string? FindReceipt { get; set; }
    /// <summary>Gets <c>@refundNumber</c>; returns <c>ErpRefundId</c> of the refund carrying it, or no row.</summary>
    public string? FindRefund { get; set; }
    /// <summary>Gets <c>@returnNumber</c>; returns <c>ErpReturnId</c> of the return carrying it, or no row.</summary>
    public string? FindReturn { get; set; }
}

/// <summary>
/// One statement per receipt, returning the new ERP receipt id. Parameters: @receiptNumber (OrderHub's: WeChat Pay's
/// out_trade_no or TR…; keep it in a column the Payments query returns as SourceReference), @customerCode, @amount (yuan),
/// @amountFen, @receivedAt (ERP-local), @method (wechat | transfer), @purpose (sale | advance), @orderNumber, @erpOrderId,
/// @payerReference (WeChat Pay transaction id or bank reference), @note. Needs <c>Queries.FindReceipt</c> too.
/// </summary>
public sealed class SqlPushReceiptCommands
{
    public string? Insert { get; set; }
}

/// <summary>
/// One statement per refund (收款退款单), returning the new ERP refund id. Parameters: @refundNumber (OrderHub's: WeChat Pay's
/// out_refund_no, RF…; keep it in a column the Payments query returns as SourceReference), @receiptNumber (the refunded
/// payment's), @customerCode, @amount (yuan, positive), @amountFen, @refundedAt (ERP-local), @method (wechat), @orderNumber,
/// @erpOrderId, @returnNumber (null unless a return's 退款), @payeeReference (WeChat Pay's refund_id), @note.
/// Needs <c>Queries.FindRefund</c> too.
/// </summary>
public sealed class SqlPushRefundCommands
{
    public string? Insert { get; set; }
}

/// <summary>
/// A return's header once (returning the new ERP return id), then a line per product, in one transaction. Header:
/// @returnNumber, @orderNumber, @erpOrderId, @customerCode, @warehouseCode, @reason, @total, @totalFen, @lineCount,
/// @returnedAt. Line: @erpReturnId, @returnNumber, @warehouseCode, @lineNo, @productCode, @quantity (positive, base unit),
/// @unitPrice, @unitPriceFen, @amount, @amountFen. Needs <c>Queries.FindReturn</c> too.
/// </summary>
public sealed class SqlPushReturnCommands
{
    public string? InsertHeader { get; set; }
    public string? InsertLine { get; set; }
}

/// <summary>
/// How an order is written: <see cref="InsertHeader"/> once then <see cref="InsertLine"/> per line, in one transaction;
/// or, when <see cref="StoredProcedureCall"/> is set, that one statement (which gets all lines as JSON and XML).
/// </summary>
public sealed class SqlPushOrderCommands
{
    public string? InsertHeader { get; set; }
    public string? InsertLine { get; set; }
    public string? StoredProcedureCall { get; set; }
}
