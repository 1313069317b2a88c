namespace OrderHub.Erp.Kingdee;

/// <summary>Yuan (decimal, as Kingdee keeps it) to and from fen, through the port's one conversion (<see cref="ErpMoney"/>).</summary>
internal static class Money
{
    /// <summary>
    /// Yuan → fen. Kingdee prices may carry up to 6 (or 10) decimals; a value that is not a whole number of fen
    /// is rounded half away from zero, the same way Kingdee rounds amounts to the currency's 2 decimals.
    /// </summary>
    public static long ToFen(decimal yuan) => ErpMoney.ToFen(yuan, SubFenPolicy.Round, out _)!.Value;

    /// <summary>Fen → yuan, exact.</summary>
    public static decimal ToYuan(long fen) => ErpMoney.ToYuan(fen);
}
