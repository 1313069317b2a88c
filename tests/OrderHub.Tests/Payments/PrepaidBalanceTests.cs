using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Payments;

/// <summary>
/// 预存款: finance books transfers, stores top up by WeChat Pay and pay orders from the balance (all or part), refunds go
/// back where the money came from; every yuan is in the ledger once; balance = sum of movements under parallel load;
/// online payments listed for the ERP and not counted twice when the ERP's payments feed brings them back.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class PrepaidBalanceTests(string kind)
{
    private PaymentsWorld _w = null!;

    [OneTimeSetUp] public async Task Start() => _w = await PaymentsWorld.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    private async Task<JsonElement> TransferAsync(long customerId, long amountFen, string key, int expect = 201)
    {
        var finance = await _w.Host.StaffAsync("finance");
        var res = await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen, reference = "BANK-" + key, note = "转账" }, key);
        var text = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(expect), text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Test]
    public async Task A_transfer_tops_up_once_and_pays_part_of_an_order_the_rest_by_WeChat_and_cancelling_gives_each_part_back_where_it_came_from()
    {
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            var (store, customerId, _) = await _w.StoreAsync();
            var (orderNo, orderId, total) = await _w.PlaceOrderAsync(store, customerId, times: 2);
            var part = total / 4;
            await TransferAsync(customerId, part, "tr-1");
            await TransferAsync(customerId, part, "tr-1"); // finance pressed twice
            var mine = await HttpAssert.Ok(await store.GetAsync("/api/prepaid"));
            Assert.That(mine.GetProperty("balanceFen").GetInt64(), Is.EqualTo(part));
            Assert.That(mine.GetProperty("movements").GetArrayLength(), Is.EqualTo(1));

            var start = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = total }, "mix-1"));
            Assert.That(start.GetProperty("balancePaidFen").GetInt64(), Is.EqualTo(part));
            var outTradeNo = PaymentsWorld.OutTradeNo(start);
            Assert.That(_w.Pay.Order(outTradeNo)!.Total, Is.EqualTo(total - part), "WeChat Pay is asked for the rest only");
            Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/prepaid"))).GetProperty("balanceFen").GetInt64(), Is.EqualTo(0));
            _w.Pay.Pay(outTradeNo);
            Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
            var paid = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}/payments"));
            Assert.That(paid.GetProperty("paidFen").GetInt64(), Is.EqualTo(total));

            // in the ledger once: the transfer and the WeChat part are received money; paying from the balance is not a second receipt
            var rows = await _w.MoneyRowsAsync(customerId);
            Assert.That(rows.Where(r => r.Kind == "payment").Sum(r => r.AmountFen), Is.EqualTo(-total));

            await HttpAssert.Ok(await store.PostAsJsonAsync($"/api/orders/{orderNo}/cancel", new { reason = "不要了" }));
            await _w.Payments.FollowUpAsync();
            Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/prepaid"))).GetProperty("balanceFen").GetInt64(), Is.EqualTo(part), "the balance part back on the balance");
            Assert.That(_w.Pay.Order(outTradeNo)!.Refunded, Is.EqualTo(total - part), "the WeChat part back to WeChat");
            rows = await _w.MoneyRowsAsync(customerId);
            Assert.That(rows.Where(r => r.Kind == "refund").Sum(r => r.AmountFen), Is.EqualTo(total - part));
            Assert.That(await _w.PrepaidSumAsync(customerId), Is.EqualTo(part));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }

    [Test]
    public async Task A_WeChat_top_up_raises_the_balance_once_and_a_fully_balance_paid_order_needs_no_WeChat_Pay()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = total }, "nobal-1"), 409);

        var top = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, "/api/prepaid/top-ups", new { amountFen = total + 500 }, "top-1"));
        var outTradeNo = PaymentsWorld.OutTradeNo(top);
        Assert.That(top.GetProperty("requestPayment").GetProperty("package").GetString(), Does.StartWith("prepay_id="));
        _w.Pay.Pay(outTradeNo);
        var n = _w.Pay.TransactionNotification(outTradeNo);
        await _w.NotifyAsync(n);
        await _w.NotifyAsync(n);
        var account = await HttpAssert.Ok(await store.GetAsync("/api/prepaid"));
        Assert.That(account.GetProperty("balanceFen").GetInt64(), Is.EqualTo(total + 500));

        var pay = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = total }, "bal-1"));
        Assert.That(pay.GetProperty("balancePaidFen").GetInt64(), Is.EqualTo(total));
        Assert.That(pay.GetProperty("weChatPayment").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var again = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = total }, "bal-1"));
        Assert.That(again.GetProperty("order").GetProperty("paidFen").GetInt64(), Is.EqualTo(total), "a retried request pays nothing twice");
        Assert.That((await HttpAssert.Ok(await store.GetAsync("/api/prepaid"))).GetProperty("balanceFen").GetInt64(), Is.EqualTo(500));
        Assert.That(await _w.PrepaidSumAsync(customerId), Is.EqualTo(500));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Sum(r => r.AmountFen), Is.EqualTo(-(total + 500)), "only the top-up is received money");
    }

    [Test]
    public async Task Parallel_top_ups_and_balance_payments_keep_balance_equal_to_the_movements_and_never_spend_it_twice()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var orders = new List<(string OrderNo, long OrderId, long TotalFen)>();
        for (var i = 0; i < 3; i++) orders.Add(await _w.PlaceOrderAsync(store, customerId));
        // enough for about one and a half orders, arriving in 10 parallel transfers while the store pays every order twice over
        var budget = orders.Max(o => o.TotalFen) * 3 / 2;
        var each = budget / 10;
        var tasks = new List<Task<HttpResponseMessage>>();
        var finance = await _w.Host.StaffAsync("finance");
        for (var i = 0; i < 10; i++)
            tasks.Add(PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = each, reference = $"P-{i}" }, $"par-{i}"));
        foreach (var o in orders)
            for (var k = 0; k < 2; k++)
                tasks.Add(PaymentsWorld.PostKeyed(store, $"/api/orders/{o.OrderNo}/payments", new { useBalanceFen = o.TotalFen }, $"par-pay-{o.OrderId}-{k}"));
        var responses = await Task.WhenAll(tasks);
        foreach (var r in responses)
            Assert.That((int)r.StatusCode, Is.AnyOf(200, 201, 409), await r.Content.ReadAsStringAsync());

        var account = await HttpAssert.Ok(await store.GetAsync("/api/prepaid"));
        var balance = account.GetProperty("balanceFen").GetInt64();
        Assert.That(balance, Is.EqualTo(await _w.PrepaidSumAsync(customerId)));
        Assert.That(balance, Is.GreaterThanOrEqualTo(0));
        var spent = await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE customer_id = @customerId AND method = 'balance' AND status = 'paid'", new { customerId });
        Assert.That(balance, Is.EqualTo(each * 10 - spent));
        foreach (var o in orders)
        {
            var paidFromBalance = await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE order_id = @OrderId AND method = 'balance'", new { o.OrderId });
            Assert.That(paidFromBalance, Is.LessThanOrEqualTo(o.TotalFen), $"order {o.OrderNo} is never paid beyond its total");
        }
        // the transfers are received money in the ledger, once each
        Assert.That((await _w.MoneyRowsAsync(customerId)).Where(r => r.ExternalRef!.StartsWith("topup:")).Sum(r => r.AmountFen), Is.EqualTo(-each * 10));
    }

    [Test]
    public async Task Online_payments_are_listed_to_post_and_the_ERP_feed_bringing_them_back_does_not_book_them_twice()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "erp-1")));
        _w.Pay.Pay(outTradeNo);
        await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo));

        var finance = await _w.Host.StaffAsync("finance");
        var list = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("outTradeNo").GetString()), Does.Contain(outTradeNo));

        // the person posted it in the ERP with our reference; the ERP's payments feed brings it back, beside a bank receipt
        var code = await _w.Host.Scalar<string>("SELECT code FROM customers WHERE id = @customerId", new { customerId });
        var applier = new PaymentApplier(_w.Host.Db, TimeProvider.System);
        var bankRef = "ERP-BANK-" + customerId;
        await applier.ApplyAsync([new ErpPayment(outTradeNo, code, total, DateTimeOffset.UtcNow, "微信收款"), new ErpPayment(bankRef, code, 1234, DateTimeOffset.UtcNow, null)],
            (_, _, _) => Task.CompletedTask, CancellationToken.None);

        await using var c = await _w.Host.Db.OpenAsync();
        var payments = (await c.QueryAsync<(long Amount, string? Reference)>("SELECT amount_fen, reference FROM ledger_entries WHERE customer_id = @customerId AND kind = 'payment'", new { customerId })).ToList();
        Assert.That(payments.Count(p => p.Reference == outTradeNo), Is.EqualTo(1), "booked once, by OrderHub");
        Assert.That(payments.Count(p => p.Reference == bankRef), Is.EqualTo(1), "other ERP receipts still come in");
        list = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("outTradeNo").GetString()), Does.Not.Contain(outTradeNo));
    }

    [Test]
    public async Task Finance_marks_a_payment_posted_and_stores_and_agents_cannot_touch_the_back_office_money_endpoints()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, _) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "post-1")));
        _w.Pay.Pay(outTradeNo);
        await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo));
        var paymentId = await _w.Host.Scalar<long>("SELECT id FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo });

        await HttpAssert.Problem(await store.PostAsJsonAsync($"/api/admin/payments/{paymentId}/posted", new { erpReference = "X" }), 403);
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(store, $"/api/admin/payments/{paymentId}/refunds", new { amountFen = 1 }, "steal-1"), 403);
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(store, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = 100 }, "steal-2"), 403);
        var clerk = await _w.Host.StaffAsync("clerk");
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(clerk, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = 100 }, "steal-3"), 403);

        var finance = await _w.Host.StaffAsync("finance");
        var posted = await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/payments/{paymentId}/posted", new { erpReference = "SK-2026-001" }));
        Assert.That(posted.GetProperty("erpReference").GetString(), Is.EqualTo("SK-2026-001"));
        var list = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()), Does.Not.Contain(paymentId));

        // another store's order is not found, not paid
        var (other, _, _) = await _w.StoreAsync();
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(other, $"/api/orders/{orderNo}/payments", new { }, "other-1"), 404);
        await HttpAssert.Problem(await other.GetAsync($"/api/orders/{orderNo}/payments"), 404);
    }
}
