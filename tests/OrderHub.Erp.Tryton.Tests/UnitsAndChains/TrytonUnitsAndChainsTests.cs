using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Tests.UnitsAndChains;

/// <summary>
/// Units and chains (issue #17) against a real Tryton of its own (its parties and products would upset the shared seed's
/// exact-set assertions): a product sold in a case uom (箱 of a random factor, a 4-decimal list price) comes with its case
/// unit and is pushed in it; parties in sub-categories of the chain category come with their head office's code.
/// </summary>
[NonParallelizable]
public sealed class TrytonUnitsAndChainsTests
{
    private TrytonServer _server = null!;
    private TrytonJsonRpcClient _rpc = null!;
    private TrytonSeed _seed = null!;
    private readonly Random _rng = new(TrytonRandomWorld.NextSeed());

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TrytonServer.StartAsync();
        _rpc = new TrytonJsonRpcClient(_server.AdminOptions());
        _seed = new TrytonSeed(_rpc);
        await _seed.BuildAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _rpc?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    [Test]
    public async Task A_product_sold_in_cases_comes_with_its_case_unit_and_an_order_of_cases_is_a_sale_in_cases()
    {
        var factor = new[] { 6, 12, 24, 36 }[_rng.Next(4)];
        var listPrice = _rng.Next(100, 99_999) / 10_000m + _rng.Next(1, 9);         // e.g. 3.4567: 4 decimals
        TestContext.Progress.WriteLine($"箱 of {factor}, list price {listPrice}");
        var box = await _seed.CreateUnitUomAsync($"箱{factor}", factor);
        var product = await _seed.CreateProductAsync("CASE-001", "可乐 330ml", listPrice, box);
        var issues = new ErpDataIssueList();
        using var adapter = new TrytonErpAdapter(_server.AdminOptions(), issues: issues);

        var (all, _) = await SeededTryton.DrainAsync(adapter.PullProductsAsync, null);
        var cola = all.Single(p => p.Code == "CASE-001");
        // Tryton's case price is list price × factor (4 decimals), rounded half-up once: never the rounded base price × factor.
        var casePriceFen = (long)decimal.Round(listPrice * factor * 100m, 0, MidpointRounding.AwayFromZero);
        Assert.Multiple(() =>
        {
            Assert.That(cola.Unit, Is.EqualTo("Unit"));
            Assert.That(cola.BasePriceFen, Is.EqualTo((long)decimal.Round(listPrice * 100m, 0, MidpointRounding.AwayFromZero)));
            Assert.That(cola.Units, Is.EqualTo(new[] { new ErpProductUnit($"箱{factor}", factor, casePriceFen, box.ToString()) }));
            Assert.That(all.Single(p => p.Code == "TEA-001").Units, Is.Empty, "sold in its base unit: no larger unit");
        });

        // 2 箱 at the case price and 5 loose units at the unit price: one line in the case uom, one in the base uom.
        var order = new ErpOrder($"OH-UNIT-{_rng.Next(100_000)}", "C002", TrytonSeed.WarehouseCode,
            [new ErpOrderLine("CASE-001", 2, casePriceFen, box.ToString()), new ErpOrderLine("CASE-001", 5, cola.BasePriceFen)], null, null);
        var pushed = await adapter.PushOrderAsync(order, default);
        Assert.That(pushed.Warnings, Is.Null, "Tryton prices both lines as OrderHub did");
        var sale = (await _rpc.SearchReadAsync("sale.sale", [D("reference", "=", order.OrderNumber)], ["state", "lines"], default)).Single();
        Assert.That(sale.String("state"), Is.AnyOf("confirmed", "processing"));
        var lines = (await _rpc.ReadAsync("sale.line", sale.Ids("lines"), ["product", "quantity", "unit", "unit_price"], default)).OrderBy(l => l.Id).ToList();
        Assert.That(lines.Select(l => (l.Int("product"), l.Double("quantity"), l.Int("unit"))),
            Is.EqualTo(new[] { (product, 2.0, box), (product, 5.0, _seed.UnitId) }));
        Assert.That(lines[0].DecimalOrNull("unit_price"), Is.EqualTo(casePriceFen / 100m), "the case line at the case price (Tryton's, to the fen)");
        // Tryton's shipment counts base units: 2 × factor + 5.
        var moves = await _rpc.SearchReadAsync("stock.move", [D("origin", "in", lines.Select(l => $"sale.line,{l.Id}").ToList())],
            ["quantity", "uom", "internal_quantity"], default);
        Assert.That(moves.Sum(m => m.Double("internal_quantity")), Is.EqualTo(2.0 * factor + 5));

        // A sale uom that is not a whole number of base units is reported and the product sold in base units.
        var odd = await _seed.CreateUnitUomAsync("六个半", 6.5);
        await _seed.CreateProductAsync("ODD-001", "怪箱", 2.50m, odd);
        var (again, _) = await SeededTryton.DrainAsync(adapter.PullProductsAsync, null);
        Assert.That(again.Single(p => p.Code == "ODD-001").Units, Is.Empty);
        Assert.That(issues.Peek().Select(i => i.Key), Does.Contain("ODD-001"));
    }

    [Test]
    public async Task Parties_in_a_sub_category_of_the_chain_category_are_branches_of_the_party_it_names()
    {
        var chain = await _rpc.CreateOneAsync("party.category", new() { ["name"] = "连锁" }, default);
        var group = await _rpc.CreateOneAsync("party.category", new() { ["name"] = "A级" }, default);
        var hq = $"HQ{_rng.Next(100, 999)}";
        var ofHq = await _rpc.CreateOneAsync("party.category", new() { ["name"] = hq, ["parent"] = chain }, default);
        var branchCount = _rng.Next(2, 4);
        await _seed.CreateStorePartyAsync(hq, "连锁总部", [group]);
        for (var i = 1; i <= branchCount; i++) await _seed.CreateStorePartyAsync($"{hq}-B{i}", $"分店{i}", [ofHq, group]);

        using var chains = new TrytonErpAdapter(_server.AdminOptions() with { ChainCategory = "连锁" });
        var (customers, _) = await SeededTryton.DrainAsync(chains.PullCustomersAsync, null);
        var byCode = customers.ToDictionary(c => c.Code);
        Assert.Multiple(() =>
        {
            for (var i = 1; i <= branchCount; i++)
            {
                Assert.That(byCode[$"{hq}-B{i}"].HeadOfficeCode, Is.EqualTo(hq));
                Assert.That(byCode[$"{hq}-B{i}"].GroupCode, Is.EqualTo("A级"), "the chain's category is no customer group");
            }
            Assert.That(byCode[hq].HeadOfficeCode, Is.EqualTo(ErpCustomer.NoHeadOffice));
            Assert.That(byCode["C002"].HeadOfficeCode, Is.EqualTo(ErpCustomer.NoHeadOffice));
        });

        // Without the setting the adapter says nothing about chains (OrderHub keeps what a person set).
        using var plain = new TrytonErpAdapter(_server.AdminOptions());
        var (unset, _) = await SeededTryton.DrainAsync(plain.PullCustomersAsync, null);
        Assert.That(unset.Select(c => c.HeadOfficeCode), Is.All.Null);
    }
}
