using OrderHub.Erp.Tryton.Orders;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Erp.Tryton.Tests.Randomised.RandomisedTryton;

namespace OrderHub.Erp.Tryton.Tests.Randomised;

/// <summary>
/// Issue #14, Tryton half: a new user's Tryton (random products, price lists of every kind, suppliers, several warehouses).
/// Every assertion compares the adapter with what Tryton itself says.
/// </summary>
[NonParallelizable]
public sealed class GoLiveTests
{
    private static readonly Func<TrytonOptions, TrytonOptions> StoresByCategory =
        o => o with { CustomerRule = $"Category:{TrytonRandomWorld.StoreCategory}" };

    [Test]
    public async Task Store_prices_are_what_Tryton_charges_each_store_for_every_product_and_quantity()
    {
        using var adapter = NewAdapter(o => o with { PageSize = 7 }); // small pages: the store feed pages too
        var (prices, cursor) = await DrainAsync(adapter.PullPricesAsync);

        var stores = World.StoresWithList.ToList();
        Assert.That(stores, Has.Count.GreaterThanOrEqualTo(2));
        var compared = 0;
        foreach (var store in stores)
        {
            var mine = prices.Where(p => p.Scope == ErpPriceScope.Customer && p.ScopeCode == store.Code).ToList();
            Assert.That(mine.Select(p => p.ListName).Distinct(), Is.EqualTo(new[] { World.PriceListNames[store.PriceList!.Value] }),
                $"store {store.Code}: every price names its Tryton list");
            foreach (var product in World.CodedProducts)
            {
                var tiers = mine.Where(p => p.ProductCode == product.Code).OrderBy(p => p.MinQty).ToList();
                Assert.That(tiers, Is.Not.Empty, $"store {store.Code} has a price for {product.Code}");
                Assert.That(tiers[0].MinQty, Is.EqualTo(1));
                // Every tier start, the quantity just before it, and a large quantity.
                var quantities = tiers.SelectMany(t => new[] { t.MinQty, Math.Max(1, t.MinQty - 1) }).Append(1).Append(500).Distinct();
                foreach (var quantity in quantities)
                {
                    var pulled = tiers.Last(t => t.MinQty <= quantity).PriceFen;
                    var charged = Fen(await SaleLinePriceAsync(store.PartyId, store.PriceList.Value, product.Id, quantity));
                    Assert.That(pulled, Is.EqualTo(charged), $"seed {World.Seed}: store {store.Code}, {product.Code} x {quantity}");
                    compared++;
                }
            }
        }
        TestContext.Progress.WriteLine($"Compared {compared} (store, product, quantity) prices with Tryton's sale lines");
        Assert.That((await adapter.PullPricesAsync(cursor, default)).Items, Is.Empty, "nothing changed since");
    }

    [Test]
    public async Task A_store_on_a_list_with_only_category_and_formula_lines_still_gets_Tryton_s_price()
    {
        // The defect in its plainest form: a list without a single product line.
        var category = World.Products[0].Category;
        var list = await Client.CreateOneAsync("product.price_list", new()
        {
            ["name"] = "八折类目价", ["company"] = Seed.CompanyId,
            ["lines"] = new object?[] { new object?[] { "create", new[] {
                new Dictionary<string, object?> { ["category"] = category, ["formula"] = "unit_price * 0.8", ["sequence"] = 1 },
                new Dictionary<string, object?> { ["quantity"] = 10.0, ["formula"] = "unit_price * 0.95", ["sequence"] = 2 } } } },
        }, default);
        var party = await Client.CreateOneAsync("party.party", new()
        {
            ["name"] = "类目价门店", ["code"] = $"CAT-{World.Seed}", ["customer_payment_term"] = Seed.PaymentTermId,
            ["addresses"] = new object?[] { new object?[] { "create", new[] { new Dictionary<string, object?> { ["city"] = "杭州" } } } },
        }, default);
        await Client.WriteAsync("party.party", [party], new() { ["sale_price_list"] = list }, default);

        using var adapter = NewAdapter();
        var (prices, _) = await DrainAsync(adapter.PullPricesAsync);
        var mine = prices.Where(p => p.ScopeCode == $"CAT-{World.Seed}").ToList();

        // Every product: Tryton's price from 1, and from 10 where the all-products tier changes it (not under the category line).
        foreach (var product in World.CodedProducts)
        {
            var at1 = Fen(await SaleLinePriceAsync(party, list, product.Id, 1));
            var at10 = Fen(await SaleLinePriceAsync(party, list, product.Id, 10));
            var expected = at10 == at1 ? new[] { (1L, at1) } : new[] { (1L, at1), (10L, at10) };
            Assert.That(mine.Where(p => p.ProductCode == product.Code).Select(p => (p.MinQty, p.PriceFen)), Is.EqualTo(expected),
                $"seed {World.Seed}: {product.Code}");
        }
        var first = World.Products[0];
        Assert.That(mine.Single(p => p.ProductCode == first.Code).PriceFen,
            Is.EqualTo(Fen(decimal.Round(first.ListPrice * 0.8m, 4, MidpointRounding.ToEven))), "the category line's formula, not the list price");
        Assert.That(mine.Select(p => p.ListName).Distinct(), Is.EqualTo(new[] { "八折类目价" }));
    }

