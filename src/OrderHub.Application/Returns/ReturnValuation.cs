namespace OrderHub.Application.Returns;

/// <summary>
/// What returned goods are worth, the one rule for the request's estimate and the ledger credit:
/// <list type="bullet">
/// <item>a line is worth its share of the line amount the store paid: <c>amount × returned ÷ ordered</c> (so a tier
/// price or a 买赠 gift line, whose amount is 0, is valued as it was sold: gifts at zero);</item>
/// <item>the order's 满减 discount is given back in proportion: the returned goods carry <c>discount × goods returned ÷
/// goods of the order</c>;</item>
/// <item>both are computed on the running totals of everything returned from the order (earlier returns, then this one)
/// and rounded down, and this return gets the difference, so several partial returns of an order never credit a fen more
/// or less than returning it all at once: the credits of a fully returned order add up to its total exactly.</item>
/// </list>
/// </summary>
public static class ReturnValuation
{
    /// <param name="LineAmountFen">order_lines.amount_fen of the line.</param>
    /// <param name="OrderedQuantity">order_lines.quantity.</param>
    /// <param name="ReturnedBefore">Quantity of the line credited by earlier returns.</param>
    /// <param name="ReturnedNow">Quantity credited by this return.</param>
    public sealed record Line(long LineAmountFen, long OrderedQuantity, long ReturnedBefore, long ReturnedNow);

    /// <summary>Goods value of this return (before the discount share), and the credit (after it).</summary>
    public static (long GoodsFen, long CreditFen) Value(long orderGoodsFen, long orderDiscountFen, IEnumerable<Line> lines)
    {
        long goodsBefore = 0, goodsNow = 0;
        foreach (var l in lines)
        {
            if (l.OrderedQuantity <= 0) continue;
            var before = Share(l.LineAmountFen, l.ReturnedBefore, l.OrderedQuantity);
            var after = Share(l.LineAmountFen, l.ReturnedBefore + l.ReturnedNow, l.OrderedQuantity);
            goodsBefore += before;
            goodsNow += after - before;
        }
        if (orderDiscountFen <= 0 || orderGoodsFen <= 0) return (goodsNow, goodsNow);
        var discountNow = Share(orderDiscountFen, goodsBefore + goodsNow, orderGoodsFen) - Share(orderDiscountFen, goodsBefore, orderGoodsFen);
        return (goodsNow, goodsNow - discountNow);
    }

    /// <summary>floor(amount × part ÷ whole) without overflow for any realistic order.</summary>
    private static long Share(long amount, long part, long whole) =>
        part >= whole ? amount : (long)(new System.Numerics.BigInteger(amount) * part / whole);
}
