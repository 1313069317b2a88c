using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Sync.Tryton.Tests.ProductionOnTryton;

namespace OrderHub.Sync.Tryton.Tests;

/// <summary>
/// Go-live as the README says it, on a Tryton this test randomises (products with 4-decimal prices, price lists with lines
/// of every kind, several warehouses, suppliers and contacts among the parties, products without codes): a fresh OrderHub
/// with demo data off and only the bootstrap settings, driven through the API alone. Stores see Tryton's own prices; an
/// order reaches Tryton confirmed at the price the store was shown; shipping it in Tryton ships it in OrderHub.
/// </summary>
[NonParallelizable]
public sealed class GoLiveOnTrytonTests
{
    [Test]
    public async Task A_fresh_install_goes_live_on_a_randomised_Tryton_through_the_API()
    {
        await using var server = await TrytonServer.StartAsync();
        using var rpc = new TrytonJsonRpcClient(server.AdminOptions());
        var seed = new TrytonSeed(rpc);
        await seed.BuildAsync();
        var worldSeed = TrytonRandomWorld.NextSeed();
        TestContext.Progress.WriteLine($"Go-live on a randomised Tryton: seed {worldSeed} (replay with ORDERHUB_TRYTON_SEED={worldSeed})");
        var world = new TrytonRandomWorld(rpc, seed, worldSeed);
        await world.BuildAsync();
        // 成本价 in Tryton (company-dependent, 4 decimals) on every coded product, the seed's and the random world's: the first
        // import brings it as each product's cost.
        var costRnd = new Random(worldSeed);
        var costs = new Dictionary<string, decimal>();
        foreach (var p in await rpc.SearchReadAsync("product.product", [D("code", "!=", null)], ["code"], default))
        {
            costs[p.String("code")!] = decimal.Round(0.5m + costRnd.Next(0, 40_001) / 10_000m, 4);
            await SetCostPriceAsync(rpc, p.Id, costs[p.String("code")!]);
        }

        // Every response of the go-live is checked against the OpenAPI document this Production host generates.
        await using var app = ProductionOnTryton.Start(server.Url, "go-live-2026", new Dictionary<string, string> { ["Erp:Tryton:CustomerRule"] = $"Category:{TrytonRandomWorld.StoreCategory}" });
        var anonymous = app.CreateClient();
        Assert.That((int)(await anonymous.GetAsync("/api/catalog/products")).StatusCode, Is.EqualTo(503), "the catalog waits for the first import");

        var admin = await SignInAsync(app, "/api/auth/staff/login", new { login = "boss", password = "go-live-2026" });
        var connection = await Ok(await admin.PostAsync("/api/admin/go-live/test-connection", null));
        // Connected; the only problem it may report is the random products without a code, which will not sync.
        Assert.That(connection.GetProperty("company").GetString(), Is.Not.Empty, connection.ToString());
        var withoutCode = world.Products.Count(p => p.Code is null);
        Assert.That(connection.GetProperty("problems").EnumerateArray().Select(p => p.GetString()),
            withoutCode == 0 ? Is.Empty : Has.All.Contains("没有编码").And.Exactly(1).Contains($"{withoutCode} "), connection.ToString());
        Assert.That(connection.GetProperty("storeCount").GetInt32(), Is.EqualTo(world.Stores.Count), connection.ToString());

        var import = await Ok(await admin.PostAsync("/api/admin/go-live/import", null));
        var status = import.GetProperty("status");
        Assert.That(status.GetProperty("complete").GetBoolean(), Is.True, import.ToString());
        Assert.That(status.GetProperty("stores").GetInt64(), Is.EqualTo(world.Stores.Count), "only the parties the rule names are stores");

        // People: one agent for every store, from the CSV import; a user with a password for each store on a price list.
        await Ok(await admin.PostAsJsonAsync("/api/admin/agents", new { code = "AG1", name = "业务员甲", mobile = "13800000001", password = "agent-pass-1" }));
        var customers = (await Ok(await admin.GetAsync("/api/admin/customers?limit=200"))).GetProperty("items").EnumerateArray().ToList();
        var csv = string.Join("\n", customers.Select(c => $"{c.GetProperty("code").GetString()},AG1"));
        Assert.That((await Ok(await admin.PostAsJsonAsync("/api/admin/agents/assignments/import", new { csv }))).GetProperty("errors").GetInt32(), Is.Zero);

        var compared = 0;
        var storesOnLists = world.StoresWithList.Take(2).ToList();
        Assert.That(storesOnLists, Is.Not.Empty, "the random world has stores on price lists");
        HttpClient? firstStore = null;
        foreach (var (store, i) in storesOnLists.Select((s, i) => (s, i)))
        {
            var id = customers.Single(c => c.GetProperty("code").GetString() == store.Code).GetProperty("id").GetInt64();
            var mobile = $"1390000000{i}";
            await Ok(await admin.PostAsJsonAsync($"/api/admin/customers/{id}/users", new { name = "店主", mobile, password = "store-pass-1" }));
            var client = await SignInAsync(app, "/api/auth/login", new { mobile, password = "store-pass-1" });
            firstStore ??= client;
            var items = (await Ok(await client.GetAsync("/api/catalog/products?limit=100"))).GetProperty("items").EnumerateArray().ToList();
            foreach (var product in world.CodedProducts)
            {
                var item = items.SingleOrDefault(x => x.GetProperty("sku").GetString() == product.Code);
                Assert.That(item.ValueKind, Is.Not.EqualTo(JsonValueKind.Undefined), $"{product.Code} in {store.Code}'s catalog");
                var tryton = await SaleLinePriceAsync(rpc, seed, store.PartyId, store.PriceList!.Value, product.Id, 1);
                var expectedFen = (long)decimal.Round(tryton * 100m, 0, MidpointRounding.AwayFromZero);
                Assert.That(item.GetProperty("price").GetProperty("fen").GetInt64(), Is.EqualTo(expectedFen),
                    $"{store.Code} × {product.Code}: Tryton charges {tryton}");
                compared++;
            }
        }
        TestContext.Progress.WriteLine($"  compared {compared} store × product prices with Tryton's own sale lines");

        // An order at the shown price reaches Tryton confirmed, and shipping it there ships it here.
        var stocked = (await Ok(await firstStore!.GetAsync("/api/catalog/products?limit=100"))).GetProperty("items").EnumerateArray()
            .First(x => x.GetProperty("stock").TryGetProperty("available", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt64() >= 2);
        var sku = stocked.GetProperty("sku").GetString()!;
        var shownFen = stocked.GetProperty("price").GetProperty("fen").GetInt64();
        await Ok(await firstStore.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 }));
        var addressId = (await Ok(await firstStore.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId }) };
        submit.Headers.Add("Idempotency-Key", $"go-live-{worldSeed}");
        var order = await Ok(await firstStore.SendAsync(submit));
        var orderId = order.GetProperty("summary").GetProperty("id").GetInt64();
        var orderNo = order.GetProperty("summary").GetProperty("orderNo").GetString()!;
        await Ok(await admin.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null));
        await Ok(await admin.PostAsJsonAsync($"/api/admin/orders/{orderId}/approve-finance", new { @override = true }));
        var push = await Ok(await admin.PostAsync("/api/admin/sync/orders/run", null));
        Assert.That(push.GetProperty("sent").GetInt32(), Is.EqualTo(1), push.ToString());

        var sale = (await rpc.SearchReadAsync("sale.sale", [D("reference", "=", orderNo)], ["state", "lines"], default)).Single();
        Assert.That(sale.String("state"), Is.AnyOf("confirmed", "processing"));
        var line = (await rpc.ReadAsync("sale.line", sale.Ids("lines"), ["unit_price"], default)).Single();
        Assert.That((long)decimal.Round(line.DecimalOrNull("unit_price")!.Value * 100m, 0, MidpointRounding.AwayFromZero), Is.EqualTo(shownFen));

        await seed.ShipSaleAsync(sale.Id);
        await Ok(await admin.PostAsync("/api/admin/sync/order-status/run", null));
        var after = await Ok(await firstStore.GetAsync($"/api/orders/{orderNo}"));
        Assert.That(after.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo("shipped"), after.ToString());

        // The shipped line carries Tryton's cost, so the gross profit of the order is the shown price less it (1 unit).
        var costFen = (long)decimal.Round(costs[sku] * 100m, 0, MidpointRounding.AwayFromZero);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        var profit = await Ok(await admin.GetAsync($"/api/admin/reports/gross-profit?from={today}&to={today}&groupBy=product"));
        var row = profit.GetProperty("rows").EnumerateArray().Single();
        Assert.That((row.GetProperty("revenueFen").GetInt64(), row.GetProperty("costFen").GetInt64(), row.GetProperty("grossProfitFen").GetInt64(),
                row.GetProperty("linesWithoutCost").GetInt32()),
            Is.EqualTo((shownFen, costFen, shownFen - costFen, 0)), $"{sku}: Tryton cost {costs[sku]}");
    }

    /// <summary>
    /// Sets a product's cost as a Tryton user would: a plain write while the product has no stock moves; once it has (an
    /// earlier test shipped it), Tryton refuses the write and asks for its "Modify Cost Price" wizard
    /// (product.modify_cost_price: a revision dated today, applied at once for the fixed cost method).
    /// </summary>
    private static async Task SetCostPriceAsync(TrytonJsonRpcClient rpc, int productId, decimal cost)
    {
        try
        {
            await rpc.WriteAsync("product.product", [productId], new() { ["cost_price"] = cost }, default);
        }
        catch (OrderHub.Erp.ErpRejectedException e) when (e.Message.Contains("Modify Cost Price", StringComparison.Ordinal))
        {
            var context = new Dictionary<string, object?> { ["active_model"] = "product.product", ["active_id"] = productId, ["active_ids"] = new[] { productId } };
            var session = ((List<object?>)(await rpc.CallAsync("wizard.product.modify_cost_price.create", [], context, default))!)[0];
            await rpc.CallAsync("wizard.product.modify_cost_price.execute", [session, new Dictionary<string, object?>
            {
                ["start"] = new Dictionary<string, object?>
                {
                    ["date"] = DateOnly.FromDateTime(DateTime.Today),
                    ["cost_price"] = cost.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            }, "modify"], context, default);
            await rpc.CallAsync("wizard.product.modify_cost_price.delete", [session], context, default);
        }
        var read = (await rpc.ReadAsync("product.product", [productId], ["cost_price"], default)).Single().DecimalOrNull("cost_price");
        Assert.That(read, Is.EqualTo(cost), $"Tryton's cost price of product {productId} after setting it");
    }



    /// <summary>What Tryton charges: a sale line's unit price after its product on_change, as the Tryton client fills it.</summary>
    private static async Task<decimal> SaleLinePriceAsync(TrytonJsonRpcClient rpc, TrytonSeed seed, int party, int priceList, int product, long quantity)
    {
        var currency = (await rpc.ReadAsync("company.company", [seed.CompanyId], ["currency"], default)).Single().Int("currency");
        var changes = await rpc.OnChangeAsync("sale.line", "product", new Dictionary<string, object?>
        {
            ["product"] = product, ["quantity"] = (double)quantity, ["company"] = seed.CompanyId,
            ["_parent_sale.party"] = party, ["_parent_sale.price_list"] = priceList, ["_parent_sale.currency"] = currency,
            ["_parent_sale.company"] = seed.CompanyId, ["_parent_sale.sale_date"] = null,
        }, default);
        return (decimal)changes["unit_price"]!;
    }
}
