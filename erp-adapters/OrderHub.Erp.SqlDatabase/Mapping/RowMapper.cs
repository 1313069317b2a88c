using OrderHub.Erp.SqlDatabase.Feeds;

namespace OrderHub.Erp.SqlDatabase.Mapping;

/// <summary>Maps one row of a feed's query to a port record. Throws <see cref="BadErpRowException"/> for a row to skip.</summary>
internal abstract class RowMapper<T>
{
    public abstract string Feed { get; }

    /// <summary>The row's code for issue reports.</summary>
    public abstract string? Key(ErpRow row);

    /// <param name="note">Reports a problem with a row that is still taken (after a correction).</param>
    public abstract T Map(ErpRow row, Action<string> note);
}

/// <summary>Checks shared by the mappers.</summary>
internal static class ErpValues
{
    /// <summary>"CNY" when the row has no Currency column or it is empty; RMB/人民币/¥ count as CNY; any other currency is a bad row.</summary>
    public static string Currency(ErpRow row)
    {
        var c = row.String("Currency");
        return ErpMoney.IsCny(c) ? "CNY" : throw new BadErpRowException($"currency {c} is not CNY");
    }

    public static long NotNegative(long fen, string what) =>
        fen >= 0 ? fen : throw new BadErpRowException($"{what} {Yuan.FromFen(fen)} is negative");

    public static int Positive(ErpRow row, string column)
    {
        var v = row.Long(column) ?? 1;
        return v is >= 1 and <= int.MaxValue ? (int)v : throw new BadErpRowException($"{column} {v} is not a positive whole number");
    }
}
