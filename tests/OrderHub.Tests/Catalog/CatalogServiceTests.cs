using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Domain.Pricing;
using OrderHub.Testing;

namespace OrderHub.Tests.Catalog;

/// <summary>The per-customer catalog on both databases: prices and their sources, windows, assortment, stock, search, paging.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class CatalogServiceTests(string kind)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    private Db _db = null!;
    private ManualClock _clock = null!;
    private CatalogOptions _options = null!;
    private CatalogService _catalog = null!;
    private CustomerContextQuery _customers = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _db = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(_db).SeedAsync(CatalogTestData.Build(Start.ToUnixTimeMilliseconds()), Start.ToUnixTimeMilliseconds());
        _customers = new CustomerContextQuery(_db);
    }

    [SetUp]
    public void NewService()
    {
        _clock = new ManualClock(Start);
        _options = new CatalogOptions();
        _catalog = new CatalogService(_db, new PriceResolver(new PricingOptions()), _options, _clock);
    }

    private async Task<CustomerContext> Customer(string code)
    {
        await using var c = await _db.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM customers WHERE code = @code", new { code });
        return (await _customers.ForCustomerAsync(id))!;
    }

    private async Task<CatalogItem> Item(string customer, string sku) =>
        await _catalog.GetAsync(await Customer(customer), sku) ?? throw new AssertionException($"{customer} cannot see {sku}");

    private async Task<List<string>> Skus(string customer, CatalogFilter? filter = null) =>
        (await _catalog.ListAsync(await Customer(customer), filter ?? new CatalogFilter(null, null, null, null, 100))).Items.Select(i => i.Sku).ToList();

    [Test]
    public async Task Contract_price_beats_the_group_list_and_a_promotion_that_is_not_cheaper()
    {
        var item = await Item("C1", "W-001");
        Assert.Multiple(() =>
        {
            Assert.That(item.Price.UnitPriceFen, Is.EqualTo(150));
            Assert.That(item.Price.Source, Is.EqualTo(PriceSource.CustomerPrice));
            Assert.That(item.Promotions.Select(p => p.Text), Is.EquivalentTo(new[] { "买10赠1", "满500减30" }), "the 1.75 special price is not the price charged, so no 特价 badge");
            Assert.That(item.LastPaid?.PriceFen, Is.EqualTo(160));
            Assert.That(item.LastPaid?.Quantity, Is.EqualTo(48));
        });
    }

    [Test]
    public async Task Tracking_price_from_the_erp_is_used_when_there_is_no_contract()
    {
        var item = await Item("C1", "W-002");
        Assert.That((item.Price.UnitPriceFen, item.Price.Source), Is.EqualTo((155L, PriceSource.TrackingPrice)));
    }

    [Test]
    public async Task Another_customer_of_the_same_group_never_gets_C1s_prices()
    {
        var w1 = await Item("C2", "W-001");
        var w2 = await Item("C2", "W-002");
        Assert.Multiple(() =>
        {
            Assert.That((w1.Price.UnitPriceFen, w1.Price.Source), Is.EqualTo((175L, PriceSource.Promotion)), "promotion 1.75 beats the list's 1.80");
            Assert.That(w1.Promotions.Any(p => p.Text == "特价 ¥1.75"), Is.True);
            Assert.That((w2.Price.UnitPriceFen, w2.Price.Source), Is.EqualTo((160L, PriceSource.GroupPriceList)));
            Assert.That(w1.LastPaid, Is.Null);
            Assert.That(w1.Tiers.Select(t => (t.MinQty, t.PriceFen)), Is.EqualTo(new[] { (1L, 180L), (240L, 170L) }));
        });
    }

    [Test]
    public async Task Promotions_follow_their_time_windows()
    {
        Assert.That((await Item("C4", "B-001")).Price.UnitPriceFen, Is.EqualTo(1800), "future promotion not yet live");
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.That((await Item("C4", "B-001")).Price.UnitPriceFen, Is.EqualTo(1000), "now live");
        Assert.That((await Item("C2", "W-001")).Price.Source, Is.EqualTo(PriceSource.GroupPriceList), "PR-WATER ended");
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.That((await Item("C4", "B-001")).Price.UnitPriceFen, Is.EqualTo(1800), "ended again");
    }

    [Test]
    public async Task Group_and_customer_targeted_promotions_reach_only_their_target()
    {
        Assert.Multiple(async () =>
        {
            Assert.That((await Item("C3", "W-002")).Price.UnitPriceFen, Is.EqualTo(150), "SHOP group promotion");
            Assert.That((await Item("C1", "W-002")).Price.UnitPriceFen, Is.EqualTo(155), "not SHOP");
            Assert.That((await Item("C2", "B-001")).Price.UnitPriceFen, Is.EqualTo(1600), "C2's own promotion");
            Assert.That((await Item("C4", "B-001")).Price.UnitPriceFen, Is.EqualTo(1800), "not C2");
        });
    }

    [Test]
    public async Task Base_price_when_the_group_has_no_price_list()
    {
        var item = await Item("C4", "W-001");
        Assert.That((item.Price.UnitPriceFen, item.Price.Source), Is.EqualTo((175L, PriceSource.Promotion)));
        var baijiu = await Item("C4", "B-001");
        Assert.That(baijiu.Price.Source, Is.EqualTo(PriceSource.BasePrice));
    }

    [Test]
    public async Task Display_price_is_for_the_minimum_order_quantity()
    {
        await using (var c = await _db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE products SET min_order_qty = 240 WHERE sku = 'W-001'");
            await CatalogVersion.BumpAsync(c);   // as every writer of the catalog does
        }
        try
        {
            Assert.That((await Item("C2", "W-001")).Price.UnitPriceFen, Is.EqualTo(170), "240 reaches the 240 tier (cheaper than the 1.75 promotion)");
        }
        finally
        {
            await using var c = await _db.OpenAsync();
            await c.ExecuteAsync("UPDATE products SET min_order_qty = 24 WHERE sku = 'W-001'");
            await CatalogVersion.BumpAsync(c);   // as every writer of the catalog does
        }
    }

    [Test]
    public async Task Assortment_rules_decide_who_sees_what()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await Skus("C1"), Is.EqualTo(new[] { "B-002", "W-001", "W-002" }), "C1 denies B-001; W-003 is inactive");
            Assert.That(await Skus("C3"), Is.EqualTo(new[] { "W-001", "W-002" }), "SHOP may not buy 白酒");
            Assert.That(await Skus("C4"), Is.EqualTo(new[] { "B-001", "B-002", "W-001", "W-002" }), "C4's licence overrides the group deny");
            Assert.That(await Skus("C5"), Is.EqualTo(new[] { "W-001", "W-002" }), "VIP group allows water only");
        });
    }

    [Test]
    public async Task A_product_outside_the_assortment_is_not_found_like_an_unknown_one()
    {
        var c3 = await Customer("C3");
        Assert.Multiple(async () =>
        {
            Assert.That(await _catalog.GetAsync(c3, "B-001"), Is.Null, "denied");
            Assert.That(await _catalog.GetAsync(c3, "W-003"), Is.Null, "inactive");
            Assert.That(await _catalog.GetAsync(c3, "NOPE"), Is.Null, "unknown");
        });
    }

    [Test]
    public async Task Stock_is_the_customers_warehouse_on_hand_less_reservations()
    {
        Assert.That((await Item("C1", "W-001")).Stock.Available, Is.EqualTo(480));
        Assert.That((await Item("C3", "W-001")).Stock.Available, Is.EqualTo(24), "C3 is served from W2");
        await using (var c = await _db.OpenAsync())
            await c.ExecuteAsync("UPDATE stock SET reserved = 90 WHERE product_id = (SELECT id FROM products WHERE sku = 'B-002')");
        Assert.That((await Item("C1", "B-002")).Stock.Available, Is.EqualTo(10));
        await using (var c = await _db.OpenAsync())
            await c.ExecuteAsync("UPDATE stock SET reserved = 130 WHERE product_id = (SELECT id FROM products WHERE sku = 'B-002')");
        Assert.That((await Item("C1", "B-002")).Stock.Available, Is.EqualTo(0), "never shown below zero");
        await using (var c = await _db.OpenAsync())
            await c.ExecuteAsync("UPDATE stock SET reserved = 0");
    }

    [Test]
    public async Task Level_display_hides_quantities()
    {
        _options.StockDisplay = OrderHub.Domain.Stock.StockDisplayMode.Level;
        var low = await Item("C3", "W-001");
        var none = await Item("C1", "W-002");
        var plenty = await Item("C1", "W-001");
        Assert.Multiple(() =>
        {
            Assert.That(low.Stock.Available, Is.Null);
            Assert.That((low.Stock.LevelText, none.Stock.LevelText, plenty.Stock.LevelText), Is.EqualTo(("少量", "缺货", "有货")));
        });
    }

    [TestCase("nfsq", "W-001")]
    [TestCase("怡宝", "W-002")]
    [TestCase("6921168509256", "W-001")]
    [TestCase("w-002", "W-002")]
    public async Task Search_matches_name_pinyin_initials_barcode_and_sku(string q, string sku) =>
        Assert.That(await Skus("C1", new CatalogFilter(q, null, null, null, 20)), Is.EqualTo(new[] { sku }));

    [Test]
    public async Task Search_treats_wildcards_as_text()
    {
        Assert.That(await Skus("C1", new CatalogFilter("%", null, null, null, 20)), Is.Empty);
        Assert.That(await Skus("C1", new CatalogFilter("_", null, null, null, 20)), Is.Empty);
    }

    [Test]
    public async Task Category_filter_takes_the_whole_subtree_and_brand_filter_one_brand()
    {
        await using var c = await _db.OpenAsync();
        var drink = await c.ExecuteScalarAsync<long>("SELECT id FROM categories WHERE code = 'DRINK'");
        Assert.That(await Skus("C4", new CatalogFilter(null, drink, null, null, 20)), Is.EqualTo(new[] { "W-001", "W-002" }));
        Assert.That(await Skus("C4", new CatalogFilter(null, null, "红星", null, 20)), Is.EqualTo(new[] { "B-002" }));
        Assert.That(await Skus("C4", new CatalogFilter(null, 999_999, null, null, 20)), Is.Empty);
    }

    [Test]
    public async Task Keyset_paging_returns_every_visible_product_once()
    {
        var c4 = await Customer("C4");
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await _catalog.ListAsync(c4, new CatalogFilter(null, null, null, after, 1));
            Assert.That(page.Items, Has.Count.LessThanOrEqualTo(1));
            seen.AddRange(page.Items.Select(i => i.Sku));
            after = page.NextCursor;
        } while (after is not null);
        Assert.That(seen, Is.EqualTo(new[] { "B-001", "B-002", "W-001", "W-002" }));
    }

    [Test]
    public async Task Category_tree_counts_only_what_this_customer_may_buy()
    {
        var shop = await _catalog.CategoriesAsync(await Customer("C3"));
        var licensed = await _catalog.CategoriesAsync(await Customer("C4"));
        Assert.Multiple(() =>
        {
            Assert.That(shop.Select(n => (n.Code, n.ProductCount)), Is.EqualTo(new[] { ("DRINK", 2) }));
            Assert.That(shop[0].Children.Single().Code, Is.EqualTo("WATER"));
            Assert.That(licensed.Select(n => (n.Code, n.ProductCount)), Is.EqualTo(new[] { ("DRINK", 2), ("ALCOHOL", 2) }));
        });
    }

    [Test]
    public async Task An_agent_sees_only_its_own_customers()
    {
        await using var c = await _db.OpenAsync();
        var ag1 = await c.ExecuteScalarAsync<long>("SELECT id FROM agents WHERE code = 'AG1'");
        var c1 = await c.ExecuteScalarAsync<long>("SELECT id FROM customers WHERE code = 'C1'");
        var c3 = await c.ExecuteScalarAsync<long>("SELECT id FROM customers WHERE code = 'C3'");
        Assert.That(await _customers.ForAgentAsync(ag1, c1), Is.Not.Null);
        Assert.That(await _customers.ForAgentAsync(ag1, c3), Is.Null);
    }

    /// <summary>
    /// Issue #19's memory: the display halves a snapshot keeps hold one copy of each repeated value (unit, brand, spec, the
    /// base unit itself), so a 100k-product catalog does not hold "瓶" a hundred thousand times; values are unchanged.
    /// </summary>
    [Test]
    public async Task Kept_display_halves_share_repeated_values_and_keep_them_intact()
    {
        var items = (await _catalog.ListAsync(await Customer("C4"), new CatalogFilter(null, null, null, null, 100))).Items;
        var fresh = (await _catalog.ListAsync(await Customer("C4"), new CatalogFilter(null, null, null, null, 100))).Items;
        await using var c = await _db.OpenAsync();
        var rows = (await c.QueryAsync<(string Sku, string Unit, string? Brand, string? Spec)>("SELECT sku, unit, brand, spec FROM products")).ToDictionary(r => r.Sku);
        Assert.That(items.Select(i => (i.Unit, i.Brand, i.Spec)), Is.EqualTo(items.Select(i => (rows[i.Sku].Unit, rows[i.Sku].Brand, rows[i.Sku].Spec))));
        var sameUnit = items.GroupBy(i => i.Unit).First(g => g.Count() > 1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sameUnit[0].Unit, Is.SameAs(sameUnit[1].Unit), "one copy of a unit's name");
            Assert.That(sameUnit[0].Display!.Units[0], Is.SameAs(sameUnit[1].Display!.Units[0]), "one base unit for every product that has it");
            Assert.That(fresh.Zip(items).All(p => ReferenceEquals(p.First.Display, p.Second.Display)), "the second page used the kept halves");
        });
        if (items.GroupBy(i => i.Brand).FirstOrDefault(g => g.Key is not null && g.Count() > 1) is { } sameBrand)
            Assert.That(sameBrand.First().Brand, Is.SameAs(sameBrand.Last().Brand));

        // The first page of a fresh service reads display halves with its live half; the second reads only the live half
        // (on SQLite through the kept prepared command): the same prices, tiers, stock and last paid prices either way.
        var catalog = new CatalogService(_db, new PriceResolver(new PricingOptions()), _options, _clock);
        static object Live(CatalogItem i) => (i.Sku, i.Price, i.Stock, i.LastPaid, string.Join(";", i.Tiers), string.Join(";", i.Units));
        var withDisplay = (await catalog.ListAsync(await Customer("C1"), new CatalogFilter(null, null, null, null, 100))).Items;
        var liveOnly = (await catalog.ListAsync(await Customer("C1"), new CatalogFilter(null, null, null, null, 100))).Items;
        Assert.That(liveOnly.Select(Live), Is.EqualTo(withDisplay.Select(Live)));
        Assert.That(withDisplay.Any(i => i.Price.Source == PriceSource.CustomerPrice) && withDisplay.Any(i => i.LastPaid is not null), "C1 has its own prices and last paid prices");
    }

    [Test]
    public async Task Migrations_are_idempotent()
    {
        Assert.That(await new Migrator(_db).MigrateAsync(), Is.Empty);
        await using var c = await _db.OpenAsync();
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Migrator.All.Count));
    }
}
