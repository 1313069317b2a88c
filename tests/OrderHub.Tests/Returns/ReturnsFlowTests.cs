using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Media;
using OrderHub.Tests.Payments;
using SkiaSharp;

namespace OrderHub.Tests.Returns;

/// <summary>
/// 退货 / 退款 end to end over HTTP on both databases: a store asks with photos, the clerk reviews, the warehouse receives
/// what came (stock back), finance credits and refunds (WeChat Pay against the fake, or the prepaid balance); roles,
/// over-returns and retries; every yuan once in the ledger. Figures are set on the order by hand: one line of 6 × ¥19.99
/// (11994 fen) with a 满减 of ¥10.00, total 10994 fen.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ReturnsFlowTests(string kind)
{
    private PaymentsWorld _w = null!;
    private HttpClient _admin = null!, _clerk = null!, _warehouse = null!, _finance = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _w = await PaymentsWorld.StartAsync(kind);
        _admin = await _w.Host.StaffAsync("admin");
        _clerk = await _w.Host.StaffAsync("clerk");
        _warehouse = await _w.Host.StaffAsync("warehouse");
        _finance = await _w.Host.StaffAsync("finance");
    }

    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    private sealed record Order(string OrderNo, long OrderId, long LineId, long ProductId, long WarehouseId, long CustomerId, HttpClient Store);

    /// <summary>An order of the store set to one line of 6 × 1999 fen, 满减 1000: total 10994 fen.</summary>
    private async Task<Order> OrderAsync()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, orderId, _) = await _w.PlaceOrderAsync(store, customerId, times: 2);
        var lineId = await _w.Host.Scalar<long>("SELECT MIN(id) FROM order_lines WHERE order_id = @orderId", new { orderId });
        await _w.Host.Exec("DELETE FROM order_lines WHERE order_id = @orderId AND id <> @lineId", new { orderId, lineId });
        await _w.Host.Exec("UPDATE order_lines SET quantity = 6, unit_price_fen = 1999, amount_fen = 11994, is_gift = FALSE WHERE id = @lineId", new { lineId });
        await _w.Host.Exec("UPDATE orders SET goods_fen = 11994, discount_fen = 1000, total_fen = 10994 WHERE id = @orderId", new { orderId });
        var productId = await _w.Host.Scalar<long>("SELECT product_id FROM order_lines WHERE id = @lineId", new { lineId });
        var warehouseId = await _w.Host.Scalar<long>("SELECT warehouse_id FROM orders WHERE id = @orderId", new { orderId });
        return new Order(orderNo, orderId, lineId, productId, warehouseId, customerId, store);
    }

    private async Task ShipAsync(Order o)
    {
        await HttpAssert.Ok(await _admin.PostAsync($"/api/admin/orders/{o.OrderId}/approve-sales", null));
        await HttpAssert.Ok(await _admin.PostAsJsonAsync($"/api/admin/orders/{o.OrderId}/approve-finance", new { @override = true, note = "test" }));
        await HttpAssert.Ok(await _admin.PostAsync($"/api/admin/orders/{o.OrderId}/ship", null));
    }

    private async Task<string> PayByWeChatAsync(Order o)
    {
        var start = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(o.Store, $"/api/orders/{o.OrderNo}/payments", new { useBalanceFen = 0 }, "pay-" + o.OrderNo));
        var outTradeNo = PaymentsWorld.OutTradeNo(start);
        Assert.That(_w.Pay.Order(outTradeNo)!.Total, Is.EqualTo(10994));
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        return outTradeNo;
    }

    private static Task<HttpResponseMessage> Ask(HttpClient client, string url, object body, string key) => PaymentsWorld.PostKeyed(client, url, body, key);

    private async Task<long> OnHandAsync(Order o) =>
        await _w.Host.Scalar<long>("SELECT on_hand FROM stock WHERE product_id = @ProductId AND warehouse_id = @WarehouseId", new { o.ProductId, o.WarehouseId });

    private async Task<long> LedgerSumAsync(long customerId) =>
        await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @customerId", new { customerId });

    private static long ReturnLineId(JsonElement ret) => ret.GetProperty("lines")[0].GetProperty("id").GetInt64();

    private async Task<JsonElement> ReceiveAsync(long id, long lineId, long qty, string key, HttpClient? who = null) =>
        await HttpAssert.Ok(await Ask(who ?? _warehouse, $"/api/admin/returns/{id}/receive", new { lines = new[] { new { returnLineId = lineId, receivedQuantity = qty } } }, key));

    [Test]
    public async Task A_paid_order_returned_in_two_goes_is_reviewed_received_credited_and_refunded_by_WeChat_Pay_to_the_fen_of_its_total()
    {
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            var o = await OrderAsync();
            var outTradeNo = await PayByWeChatAsync(o);

            // not shipped yet: no return
            await HttpAssert.Problem(await Ask(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 1 } }, reason = "破损" }, "early"), 409);
            await ShipAsync(o);
            var ledgerAfterShipping = await LedgerSumAsync(o.CustomerId);
            var onHandAfterShipping = await OnHandAsync(o);

            var returnable = await HttpAssert.Ok(await o.Store.GetAsync($"/api/orders/{o.OrderNo}/returnable"));
            Assert.That(returnable.GetProperty("lines")[0].GetProperty("returnableQuantity").GetInt64(), Is.EqualTo(6));

            var photo = await HttpAssert.Ok(await o.Store.SendAsync(TestImages.Upload("/api/returns/photos", TestImages.Make(SKEncodedImageFormat.Jpeg, 640, 480, SKColors.Brown), "ph-" + o.OrderNo)));
            var ask = new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 4 } }, reason = "外箱破损，4 件漏液", photoIds = new[] { photo.GetProperty("id").GetInt64() } };
            var created = await Ask(o.Store, "/api/returns", ask, "ret-1-" + o.OrderNo);
            Assert.That((int)created.StatusCode, Is.EqualTo(201));
            var ret = await HttpAssert.Ok(created);
            var id = ret.GetProperty("id").GetInt64();
            Assert.That(ret.GetProperty("status").GetString(), Is.EqualTo("pending_review"));
            Assert.That(ret.GetProperty("requestedFen").GetInt64(), Is.EqualTo(7330), "4 of 6: goods 7996, less floor(1000 × 7996 / 11994) = 666 of the 满减");
            Assert.That(ret.GetProperty("photos")[0].GetProperty("thumbnailUrl").GetString(), Does.Contain("/media/"));
            // the same request again (a retry) is the same return
            var again = await Ask(o.Store, "/api/returns", ask, "ret-1-" + o.OrderNo);
            Assert.That(again.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That((await HttpAssert.Ok(again)).GetProperty("id").GetInt64(), Is.EqualTo(id));

            // only 2 are left to ask for
            var over = await HttpAssert.Problem(await Ask(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 3 } }, reason = "再退" }, "ret-over"), 409);
            Assert.That(over.GetProperty("returnableQuantity").GetInt64(), Is.EqualTo(2));
            Assert.That(over.GetProperty("detail").GetString(), Does.Contain("最多还能退 2").And.Contain("at most 2"));

            // roles: the warehouse does not review, the clerk does not receive, a store cannot reach the back office
            await HttpAssert.Problem(await _warehouse.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }), 403);
            await HttpAssert.Problem(await o.Store.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }), 403);
            ret = await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { reason = "照片属实" }));
            Assert.That(ret.GetProperty("status").GetString(), Is.EqualTo("pending_receipt"));
            await HttpAssert.Problem(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }), 409);
            await HttpAssert.Problem(await o.Store.PostAsJsonAsync($"/api/returns/{id}/cancel", new { reason = "算了" }), 409);
            var lineId = ReturnLineId(ret);
            await HttpAssert.Problem(await Ask(_clerk, $"/api/admin/returns/{id}/receive", new { lines = new[] { new { returnLineId = lineId, receivedQuantity = 3 } } }, "rc-clerk"), 403);
            await HttpAssert.Problem(await Ask(_warehouse, $"/api/admin/returns/{id}/receive", new { lines = new[] { new { returnLineId = lineId, receivedQuantity = 5 } } }, "rc-5"), 422);

            // 3 of the 4 came back: on hand up by 3, once, even when the warehouse presses twice
            ret = await ReceiveAsync(id, lineId, 3, "rc-" + id);
            await ReceiveAsync(id, lineId, 3, "rc-" + id);
            Assert.That(ret.GetProperty("status").GetString(), Is.EqualTo("pending_refund"));
            Assert.That(await OnHandAsync(o), Is.EqualTo(onHandAfterShipping + 3));

            await HttpAssert.Problem(await Ask(_warehouse, $"/api/admin/returns/{id}/refund", new { }, "rf-wh"), 403);
            ret = await HttpAssert.Ok(await Ask(_finance, $"/api/admin/returns/{id}/refund", new { }, "rf-" + id));
            var replay = await Ask(_finance, $"/api/admin/returns/{id}/refund", new { }, "rf-" + id);
            Assert.That(replay.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That(ret.GetProperty("status").GetString(), Is.EqualTo("completed"));
            // 3 of 6: goods 5997, 满减 share 500 → credit 5497; all of it paid by WeChat, so all of it goes back
            Assert.That(ret.GetProperty("creditFen").GetInt64(), Is.EqualTo(5497));
            Assert.That(ret.GetProperty("refundFen").GetInt64(), Is.EqualTo(5497));
            Assert.That(ret.GetProperty("refunds")[0].GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(_w.Pay.Order(outTradeNo)!.Refunded, Is.EqualTo(5497));
            Assert.That(ret.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "request", "approve", "receive", "refund" }));

            // the rest (3) in a second return: credit 11994 - 5997 = 5997 less the other 500 of the 满减 = 5497
            var ret2 = await HttpAssert.Ok(await Ask(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 3 } }, reason = "也坏了" }, "ret-2-" + o.OrderNo));
            var id2 = ret2.GetProperty("id").GetInt64();
            await HttpAssert.Ok(await _admin.PostAsJsonAsync($"/api/admin/returns/{id2}/approve", new { }));
            await ReceiveAsync(id2, ReturnLineId(ret2), 3, "rc-" + id2);
            ret2 = await HttpAssert.Ok(await Ask(_finance, $"/api/admin/returns/{id2}/refund", new { }, "rf-" + id2));
            Assert.That(ret2.GetProperty("creditFen").GetInt64(), Is.EqualTo(5497));
            Assert.That(_w.Pay.Order(outTradeNo)!.Refunded, Is.EqualTo(10994), "the whole total back, not a fen more");
            Assert.That(await OnHandAsync(o), Is.EqualTo(onHandAfterShipping + 6));

            // ledger: -5497 -5497 (returns) +5497 +5497 (WeChat refunds): back where it was after shipping and paying
            var rows = await RowsAsync(o.OrderId);
            Assert.That(rows.Where(r => r.Kind == "return").Select(r => r.AmountFen), Is.EqualTo(new[] { -5497L, -5497L }));
            Assert.That(rows.Where(r => r.Kind == "refund").Sum(r => r.AmountFen), Is.EqualTo(10994));
            Assert.That(await LedgerSumAsync(o.CustomerId), Is.EqualTo(ledgerAfterShipping));
            Assert.That(rows.Sum(r => r.AmountFen), Is.EqualTo(0), "order +10994, payment -10994, returns -10994, refunds +10994");
            var statement = await HttpAssert.Ok(await _finance.GetAsync($"/api/admin/customers/{o.CustomerId}/statement"));
            Assert.That(statement.GetRawText(), Does.Contain("退货"));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }

    private async Task<List<(string Kind, long AmountFen)>> RowsAsync(long orderId)
    {
        await using var c = await _w.Host.Db.OpenAsync();
        return (await c.QueryAsync<(string, long)>("SELECT kind, amount_fen FROM ledger_entries WHERE order_id = @orderId ORDER BY id", new { orderId })).ToList();
    }

    [Test]
    public async Task An_order_paid_from_the_prepaid_balance_gets_the_return_back_on_the_balance_and_every_yuan_is_in_the_ledger_once()
    {
        var o = await OrderAsync();
        var ledgerBefore = await LedgerSumAsync(o.CustomerId);
        var prepaidBefore = await _w.PrepaidSumAsync(o.CustomerId);
        await HttpAssert.Ok(await Ask(_finance, $"/api/admin/customers/{o.CustomerId}/prepaid/transfers", new { amountFen = 10994, reference = "BANK-RT", note = "转账" }, "tr-" + o.OrderNo));
        var paid = await HttpAssert.Ok(await Ask(o.Store, $"/api/orders/{o.OrderNo}/payments", new { useBalanceFen = 10994 }, "bal-" + o.OrderNo));
        Assert.That(paid.GetProperty("balancePaidFen").GetInt64(), Is.EqualTo(10994));
        await ShipAsync(o);

        var ret = await HttpAssert.Ok(await Ask(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 6 } }, reason = "整单退" }, "ret-" + o.OrderNo));
        var id = ret.GetProperty("id").GetInt64();
        await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }));
        await ReceiveAsync(id, ReturnLineId(ret), 6, "rc-" + id);
        ret = await HttpAssert.Ok(await Ask(_finance, $"/api/admin/returns/{id}/refund", new { }, "rf-" + id));
        Assert.That(ret.GetProperty("creditFen").GetInt64(), Is.EqualTo(10994));
        Assert.That(ret.GetProperty("refundFen").GetInt64(), Is.EqualTo(10994));

        // prepaid: +10994 transfer, -10994 order, +10994 back = 10994; ledger: -10994 transfer, +10994 order, -10994 return
        Assert.That(await _w.PrepaidSumAsync(o.CustomerId) - prepaidBefore, Is.EqualTo(10994));
        Assert.That((await HttpAssert.Ok(await o.Store.GetAsync("/api/prepaid"))).GetProperty("balanceFen").GetInt64(), Is.EqualTo(prepaidBefore + 10994));
        Assert.That(await LedgerSumAsync(o.CustomerId) - ledgerBefore, Is.EqualTo(-10994), "the store is owed exactly what sits on its balance");
        Assert.That(await _w.Host.Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE order_id = @OrderId AND kind = 'refund'", new { o.OrderId }), Is.EqualTo(0),
            "a balance refund is a balance movement, not a second ledger row");
    }

    [Test]
    public async Task An_unpaid_order_on_credit_gets_only_a_ledger_credit_and_an_agent_asks_for_its_own_store_only()
    {
        var o = await OrderAsync();
        await ShipAsync(o);
        var ledgerAfterShipping = await LedgerSumAsync(o.CustomerId);
        var agentCode = await _w.Host.Scalar<string>("SELECT a.code FROM customers c JOIN agents a ON a.id = c.agent_id WHERE c.id = @CustomerId", new { o.CustomerId });
        var agent = await _w.Host.AgentAsync(agentCode);
        var otherCode = await _w.Host.Scalar<string>("SELECT MIN(code) FROM agents WHERE code <> @agentCode", new { agentCode });
        var other = await _w.Host.AgentAsync(otherCode);
        var ask = new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 2 } }, reason = "临期" };
        await HttpAssert.Problem(await Ask(other, "/api/agent/returns", ask, "ag-other"), 404);
        var ret = await HttpAssert.Ok(await Ask(agent, "/api/agent/returns", ask, "ag-" + o.OrderNo));
        var id = ret.GetProperty("id").GetInt64();
        await HttpAssert.Problem(await other.GetAsync($"/api/agent/returns/{id}"), 404);
        // the store sees it among its returns
        var mine = await HttpAssert.Ok(await o.Store.GetAsync("/api/returns"));
        Assert.That(mine.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Contain(id));

        await HttpAssert.Problem(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/reject", new { }), 400);
        await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }));
        // approved: the outbox carries it to the ERP once (the demo ERP accepts returns), found-before-pushed on a second run
        var push = _w.Host.Services.GetRequiredService<OrderHub.Application.Sync.OrderPushService>();
        // (the outbox also holds this host's orders; run the push until this return's row has its turn)
        for (var i = 0; i < 40 && await _w.Host.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE topic = 'erp.push_return' AND aggregate_id = @id AND status = 'pending'", new { id }) > 0; i++)
            await push.PushDueAsync();
        await push.PushDueAsync();
        Assert.That(await _w.Host.Scalar<string>("SELECT status || ' ' || COALESCE(last_error, '') FROM outbox WHERE topic = 'erp.push_return' AND aggregate_id = @id", new { id }), Does.StartWith("sent"));
        var returnNo = ret.GetProperty("returnNo").GetString();
        Assert.That(await _w.Host.Scalar<string>("SELECT erp_return_id FROM return_requests WHERE id = @id", new { id }), Is.EqualTo("DEMO-" + returnNo));
        Assert.That(await _w.Host.Scalar<long>($"SELECT COUNT(*) FROM outbox WHERE topic = 'erp.push_return' AND aggregate_id = @id AND status = 'sent'", new { id }), Is.EqualTo(1));
        var pushedEvents = (await HttpAssert.Ok(await agent.GetAsync($"/api/agent/returns/{id}"))).GetProperty("events").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "erp_pushed");
        Assert.That(pushedEvents, Is.EqualTo(1));
        await ReceiveAsync(id, ReturnLineId(ret), 2, "rc-" + id);
        ret = await HttpAssert.Ok(await Ask(_finance, $"/api/admin/returns/{id}/refund", new { }, "rf-" + id));
        // 2 of 6: goods 3998, 满减 share floor(1000 × 3998 / 11994) = 333 → 3665; nothing was paid: no money goes back
        Assert.That(ret.GetProperty("creditFen").GetInt64(), Is.EqualTo(3665));
        Assert.That(ret.GetProperty("refundFen").GetInt64(), Is.EqualTo(0));
        Assert.That(await LedgerSumAsync(o.CustomerId), Is.EqualTo(ledgerAfterShipping - 3665));

        // a store withdraws a request while it waits for review; a rejected or withdrawn one frees its quantities
        var r2 = await HttpAssert.Ok(await Ask(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 4 } }, reason = "再退" }, "r2-" + o.OrderNo));
        await HttpAssert.Ok(await o.Store.PostAsJsonAsync($"/api/returns/{r2.GetProperty("id").GetInt64()}/cancel", new { reason = "不退了" }));
        var left = await HttpAssert.Ok(await o.Store.GetAsync($"/api/orders/{o.OrderNo}/returnable"));
        Assert.That(left.GetProperty("lines")[0].GetProperty("returnableQuantity").GetInt64(), Is.EqualTo(4));
        var counts = await HttpAssert.Ok(await _clerk.GetAsync("/api/admin/returns/counts"));
        Assert.That(counts.EnumerateArray().First(x => x.GetProperty("status").GetString() == "cancelled").GetProperty("count").GetInt64(), Is.GreaterThanOrEqualTo(1));
    }
}
