namespace OrderHub.Erp.Tryton.Tests;

/// <summary>The Tryton settings OrderHub checks at start.</summary>
public sealed class SettingsTests
{
    [TestCase("Receivable")]
    [TestCase("receivable")]
    [TestCase("Category:门店")]
    [TestCase("AnyCode")]
    [TestCase("")]
    public void A_usable_customer_rule_passes(string rule) =>
        Assert.That(new TrytonSettings { CustomerRule = rule }.Validate(), Is.Empty);

    [TestCase("Category:")]
    [TestCase("Customers")]
    [TestCase("Category")]
    public void A_customer_rule_Tryton_cannot_apply_is_refused_at_start(string rule) =>
        Assert.That(new TrytonSettings { CustomerRule = rule }.Validate(), Has.One.Contains("CustomerRule"));

    [Test]
    public void Defaults_are_receivable_parties_and_the_order_price_kept_with_an_issue()
    {
        var options = new TrytonSettings().ToOptions();
        Assert.That(options.CustomerRule, Is.EqualTo("Receivable"));
        Assert.That(options.PriceMismatch, Is.EqualTo(TrytonPriceMismatch.KeepOrderPrice));
        Assert.That(new TrytonSettings { PriceMismatch = (TrytonPriceMismatch)9 }.Validate(), Has.One.Contains("PriceMismatch"));
        Assert.That(new TrytonSettings { WarehouseCodes = ["WH", " "] }.Validate(), Has.One.Contains("WarehouseCodes"));
    }
}
