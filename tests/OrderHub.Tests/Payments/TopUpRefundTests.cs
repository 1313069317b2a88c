using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Payments;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Payments;

/// <summary>
/// Finance refunds a WeChat Pay top-up (预存款充值) back to WeChat Pay (the fake server signs with real keys): never more
/// than the store's unspent balance nor than what is left of the top-up; the balance is debited when the refund is
/// reserved and credited back if WeChat Pay does not refund it; a SUCCESS books one ledger refund and one ERP push (预收款
/// refund); parallel refunds and balance payments never take the balance below zero — on SQLite and PostgreSQL.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class TopUpRefundTests(string kind)
{
    private PaymentsWorld _w = null!;

    [OneTimeSetUp] public async Task Start() => _w = await PaymentsWorld.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    /// <summary>The store tops up by WeChat Pay and WeChat Pay notifies it paid: the top-up's payment id.</summary>
    private async Task<long> TopUpAsync(HttpClient store, long amountFen, string key)
    {
        var top = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, "/api/prepaid/top-ups", new { amountFen }, key));
        var outTradeNo = PaymentsWorld.OutTradeNo(top);
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        return await _w.Host.Scalar<long>("SELECT id FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo });
    }

    /// <summary>Spends exactly <paramref name="spendFen"/> of the balance on an order at least that big (the rest would be WeChat Pay).</summary>
    private async Task SpendAsync(HttpClient store, long customerId, long spendFen, string key)
    {
        var times = 1L;
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        while (total < spendFen) (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId, times *= 2);
        var pay = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = spendFen }, key));
        Assert.That(pay.GetProperty("balancePaidFen").GetInt64(), Is.EqualTo(spendFen));
    }

    private async Task<long> BalanceAsync(HttpClient store) => (await HttpAssert.Ok(await store.GetAsync("/api/prepaid"))).GetProperty("balanceFen").GetInt64();

    private static Task<HttpResponseMessage> RefundAsync(HttpClient finance, long paymentId, long amountFen, string key) =>
        PaymentsWorld.PostKeyed(finance, $"/api/admin/payments/{paymentId}/refunds", new { amountFen, reason = "门店结业退款" }, key);

    private Task<long> OutboxCountAsync(long refundId) => _w.Host.Scalar<long>(
        $"SELECT COUNT(*) FROM outbox WHERE topic = '{Outbox.PushRefund}' AND aggregate_id = @refundId", new { refundId });

    [Test]
    public async Task Top_up_500_spend_123_45_refund_300_online_leaves_76_55_and_every_yuan_is_booked_and_pushed_once()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var topUpId = await TopUpAsync(store, 500_00, "yuan-top");
        await SpendAsync(store, customerId, 123_45, "yuan-spend");
        var finance = await _w.Host.StaffAsync("finance");

        var refund = await HttpAssert.Ok(await RefundAsync(finance, topUpId, 300_00, "yuan-refund"));
        Assert.That(refund.GetProperty("status").GetString(), Is.EqualTo(RefundState.Processing));
        var outRefundNo = refund.GetProperty("outRefundNo").GetString()!;
        var refundId = refund.GetProperty("id").GetInt64();
        Assert.That(await BalanceAsync(store), Is.EqualTo(76_55), "debited while WeChat Pay refunds it");
        var again = await HttpAssert.Ok(await RefundAsync(finance, topUpId, 300_00, "yuan-refund"));
        Assert.That(again.GetProperty("id").GetInt64(), Is.EqualTo(refundId), "a replayed Idempotency-Key is the same refund");
        Assert.That(_w.Pay.Refunds.Count(r => r.OutRefundNo == outRefundNo), Is.EqualTo(1));
        Assert.That(_w.Pay.Refunds.Single(r => r.OutRefundNo == outRefundNo).Amount, Is.EqualTo(300_00), "WeChat Pay asked for 300.00 of the top-up");
        Assert.That(await BalanceAsync(store), Is.EqualTo(76_55));

        // the store sees the debit among its movements
        var movements = (await HttpAssert.Ok(await store.GetAsync("/api/prepaid"))).GetProperty("movements").EnumerateArray()
            .Select(m => (Kind: m.GetProperty("kind").GetString(), Amount: m.GetProperty("amountFen").GetInt64())).ToList();
        Assert.That(movements, Does.Contain((PrepaidKinds.TopUpRefund, -300_00L)));
        Assert.That(movements.Sum(m => m.Amount), Is.EqualTo(76_55));

        Assert.That(await OutboxCountAsync(refundId), Is.EqualTo(0), "nothing for the ERP before WeChat Pay paid it back");
        _w.Pay.CompleteRefund(outRefundNo);
        var note = _w.Pay.RefundNotification(outRefundNo);
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        await _w.Payments.FollowUpAsync(); // the follow-up finds nothing left to do

        Assert.That(await BalanceAsync(store), Is.EqualTo(76_55), "the SUCCESS does not debit a second time");
        var rows = await _w.MoneyRowsAsync(customerId);
        Assert.That(rows.Where(r => r.Kind == "payment").Select(r => r.AmountFen), Is.EqualTo(new[] { -500_00L }), "the top-up in once (paying from the balance is no receipt)");
        Assert.That(rows.Where(r => r.Kind == "refund").Select(r => (r.AmountFen, r.ExternalRef, r.OrderId)),
            Is.EqualTo(new[] { (300_00L, (string?)("wxrefund:" + outRefundNo), (long?)null) }), "out once");
        Assert.That(await OutboxCountAsync(refundId), Is.EqualTo(1));

        var push = _w.Host.Services.GetRequiredService<OrderPushService>();
        for (var i = 0; i < 20 && await _w.Host.Scalar<long>($"SELECT COUNT(*) FROM outbox WHERE topic = '{Outbox.PushRefund}' AND aggregate_id = @refundId AND status = '{OutboxStatus.Pending}'", new { refundId }) > 0; i++)
            await push.PushDueAsync();
        await push.PushDueAsync();
        Assert.That(await _w.Host.Scalar<string>($"SELECT status FROM outbox WHERE topic = '{Outbox.PushRefund}' AND aggregate_id = @refundId", new { refundId }), Is.EqualTo(OutboxStatus.Sent));
        var erp = _w.Host.Services.GetRequiredService<IErpAdapter>();
        Assert.That(await erp.FindRefundAsync(outRefundNo, CancellationToken.None), Is.Not.Null, "the ERP has the 预收款 refund");
        Assert.That(await _w.Host.Scalar<string?>("SELECT erp_reference FROM payment_refunds WHERE id = @refundId", new { refundId }), Is.Not.Null);
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/refunds/to-post"));
        Assert.That(toPost.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Not.Contain(refundId));
    }

    [Test]
    public async Task A_refund_beyond_the_unspent_balance_or_the_top_up_is_a_409_with_the_refundable_amount()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var topUp = Random.Shared.NextInt64(200_00, 900_00) | 1; // odd fen
        var spend = Random.Shared.NextInt64(10_00, 150_00) | 1;
        var topUpId = await TopUpAsync(store, topUp, "over-top");
        await SpendAsync(store, customerId, spend, "over-spend");
        var finance = await _w.Host.StaffAsync("finance");

        var problem = await HttpAssert.Problem(await RefundAsync(finance, topUpId, topUp - spend + 1, "over-1"), 409);
        Assert.That(problem.GetProperty("refundableFen").GetInt64(), Is.EqualTo(topUp - spend));
        Assert.That(problem.GetProperty("balanceFen").GetInt64(), Is.EqualTo(topUp - spend));
        var text = problem.GetRawText();
        Assert.That(text, Does.Contain("可退金额不足").And.Contain("unspent balance"));
        Assert.That(await BalanceAsync(store), Is.EqualTo(topUp - spend), "a refused refund debits nothing");
        var outTradeNo = await _w.Host.Scalar<string>("SELECT out_trade_no FROM payments WHERE id = @topUpId", new { topUpId });
        Assert.That(_w.Pay.Refunds.Where(r => r.Transaction.OutTradeNo == outTradeNo), Is.Empty, "WeChat Pay was not asked");

        // a second, larger top-up: the balance is then more than the first top-up, which still caps its own refund
        var second = Random.Shared.NextInt64(topUp, topUp * 2) | 1;
        await TopUpAsync(store, second, "over-top-2");
        problem = await HttpAssert.Problem(await RefundAsync(finance, topUpId, topUp + 1, "over-2"), 409);
        Assert.That(problem.GetProperty("refundableFen").GetInt64(), Is.EqualTo(topUp), "no more than what is left of that top-up");
        var ok = await HttpAssert.Ok(await RefundAsync(finance, topUpId, topUp, "over-3"));
        Assert.That(ok.GetProperty("amountFen").GetInt64(), Is.EqualTo(topUp));
        Assert.That(await BalanceAsync(store), Is.EqualTo(topUp - spend + second - topUp));
        problem = await HttpAssert.Problem(await RefundAsync(finance, topUpId, 1, "over-4"), 409);
        Assert.That(problem.GetProperty("refundableFen").GetInt64(), Is.EqualTo(0));

    }

    [Test]
    public async Task A_transfer_top_up_finance_paid_back_by_bank_is_recorded_done_at_once_with_one_ledger_refund_and_one_ERP_refund()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var finance = await _w.Host.StaffAsync("finance");
        var amount = Random.Shared.NextInt64(100_00, 400_00) | 1;
        var booked = await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = amount, reference = "BANK-TR" }, "tr-top");
        Assert.That((int)booked.StatusCode, Is.EqualTo(201));
        var trId = JsonDocument.Parse(await booked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var back = Random.Shared.NextInt64(1_00, amount) | 1;
        await HttpAssert.Problem(await RefundAsync(finance, trId, amount + 2, "tr-over"), 409);
        var refund = await HttpAssert.Ok(await RefundAsync(finance, trId, back, "tr-refund"));
        Assert.That(refund.GetProperty("status").GetString(), Is.EqualTo(RefundState.Succeeded), "paid back by bank: done when recorded");
        var again = await HttpAssert.Ok(await RefundAsync(finance, trId, back, "tr-refund"));
        Assert.That(again.GetProperty("id").GetInt64(), Is.EqualTo(refund.GetProperty("id").GetInt64()));
        var refundId = refund.GetProperty("id").GetInt64();
        Assert.That(await BalanceAsync(store), Is.EqualTo(amount - back));
        await using var c = await _w.Host.Db.OpenAsync();
        var refunds = (await c.QueryAsync<long>("SELECT amount_fen FROM ledger_entries WHERE customer_id = @customerId AND kind = 'refund'", new { customerId })).ToList();
        Assert.That(refunds, Is.EqualTo(new[] { back }), "one ledger refund");
        Assert.That(await OutboxCountAsync(refundId), Is.EqualTo(1), "one ERP refund queued");
        Assert.That(_w.Pay.Refunds.Where(r => r.OutRefundNo == refund.GetProperty("outRefundNo").GetString()), Is.Empty, "WeChat Pay is not asked");
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/refunds/to-post"));
        var item = toPost.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == refundId);
        Assert.That(item.GetProperty("method").GetString(), Is.EqualTo(PaymentMethod.Transfer));
        Assert.That(item.GetProperty("amountFen").GetInt64(), Is.EqualTo(back));
    }

    [Test]
    public async Task A_refund_WeChat_Pay_does_not_complete_gives_the_balance_its_money_back_once()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var topUp = Random.Shared.NextInt64(100_00, 500_00) | 1;
        var refundFen = Random.Shared.NextInt64(1_00, topUp) | 1;
        var topUpId = await TopUpAsync(store, topUp, "fail-top");
        var finance = await _w.Host.StaffAsync("finance");
        var refund = await HttpAssert.Ok(await RefundAsync(finance, topUpId, refundFen, "fail-1"));
        var outRefundNo = refund.GetProperty("outRefundNo").GetString()!;
        var refundId = refund.GetProperty("id").GetInt64();
        Assert.That(await BalanceAsync(store), Is.EqualTo(topUp - refundFen));

        _w.Pay.CompleteRefund(outRefundNo, success: false); // ABNORMAL
        var note = _w.Pay.RefundNotification(outRefundNo);
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));

        Assert.That(await BalanceAsync(store), Is.EqualTo(topUp), "the debit is reversed, once");
        var account = await HttpAssert.Ok(await store.GetAsync("/api/prepaid"));
        var kinds = account.GetProperty("movements").EnumerateArray().Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("amountFen").GetInt64())).ToList();
        Assert.That(kinds, Does.Contain((PrepaidKinds.TopUpRefund, -refundFen)).And.Contain((PrepaidKinds.TopUpRefundReversed, refundFen)));
        Assert.That(await _w.PrepaidSumAsync(customerId), Is.EqualTo(topUp));
        Assert.That(await _w.Host.Scalar<string>("SELECT status FROM payment_refunds WHERE id = @refundId", new { refundId }), Is.EqualTo(RefundState.Failed));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Where(r => r.Kind == "refund"), Is.Empty, "no money left: no ledger refund");
        Assert.That(await OutboxCountAsync(refundId), Is.EqualTo(0), "nothing for the ERP");
        // OrderHub offers the whole top-up again, but WeChat Pay still holds the ABNORMAL refund's amount and refuses
        // (NOT_ENOUGH): finance sees a 502 with WeChat's code, and the balance debit of that attempt is undone at once
        var refused = await HttpAssert.Problem(await RefundAsync(finance, topUpId, topUp, "fail-2"), 502);
        Assert.That(refused.GetProperty("code").GetString(), Is.EqualTo("NOT_ENOUGH"));
        Assert.That(await BalanceAsync(store), Is.EqualTo(topUp));
        Assert.That(await _w.PrepaidSumAsync(customerId), Is.EqualTo(topUp));
        Assert.That(await _w.Host.Scalar<long>("SELECT COUNT(*) FROM payment_refunds WHERE payment_id = @topUpId AND status = 'failed'", new { topUpId }), Is.EqualTo(2));
    }

    [Test]
    public async Task Parallel_top_up_refunds_and_balance_payments_never_take_the_balance_below_zero()
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var topUp = Random.Shared.NextInt64(300_00, 800_00) | 1;
        var topUpId = await TopUpAsync(store, topUp, "par-top");
        var orders = new List<(string OrderNo, long OrderId, long TotalFen)>();
        for (var i = 0; i < 3; i++) orders.Add(await _w.PlaceOrderAsync(store, customerId));
        var finance = await _w.Host.StaffAsync("finance");
        var each = topUp * 2 / 5 + 1; // any three of these are more than the top-up
        var tasks = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 5; i++) tasks.Add(RefundAsync(finance, topUpId, each, $"par-refund-{i}"));
        foreach (var o in orders)
            tasks.Add(PaymentsWorld.PostKeyed(store, $"/api/orders/{o.OrderNo}/payments", new { useBalanceFen = o.TotalFen }, $"par-pay-{o.OrderId}"));
        var responses = await Task.WhenAll(tasks);
        foreach (var r in responses)
            Assert.That((int)r.StatusCode, Is.AnyOf(200, 409), await r.Content.ReadAsStringAsync());

        var balance = await BalanceAsync(store);
        Assert.That(balance, Is.GreaterThanOrEqualTo(0));
        Assert.That(balance, Is.EqualTo(await _w.PrepaidSumAsync(customerId)));
        var refunded = await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM payment_refunds WHERE payment_id = @topUpId", new { topUpId });
        var spent = await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE customer_id = @customerId AND method = 'balance' AND status = 'paid'", new { customerId });
        Assert.That(balance, Is.EqualTo(topUp - refunded - spent), "every fen accounted for");
        Assert.That(refunded, Is.LessThanOrEqualTo(each * 2), "at most two of the refunds fit");
        Assert.That(await _w.Host.Scalar<long>("SELECT refunded_fen FROM payments WHERE id = @topUpId", new { topUpId }), Is.EqualTo(refunded));
        var outTradeNo = await _w.Host.Scalar<string>("SELECT out_trade_no FROM payments WHERE id = @topUpId", new { topUpId });
        Assert.That(_w.Pay.Refunds.Where(r => r.Transaction.OutTradeNo == outTradeNo).Sum(r => r.Amount), Is.EqualTo(refunded), "WeChat Pay asked exactly for the refunds reserved");
    }
}
