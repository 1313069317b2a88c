using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.Payments;

/// <summary>
/// A store pays its order by WeChat Pay against <see cref="FakeWeChatPayServer"/> (real signatures both ways, AES-256-GCM
/// notifications, published error codes), on both databases: booked once in the ledger whatever the notifications do,
/// refunded back to where the money came from.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class WeChatPayTests(string kind)
{
    private PaymentsWorld _w = null!;

    [OneTimeSetUp] public async Task Start() => _w = await PaymentsWorld.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    [Test]
    public async Task Pay_notify_twice_books_once_in_the_ledger_then_a_part_refund_comes_back_once()
    {
        var (store, customerId, openId) = await _w.StoreAsync();
        var (orderNo, orderId, total) = await _w.PlaceOrderAsync(store, customerId);

        var start = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "pay-1"));
        var rp = start.GetProperty("requestPayment");
        var outTradeNo = PaymentsWorld.OutTradeNo(start);
        // what wx.requestPayment gets: the prepay WeChat Pay created for this payer and amount, signed with the merchant key
        var fakeOrder = _w.Pay.Order(outTradeNo)!;
        Assert.That(fakeOrder.Total, Is.EqualTo(total));
        Assert.That(fakeOrder.OpenId, Is.EqualTo(openId));
        Assert.That(rp.GetProperty("package").GetString(), Is.EqualTo("prepay_id=" + fakeOrder.PrepayId));
        Assert.That(rp.GetProperty("signType").GetString(), Is.EqualTo("RSA"));
        Assert.That(rp.GetProperty("appId").GetString(), Is.EqualTo(FakeWeChatPayServer.AppId));
        using (var merchant = RSA.Create())
        {
            merchant.ImportFromPem(_w.Pay.MerchantPrivateKeyPem);
            var message = $"{rp.GetProperty("appId").GetString()}\n{rp.GetProperty("timeStamp").GetString()}\n{rp.GetProperty("nonceStr").GetString()}\n{rp.GetProperty("package").GetString()}\n";
            Assert.That(merchant.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(rp.GetProperty("paySign").GetString()!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True, "paySign");
        }
        Assert.That(_w.Pay.SignErrors, Is.Empty, "every request to WeChat Pay was signed with the merchant key");

        // the same key again: the same payment, no second prepay order
        var again = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "pay-1"));
        Assert.That(PaymentsWorld.OutTradeNo(again), Is.EqualTo(outTradeNo));
        Assert.That(_w.Pay.Orders.Count(o => o.OpenId == openId), Is.EqualTo(1));

        _w.Pay.Pay(outTradeNo);
        var note = _w.Pay.TransactionNotification(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204), "a repeated notification is acknowledged");
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204), "and a re-sent one too");

        var rows = await _w.MoneyRowsAsync(customerId);
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Kind, Is.EqualTo("payment"));
        Assert.That(rows[0].AmountFen, Is.EqualTo(-total));
        Assert.That(rows[0].ExternalRef, Is.EqualTo("wxpay:" + _w.Pay.Order(outTradeNo)!.TransactionId));
        var state = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}/payments"));
        Assert.That(state.GetProperty("paidFen").GetInt64(), Is.EqualTo(total));
        Assert.That(state.GetProperty("outstandingFen").GetInt64(), Is.EqualTo(0));
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "pay-2"), 409);

        // finance refunds a part: WeChat Pay processes it, then says SUCCESS (twice)
        var finance = await _w.Host.StaffAsync("finance");
        var paymentId = state.GetProperty("payments")[0].GetProperty("id").GetInt64();
        var part = total / 3;
        var refund = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/payments/{paymentId}/refunds", new { amountFen = part, reason = "少发一件" }, "refund-1"));
        Assert.That(refund.GetProperty("status").GetString(), Is.EqualTo("processing"));
        var outRefundNo = refund.GetProperty("outRefundNo").GetString()!;
        Assert.That(_w.Pay.Refunds.Single(r => r.OutRefundNo == outRefundNo).Amount, Is.EqualTo(part));
        _w.Pay.CompleteRefund(outRefundNo);
        var refundNote = _w.Pay.RefundNotification(outRefundNo);
        Assert.That((int)(await _w.NotifyAsync(refundNote)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await _w.NotifyAsync(refundNote)).StatusCode, Is.EqualTo(204));
        rows = await _w.MoneyRowsAsync(customerId);
        Assert.That(rows.Where(r => r.Kind == "refund").Select(r => r.AmountFen), Is.EqualTo(new[] { part }));
        // more than what is left is refused before WeChat Pay is asked
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(finance, $"/api/admin/payments/{paymentId}/refunds", new { amountFen = total - part + 1 }, "refund-2"), 409);
        Assert.That(_w.Pay.Refunds.Count(r => r.Transaction.OutTradeNo == outTradeNo), Is.EqualTo(1));

        // the statement shows the payment and the refund
        var statement = await HttpAssert.Ok(await store.GetAsync("/api/statement"));
        var text = statement.ToString();
        Assert.That(text, Does.Contain(outTradeNo).And.Contain(outRefundNo));
    }

    [Test]
    public async Task A_forged_or_foreign_notification_is_refused_with_401_and_books_nothing()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, _) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "forge-1")));
        _w.Pay.Pay(outTradeNo);
        var real = _w.Pay.TransactionNotification(outTradeNo);

        // signed by someone else's key
        using var other = RSA.Create(2048);
        var forgedSig = Convert.ToBase64String(other.SignData(Encoding.UTF8.GetBytes($"{real.Timestamp}\n{real.Nonce}\n{real.Body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await HttpAssert.Problem(await _w.NotifyAsync(real with { Signature = forgedSig }), 401);
        // the body changed after signing
        await HttpAssert.Problem(await _w.NotifyAsync(real with { Body = real.Body.Replace("\"summary\":", "\"summary\": ") }), 401);
        // a serial that is not our platform key's
        await HttpAssert.Problem(await _w.NotifyAsync(real with { Serial = "PUB_KEY_ID_SOMEONE_ELSE" }), 401);
        // an old notification replayed much later
        await HttpAssert.Problem(await _w.NotifyAsync(real with { Timestamp = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600).ToString() }), 401);
        Assert.That(await _w.MoneyRowsAsync(customerId), Is.Empty);
        Assert.That(await _w.Host.Scalar<string>("SELECT status FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo }), Is.EqualTo("pending"));

        Assert.That((int)(await _w.NotifyAsync(real)).StatusCode, Is.EqualTo(204));
        Assert.That(await _w.MoneyRowsAsync(customerId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_missing_notification_is_recovered_by_the_follow_up_query_and_the_late_one_then_books_nothing_more()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, orderId, total) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "late-1")));
        _w.Pay.Pay(outTradeNo); // paid, but WeChat Pay's notification never arrives

        var before = await _w.Payments.FollowUpAsync();
        Assert.That(await _w.Host.Scalar<string>("SELECT status FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo }), Is.EqualTo("pending"), "too young to be queried yet");
        await _w.Host.Exec("UPDATE payments SET created_at = created_at - 60000 WHERE out_trade_no = @outTradeNo", new { outTradeNo });
        var result = await _w.Payments.FollowUpAsync();
        Assert.That(result.Booked, Is.GreaterThanOrEqualTo(1));
        Assert.That(await _w.Host.Scalar<string>("SELECT status FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo }), Is.EqualTo("paid"));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Select(r => r.AmountFen), Is.EqualTo(new[] { -total }));

        // the notification arrives after all (out of order): acknowledged, nothing booked twice
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Select(r => r.AmountFen), Is.EqualTo(new[] { -total }));
        Assert.That(before.Booked, Is.Zero.Or.GreaterThan(0)); // other tests' payments may be followed up too
    }

    [Test]
    public async Task Coming_back_from_wx_requestPayment_the_order_page_asks_WeChat_Pay_and_shows_it_paid()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "back-1")));
        var unpaid = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}/payments"));
        Assert.That(unpaid.GetProperty("outstandingFen").GetInt64(), Is.EqualTo(total));
        _w.Pay.Pay(outTradeNo);
        var paid = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}/payments"));
        Assert.That(paid.GetProperty("outstandingFen").GetInt64(), Is.EqualTo(0));
        Assert.That((await _w.MoneyRowsAsync(customerId)), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_expired_unpaid_payment_is_closed_at_WeChat_Pay_and_can_be_paid_anew()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, _) = await _w.PlaceOrderAsync(store, customerId);
        var first = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "exp-1")));
        await _w.Host.Exec("UPDATE payments SET created_at = created_at - 3600000, expires_at = created_at - 1 WHERE out_trade_no = @first", new { first });
        await _w.Payments.FollowUpAsync();
        Assert.That(_w.Pay.Order(first)!.State, Is.EqualTo("CLOSED"));
        Assert.That(await _w.Host.Scalar<string>("SELECT status FROM payments WHERE out_trade_no = @first", new { first }), Is.EqualTo("closed"));
        var second = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "exp-2")));
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task Cancelling_a_paid_order_refunds_it_and_a_payment_that_lands_after_the_cancellation_is_refunded_too()
    {
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            var (store, customerId, _) = await _w.StoreAsync();
            // paid, then cancelled
            var (orderNo, orderId, total) = await _w.PlaceOrderAsync(store, customerId);
            var no1 = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "cx-1")));
            _w.Pay.Pay(no1);
            await _w.NotifyAsync(_w.Pay.TransactionNotification(no1));
            await HttpAssert.Ok(await store.PostAsJsonAsync($"/api/orders/{orderNo}/cancel", new { reason = "不要了" }));
            // the store pressed pay on another order, cancelled it, and the money still arrived (the notification races the cancellation)
            var (orderNo2, orderId2, total2) = await _w.PlaceOrderAsync(store, customerId);
            var no2 = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo2}/payments", new { }, "cx-2")));
            var cancel = store.PostAsJsonAsync($"/api/orders/{orderNo2}/cancel", new { reason = "下错了" });
            _w.Pay.Pay(no2);
            var notify = _w.NotifyAsync(_w.Pay.TransactionNotification(no2));
            await HttpAssert.Ok(await cancel);
            Assert.That((int)(await notify).StatusCode, Is.EqualTo(204));

            await _w.Payments.FollowUpAsync();

            var rows = await _w.MoneyRowsAsync(customerId);
            foreach (var (id, amount) in new[] { (orderId, total), (orderId2, total2) })
            {
                var mine = rows.Where(r => r.OrderId == id).ToList();
                Assert.That(mine.Where(r => r.Kind == "payment").Sum(r => r.AmountFen), Is.EqualTo(-amount), $"order {id} paid once");
                Assert.That(mine.Where(r => r.Kind == "refund").Sum(r => r.AmountFen), Is.EqualTo(amount), $"order {id} refunded once");
            }
            Assert.That(_w.Pay.Order(no1)!.Refunded, Is.EqualTo(total));
            Assert.That(_w.Pay.Order(no2)!.Refunded, Is.EqualTo(total2));
            // a second pass finds nothing more to do
            await _w.Payments.FollowUpAsync();
            Assert.That(await _w.MoneyRowsAsync(customerId), Has.Count.EqualTo(rows.Count));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }
}
