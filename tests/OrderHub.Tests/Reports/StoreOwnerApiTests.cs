using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Catalog;
using OrderHub.Testing;

namespace OrderHub.Tests.Reports;

/// <summary>
/// The store's own phone screens on both databases: 手机报表 (what my store bought by month and category) and the store's
/// live promotions. Figures are worked out by hand from <see cref="ReportsData"/>.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class StoreOwnerApiTests(string kind)
{
    private ReportsHost _host = null!;
    private HttpClient _c1 = null!, _c2 = null!, _c5 = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ReportsHost(kind);
        _ = _host.Services;
        await ReportsData.SeedAsync(_host.Db);
        await _host.Services.GetRequiredService<OrderHub.Application.Sync.InitialImport>().MarkCompleteAsync();
        await AddPromotionsAsync();
        _c1 = await _host.SignInAsync(new { customerCode = "C1" });
        _c2 = await _host.SignInAsync(new { customerCode = "C2" });
        _c5 = await _host.SignInAsync(new { customerCode = "C5" });
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private static async Task<JsonElement> Ok(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static IEnumerable<(string, long, long, long)> Months(JsonElement r) => r.GetProperty("months").EnumerateArray()
        .Select(m => (m.GetProperty("month").GetString()!, m.GetProperty("orders").GetInt64(), m.GetProperty("amountFen").GetInt64(), m.GetProperty("quantity").GetInt64()));

    [Test]
    public async Task C1_bought_one_order_in_october_four_in_november_and_one_in_december_all_drinks()
    {
        var r = await Ok(await _c1.GetAsync("/api/reports/purchases?from=2026-10-01&to=2026-12-15"));
        // Each order: W-001 10 箱 ¥600 + D-001 5 箱 ¥400 = ¥1,000, 15 箱; December's order also has a gift 箱 that was not bought.
        Assert.That(Months(r), Is.EqualTo(new[] { ("2026-10", 1L, 100_000L, 15L), ("2026-11", 4L, 400_000L, 60L), ("2026-12", 1L, 100_000L, 15L) }));
        Assert.That(r.GetProperty("months")[1].GetProperty("label").GetString(), Is.EqualTo("11月"));
        var categories = r.GetProperty("categories").EnumerateArray().ToList();
        // 饮用水 (W-001) sits under 饮料: both lines count under the top-level 饮料.
        Assert.That(categories.Select(c => (c.GetProperty("name").GetString(), c.GetProperty("orders").GetInt64(), c.GetProperty("amountFen").GetInt64(), c.GetProperty("quantity").GetInt64())),
            Is.EqualTo(new[] { ("饮料", 6L, 600_000L, 90L) }));
        Assert.That((r.GetProperty("orders").GetInt64(), r.GetProperty("amountFen").GetInt64(), r.GetProperty("quantity").GetInt64()), Is.EqualTo((6L, 600_000L, 90L)));
        Assert.That(r.GetProperty("amountText").GetString(), Is.EqualTo("¥6,000.00"));
    }

    [Test]
    public async Task C5s_orders_fall_either_side_of_the_month_boundary_in_beijing_time_and_cancelled_or_rejected_ones_do_not_count()
    {
        var r = await Ok(await _c5.GetAsync("/api/reports/purchases?from=2026-11-01&to=2026-12-15"));
        // 11-30 23:30 Beijing is November (though 15:30 UTC); 12-01 00:30 Beijing is December (16:30 UTC on 11-30).
        Assert.That(Months(r), Is.EqualTo(new[] { ("2026-11", 1L, 70_000L, 7L), ("2026-12", 1L, 100_000L, 10L) }));
        Assert.That(r.GetProperty("categories").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("amountFen").GetInt64(), c.GetProperty("quantity").GetInt64())),
            Is.EqualTo(new[] { ("零食", 170_000L, 17L) }));
    }

    [Test]
    public async Task Without_dates_the_report_covers_the_last_six_months_and_a_bad_period_is_a_400()
    {
        var r = await Ok(await _c1.GetAsync("/api/reports/purchases"));
        Assert.That((r.GetProperty("from").GetString(), r.GetProperty("to").GetString()), Is.EqualTo(("2026-07-01", "2026-12-15")));
        Assert.That(Months(r).Select(m => m.Item1), Is.EqualTo(new[] { "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12" }));
        Assert.That(Months(r).Select(m => m.Item3), Is.EqualTo(new[] { 0L, 0L, 0L, 100_000L, 400_000L, 100_000L }));
        var bad = await _c1.GetAsync("/api/reports/purchases?from=2026-12-10&to=2026-11-01");
        Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        var agent = await _host.SignInAsync(new { agentCode = "AG1" });
        Assert.That((int)(await agent.GetAsync("/api/reports/purchases")).StatusCode, Is.EqualTo(403));
    }

    /// <summary>特价 W-001 for everyone, 特价 W-002 and S-001 for group KA, 买10赠1 D-001 for group KA, 满500减50 for C2 only, 特价 S-001 for group SHOP that ended, and one not started.</summary>
    private async Task AddPromotionsAsync()
    {
        await using var c = await _host.Db.OpenAsync();
        var now = ReportsData.Now.ToUnixTimeMilliseconds();
        var day = 86_400_000L;
        long Id(string sql, object? a = null) => c.ExecuteScalar<long>(sql, a);
        var ka = Id("SELECT id FROM customer_groups WHERE code = 'KA'");
        var shop = Id("SELECT id FROM customer_groups WHERE code = 'SHOP'");
        var c2 = Id("SELECT id FROM customers WHERE code = 'C2'");
        long P(string sku) => Id("SELECT id FROM products WHERE sku = @sku", new { sku });
        async Task Add(string code, string name, string kindName, string target, long? group, long? customer, long starts, long ends, long? buy, long? free, long? threshold, long? discount,
            params (long Product, long? Special)[] items)
        {
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO promotions (code, name, kind, target, target_group_id, target_customer_id, starts_at, ends_at, buy_qty, free_qty, threshold_fen, discount_fen, active, created_at)
                VALUES (@code, @name, @kindName, @target, @group, @customer, @starts, @ends, @buy, @free, @threshold, @discount, TRUE, @starts) RETURNING id
                """, new { code, name, kindName, target, group, customer, starts, ends, buy, free, threshold, discount });
            foreach (var (product, special) in items)
                await c.ExecuteAsync("INSERT INTO promotion_items (promotion_id, product_id, special_price_fen) VALUES (@id, @product, @special)", new { id, product, special });
        }
        await Add("P-SP", "农夫山泉特价", "special_price", "all", null, null, now - day, now + 3 * day, null, null, null, null, (P("W-001"), 500));
        await Add("P-SP2", "A类特价", "special_price", "group", ka, null, now - day, now + 4 * day, null, null, null, null, (P("W-002"), 800), (P("S-001"), 9_000));
        await Add("P-BG", "可乐买十赠一", "buy_get", "group", ka, null, now - day, now + 5 * day, 10, 1, null, null, (P("D-001"), null));
        await Add("P-SS", "满500减50", "spend_save", "customer", null, c2, now - day, now + 7 * day, null, null, 50_000, 5_000);
        await Add("P-OLD", "薯片特价", "special_price", "group", shop, null, now - 10 * day, now - day, null, null, null, null, (P("S-001"), 9_000));
        await Add("P-NEXT", "下周特价", "special_price", "all", null, null, now + day, now + 9 * day, null, null, null, null, (P("W-002"), 800));
        await CatalogVersion.BumpAsync(c);
    }

    private static List<(string Badge, string KindLabel, string[] Skus)> Promotions(JsonElement list) => list.EnumerateArray()
        .Select(p => (p.GetProperty("badge").GetString()!, p.GetProperty("kindLabel").GetString()!,
            p.GetProperty("products").EnumerateArray().Select(x => x.GetProperty("product").GetProperty("sku").GetString()!).ToArray())).ToList();

    [Test]
    public async Task Each_store_sees_only_the_live_promotions_aimed_at_it_with_chinese_badges_and_the_products_they_cover()
    {
        var c1 = Promotions(await Ok(await _c1.GetAsync("/api/catalog/promotions")));
        // Soonest ending first; a 特价 of several products names the lowest price.
        Assert.That(c1, Is.EqualTo(new[] { ("特价 ¥5.00", "特价", new[] { "W-001" }), ("特价 低至 ¥8.00", "特价", new[] { "S-001", "W-002" }), ("买10赠1", "买赠", new[] { "D-001" }) }));
        var c2 = Promotions(await Ok(await _c2.GetAsync("/api/catalog/promotions")));
        Assert.That(c2.Select(p => (p.Badge, p.KindLabel)), Is.EqualTo(new[] { ("特价 ¥5.00", "特价"), ("满500减50", "满减") }));
        var storeWide = (await Ok(await _c2.GetAsync("/api/catalog/promotions")))[1];
        Assert.That((storeWide.GetProperty("storeWide").GetBoolean(), storeWide.GetProperty("products").GetArrayLength()), Is.EqualTo((true, 0)));
        var special = (await Ok(await _c1.GetAsync("/api/catalog/promotions")))[0].GetProperty("products")[0];
        Assert.That((special.GetProperty("specialPriceFen").GetInt64(), special.GetProperty("product").GetProperty("price").GetProperty("fen").GetInt64()), Is.EqualTo((500L, 500L)),
            "the product shows this store's price, which is the special price");

        // An agent reads it for its own store (customerId), not for another agent's.
        var ag1 = await _host.SignInAsync(new { agentCode = "AG1" });
        var c1Id = await ScalarAsync("SELECT id FROM customers WHERE code = 'C1'");
        var c4Id = await ScalarAsync("SELECT id FROM customers WHERE code = 'C4'");
        Assert.That(Promotions(await Ok(await ag1.GetAsync($"/api/catalog/promotions?customerId={c1Id}"))), Is.EqualTo(c1));
        Assert.That((int)(await ag1.GetAsync($"/api/catalog/promotions?customerId={c4Id}")).StatusCode, Is.EqualTo(404));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var c = await _host.Db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }
}