    [Test]
    public async Task Base_prices_with_4_decimals_are_rounded_half_up_with_an_issue_and_products_without_code_are_reported()
    {
        var issues = new ErpDataIssueList();
        using var adapter = NewAdapter(issues: issues);
        var (products, _) = await DrainAsync(adapter.PullProductsAsync);

        foreach (var p in World.CodedProducts)
        {
            var expected = (long)decimal.Round(p.ListPrice * 100m, 0, MidpointRounding.AwayFromZero);
            Assert.That(products.Single(x => x.Code == p.Code).BasePriceFen, Is.EqualTo(expected), $"seed {World.Seed}: {p.Code} {p.ListPrice}");
        }
        var subFen = World.CodedProducts.Where(p => p.ListPrice * 100m != decimal.Truncate(p.ListPrice * 100m)).Select(p => p.Code).ToList();
        Assert.That(issues.Peek().Where(i => i.Feed == "Products" && !i.RowSkipped && i.Problem.Contains("list price")).Select(i => i.Key),
            Is.EquivalentTo(subFen), "one rounding issue per sub-fen list price");
        var skipped = issues.Peek().Where(i => i.Feed == "Products" && i.RowSkipped).ToList();
        Assert.That(skipped, Has.Count.EqualTo(World.Products.Count(p => p.Code is null)), $"seed {World.Seed}");
        foreach (var p in World.Products.Where(p => p.Code is null))
            Assert.That(skipped.Count(i => i.Key is null && i.Problem.Contains($"「{p.Name}」")), Is.EqualTo(1), $"{p.Name} is reported once");
    }

    [Test]
    public async Task Only_parties_the_customer_rule_names_become_stores_and_get_prices()
    {
        using var byCategory = NewAdapter(StoresByCategory);
        var (customers, _) = await DrainAsync(byCategory.PullCustomersAsync);
        Assert.That(customers.Select(c => c.Code), Is.EquivalentTo(World.Stores.Select(s => s.Code)));
        var (prices, _) = await DrainAsync(byCategory.PullPricesAsync);
        Assert.That(prices.Where(p => p.Scope == ErpPriceScope.Customer).Select(p => p.ScopeCode).Distinct(),
            Is.EquivalentTo(World.StoresWithList.Select(s => s.Code)), "C001 has a list but is not in 门店");

        using var byDefault = NewAdapter();
        var (receivable, _) = await DrainAsync(byDefault.PullCustomersAsync);
        var otherCodes = (await Client.ReadAsync("party.party", World.OtherParties, ["code"], default)).Select(p => p.String("code")).ToList();
        Assert.That(otherCodes, Is.All.Not.Null, "Tryton numbered the suppliers and contacts too");
        Assert.That(receivable.Select(c => c.Code), Is.SupersetOf(World.Stores.Select(s => s.Code)).And.SupersetOf(TrytonSeed.Customers.Select(c => c.Code)));
        Assert.That(receivable.Select(c => c.Code), Has.None.AnyOf(otherCodes.ToArray()), $"seed {World.Seed}: no supplier or contact is a store");

        var report = await ((IErpConnectionCheck)byCategory).CheckConnectionAsync(default);
        TestContext.Progress.WriteLine($"Connection check: {report}");
        Assert.That(report.StoreCount, Is.EqualTo(World.Stores.Count));
        Assert.That(report.Currency, Is.EqualTo("CNY"));
        Assert.That(report.WarehouseCodes, Is.EquivalentTo(World.WarehouseCodes.Prepend(TrytonSeed.WarehouseCode)));
        Assert.That(report.ProductCount, Is.EqualTo(TrytonSeed.Products.Length + World.CodedProducts.Count()));
        Assert.That(report.Problems, World.Products.Any(p => p.Code is null) ? Has.Some.Contains("no code") : Is.Empty);

        using var wrong = NewAdapter(o => o with { CustomerRule = "Category:没有这个类" });
        Assert.That((await ((IErpConnectionCheck)wrong).CheckConnectionAsync(default)).Problems, Has.Some.Contains("没有这个类"));
    }

