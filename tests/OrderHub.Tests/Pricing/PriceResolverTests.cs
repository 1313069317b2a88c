using OrderHub.Domain.Pricing;

namespace OrderHub.Tests.Pricing;

public class PriceResolverTests
{
    private const long Now = 1_000_000;
    private static readonly PriceResolver Default = new(new PricingOptions());

    private static PriceInputs Inputs(
        long basePrice = 1000, PriceTier[]? customer = null, PriceTier[]? tracking = null, PriceTier[]? group = null, SpecialPriceOffer[]? promos = null) =>
        new(basePrice, customer ?? [], tracking ?? [], group is null ? null : "A类", group ?? [], promos ?? []);

    [Test]
    public void Base_price_when_nothing_else_applies()
    {
        var p = Default.Resolve(Inputs(), 1, Now);
        Assert.That((p.UnitPriceFen, p.Source), Is.EqualTo((1000L, PriceSource.BasePrice)));
    }

    [Test]
    public void Group_price_list_tiers_pick_the_highest_tier_reached()
    {
        var inputs = Inputs(group: [new(1, 900), new(240, 880), new(480, 860)]);
        Assert.Multiple(() =>
        {
            Assert.That(Default.Resolve(inputs, 239, Now).UnitPriceFen, Is.EqualTo(900));
            Assert.That(Default.Resolve(inputs, 240, Now).UnitPriceFen, Is.EqualTo(880));
            Assert.That(Default.Resolve(inputs, 10_000, Now).UnitPriceFen, Is.EqualTo(860));
            Assert.That(Default.Resolve(inputs, 240, Now).TierMinQty, Is.EqualTo(240));
            Assert.That(Default.Resolve(inputs, 240, Now).Reason, Does.Contain("满 240 件"));
        });
    }

    [Test]
    public void A_tier_list_without_a_first_tier_falls_back_to_base_below_it()
    {
        var p = Default.Resolve(Inputs(group: [new(100, 800)]), 50, Now);
        Assert.That(p.Source, Is.EqualTo(PriceSource.BasePrice));
    }

    [Test]
    public void Customer_price_beats_tracking_price_beats_group_list()
    {
        var all = Inputs(customer: [new(1, 850)], tracking: [new(1, 870)], group: [new(1, 900)]);
        var noContract = all with { CustomerPrices = [] };
        Assert.Multiple(() =>
        {
            Assert.That(Default.Resolve(all, 1, Now).Source, Is.EqualTo(PriceSource.CustomerPrice));
            Assert.That(Default.Resolve(noContract, 1, Now).Source, Is.EqualTo(PriceSource.TrackingPrice));
            Assert.That(Default.Resolve(noContract, 1, Now).UnitPriceFen, Is.EqualTo(870));
        });
    }

    [Test]
    public void Customer_price_wins_even_when_higher_than_the_group_list()
    {
        // The configured order decides, not the lowest number: an agreed price is the agreed price.
        var p = Default.Resolve(Inputs(customer: [new(1, 950)], group: [new(1, 900)]), 1, Now);
        Assert.That((p.UnitPriceFen, p.Source), Is.EqualTo((950L, PriceSource.CustomerPrice)));
    }

    [Test]
    public void Promotion_applies_only_inside_its_window()
    {
        var offer = new SpecialPriceOffer(7, "冬季特惠", 700, StartsAtMs: Now, EndsAtMs: Now + 100);
        var inputs = Inputs(promos: [offer]);
        Assert.Multiple(() =>
        {
            Assert.That(Default.Resolve(inputs, 1, Now - 1).Source, Is.EqualTo(PriceSource.BasePrice), "before start");
            Assert.That(Default.Resolve(inputs, 1, Now).Source, Is.EqualTo(PriceSource.Promotion), "at start");
            Assert.That(Default.Resolve(inputs, 1, Now + 99).PromotionId, Is.EqualTo(7));
            Assert.That(Default.Resolve(inputs, 1, Now + 100).Source, Is.EqualTo(PriceSource.BasePrice), "end is exclusive");
        });
    }

    [Test]
    public void Promotion_is_skipped_when_the_customer_already_pays_less()
    {
        var inputs = Inputs(customer: [new(1, 650)], promos: [new(1, "特价", 700, 0, long.MaxValue)]);
        Assert.That(Default.Resolve(inputs, 1, Now).Source, Is.EqualTo(PriceSource.CustomerPrice));

        var always = new PriceResolver(new PricingOptions { PromotionOnlyWhenCheaper = false });
        Assert.That(always.Resolve(inputs, 1, Now).UnitPriceFen, Is.EqualTo(700));
    }

    [Test]
    public void The_cheapest_of_several_live_promotions_wins()
    {
        var inputs = Inputs(promos: [new(1, "A", 800, 0, long.MaxValue), new(2, "B", 750, 0, long.MaxValue)]);
        Assert.That(Default.Resolve(inputs, 1, Now).PromotionId, Is.EqualTo(2));
    }

    [Test]
    public void Among_equal_live_prices_the_lower_promotion_id_wins_and_an_ended_cheaper_one_counts_for_nothing()
    {
        // Listed in any order: ended 500 (id 1), live 750 (ids 9 and 4), live 800 (id 2), not yet started 600 (id 3).
        SpecialPriceOffer[] offers =
        [
            new(9, "B", 750, 0, long.MaxValue), new(1, "ended", 500, 0, Now), new(2, "A", 800, 0, long.MaxValue),
            new(4, "C", 750, 0, long.MaxValue), new(3, "later", 600, Now + 1, long.MaxValue),
        ];
        var p = Default.Resolve(Inputs(promos: offers), 1, Now);
        Assert.That((p.UnitPriceFen, p.PromotionId, p.Reason), Is.EqualTo((750L, (long?)4, "促销特价 C")));
        Assert.That(Default.Resolve(Inputs(promos: offers.Reverse().ToArray()), 1, Now).PromotionId, Is.EqualTo(4), "the list's order does not matter");
        Assert.That(Default.Resolve(Inputs(promos: offers), 1, Now + 1).PromotionId, Is.EqualTo(3), "once started, 600 is the lowest");
    }

    [Test]
    public void Configured_order_is_respected()
    {
        var groupFirst = new PriceResolver(new PricingOptions { Order = [PriceSource.GroupPriceList, PriceSource.CustomerPrice, PriceSource.BasePrice] });
        var p = groupFirst.Resolve(Inputs(customer: [new(1, 850)], group: [new(1, 900)]), 1, Now);
        Assert.That(p.Source, Is.EqualTo(PriceSource.GroupPriceList));
    }
}
