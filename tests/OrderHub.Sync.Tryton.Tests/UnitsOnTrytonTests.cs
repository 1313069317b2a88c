using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Sync.Tryton.Tests.ProductionOnTryton;

namespace OrderHub.Sync.Tryton.Tests;

/// <summary>
/// Units at go-live on a real Tryton (issue #17), through the API alone: a product a Tryton user set up to be sold in a case
/// uom (箱 = a random number of 'Unit', a 4-decimal list price) shows in a store's catalog with the case at Tryton's case
/// price, and an order of 2 箱 reaches Tryton as a sale line of 2 in the 箱 uom — 2 × factor units leaving the warehouse.
/// </summary>
[NonParallelizable]
public sealed class UnitsOnTrytonTests
{
    [Test]
    public async Task A_case_unit_made_in_Tryton_is_in_the_catalog_and_2_cases_arrive_in_Tryton_as_2_cases()
    {
        var rng = new Random(TrytonRandomWorld.NextSeed());
        var factor = new[] { 6, 12, 24 }[rng.Next(3)];
        var listPrice = rng.Next(100, 99_999) / 10_000m + rng.Next(1, 9);
        TestContext.Progress.WriteLine($"箱 = {factor} Unit, list price {listPrice}");
        await using var server = await TrytonServer.StartAsync();
        using var rpc = new TrytonJsonRpcClient(server.AdminOptions());
        var seed = new TrytonSeed(rpc);
        await seed.BuildAsync();
        var box = await seed.CreateUnitUomAsync("箱", factor);
        await seed.CreateProductAsync("CASE-001", "可乐 330ml", listPrice, box);
        await seed.SetStockAsync("CASE-001", 10 * factor);

        await using var app = ProductionOnTryton.Start(server.Url, "go-live-2026");
        var admin = await SignInAsync(app, "/api/auth/staff/login", new { login = "boss", password = "go-live-2026" });
        var import = await Ok(await admin.PostAsync("/api/admin/go-live/import", null));
        Assert.That(import.GetProperty("status").GetProperty("complete").GetBoolean(), Is.True, import.ToString());

        var customers = (await Ok(await admin.GetAsync("/api/admin/customers?limit=200"))).GetProperty("items").EnumerateArray();
        var id = customers.Single(c => c.GetProperty("code").GetString() == "C002").GetProperty("id").GetInt64();
        await Ok(await admin.PostAsJsonAsync($"/api/admin/customers/{id}/users", new { name = "店主", mobile = "13900000009", password = "store-pass-1" }));
        var store = await SignInAsync(app, "/api/auth/login", new { mobile = "13900000009", password = "store-pass-1" });

        // The catalog: base unit 'Unit' at the rounded list price, 箱 of factor at list price × factor rounded once.
        var item = (await Ok(await store.GetAsync("/api/catalog/products?limit=100"))).GetProperty("items").EnumerateArray()
            .Single(x => x.GetProperty("sku").GetString() == "CASE-001");
        var units = item.GetProperty("units").EnumerateArray().ToList();
        var caseFen = (long)decimal.Round(listPrice * factor * 100m, 0, MidpointRounding.AwayFromZero);
        Assert.That(units.Select(u => (u.GetProperty("name").GetString(), u.GetProperty("factor").GetInt32(), u.GetProperty("price").GetProperty("fen").GetInt64())),
            Is.EqualTo(new[] { ("Unit", 1, (long)decimal.Round(listPrice * 100m, 0, MidpointRounding.AwayFromZero)), ("箱", factor, caseFen) }));

        // 2 箱, ordered and pushed.
        var cart = await Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = "CASE-001", quantity = 2, unit = "箱" }));
        Assert.That(cart.GetProperty("totalFen").GetInt64(), Is.EqualTo(2 * caseFen));
        var addressId = (await Ok(await store.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId }) };
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var summary = (await Ok(await store.SendAsync(submit))).GetProperty("summary");
        var (orderId, orderNo) = (summary.GetProperty("id").GetInt64(), summary.GetProperty("orderNo").GetString()!);
        await Ok(await admin.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null));
        await Ok(await admin.PostAsJsonAsync($"/api/admin/orders/{orderId}/approve-finance", new { @override = true }));
        var push = await Ok(await admin.PostAsync("/api/admin/sync/orders/run", null));
        Assert.That(push.GetProperty("sent").GetInt32(), Is.EqualTo(1), push.ToString());

        var sale = (await rpc.SearchReadAsync("sale.sale", [D("reference", "=", orderNo)], ["state", "lines"], default)).Single();
        var line = (await rpc.ReadAsync("sale.line", sale.Ids("lines"), ["quantity", "unit", "unit_price"], default)).Single();
        Assert.That((line.Double("quantity"), line.Int("unit"), line.DecimalOrNull("unit_price")), Is.EqualTo((2.0, box, (decimal?)(caseFen / 100m))), "2 箱 at the case price the store saw (Tryton computes the same to the fen)");
        var moves = await rpc.SearchReadAsync("stock.move", [D("origin", "=", $"sale.line,{line.Id}")], ["internal_quantity"], default);
        Assert.That(moves.Sum(m => m.Double("internal_quantity")), Is.EqualTo(2.0 * factor), "the warehouse ships 2 × factor units");
    }


}