    [Test]
    public async Task Stock_covers_every_warehouse_and_a_store_s_warehouse_comes_from_its_sales()
    {
        using var adapter = NewAdapter(StoresByCategory);
        var (stock, _) = await DrainAsync(adapter.PullStockAsync);
        Assert.That(stock.Select(s => s.WarehouseCode).Distinct(), Is.EquivalentTo(World.WarehouseCodes.Prepend(TrytonSeed.WarehouseCode)));

        var store = World.Stores[^1];
        var warehouse = World.WarehouseCodes[^1];
        var order = NewOrder(store.Code, warehouse, World.CodedProducts.First());
        await adapter.PushOrderAsync(order, default);
        Assert.That((await SalesWithReferenceAsync(order.OrderNumber)).Single().Int("warehouse"),
            Is.EqualTo((await Client.SearchAsync("stock.location", [D("code", "=", warehouse)], default)).Single()));

        var (customers, _) = await DrainAsync(adapter.PullCustomersAsync);
        Assert.That(customers.Single(c => c.Code == store.Code).WarehouseCode, Is.EqualTo(warehouse));
        var withSales = (await Client.SearchReadAsync("sale.sale", [D("party", "in", World.Stores.Select(s => s.PartyId).ToList())], ["party"], default))
            .Select(s => s.Int("party")).ToHashSet();
        var noSale = World.Stores.Where(s => !withSales.Contains(s.PartyId)).Select(s => s.Code).ToList();
        Assert.That(customers.Where(c => noSale.Contains(c.Code)).Select(c => c.WarehouseCode), Is.All.Null,
            "several warehouses and no sale yet: Tryton cannot say");
        using var onlyWh = NewAdapter(o => StoresByCategory(o) with { WarehouseCodes = [TrytonSeed.WarehouseCode] });
        var (fromWh, _) = await DrainAsync(onlyWh.PullCustomersAsync);
        Assert.That(fromWh.Where(c => noSale.Contains(c.Code)).Select(c => c.WarehouseCode), Is.All.EqualTo(TrytonSeed.WarehouseCode),
            "one warehouse reported: it is every store's");
    }

    [TestCase("Created")]
    [TestCase("Quoted")]
    [TestCase("Confirmed")]
    public async Task A_push_interrupted_after_each_step_ends_with_exactly_one_confirmed_sale(string step)
    {
        var interruptedAfter = Enum.Parse<SaleStep>(step);
        var rng = new Random(World.Seed + (int)interruptedAfter);
        for (var round = 0; round < 2; round++)
        {
            var store = World.Stores[rng.Next(World.Stores.Count)];
            var order = NewOrder(store.Code, TrytonSeed.WarehouseCode,
                [.. World.CodedProducts.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4))], rng);
            using (var crashing = NewAdapter(StoresByCategory))
                await crashing.PushOrderAsync(order, interruptedAfter, default); // then the process "dies"

            // After the restart: what OrderPushService does — find first, push only when absent.
            using var fresh = NewAdapter(StoresByCategory);
            var found = await fresh.FindOrderAsync(order.OrderNumber, default);
            var pushed = found ?? await fresh.PushOrderAsync(order, default);
            var again = await fresh.FindOrderAsync(order.OrderNumber, default) ?? await fresh.PushOrderAsync(order, default);

