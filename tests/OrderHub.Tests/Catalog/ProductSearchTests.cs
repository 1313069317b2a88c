using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Text;
using OrderHub.Testing;

namespace OrderHub.Tests.Catalog;

/// <summary>
/// Search as a shopkeeper types it, on both databases: a fixed query set with the expected first results on the demo
/// distributor (Chinese, several words, brand, pinyin initials, full pinyin, barcode), facets, paging through a ranking,
/// and random products checked against a plain "every word is in the name, brand, category or spec" oracle.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ProductSearchTests(string kind)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    private Db _demo = null!;
    private CatalogService _catalog = null!;
    private CustomerContext _store = null!;

    [OneTimeSetUp]
    public async Task SeedDemo()
    {
        _demo = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(_demo).SeedAsync(DemoDataGenerator.Generate(DemoDataSize.Demo, 20261125, Now), Now.ToUnixTimeMilliseconds());
        _catalog = Catalog(_demo);
        // A store that sees the whole catalog (no assortment rule names it or its group).
        _store = await StoreAsync(_demo, """
            SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.customer_group_id = c.group_id)
            ORDER BY c.code LIMIT 1
            """);
    }

    private static CatalogService Catalog(Db db) => new(db, new PriceResolver(new PricingOptions()), new CatalogOptions(), new ManualClock(Now));

    private static async Task<CustomerContext> StoreAsync(Db db, string sql)
    {
        await using var c = await db.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>(sql);
        return (await new CustomerContextQuery(db).ForCustomerAsync(id))!;
    }

    private async Task<CatalogPage> Search(string q, int limit = 50, string? brand = null, long? categoryId = null, string? after = null) =>
        await _catalog.ListAsync(_store, new CatalogFilter(q, categoryId, brand, after, limit));

    private async Task<List<string>> Names(string q, int limit = 50) => (await Search(q, limit)).Items.Select(i => i.Name).ToList();

    private async Task<string> CategoryOf(string sku)
    {
        await using var c = await _demo.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT cat.name FROM products p JOIN categories cat ON cat.id = p.category_id WHERE p.sku = @sku", new { sku }) ?? "";
    }

    // The fixed query set: what a shopkeeper types, and what must come first.
    [TestCase("红烧牛肉", "康师傅红烧牛肉面", TestName = "Chinese words inside the name")]
    [TestCase("康师傅 红烧", "康师傅红烧牛肉面", TestName = "Two words: brand and part of the name")]
    [TestCase("yili chunniunai", "伊利纯牛奶", TestName = "Full pinyin, two words")]
    [TestCase("hongshaoniurou", "康师傅红烧牛肉面", TestName = "Full pinyin from a syllable inside the name")]
    [TestCase("tls", "蒙牛特仑苏", TestName = "Pinyin initials from inside the name")]
    [TestCase("百岁山", "百岁山天然矿泉水", TestName = "Brand")]
    [TestCase("特仑苏", "蒙牛特仑苏", TestName = "A product's own name before its variants")]
    public async Task The_expected_product_comes_first(string q, string first)
    {
        var names = await Names(q);
        Assert.That(names, Is.Not.Empty, q);
        Assert.That(names[0], Is.EqualTo(first), $"{q}: {string.Join(", ", names.Take(5))}");
    }

    // Typos, when the exact search finds nothing (TypoSearch): a wrong, missing or swapped character or letter.
    [TestCase("康帅傅红烧牛肉面", "康师傅红烧牛肉面", TestName = "Typo: a wrong character in a Chinese name")]
    [TestCase("康师傅红烧牛面", "康师傅红烧牛肉面", TestName = "Typo: a missing character in a Chinese name")]
    [TestCase("特伦苏", "蒙牛特仑苏", TestName = "Typo: a character of the same sound, the plain product before its variants")]
    [TestCase("kangshfu hongshao", "康师傅红烧牛肉面", TestName = "Typo: a missing pinyin letter, with an exact second word")]
    [TestCase("hongshaoniuruo", "康师傅红烧牛肉面", TestName = "Typo: two pinyin letters swapped")]
    [TestCase("yili chunniuani", "伊利纯牛奶", TestName = "Typo: swapped letters in the second pinyin word")]
    public async Task The_expected_product_comes_first_despite_a_typo(string q, string first)
    {
        var names = await Names(q);
        Assert.That(names, Is.Not.Empty, q);
        Assert.That(names[0], Is.EqualTo(first), $"{q}: {string.Join(", ", names.Take(5))}");
    }

    [Test]
    public async Task A_typo_in_the_brand_finds_only_that_brand_and_a_search_with_enough_exact_matches_adds_no_near_ones()
    {
        var page = await Search("kangshfu");
        Assert.That(page.Items, Is.Not.Empty);
        Assert.That(page.Items.Select(i => i.Brand).Distinct(), Is.EqualTo(new[] { "康师傅" }));
        // 纯牛奶 matches the whole milk shelf exactly: 德芙丝滑牛奶巧克力 (滑牛奶, one character away) is not added.
        var milk = await Names("纯牛奶", 100);
        Assert.That(milk, Has.Count.GreaterThanOrEqualTo(TypoSearch.FewMatches));
        Assert.That(milk, Has.None.StartsWith("德芙"));
        Assert.That(await Names("纯牛奶 巧克力"), Is.Not.Empty.And.All.StartsWith("德芙"), "with no exact match the near one is found");
    }

    [Test]
    public async Task A_barcode_with_a_wrong_last_digit_finds_nothing_rather_than_another_product()
    {
        await using var c = await _demo.OpenAsync();
        var barcodes = (await c.QueryAsync<string>("SELECT barcode FROM products WHERE barcode IS NOT NULL")).ToHashSet();
        var barcode = await c.QuerySingleAsync<string>("SELECT barcode FROM products WHERE active = TRUE AND name = '农夫山泉饮用天然水' ORDER BY sku LIMIT 1");
        var wrong = Enumerable.Range(0, 10).Select(d => barcode[..^1] + d).First(b => b != barcode && !barcodes.Contains(b));
        Assert.That(await Names(wrong), Is.Empty, wrong);
        Assert.That(await Names(barcode[..^1] + "x"), Is.Empty, "a code with a letter wrong is not approximated either");
    }

    /// <summary>
    /// A small distributor that sells a knock-off brand (康帅傅) beside 康师傅: 康帅傅 finds its own product first, the
    /// 康师傅 products after it (one character away; the shorter name first), and nothing else. Two biscuits equally relevant
    /// to 苏打饼干: the one stores of this store's group buy comes first; once the store has bought the other, that one.
    /// </summary>
    [Test]
    public async Task Near_matches_come_after_exact_ones_and_ties_go_to_what_this_store_and_its_group_buy()
    {
        var d = new DemoDataSet();
        d.Warehouses.Add(new("W", "仓"));
        d.Categories.Add(new("ROOT", "食品", null, 0));
        d.Categories.Add(new("A", "方便食品", "ROOT", 1));
        var seq = 0;
        DemoProduct P(string sku, string name, string brand) => new(sku, name, "1包", "包", 1, 1, $"69000000000{++seq:D2}", brand, "A", 100, true, "", []);
        d.Products.AddRange([P("K001", "康帅傅红烧面", "康帅傅"), P("K002", "康师傅红烧牛肉面", "康师傅"), P("K003", "康师傅冰红茶", "康师傅"),
            P("K004", "统一冰红茶", "统一"), P("B001", "甲牌苏打饼干", "甲牌"), P("B002", "乙牌苏打饼干", "乙牌")]);
        d.Groups.Add(new("G", "便利店", 0));
        d.Groups.Add(new("H", "超市", 1));
        d.Agents.Add(new("AG", "业务员", "13800000000", "ag"));
        d.Customers.Add(new("S1", "门店一", "老板", "13900000001", "广州", "天河区", "G", "AG", "W", 0, 0));
        d.Customers.Add(new("S2", "门店二", "老板", "13900000002", "广州", "天河区", "G", "AG", "W", 0, 0));
        d.Customers.Add(new("S3", "超市三", "老板", "13900000003", "广州", "天河区", "H", "AG", "W", 0, 0));
        var db = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(db).SeedAsync(d, Now.ToUnixTimeMilliseconds());
        await using (var c = await db.OpenAsync())
        {
            // S2 (same group as S1) bought 乙牌 once; S3 (another group) bought 甲牌 twice: only the group's purchases count.
            var n = 0;
            foreach (var (customer, sku) in new[] { ("S2", "B002"), ("S3", "B001"), ("S3", "B001") })
            {
                var orderId = await c.ExecuteScalarAsync<long>($"""
                    INSERT INTO orders (order_no, customer_id, channel, placed_by_kind, placed_by_id, status, warehouse_id, contact_name, contact_phone,
                                        delivery_address, goods_fen, total_fen, created_at, updated_at)
                    SELECT @no, id, 'self', 'customer_user', 1, '{OrderHub.Domain.Ordering.OrderStatus.Shipped}', warehouse_id, '老板', '13900000000', '广州', 100, 100, 0, 0
                    FROM customers WHERE code = @customer RETURNING id
                    """, new { no = $"T{++n}", customer });
                await c.ExecuteAsync("""
                    INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, quantity, unit_price_fen, amount_fen, price_source, price_reason)
                    SELECT @orderId, 1, id, sku, name, unit, 1, 100, 100, 'base', '' FROM products WHERE sku = @sku
                    """, new { orderId, sku });
            }
        }
        var catalog = Catalog(db);
        var store = await StoreAsync(db, "SELECT id FROM customers WHERE code = 'S1'");
        async Task<List<string>> Find(string q) => (await catalog.ListAsync(store, new CatalogFilter(q, null, null, null, 50))).Items.Select(i => i.Name).ToList();

        Assert.That(await Find("康帅傅"), Is.EqualTo(new[] { "康帅傅红烧面", "康师傅冰红茶", "康师傅红烧牛肉面" }));
        Assert.That(await Find("冰红茶"), Is.EqualTo(new[] { "统一冰红茶", "康师傅冰红茶" }), "exact only: the words cover more of the shorter name");
        Assert.That(await Find("苏打饼干"), Is.EqualTo(new[] { "乙牌苏打饼干", "甲牌苏打饼干" }), "what the group buys first");

        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at) SELECT @id, id, 100, 1, 0 FROM products WHERE sku = 'B001'",
                new { id = store.CustomerId });
            await c.ExecuteAsync("UPDATE catalog_version SET version = version + 1");
        }
        Assert.That(await Find("苏打饼干"), Is.EqualTo(new[] { "甲牌苏打饼干", "乙牌苏打饼干" }), "the store's own purchase before its group's");
    }

    [TestCase("kangshifu", "kangshfu", 1)]
    [TestCase("kangshifuhongshao", "kangsihfu", 1)]
    [TestCase("hongshaoniurou", "hongshaoniuruo", 1)]
    [TestCase("康师傅红烧牛肉面", "康帅傅", 1)]
    [TestCase("康师傅红烧牛肉面", "红烧牛肉", 0)]
    [TestCase("康师傅红烧牛肉面", "康帅傅红烧牛面", 2)]
    [TestCase("康师傅香辣牛肉面", "康帅傅红烧牛肉面", int.MaxValue)]
    [TestCase("yilichunniunai", "chunniuani", 1)]
    public void Edits_within_a_text_count_substitutions_gaps_and_swaps(string text, string term, int expected) =>
        Assert.That(TypoSearch.EditsWithin(text, term, 2), Is.EqualTo(expected));

    [Test]
    public async Task Kang_shi_fu_niu_rou_finds_the_beef_noodles_and_only_what_has_both_words()
    {
        var names = await Names("康师傅 牛肉");
        Assert.Multiple(() =>
        {
            Assert.That(names, Does.Contain("康师傅红烧牛肉面"));
            Assert.That(names, Is.All.Contains("康师傅").And.All.Contains("牛肉"));
            // The plain products before their variants (款1, 款2 …): the words cover more of a shorter name.
            Assert.That(names.Take(2), Is.EquivalentTo(new[] { "康师傅红烧牛肉面", "康师傅香辣牛肉面" }));
        });
    }

    [Test]
    public async Task Milk_lists_the_milk_shelf_before_milk_chocolate()
    {
        var page = await Search("牛奶", limit: 100);
        var categories = new List<string>();
        foreach (var i in page.Items) categories.Add(await CategoryOf(i.Sku));
        var chocolate = page.Items.Select(i => i.Name).ToList().FindIndex(n => n.StartsWith("德芙丝滑牛奶巧克力", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(categories[0], Is.EqualTo("纯牛奶"));
            Assert.That(chocolate, Is.GreaterThan(0), "the chocolate is found too");
            Assert.That(categories.Take(chocolate), Is.All.EqualTo("纯牛奶"), "every milk before the chocolate");
            Assert.That(page.Items.Select(i => i.Name), Does.Contain("蒙牛特仑苏"), "特仑苏 is milk though its name does not say 牛奶");
        });
    }

    [Test]
    public async Task Pinyin_initials_find_the_brand_first()
    {
        var page = await Search("ksf");
        Assert.That(page.Items.Select(i => i.Brand).First(), Is.EqualTo("康师傅"));
        Assert.That(page.Items.Select(i => i.Brand).Distinct(), Is.EqualTo(new[] { "康师傅" }));
    }

    [Test]
    public async Task A_scanned_barcode_finds_exactly_its_product()
    {
        await using var c = await _demo.OpenAsync();
        var (sku, barcode) = await c.QuerySingleAsync<(string, string)>("SELECT sku, barcode FROM products WHERE active = TRUE AND name = '农夫山泉饮用天然水' ORDER BY sku LIMIT 1");
        Assert.That((await Search(barcode)).Items.Select(i => i.Sku), Is.EqualTo(new[] { sku }));
        Assert.That((await Search(sku.ToLowerInvariant())).Items.Select(i => i.Sku).First(), Is.EqualTo(sku), "a SKU typed in lower case");
    }

    [Test]
    public async Task A_word_that_matches_nothing_empties_the_result()
    {
        Assert.That(await Names("康师傅 茅台"), Is.Empty);
        Assert.That(await Names("_"), Is.Empty, "a wildcard is text");
    }

    [Test]
    public async Task Facets_count_the_matches_per_category_and_brand()
    {
        var page = await Search("牛奶", limit: 1);
        var all = (await Search("牛奶", limit: 100)).Items;
        var facets = page.Facets!;
        await using var c = await _demo.OpenAsync();
        var milk = await c.ExecuteScalarAsync<long>("SELECT id FROM categories WHERE name = '纯牛奶'");
        Assert.Multiple(() =>
        {
            Assert.That(facets.Total, Is.EqualTo(all.Count));
            Assert.That(facets.Brands.Sum(b => b.ProductCount), Is.EqualTo(all.Count(i => i.Brand is not null)));
            Assert.That(facets.Brands.Single(b => b.Brand == "德芙").ProductCount, Is.EqualTo(all.Count(i => i.Brand == "德芙")));
            Assert.That(facets.Categories.Single(f => f.CategoryId == milk).ProductCount, Is.EqualTo(all.Count(i => i.CategoryId == milk)));
            Assert.That(facets.Categories.Sum(f => f.ProductCount), Is.EqualTo(all.Count));
            Assert.That(page.NextCursor, Is.Not.Null);
        });
        // A brand chosen: the list narrows, and the brand facet still offers the other brands.
        var dove = await Search("牛奶", brand: "德芙");
        Assert.That(dove.Items.Select(i => i.Brand).Distinct(), Is.EqualTo(new[] { "德芙" }));
        Assert.That(dove.Facets!.Brands.Select(b => b.Brand), Is.EquivalentTo(facets.Brands.Select(b => b.Brand)));
    }

    [Test]
    public async Task Paging_through_a_ranking_returns_every_match_once_in_the_same_order()
    {
        var whole = (await Search("康师傅", limit: 100)).Items.Select(i => i.Sku).ToList();
        var paged = new List<string>();
        string? after = null;
        do
        {
            var page = await Search("康师傅", limit: 3, after: after);
            paged.AddRange(page.Items.Select(i => i.Sku));
            Assert.That(page.Facets is null, Is.EqualTo(after is not null), "facets on the first page only");
            after = page.NextCursor;
        } while (after is not null);
        Assert.That(paged, Is.EqualTo(whole));
        Assert.That(whole, Has.Count.GreaterThan(3));
    }

    /// <summary>
    /// Random products (names from common characters, random brands and categories) on a fresh database: for random
    /// products, a Chinese query of two pieces of the name returns exactly what the oracle says (every word in the name,
    /// brand, category or spec), the product among them; its barcode finds only it; its full pinyin and its initials find it.
    /// </summary>
    [Test]
    public async Task Random_products_are_found_exactly_as_the_oracle_says([Values(1, 2)] int seed)
    {
        const string pool = "红烧牛肉面奶茶绿冰糖果汁水啤酒饼干薯片瓜子花生油米醋酱鸡蛋香辣鲜虾玉米豆腐";
        string[] brands = ["华丰", "金牌", "好友", "东方", "喜乐", "大地"];
        var rnd = new Random(seed);
        var d = new DemoDataSet();
        d.Warehouses.Add(new("W", "仓"));
        d.Categories.Add(new("ROOT", "食品", null, 0));
        d.Categories.Add(new("A", "零食", "ROOT", 1));
        d.Categories.Add(new("B", "调味", "ROOT", 2));
        string Word(int min, int max) => new(Enumerable.Range(0, rnd.Next(min, max + 1)).Select(_ => pool[rnd.Next(pool.Length)]).ToArray());
        for (var i = 0; i < 150; i++)
            d.Products.Add(new($"R{i:D4}", brands[rnd.Next(brands.Length)] + Word(2, 6), Word(1, 2) + "装", "包", 1, 1, $"690{rnd.NextInt64(1_000_000_000, 9_999_999_999)}",
                brands[rnd.Next(brands.Length)], rnd.Next(2) == 0 ? "A" : "B", 100, true, "", []));
        d.Groups.Add(new("G", "组", 0));
        d.Agents.Add(new("AG", "业务员", "13800000000", "ag"));
        d.Customers.Add(new("S1", "门店", "老板", "13900000000", "广州", "天河区", "G", "AG", "W", 0, 0));
        var db = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(db).SeedAsync(d, Now.ToUnixTimeMilliseconds());
        var catalog = Catalog(db);
        var store = await StoreAsync(db, "SELECT id FROM customers");
        var category = new Dictionary<string, string> { ["A"] = "零食/食品", ["B"] = "调味/食品" };
        async Task<List<CatalogItem>> Find(string q) => (await catalog.ListAsync(store, new CatalogFilter(q, null, null, null, 100))).Items.ToList();

        for (var n = 0; n < 12; n++)
        {
            var p = d.Products[rnd.Next(d.Products.Count)];
            var name = p.Name;
            var w1 = name.Substring(rnd.Next(name.Length - 1), 1 + rnd.Next(1));
            var start = rnd.Next(name.Length - 1);
            var w2 = name.Substring(start, Math.Min(2, name.Length - start));
            var q = $"{w1} {w2}";
            var expected = d.Products.Where(x => new[] { w1, w2 }.All(w => (x.Name + "|" + x.Brand + "|" + category[x.CategoryCode] + "|" + x.Spec).Contains(w)))
                .Select(x => x.Sku).OrderBy(s => s).ToList();
            var found = await Find(q);
            Assert.That(found.Select(i => i.Sku).OrderBy(s => s), Is.EqualTo(expected), $"query '{q}'");
            Assert.That(found.Select(i => i.Sku), Does.Contain(p.Sku));

            Assert.That((await Find(p.Barcode)).Select(i => i.Sku), Is.EqualTo(new[] { p.Sku }), $"barcode {p.Barcode}");
            Assert.That((await Find(Pinyin.Of(name))).Select(i => i.Sku), Does.Contain(p.Sku), $"pinyin {Pinyin.Of(name)}");
            var initials = string.Concat(Pinyin.Syllables(name).Select(s => s[0]));
            Assert.That((await Find(initials)).Select(i => i.Sku), Does.Contain(p.Sku), $"initials {initials}");
        }

        // The store's own purchases break a tie: of two products equally relevant, the one it has bought comes first.
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE products SET name = '喜乐测试饼', brand = '喜乐' WHERE sku IN ('R0001', 'R0002')");
            await c.ExecuteAsync("UPDATE catalog_version SET version = version + 1");
            await c.ExecuteAsync("INSERT INTO customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at) SELECT @store, id, 100, 1, 0 FROM products WHERE sku = 'R0002'",
                new { store = store.CustomerId });
        }
        Assert.That((await Find("测试饼")).Select(i => i.Sku), Is.EqualTo(new[] { "R0002", "R0001" }));
    }
}
