using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Tests.Support.SeededTryton;

namespace OrderHub.Erp.Tryton.Tests.Live;

/// <summary>Master-data pulls against a real Tryton: a full pull, then only what changed after the cursor.</summary>
public sealed class PullTests
{
    private TrytonErpAdapter _adapter = null!;

    [SetUp]
    public void CreateAdapter() => _adapter = NewAdapter();

    [TearDown]
    public void DisposeAdapter() => _adapter.Dispose();

    [Test]
    public async Task Products_full_pull_then_only_the_changed_product()
    {
        var (all, cursor) = await DrainAsync(_adapter.PullProductsAsync, null);

        Assert.That(all.Select(p => p.Code), Is.SupersetOf(TrytonSeed.Products.Select(p => p.Code)));
        var tea = all.Single(p => p.Code == "TEA-001");
        Assert.Multiple(() =>
        {
            Assert.That(tea.Name, Is.EqualTo("铁观音 500g"));
            Assert.That(tea.Unit, Is.EqualTo("Unit"));
            Assert.That(tea.BasePriceFen, Is.EqualTo(8500));
            Assert.That(tea.Currency, Is.EqualTo("CNY"));
            Assert.That(tea.CategoryPath, Is.EqualTo(TrytonSeed.CategoryPath));
            Assert.That(tea.Active, Is.True);
            Assert.That(all.Single(p => p.Code == "TEA-002").BasePriceFen, Is.EqualTo(6050));
        });
        Assert.That((await _adapter.PullProductsAsync(cursor, default)).Items, Is.Empty, "nothing changed yet");

        await Seed.SetListPriceAsync("POT-001", 158.00m);
        var (changed, next) = await DrainAsync(_adapter.PullProductsAsync, cursor);

        Assert.That(changed.Select(p => (p.Code, p.BasePriceFen)), Is.EqualTo(new[] { ("POT-001", 15800L) }));
        Assert.That((await _adapter.PullProductsAsync(next, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Products_page_through_a_full_pull()
    {
        using var adapter = new TrytonErpAdapter(Server.AdminOptions() with { PageSize = 2 });
        var pages = 0;
        var codes = new List<string>();
        string? cursor = null;
        ErpPage<ErpProduct> page;
        do
        {
            page = await adapter.PullProductsAsync(cursor, default);
            codes.AddRange(page.Items.Select(p => p.Code));
            cursor = page.NextCursor;
            pages++;
        } while (page.HasMore);

        Assert.That(pages, Is.GreaterThanOrEqualTo(3));
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Is.SupersetOf(TrytonSeed.Products.Select(p => p.Code)));
        Assert.That((await adapter.PullProductsAsync(cursor, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Stock_full_pull_then_only_the_product_whose_moves_changed()
    {
        var (all, cursor) = await DrainAsync(_adapter.PullStockAsync, null);

        Assert.That(all.All(s => s.WarehouseCode == TrytonSeed.WarehouseCode));
        Assert.That(all.Select(s => s.ProductCode), Does.Not.Contain("SVC-001"), "services have no stock");
        Assert.That(all.Single(s => s.ProductCode == "TEA-002").OnHand, Is.EqualTo(50));
        Assert.That(all.Single(s => s.ProductCode == "POT-001").OnHand, Is.EqualTo(10));
        Assert.That((await _adapter.PullStockAsync(cursor, default)).Items, Is.Empty);

        await Seed.SetStockAsync("TEA-002", 42);
        var (changed, next) = await DrainAsync(_adapter.PullStockAsync, cursor);

        Assert.That(changed.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)),
            Is.EqualTo(new[] { ("TEA-002", TrytonSeed.WarehouseCode, 42L) }));
        Assert.That((await _adapter.PullStockAsync(next, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Prices_base_and_customer_tiers_then_only_what_a_change_touches()
    {
        var (all, cursor) = await DrainAsync(_adapter.PullPricesAsync, null);

        Assert.That(all.Single(p => p is { Scope: ErpPriceScope.Base, ProductCode: "TEA-001" }).PriceFen, Is.EqualTo(8500));
        // Every product the store can buy, at Tryton's price for it (list price where no line applies), tiers where the price changes.
        Assert.That(CustomerPrices(all), Is.EquivalentTo(new[]
        {
            ("TEA-001", 1L, 8200L), ("TEA-001", 10L, 7850L), ("CUP-001", 1L, 1080L),
            ("TEA-002", 1L, 6050L), ("POT-001", 1L, 16800L), ("SVC-001", 1L, 5000L),
        }));
        Assert.That(all.Where(p => p.Scope == ErpPriceScope.Customer).Select(p => p.ListName).Distinct(), Is.EqualTo(new[] { "C001 协议价" }));
        Assert.That((await _adapter.PullPricesAsync(cursor, default)).Items, Is.Empty);

        // A price-list line changes: the customer's prices come again, no base price does.
        await Seed.SetPriceListLineAsync("TEA-001", 10, "77.00");
        var (afterLine, cursor2) = await DrainAsync(_adapter.PullPricesAsync, cursor);
        Assert.That(afterLine.All(p => p.Scope == ErpPriceScope.Customer && p.ScopeCode == TrytonSeed.TieredCustomer));
        Assert.That(CustomerPrices(afterLine), Does.Contain(("TEA-001", 10L, 7700L)));

        // A list price changes: its base price, and the customer price derived from it by formula.
        await Seed.SetListPriceAsync("CUP-001", 13.00m);
        var (afterList, cursor3) = await DrainAsync(_adapter.PullPricesAsync, cursor2);
        Assert.That(afterList.Where(p => p.Scope == ErpPriceScope.Base).Select(p => (p.ProductCode, p.PriceFen)),
            Is.EqualTo(new[] { ("CUP-001", 1300L) }));
        Assert.That(CustomerPrices(afterList), Does.Contain(("CUP-001", 1L, 1170L)));

        Assert.That((await _adapter.PullPricesAsync(cursor3, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Customers_with_credit_limit_and_receivable_then_only_the_changed_one()
    {
        var (all, cursor) = await DrainAsync(_adapter.PullCustomersAsync, null);

        Assert.That(all.Select(c => c.Code), Is.EquivalentTo(TrytonSeed.Customers.Select(c => c.Code)),
            "parties with a code, without the company's own party");
        var c001 = all.Single(c => c.Code == "C001");
        Assert.Multiple(() =>
        {
            Assert.That(c001.Name, Is.EqualTo("上海茶行有限公司"));
            Assert.That(c001.Phone?.Replace(" ", ""), Is.EqualTo("+8613800000001"));
            Assert.That(c001.Address, Does.Contain("南京西路 100 号").And.Contain("上海"));
            Assert.That(c001.CreditLimitFen, Is.EqualTo(10_000_000));
            Assert.That(c001.Active, Is.True);
            Assert.That(all.Single(c => c.Code == "C003").CreditLimitFen, Is.Zero, "no limit set");
        });
        Assert.That((await _adapter.PullCustomersAsync(cursor, default)).Items, Is.Empty);

        await Seed.SetCreditLimitAsync("C002", 60_000m);
        var (limitChanged, cursor2) = await DrainAsync(_adapter.PullCustomersAsync, cursor);
        Assert.That(limitChanged.Select(c => (c.Code, c.CreditLimitFen)), Is.EqualTo(new[] { ("C002", 6_000_000L) }));

        var receivableBefore = all.Single(c => c.Code == "C003").ReceivableFen;
        await Seed.RecordPaymentAsync("C003", 100.00m);
        var (paid, cursor3) = await DrainAsync(_adapter.PullCustomersAsync, cursor2);
        Assert.That(paid.Select(c => (c.Code, c.ReceivableFen)), Is.EqualTo(new[] { ("C003", receivableBefore - 10_000) }));

        Assert.That((await _adapter.PullCustomersAsync(cursor3, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Payments_are_posted_cash_receipts_of_customers()
    {
        var (_, cursor) = await DrainAsync(_adapter.PullPaymentsAsync, null);
        Assert.That((await _adapter.PullPaymentsAsync(cursor, default)).Items, Is.Empty);

        await Seed.RecordPaymentAsync("C002", 250.00m);
        var (paid, next) = await DrainAsync(_adapter.PullPaymentsAsync, cursor);

        Assert.That(paid.Select(p => (p.CustomerCode, p.AmountFen)), Is.EqualTo(new[] { ("C002", 25_000L) }));
        Assert.That(paid[0].Reference, Does.StartWith("aml:"));
        Assert.That((await _adapter.PullPaymentsAsync(next, default)).Items, Is.Empty);
    }

    private static IEnumerable<(string, long, long)> CustomerPrices(IEnumerable<ErpPrice> prices) =>
        prices.Where(p => p is { Scope: ErpPriceScope.Customer, ScopeCode: TrytonSeed.TieredCustomer })
            .Select(p => (p.ProductCode, p.MinQty, p.PriceFen));
}
