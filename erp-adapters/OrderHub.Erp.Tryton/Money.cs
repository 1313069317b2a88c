namespace OrderHub.Erp.Tryton;

/// <summary>Tryton amounts are Decimal yuan; OrderHub amounts are integer fen.</summary>
public static class Money
{
    public static decimal ToYuan(long fen) => fen / 100m;

    /// <summary>Exact conversion; throws when <paramref name="yuan"/> has digits below one fen unless rounding is allowed.</summary>
    public static long ToFen(decimal yuan, string what, bool allowRounding = false)
    {
        var fen = yuan * 100m;
        var whole = decimal.Round(fen, 0, MidpointRounding.AwayFromZero);
        if (whole != fen && !allowRounding)
            throw new InvalidOperationException($"{what}: {yuan} yuan is not a whole number of fen.");
        return decimal.ToInt64(whole);
    }
}
