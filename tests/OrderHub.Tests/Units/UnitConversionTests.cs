using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Promotions;

namespace OrderHub.Tests.Units;

/// <summary>The one home of unit arithmetic, table by table; every figure below is computed by hand in its comment.</summary>
public class UnitConversionTests
{
    private static readonly ProductUnit Bottle = ProductUnit.Base("瓶");
    private static readonly ProductUnit Case24 = new("箱", 24);
    private static readonly ProductUnit Pack6 = new("提", 6);

    [TestCase(1, 24, 24)]
    [TestCase(2, 24, 48)]
    [TestCase(7, 6, 42)]
    [TestCase(5, 1, 5)]
    public void Unit_quantities_become_base_quantities(long quantity, int factor, long expectedBase) =>
        Assert.That(UnitConversion.ToBase(quantity, factor == 1 ? Bottle : new ProductUnit("x", factor)), Is.EqualTo(expectedBase));

    [TestCase(48, "箱", 2L)]   // 48 / 24
    [TestCase(49, "瓶", 49L)]  // 49 is not whole cases: shown in bottles
    [TestCase(24, "箱", 1L)]
    [TestCase(0, "箱", 0L)]
    public void A_base_quantity_is_shown_in_the_chosen_unit_only_when_whole(long baseQty, string expectedUnit, long expectedQty)
    {
        var (unit, qty) = UnitConversion.Shown(baseQty, Case24, Bottle);
        Assert.That((unit.Name, qty), Is.EqualTo((expectedUnit, expectedQty)));
    }

    // pack size in the unit shown = pack / gcd(pack, factor); MOQ = ceil(moq / factor)
    [TestCase(6, 24, 1)]    // a case is 4 packs of 6
    [TestCase(24, 24, 1)]
    [TestCase(36, 24, 3)]   // lcm(36, 24) = 72 bottles = 3 cases
    [TestCase(5, 6, 5)]     // lcm(5, 6) = 30 = 5 提
    [TestCase(1, 24, 1)]
    public void Pack_size_speaks_in_the_unit_shown(int packBase, int factor, int expected) =>
        Assert.That(UnitConversion.PackSizeIn(packBase, new ProductUnit("u", factor)), Is.EqualTo(expected));

    [TestCase(30, 24, 2)]   // 30 bottles need 2 cases (48)
    [TestCase(48, 24, 2)]
    [TestCase(49, 24, 3)]
    [TestCase(1, 24, 1)]
    [TestCase(30, 1, 30)]
    public void Minimum_order_quantity_speaks_in_the_unit_shown(int moqBase, int factor, int expected) =>
        Assert.That(UnitConversion.MinOrderQtyIn(moqBase, factor == 1 ? Bottle : new ProductUnit("u", factor)), Is.EqualTo(expected));

    [Test]
    public void A_quantity_valid_in_cases_is_valid_in_bottles_and_back()
    {
        // pack 36, MOQ 50 bottles; the case rule (3 箱 packs, MOQ 3 箱) must agree with the bottle rule on every quantity.
        var (pack, moq) = (36, 50);
        for (long cases = 1; cases <= 40; cases++)
        {
            var inCases = QuantityRules.Check(cases, UnitConversion.PackSizeIn(pack, Case24), UnitConversion.MinOrderQtyIn(moq, Case24));
            var inBottles = QuantityRules.Check(cases * 24, pack, moq);
            Assert.That(inCases == QuantityProblem.None, Is.EqualTo(inBottles == QuantityProblem.None), $"{cases} 箱");
        }
    }

    // The ERP's own case price wins over base × factor only where the base price is what applies.
    [TestCase(346, 8296L, PriceSource.BasePrice, 8296L)]      // ERP case price 82.96
    [TestCase(346, null, PriceSource.BasePrice, 8304L)]       // 3.46 × 24 = 83.04
    [TestCase(330, 8296L, PriceSource.CustomerPrice, 7920L)]  // agreed 3.30 per bottle × 24 = 79.20; the case list price does not apply
    [TestCase(300, 8296L, PriceSource.Promotion, 7200L)]      // a special price per bottle × 24
    public void The_price_of_a_case(long perBottle, long? erpCasePrice, PriceSource source, long expected)
    {
        var price = UnitConversion.PricePerUnit(new ResolvedPrice(perBottle, source, "r"), Case24 with { PriceFen = erpCasePrice });
        Assert.That((price.UnitPriceFen, price.Source), Is.EqualTo((expected, source)));
    }

