using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>Issue #14 for Kingdee: bad data never stops a feed. Each bad row is one data issue; the rest of the page applies.</summary>
public class DataIssueTests
{
    private static async Task<List<T>> DrainAsync<T>(Func<string?, Task<ErpPage<T>>> pull)
    {
        var all = new List<T>();
        string? cursor = null;
        for (var i = 0; i < 1000; i++)
        {
            var page = await pull(cursor);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
            if (!page.HasMore) return all;
        }
        throw new InvalidOperationException("the pull never ended");
    }

    [Test]
    public async Task Random_bad_rows_each_become_one_issue_and_every_good_row_applies([Random(1, int.MaxValue, 3)] int seed)
    {
        TestContext.Out.WriteLine($"seed {seed}");
        var rnd = new Random(seed);
        var issues = new IssueList();
        await using var h = await Harness.StartAsync(o => { o.PageSize = 1 + rnd.Next(7); o.CustomerCreditLimitField = "F_ORH_CreditLimit"; }, issues: issues);

        var goodProducts = new List<string>(); var badProducts = new List<string?>();
        var goodPrices = new List<string>(); var badPrices = new List<string?>();
        var goodCustomers = new List<string>(); var badCustomers = new List<string?>();
        var goodPayments = new List<string>(); var badPayments = new List<string>();
        for (var i = 0; i < 20 + rnd.Next(30); i++)
        {
            var code = $"M{i:000}";
            var m = h.Server.AddMaterial(code, code, "Pcs", Harness.Past(1 + rnd.Next(20)));
            var p = h.Server.AddPriceList($"PL{i:000}", Harness.Past(1 + rnd.Next(20)), [(code, 1.00m + i, 1m)], customers: [$"C{i:000}"]);
            var c = h.Server.AddCustomer($"C{i:000}", "客户", Harness.Past(1 + rnd.Next(20)), creditLimit: 1000m);
            var r = h.Server.AddReceiveBill($"SKD{i:000}", $"C{i:000}", 10m + i, Harness.Past(1), Harness.Past(1 + rnd.Next(20)));

            switch (rnd.Next(4))
            {
                case 0: goodProducts.Add(code); break;
                case 1: m["FNumber"] = null; badProducts.Add(null); break;
                case 2: m["FBaseUnitId.FNumber"] = null; badProducts.Add(code); break;
                default: m["FNumber"] = " "; badProducts.Add(null); break;
            }
            switch (rnd.Next(4))
            {
                case 0: goodPrices.Add(code); break;
                case 1: p.Entity("FEntity")[0]["FPrice"] = 1.234m; goodPrices.Add(code); badPrices.Add(code); break; // sub-fen: rounded, with an issue
                case 2: p.Entity("FEntity")[0]["FMaterialId.FNumber"] = null; badPrices.Add(null); break; // no code
                default: p["FCurrencyId.FNumber"] = "PRE007"; badPrices.Add(code); break;             // not CNY
            }
            switch (rnd.Next(3))
            {
                case 0: goodCustomers.Add(c["FNumber"]!.ToString()!); break;
                case 1: c["F_ORH_CreditLimit"] = 99.999m; goodCustomers.Add(c["FNumber"]!.ToString()!); badCustomers.Add(c["FNumber"]!.ToString()); break;
                default: c["FNumber"] = null; badCustomers.Add(null); break;
            }
            switch (rnd.Next(4))
            {
                case 0: goodPayments.Add($"SKD{i:000}"); break;
                case 1: r["FREALRECAMOUNTFOR"] = 12.345m; goodPayments.Add($"SKD{i:000}"); badPayments.Add($"SKD{i:000}"); break;
                case 2: r["FCURRENCYID.FNumber"] = "PRE002"; badPayments.Add($"SKD{i:000}"); break;
                default: r["FCONTACTUNIT.FNumber"] = null; badPayments.Add($"SKD{i:000}"); break;
            }
        }

        var products = await DrainAsync(c => h.Adapter.PullProductsAsync(c, CancellationToken.None));
        var prices = await DrainAsync(c => h.Adapter.PullPricesAsync(c, CancellationToken.None));
        var customers = await DrainAsync(c => h.Adapter.PullCustomersAsync(c, CancellationToken.None));
        var payments = await DrainAsync(c => h.Adapter.PullPaymentsAsync(c, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(products.Select(p => p.Code), Is.EquivalentTo(goodProducts));
            Assert.That(issues.All.Where(i => i.Feed == "Products").Select(i => i.Key), Is.EquivalentTo(badProducts));
            Assert.That(prices.Where(p => !p.Deleted).Select(p => p.ProductCode), Is.EquivalentTo(goodPrices));
            Assert.That(issues.All.Where(i => i.Feed == "Prices").Select(i => i.Key), Is.EquivalentTo(badPrices));
            Assert.That(customers.Select(c => c.Code), Is.EquivalentTo(goodCustomers));
            Assert.That(issues.All.Where(i => i.Feed == "Customers").Select(i => i.Key), Is.EquivalentTo(badCustomers));
            Assert.That(payments.Select(p => p.Reference), Is.EquivalentTo(goodPayments));
            Assert.That(issues.All.Where(i => i.Feed == "Payments").Select(i => i.Key), Is.EquivalentTo(badPayments));
        });
    }

    [Test]
    public async Task Odd_stock_rows_are_corrected_or_skipped_and_the_rest_applies()
    {
        var issues = new IssueList();
        await using var h = await Harness.StartAsync(o => o.PageSize = 2, issues: issues);
        h.Server.AddStock("A", "CK01", 5m);
        h.Server.AddStock("B", "CK01", -3m);        // negative → 0
        h.Server.AddStock("C", "CK01", 2.5m);       // fractional → 2
        var noCode = h.Server.AddStock("X", "CK01", 1m);
        noCode["FMaterialId.FNumber"] = null;       // skipped
        h.Server.AddStock("D", "CK02", 7m);

        var stock = await DrainAsync(c => h.Adapter.PullStockAsync(c, CancellationToken.None));

        Assert.That(stock.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)),
            Is.EquivalentTo(new[] { ("A", "CK01", 5L), ("B", "CK01", 0L), ("C", "CK01", 2L), ("D", "CK02", 7L) }));
        Assert.That(issues.All.Select(i => (i.Key, i.RowSkipped)),
            Is.EquivalentTo(new[] { ("B@CK01", false), ("C@CK01", false), ((string?)null, true) }));
    }

    [Test]
    public async Task Tax_exclusive_and_salesman_only_price_lists_are_reported_not_priced()
    {
        var issues = new IssueList();
        await using var h = await Harness.StartAsync(issues: issues);
        h.Server.AddPriceList("NET", Harness.Past(1), [("A", 8.50m, 1m)], customers: ["C002"], includedTax: false);
        h.Server.AddPriceList("SALES", Harness.Past(1), [("A", 7.00m, 1m)], salesmen: [FakeKingdeeServer.Salesman]);
        var prices = await h.Adapter.PullPricesAsync(null, CancellationToken.None);
        Assert.That(prices.Items.Where(p => !p.Deleted), Is.Empty);
        Assert.That(issues.All.Select(i => i.Problem), Has.One.Contains("NET").And.Contains("FIsIncludedTax"));
        Assert.That(issues.All.Select(i => i.Problem), Has.One.Contains("SALES").And.Contains("FLimitSalesMan"));
    }
}
