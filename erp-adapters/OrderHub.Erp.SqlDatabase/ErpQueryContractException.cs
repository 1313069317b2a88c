namespace OrderHub.Erp.SqlDatabase;

/// <summary>A configured query does not keep its contract (missing column, no id returned…): fix the SQL in the settings.</summary>
public sealed class ErpQueryContractException(string message) : InvalidOperationException(message);
