using OrderHub.Erp.Tryton.Feeds;

namespace OrderHub.Erp.Tryton.Tests;

public sealed class MoneyAndCursorTests
{
    [TestCase("85.00", 8500)]
    [TestCase("0.01", 1)]
    [TestCase("78.5000", 7850)]
    [TestCase("-100", -10000)]
    public void Yuan_convert_to_fen_exactly(string yuan, long fen) =>
        Assert.That(Money.ToFen(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture), "x"), Is.EqualTo(fen));

    [Test]
    public void A_price_with_sub_fen_digits_is_an_error_unless_rounding_is_allowed()
    {
        Assert.Throws<InvalidOperationException>(() => Money.ToFen(7.1234m, "price"));
        Assert.That(Money.ToFen(7.125m, "price", allowRounding: true), Is.EqualTo(713));
        Assert.That(Money.ToYuan(7850), Is.EqualTo(78.50m));
    }

    [Test]
    public void Cursors_round_trip_and_order_ties_by_key()
    {
        var at = new DateTime(2025, 3, 1, 8, 30, 15, DateTimeKind.Utc).AddTicks(1234560);
        var cursor = ChangeCursor.Incremental(at, "c12");

        var parsed = ChangeCursor.Parse(cursor.ToString())!;

        Assert.That(parsed, Is.EqualTo(cursor));
        Assert.That(cursor.ToString(), Is.EqualTo("v1|2025-03-01T08:30:15.123456|c12"));
        Assert.That(parsed.IsBefore(at, "c13"), Is.True);
        Assert.That(parsed.IsBefore(at, "c12"), Is.False);
        Assert.That(parsed.IsBefore(at.AddTicks(10), "a"), Is.True);
        Assert.That(ChangeCursor.Parse(ChangeCursor.Full(at, "7").ToString())!.FullResync, Is.True);
        Assert.That(ChangeCursor.Parse(null), Is.Null);
        Assert.Throws<ArgumentException>(() => ChangeCursor.Parse("garbage"));
    }
}
