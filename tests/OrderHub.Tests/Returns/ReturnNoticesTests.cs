using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Domain;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Payments;

namespace OrderHub.Tests.Returns;

/// <summary>
/// A store's users hear about their return (退货) on both databases: approved, rejected (with the reason), received (with
/// the counted quantities) and refunded (credit and money back) land in 消息; the WeChat subscribe-message dispatch pushes
/// them through the kind's template, except a kind the user switched off in 消息设置 (kept in the list as "held"). The
/// order is set by hand to one line of 6 × ¥19.99 with a 满减 of ¥10.00 (total 10994 fen), paid by WeChat Pay; the number
/// received is random.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ReturnNoticesTests(string kind)
{
    private PaymentsWorld _w = null!;
    private HttpClient _admin = null!, _clerk = null!, _warehouse = null!, _finance = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _w = await PaymentsWorld.StartAsync(kind, new Dictionary<string, string?>
        {
            ["WeChat:Templates:ReturnReceived:TemplateId"] = "TPL_RETURN_RECEIVED",
            ["WeChat:Templates:ReturnReceived:Fields:character_string1"] = "{orderNo}",
            ["WeChat:Templates:ReturnRefunded:TemplateId"] = "TPL_RETURN_REFUNDED",
            ["WeChat:Templates:ReturnRefunded:Page"] = "pages/returns/index",
            ["WeChat:Templates:ReturnRefunded:Fields:character_string1"] = "{orderNo}",
            ["WeChat:Templates:ReturnRefunded:Fields:thing2"] = "{title}",
            ["WeChat:Templates:ReturnRejected:TemplateId"] = "TPL_RETURN_REJECTED",
            ["WeChat:Templates:ReturnRejected:Fields:character_string1"] = "{orderNo}",
        });
        _admin = await _w.Host.StaffAsync("admin");
        _clerk = await _w.Host.StaffAsync("clerk");
        _warehouse = await _w.Host.StaffAsync("warehouse");
        _finance = await _w.Host.StaffAsync("finance");
    }

    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    private async Task<(string OrderNo, long LineId, HttpClient Store, string OpenId, string ProductName)> ShippedPaidOrderAsync()
    {
        var (store, customerId, openId) = await _w.StoreAsync();
        var (orderNo, orderId, _) = await _w.PlaceOrderAsync(store, customerId, times: 2);
        var lineId = await _w.Host.Scalar<long>("SELECT MIN(id) FROM order_lines WHERE order_id = @orderId", new { orderId });
        await _w.Host.Exec("DELETE FROM order_lines WHERE order_id = @orderId AND id <> @lineId", new { orderId, lineId });
        await _w.Host.Exec("UPDATE order_lines SET quantity = 6, unit_price_fen = 1999, amount_fen = 11994, is_gift = FALSE WHERE id = @lineId", new { lineId });
        await _w.Host.Exec("UPDATE orders SET goods_fen = 11994, discount_fen = 1000, total_fen = 10994 WHERE id = @orderId", new { orderId });
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = 0 }, "pay-" + orderNo)));
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        await HttpAssert.Ok(await _admin.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null));
        await HttpAssert.Ok(await _admin.PostAsJsonAsync($"/api/admin/orders/{orderId}/approve-finance", new { @override = true, note = "test" }));
        await HttpAssert.Ok(await _admin.PostAsync($"/api/admin/orders/{orderId}/ship", null));
        var name = await _w.Host.Scalar<string>("SELECT p.name FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.id = @lineId", new { lineId });
        // the user allows each return template once (wx.requestSubscribeMessage), WeChat's side too
        foreach (var (key, tpl) in new[] { ("ReturnReceived", "TPL_RETURN_RECEIVED"), ("ReturnRefunded", "TPL_RETURN_REFUNDED"), ("ReturnRejected", "TPL_RETURN_REJECTED") })
        {
            await HttpAssert.Ok(await store.PostAsJsonAsync("/api/wechat/subscriptions", new { templateKeys = new[] { key }, accepted = new[] { key } }));
            _w.Wx.Fake.AcceptTemplate(openId, tpl);
        }
        return (orderNo, lineId, store, openId, name);
    }

    private static async Task<List<JsonElement>> ReturnMessagesAsync(HttpClient store) =>
        (await HttpAssert.Ok(await store.GetAsync("/api/notifications?limit=50"))).EnumerateArray()
            .Where(m => m.GetProperty("kind").GetString()!.StartsWith("return_")).Reverse().ToList();

    [Test]
    public async Task Approved_received_and_refunded_are_told_with_quantities_and_money_and_a_kind_switched_off_is_not_pushed()
    {
        var o = await ShippedPaidOrderAsync();
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            // the store does not want WeChat pushes for 退货已收货 (the message still lands in its list)
            await HttpAssert.Ok(await o.Store.PutAsJsonAsync("/api/notifications/preferences", new { pushed = new Dictionary<string, bool> { ["return_received"] = false } }));
            var received = (long)Random.Shared.Next(1, 7);
            var ret = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(o.Store, "/api/returns", new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 6 } }, reason = "整箱破损" }, "rn-" + o.OrderNo));
            var id = ret.GetProperty("id").GetInt64();
            var returnNo = ret.GetProperty("returnNo").GetString();
            Assert.That(await ReturnMessagesAsync(o.Store), Is.Empty, "asking tells the store nothing");

            await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/returns/{id}/approve", new { }));
            await HttpAssert.Ok(await PaymentsWorld.PostKeyed(_warehouse, $"/api/admin/returns/{id}/receive",
                new { lines = new[] { new { returnLineId = ret.GetProperty("lines")[0].GetProperty("id").GetInt64(), receivedQuantity = received } } }, "rc-" + id));
            var done = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(_finance, $"/api/admin/returns/{id}/refund", new { }, "rf-" + id));

            // received of 6 × 1999 with a 满减 of 1000 on 11994: credit = 1999 r − floor(1000 × 1999 r / 11994); all of it was paid by WeChat, so all goes back
            var credit = 1999 * received - 1000 * 1999 * received / 11994;
            Assert.That(done.GetProperty("creditFen").GetInt64(), Is.EqualTo(credit));
            var messages = await ReturnMessagesAsync(o.Store);
            Assert.That(messages.Select(m => m.GetProperty("kind").GetString()), Is.EqualTo(new[] { "return_approved", "return_received", "return_refunded" }));
            Assert.That(messages.Select(m => m.GetProperty("orderNo").GetString()), Is.All.EqualTo(o.OrderNo));
            Assert.That(messages[0].GetProperty("title").GetString(), Is.EqualTo("退货审核通过"));
            Assert.That(messages[0].GetProperty("body").GetString(), Is.EqualTo($"退货单 {returnNo}（订单 {o.OrderNo}）已审核通过，请把商品退回仓库。"));
            Assert.That(messages[1].GetProperty("body").GetString(), Does.Contain($"仓库已收货，实收 {o.ProductName} {received}/6"));
            Assert.That(messages[2].GetProperty("body").GetString(),
                Is.EqualTo($"退货单 {returnNo}（订单 {o.OrderNo}）已完成：冲账 {Money.Format(credit)}，退款 {Money.Format(credit)}。"));

            await _w.Wx.Dispatcher.DispatchDueAsync();
            var sent = _w.Wx.Fake.SentMessages.Where(m => m.ToUser == o.OpenId).ToList();
            Assert.That(sent.Select(m => m.TemplateId), Is.EqualTo(new[] { "TPL_RETURN_REFUNDED" }),
                "approved has no template configured here; received is switched off; refunded is pushed");
            Assert.That(sent[0].Page, Is.EqualTo("pages/returns/index"));
            messages = await ReturnMessagesAsync(o.Store);
            Assert.That(messages[1].GetProperty("push").GetString(), Is.EqualTo("held"));
            Assert.That(messages[2].GetProperty("push").GetString(), Is.EqualTo("sent"));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }

    [Test]
    public async Task A_rejection_is_told_with_its_reason_and_a_withdrawal_tells_nobody()
    {
        var o = await ShippedPaidOrderAsync();
        var ask = new { orderNo = o.OrderNo, lines = new[] { new { orderLineId = o.LineId, quantity = 2 } }, reason = "临期" };
        var first = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(o.Store, "/api/returns", ask, "rj-" + o.OrderNo));
        await HttpAssert.Ok(await o.Store.PostAsJsonAsync($"/api/returns/{first.GetProperty("id").GetInt64()}/cancel", new { reason = "不退了" }));
        var second = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(o.Store, "/api/returns", ask, "rj2-" + o.OrderNo));
        await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/returns/{second.GetProperty("id").GetInt64()}/reject", new { reason = "超过退货期限" }));

        var messages = await ReturnMessagesAsync(o.Store);
        Assert.That(messages.Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("body").GetString())),
            Is.EqualTo(new[] { ((string?)"return_rejected", (string?)$"退货单 {second.GetProperty("returnNo").GetString()}（订单 {o.OrderNo}）被驳回：超过退货期限") }));
        await _w.Wx.Dispatcher.DispatchDueAsync();
        Assert.That(_w.Wx.Fake.SentMessages.Where(m => m.ToUser == o.OpenId).Select(m => m.TemplateId), Is.EqualTo(new[] { "TPL_RETURN_REJECTED" }));
    }
}