            var sales = await SalesWithReferenceAsync(order.OrderNumber);
            Assert.That(sales, Has.Count.EqualTo(1), $"seed {World.Seed}: one sale for {order.OrderNumber}");
            Assert.That(sales[0].String("state"), Is.AnyOf("confirmed", "processing"), $"interrupted after {interruptedAfter}");
            Assert.That(pushed.ErpOrderId, Is.EqualTo(sales[0].Id.ToString()));
            Assert.That(again.ErpOrderId, Is.EqualTo(pushed.ErpOrderId));
        }
    }

    [Test]
    public async Task A_price_other_than_Tryton_s_is_an_issue_and_the_setting_decides_which_price_the_sale_keeps()
    {
        var store = World.StoresWithList.First();
        var product = World.CodedProducts.First();
        var tryton = await SaleLinePriceAsync(store.PartyId, store.PriceList!.Value, product.Id, 3);
        var trytonFen = Fen(tryton);
        var wrongFen = trytonFen + 123;

        foreach (var (mode, expectedPrice) in new[] { (TrytonPriceMismatch.KeepOrderPrice, wrongFen / 100m), (TrytonPriceMismatch.UseTrytonPrice, tryton) })
        {
            using var adapter = NewAdapter(o => o with { PriceMismatch = mode });
            var order = NewOrder(store.Code, TrytonSeed.WarehouseCode, product) with { Lines = [new ErpOrderLine(product.Code!, 3, wrongFen)] };
            var pushed = await adapter.PushOrderAsync(order, default);
            Assert.That(pushed.Warnings, Has.Count.EqualTo(1).And.Some.Contains(product.Code!), mode.ToString());
            var sale = (await SalesWithReferenceAsync(order.OrderNumber)).Single();
            var line = (await Client.ReadAsync("sale.line", sale.Ids("lines"), ["unit_price"], default)).Single();
            Assert.That(line.DecimalOrNull("unit_price"), Is.EqualTo(expectedPrice), mode.ToString());
        }
        using var refusing = NewAdapter(o => o with { PriceMismatch = TrytonPriceMismatch.Refuse });
        var refused = NewOrder(store.Code, TrytonSeed.WarehouseCode, product) with { Lines = [new ErpOrderLine(product.Code!, 3, wrongFen)] };
        Assert.ThrowsAsync<ErpRejectedException>(() => refusing.PushOrderAsync(refused, default));
        Assert.That(await SalesWithReferenceAsync(refused.OrderNumber), Is.Empty);

        using var gifting = NewAdapter(o => o with { PriceMismatch = TrytonPriceMismatch.Refuse });
        var gift = NewOrder(store.Code, TrytonSeed.WarehouseCode, product) with
            { Lines = [new ErpOrderLine(product.Code!, 3, trytonFen), new ErpOrderLine(product.Code!, 1, 0)] };
        Assert.That((await gifting.PushOrderAsync(gift, default)).Warnings, Is.Null, "a gift at 0 (买赠) is no mismatch, even under Refuse");

        using var matching = NewAdapter();
        var right = NewOrder(store.Code, TrytonSeed.WarehouseCode, product) with { Lines = [new ErpOrderLine(product.Code!, 3, trytonFen)] };
        Assert.That((await matching.PushOrderAsync(right, default)).Warnings, Is.Null, "same price: nothing to say");
    }

    /// <summary>Yuan → fen as OrderHub takes Tryton's prices (half-up).</summary>
    private static long Fen(decimal yuan) => ErpMoney.ToFen(yuan, SubFenPolicy.Round, out _)!.Value;

    private static ErpOrder NewOrder(string customer, string warehouse, RandomProduct product) => NewOrder(customer, warehouse, [product], new Random(1));

    private static ErpOrder NewOrder(string customer, string warehouse, IReadOnlyList<RandomProduct> products, Random rng) => new(
        OrderNumber: "OH-" + Guid.NewGuid().ToString("N")[..10],
        CustomerCode: customer,
        WarehouseCode: warehouse,
        Lines: products.Select(p => new ErpOrderLine(p.Code!, rng.Next(1, 30), (long)Math.Round(p.ListPrice * 100m))).ToList(),
        DeliveryAddress: "苏州市测试路 1 号",
        Note: null);
}
