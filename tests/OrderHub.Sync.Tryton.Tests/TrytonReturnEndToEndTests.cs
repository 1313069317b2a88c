using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Sync.Tryton.Tests.ProductionOnTryton;

namespace OrderHub.Sync.Tryton.Tests;

/// <summary>
/// A return (退货) end to end on a real Tryton 6.0, through OrderHub's API alone: a store's order reaches Tryton and is
/// shipped there; the store asks to return part of it; OrderHub approves it and its outbox pushes it — Tryton then has one
/// customer return shipment (read over JSON-RPC) for the returned quantity; Tryton's warehouse receives it and that comes
/// back into OrderHub (the return's ERP status); OrderHub receives and credits it.
/// </summary>
[NonParallelizable]
public sealed class TrytonReturnEndToEndTests
{
    [Test]
    public async Task A_store_s_return_reaches_Tryton_as_one_customer_return_shipment_and_its_receipt_there_comes_back()
    {
        await SeededTryton.StartAsync();
        try
        {
            using var rpc = new TrytonJsonRpcClient(SeededTryton.Server.AdminOptions());
            await using var app = ProductionOnTryton.Start(SeededTryton.Server.Url, "returns-2026");
            var admin = await SignInAsync(app, "/api/auth/staff/login", new { login = "boss", password = "returns-2026" });
            Assert.That((await Ok(await admin.PostAsync("/api/admin/go-live/import", null))).GetProperty("status").GetProperty("complete").GetBoolean(), Is.True);

            // the store (C001: TEA-001 at 78.50 from 10 pieces) orders 12 tea; Tryton gets it and ships it
            var customers = (await Ok(await admin.GetAsync("/api/admin/customers?limit=200"))).GetProperty("items").EnumerateArray().ToList();
            var storeId = customers.Single(c => c.GetProperty("code").GetString() == TrytonSeed.TieredCustomer).GetProperty("id").GetInt64();
            await Ok(await admin.PostAsJsonAsync($"/api/admin/customers/{storeId}/users", new { name = "店主", mobile = "13900000077", password = "store-pass-1" }));
            var store = await SignInAsync(app, "/api/auth/login", new { mobile = "13900000077", password = "store-pass-1" });
            await Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = "TEA-001", quantity = 12 }));
            var addressId = (await Ok(await store.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
            var order = await Ok(await Keyed(store, "/api/orders", new { addressId }, "ret-order-1"));
            var orderId = order.GetProperty("summary").GetProperty("id").GetInt64();
            var orderNo = order.GetProperty("summary").GetProperty("orderNo").GetString()!;
            await Ok(await admin.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null));
            await Ok(await admin.PostAsJsonAsync($"/api/admin/orders/{orderId}/approve-finance", new { @override = true }));
            Assert.That((await Ok(await admin.PostAsync("/api/admin/sync/orders/run", null))).GetProperty("sent").GetInt32(), Is.EqualTo(1));
            var sale = (await rpc.SearchReadAsync("sale.sale", [D("reference", "=", orderNo)], ["state", "party"], default)).Single();
            await SeededTryton.Seed.ShipSaleAsync(sale.Id);
            await Ok(await admin.PostAsync("/api/admin/sync/order-status/run", null));
            Assert.That((await Ok(await store.GetAsync($"/api/orders/{orderNo}"))).GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo("shipped"));

            // the store asks to return 3 of the 12; the clerk approves; the outbox pushes it (twice run: still one document)
            var returnable = await Ok(await store.GetAsync($"/api/orders/{orderNo}/returnable"));
            var orderLineId = returnable.GetProperty("lines")[0].GetProperty("orderLineId").GetInt64();
            var asked = await Ok(await Keyed(store, "/api/returns", new { orderNo, lines = new[] { new { orderLineId, quantity = 3 } }, reason = "外箱破损" }, "ret-ask-1"));
            var returnId = asked.GetProperty("id").GetInt64();
            var returnNo = asked.GetProperty("returnNo").GetString()!;
            await Ok(await admin.PostAsJsonAsync($"/api/admin/returns/{returnId}/approve", new { }));
            Assert.That((await Ok(await admin.PostAsync("/api/admin/sync/orders/run", null))).GetProperty("sent").GetInt32(), Is.EqualTo(1), "the return was pushed");
            await Ok(await admin.PostAsync("/api/admin/sync/orders/run", null));

            var returnSales = await rpc.SearchReadAsync("sale.sale", [D("reference", "=", returnNo)], ["state", "shipment_returns", "shipments", "lines", "party"], default);
            Assert.That(returnSales, Has.Count.EqualTo(1), "one Tryton document for the return");
            Assert.That(returnSales[0].Int("party"), Is.EqualTo(sale.Int("party")), "the store's own party");
            var shipments = returnSales[0].Ids("shipment_returns");
            Assert.That(shipments, Has.Count.EqualTo(1), "one customer return shipment");
            Assert.That(returnSales[0].Ids("shipments"), Is.Empty);
            var shipment = (await rpc.ReadAsync("stock.shipment.out.return", shipments, ["state", "incoming_moves"], default)).Single();
            Assert.That(shipment.String("state"), Is.EqualTo("draft"));
            var moves = await rpc.ReadAsync("stock.move", shipment.Ids("incoming_moves"), ["product", "quantity", "unit_price"], default);
            Assert.That(moves.Select(m => (m.Int("product"), m.Double("quantity"))), Is.EqualTo(new[] { (SeededTryton.Seed.ProductIds["TEA-001"], 3.0) }));
            var lines = await rpc.ReadAsync("sale.line", returnSales[0].Ids("lines"), ["quantity", "unit_price"], default);
            Assert.That(lines.Select(l => (l.Double("quantity"), l.DecimalOrNull("unit_price"))), Is.EqualTo(new[] { (-3.0, (decimal?)78.50m) }), "at the price the store paid");

            // Tryton's warehouse receives the goods; the order-status sync brings it back onto the return
            await Ok(await admin.PostAsync("/api/admin/sync/order-status/run", null));
            Assert.That((await Ok(await admin.GetAsync($"/api/admin/returns/{returnId}"))).GetProperty("erpStatus").GetString(), Is.EqualTo("confirmed"));
            await rpc.ButtonAsync("stock.shipment.out.return", "receive", shipments, default);
            await rpc.ButtonAsync("stock.shipment.out.return", "done", shipments, default);
            await Ok(await admin.PostAsync("/api/admin/sync/order-status/run", null));
            var afterErp = await Ok(await admin.GetAsync($"/api/admin/returns/{returnId}"));
            Assert.That(afterErp.GetProperty("erpStatus").GetString(), Is.EqualTo("received"));
            Assert.That(afterErp.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "erp_status" && e.GetProperty("note").GetString()!.Contains("ERP 已收到退货")), Is.EqualTo(1));

            // OrderHub's warehouse counts it and finance credits it: 3 × 78.50 = 235.50 on the store's account (nothing was paid online)
            var returnLineId = afterErp.GetProperty("lines")[0].GetProperty("id").GetInt64();
            await Ok(await Keyed(admin, $"/api/admin/returns/{returnId}/receive", new { lines = new[] { new { returnLineId, receivedQuantity = 3 } } }, "ret-recv-1"));
            var refunded = await Ok(await Keyed(admin, $"/api/admin/returns/{returnId}/refund", new { }, "ret-refund-1"));
            Assert.That(refunded.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(refunded.GetProperty("creditFen").GetInt64(), Is.EqualTo(23_550));
            Assert.That(await rpc.SearchAsync("sale.sale", [D("reference", "=", returnNo)], default), Has.Count.EqualTo(1), "still one Tryton document");
        }
        finally
        {
            await SeededTryton.StopAsync();
        }
    }

    private static Task<HttpResponseMessage> Keyed(HttpClient client, string url, object body, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(req);
    }


}
