using OrderHub.Application.Returns;

namespace OrderHub.Tests.Returns;

/// <summary>The one valuation rule of returned goods, with figures computed by hand.</summary>
public class ReturnValuationTests
{
    // An order: line A 6 × ¥19.99 = 11994 fen, gift line B 2 × 0, 满减 ¥10.00 (1000 fen): total 10994 fen.
    private static (long, long) Value(long aBefore, long aNow, long bNow = 0) =>
        ReturnValuation.Value(11994, 1000, [new(11994, 6, aBefore, aNow), new(0, 2, 0, bNow)]);

    [Test]
    public void Three_of_six_carry_half_the_goods_and_half_the_discount_rounded_down_and_a_gift_is_worth_nothing()
    {
        // goods 11994 × 3 / 6 = 5997; discount 1000 × 5997 / 11994 = 500; credit 5497
        Assert.That(Value(0, 3), Is.EqualTo((5997L, 5497L)));
        // four: goods 7996; discount floor(1000 × 7996 / 11994) = floor(666.67) = 666; credit 7330
        Assert.That(Value(0, 4), Is.EqualTo((7996L, 7330L)));
        Assert.That(Value(0, 0, bNow: 2), Is.EqualTo((0L, 0L)), "gifts at zero");
    }

    [Test]
    public void Returns_one_by_one_credit_exactly_the_order_total_however_the_quantities_are_split()
    {
        var rnd = new Random(16);
        for (var round = 0; round < 200; round++)
        {
            var ordered = rnd.Next(1, 40);
            var unit = rnd.Next(1, 100_000);
            var amount = (long)ordered * unit;
            var discount = rnd.Next(0, (int)Math.Min(amount, 50_000));
            long before = 0, credits = 0, goods = 0;
            while (before < ordered)
            {
                var now = rnd.Next(1, ordered - (int)before + 1);
                var (g, cr) = ReturnValuation.Value(amount, discount, [new(amount, ordered, before, now)]);
                Assert.That(cr, Is.LessThanOrEqualTo(g));
                goods += g; credits += cr; before += now;
            }
            Assert.That(goods, Is.EqualTo(amount), $"round {round}");
            Assert.That(credits, Is.EqualTo(amount - discount), $"round {round}: every fen of the order's total once");
        }
    }
}