    [Test]
    public void The_base_unit_keeps_the_resolved_price()
    {
        var p = new ResolvedPrice(346, PriceSource.BasePrice, "基础价");
        Assert.That(UnitConversion.PricePerUnit(p, Bottle), Is.EqualTo(p));
    }

    // An ERP price with 4 decimals: × factor first, round half-up to fen once.
    [TestCase("3.4567", 24, 8296L)]   // 82.9608 → 82.96; rounding per bottle first would give 3.46 × 24 = 83.04
    [TestCase("3.4563", 24, 8295L)]   // 82.9512 → 82.95
    [TestCase("0.1875", 2, 38L)]      // 0.375 yuan = 37.5 fen → half-up 38
    [TestCase("1.0001", 6, 600L)]     // 6.0006 yuan = 600.06 fen → 600
    public void Unit_price_from_a_four_decimal_erp_price(string yuan, int factor, long expected) =>
        Assert.That(UnitConversion.UnitPriceFen(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture), factor), Is.EqualTo(expected));

    [TestCase(8296, 24, 346L)]   // 345.666… → 346
    [TestCase(8292, 24, 346L)]   // 345.5 → half-up 346
    [TestCase(8268, 24, 345L)]   // 344.5 → 345
    [TestCase(8256, 24, 344L)]   // exact
    [TestCase(999, 1, 999L)]
    public void Per_base_unit_price_of_a_case_price(long caseFen, int factor, long expected) =>
        Assert.That(UnitConversion.PerBaseFen(caseFen, factor), Is.EqualTo(expected));

    // 买N赠M in whole units of the rule's unit; the result is in base units.
    [TestCase(48, 12, 1, 1, 4L)]     // 买12瓶赠1瓶 on 2 cases: 4 loose bottles (a case broken)
    [TestCase(48, 2, 1, 24, 24L)]    // 买2箱赠1箱 on 48 bottles: one whole case
    [TestCase(50, 2, 1, 24, 24L)]    // 50 bottles are still 2 whole cases
    [TestCase(47, 2, 1, 24, 0L)]     // 47 bottles are 1 whole case: nothing
    [TestCase(144, 2, 1, 24, 72L)]   // 6 cases → 3 cases free
    [TestCase(144, 10, 1, 1, 14L)]   // 买10赠1 per bottle: 14
    public void Gifts_are_whole_units_of_the_rule(long baseQty, long buy, long free, int ruleFactor, long expectedFreeBase)
    {
        var unit = ruleFactor == 1 ? Bottle : Case24;
        Assert.That(UnitConversion.FreeBaseQuantity(baseQty, new BuyGetOffer(1, "r", buy, free), unit), Is.EqualTo(expectedFreeBase));
    }

    [Test]
    public void The_best_gift_is_the_one_giving_the_most_bottles()
    {
        // 96 bottles: 买12瓶赠1瓶 gives 8 bottles; 买3箱赠1箱 gives 1 case = 24 bottles → the case rule wins, in cases.
        var best = UnitConversion.BestGift(96, [(new BuyGetOffer(1, "瓶赠", 12, 1), Bottle), (new BuyGetOffer(2, "箱赠", 3, 1), Case24)]);
        Assert.That(best, Is.Not.Null);
        Assert.That((best!.Value.Offer.PromotionId, best.Value.Unit.Name, best.Value.FreeUnits), Is.EqualTo((2L, "箱", 1L)));
        Assert.That(UnitConversion.BestGift(23, [(new BuyGetOffer(2, "箱赠", 1, 1), Case24)]), Is.Null);
    }

    [Test]
    public void A_product_lists_its_base_unit_first_and_finds_units_by_name()
    {
        var units = UnitConversion.UnitsOf("瓶", [Case24, Pack6, new ProductUnit("瓶", 24), new ProductUnit("坏", 1)]);
        Assert.That(units.Select(u => u.Name), Is.EqualTo(new[] { "瓶", "提", "箱" }));
        Assert.That(UnitConversion.Find(units, null)!.Name, Is.EqualTo("瓶"));
        Assert.That(UnitConversion.Find(units, " 箱 ")!.Factor, Is.EqualTo(24));
        Assert.That(UnitConversion.Find(units, "托"), Is.Null);
    }
}
