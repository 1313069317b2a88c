using OrderHub.Erp.Tryton.Feeds;

namespace OrderHub.Erp.Tryton.Tests;

public sealed class MoneyAndCursorTests
{
    [TestCase("85.00", 8500)]
    [TestCase("0.01", 1)]
    [TestCase("78.5000", 7850)]
    [TestCase("-100", -10000)]
    public void Yuan_convert_to_fen_exactly_without_an_issue(string yuan, long fen)
    {
        var issues = new ErpDataIssueList();
        Assert.That(ErpMoney.ToFen(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture), SubFenPolicy.Refuse, issues, "Prices", "P1", "x"), Is.EqualTo(fen));
        Assert.That(issues.Peek(), Is.Empty);
    }

    [Test]
    public void A_price_with_sub_fen_digits_is_rounded_half_up_with_an_issue_or_refused_as_the_setting_says()
    {
        var issues = new ErpDataIssueList();
        Assert.That(ErpMoney.ToFen(12.345m, SubFenPolicy.Round, issues, "Prices", "P1", "list price"), Is.EqualTo(1235));
        Assert.That(issues.Peek().Single(), Is.EqualTo(issues.Peek()[0]));
        Assert.That(issues.Peek()[0].RowSkipped, Is.False);
        Assert.That(issues.Peek()[0].Problem, Does.Contain("12.345").And.Contain("12.35"));
        Assert.Throws<ErpRowRefusedException>(() => ErpMoney.ToFen(7.1234m, SubFenPolicy.Refuse, issues, "Prices", "P2", "price"));
        Assert.That(ErpMoney.ToYuan(7850), Is.EqualTo(78.50m));
    }

    [TestCase("CNY", true)] [TestCase("rmb", true)] [TestCase("人民币", true)] [TestCase("¥", true)] [TestCase("", true)] [TestCase("USD", false)]
    public void Currency_codes_that_mean_renminbi(string code, bool cny) => Assert.That(ErpMoney.IsCny(code), Is.EqualTo(cny));

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
