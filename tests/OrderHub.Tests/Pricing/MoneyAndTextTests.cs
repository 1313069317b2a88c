using OrderHub.Domain;
using OrderHub.Domain.Text;
using OrderHub.Domain.Time;

namespace OrderHub.Tests.Pricing;

public class MoneyAndTextTests
{
    [TestCase(0L, "¥0.00")]
    [TestCase(5L, "¥0.05")]
    [TestCase(123456L, "¥1,234.56")]
    [TestCase(-250L, "-¥2.50")]
    public void Amounts_are_shown_in_yuan_with_two_decimals(long fen, string text) =>
        Assert.That(Money.Format(fen), Is.EqualTo(text));

    [Test]
    public void Yuan_text_parses_to_exact_fen_and_refuses_sub_fen()
    {
        Assert.That(Money.TryParseYuan("¥1,234.5", out var fen) && fen == 123450, Is.True);
        Assert.That(Money.TryParseYuan("0.001", out _), Is.False);
        Assert.That(Money.FromYuan(85.00m), Is.EqualTo(8500));
        Assert.Throws<ArgumentException>(() => Money.FromYuan(1.005m));
    }

    [TestCase("康师傅红烧牛肉面", "ksfhsnrm")]
    [TestCase("农夫山泉 550ml", "nfsq550ml")]
    [TestCase("青岛啤酒", "qdpj")]
    public void Pinyin_initials_let_retailers_search_by_typing_letters(string name, string initials) =>
        Assert.That(PinyinInitials.Of(name), Is.EqualTo(initials));

    [Test]
    public void Times_are_shown_in_Shanghai()
    {
        var utcMidnight = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.That(ShanghaiTime.Format(utcMidnight), Is.EqualTo("2026-11-25T08:00:00+08:00"));
        Assert.That(ShanghaiTime.StartOfDayMs(new DateOnly(2026, 11, 25)), Is.EqualTo(utcMidnight - 8 * 3_600_000));
    }
}
