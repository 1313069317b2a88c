using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Erp.Demo;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Payments;

/// <summary>
/// Money OrderHub took reaches the ERP as a receipt (收款单) through the outbox, once, and the ERP's payments feed bringing
/// it back does not book it a second time — on both databases. With the demo ERP (which takes receipts and books them as
/// its own payments, so its feed returns them) and with an adapter that cannot write receipts (as Tryton 6.0): then the
/// payment is listed for a person to post, and the receipt the person posted is matched by the ERP number they recorded.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ReceiptPushTests(string kind)
{
    private PaymentsWorld _w = null!;

    [OneTimeSetUp] public async Task Start() => _w = await PaymentsWorld.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    private IErpAdapter Erp => _w.Host.Services.GetRequiredService<IErpAdapter>();

    private async Task<(long CustomerId, string Code, string OutTradeNo, long PaymentId, long Total)> PaidOrderAsync(string key)
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, key)));
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        var paymentId = await _w.Host.Scalar<long>("SELECT id FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo });
        var code = await _w.Host.Scalar<string>("SELECT code FROM customers WHERE id = @customerId", new { customerId });
        return (customerId, code, outTradeNo, paymentId, total);
    }

    private Task<string> OutboxAsync(long paymentId) => _w.Host.Scalar<string>(
        $"SELECT status || ' ' || COALESCE(last_error, '') FROM outbox WHERE topic = '{Outbox.PushReceipt}' AND aggregate_id = @paymentId", new { paymentId });

    /// <summary>Runs the push until this payment's row has had its turn (the outbox also holds the host's orders).</summary>
    private async Task PushUntilDoneAsync(OrderPushService push, long paymentId)
    {
        for (var i = 0; i < 40 && (await OutboxAsync(paymentId)).StartsWith(OutboxStatus.Pending); i++)
            await push.PushDueAsync();
    }

    private async Task<List<(string Kind, long AmountFen, string? ExternalRef)>> PaymentRowsAsync(long customerId)
    {
        await using var c = await _w.Host.Db.OpenAsync();
        return (await c.QueryAsync<(string, long, string?)>(
            "SELECT kind, amount_fen, external_ref FROM ledger_entries WHERE customer_id = @customerId AND kind = 'payment' ORDER BY id", new { customerId })).ToList();
    }

    private async Task<int> ErpReceiptsWithAsync(string receiptNumber)
    {
        var found = 0;
        string? cursor = null;
        for (var more = true; more;)
        {
            var page = await Erp.PullPaymentsAsync(cursor, CancellationToken.None);
            found += page.Items.Count(p => p.SourceReference == receiptNumber);
            (cursor, more) = (page.NextCursor, page.HasMore);
        }
        return found;
    }

    [Test]
    public async Task A_WeChat_payment_becomes_one_ERP_receipt_even_after_a_crash_and_the_feed_bringing_it_back_leaves_the_ledger_with_it_once()
    {
        var p = await PaidOrderAsync("rcpt-1");
        Assert.That(await OutboxAsync(p.PaymentId), Does.StartWith(OutboxStatus.Pending), "booking the money queued its receipt in the same transaction");

        // a crash after the ERP committed the receipt but before OrderHub marked the row sent: the ERP already has it
        var erpFirst = await Erp.PushReceiptAsync(new ErpReceipt(p.OutTradeNo, p.Code, p.Total, DateTimeOffset.UtcNow, "wechat",
            ErpReceiptPurpose.Sale, null, null, null, "crashed push"), CancellationToken.None);
        var push = _w.Host.Services.GetRequiredService<OrderPushService>();
        await PushUntilDoneAsync(push, p.PaymentId);
        await push.PushDueAsync(); // a second run finds nothing to do for it

        Assert.That(await OutboxAsync(p.PaymentId), Does.StartWith(OutboxStatus.Sent));
        Assert.That(await ErpReceiptsWithAsync(p.OutTradeNo), Is.EqualTo(1), "found before pushed: one receipt in the ERP");
        Assert.That(await _w.Host.Scalar<string>("SELECT erp_reference FROM payments WHERE id = @PaymentId", new { p.PaymentId }), Is.EqualTo(erpFirst.ErpReceiptId));
        Assert.That(await _w.Host.Scalar<string>("SELECT erp_posted_by FROM payments WHERE id = @PaymentId", new { p.PaymentId }), Is.EqualTo(OrderPushService.ReceiptPostedBy));
        var finance = await _w.Host.StaffAsync("finance");
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        Assert.That(toPost.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Not.Contain(p.PaymentId));

        // the ERP's payments feed brings its receipt back (twice: a full resync): the money is in the ledger once, as OrderHub booked it
        var sync = _w.Host.Services.GetRequiredService<ErpSyncService>();
        await sync.PullToEndAsync(SyncFeed.Payments);
        await sync.PullPaymentsAsync();
        var rows = await PaymentRowsAsync(p.CustomerId);
        Assert.That(rows.Where(r => r.AmountFen == -p.Total).Select(r => r.ExternalRef), Is.EqualTo(new[] { "wxpay:" + _w.Pay.Order(p.OutTradeNo)!.TransactionId }));
        Assert.That(rows.Any(r => r.ExternalRef == "erp:" + erpFirst.ErpReceiptId), Is.False);
    }

    [Test]
    public async Task An_ERP_that_is_down_keeps_the_receipt_queued_and_a_transfer_top_up_reaches_it_as_an_advance_receipt()
    {
        var (_, customerId, _) = await _w.StoreAsync();
        var finance = await _w.Host.StaffAsync("finance");
        var topUp = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers",
            new { amountFen = 50_000, reference = "ICBC-8801" }, "rcpt-tr-1"));
        var paymentId = topUp.GetProperty("id").GetInt64();
        Assert.That(topUp.GetProperty("receiptNo").GetString(), Is.EqualTo("TR" + paymentId));

        var demo = _w.Host.Services.GetRequiredService<DemoErpOptions>();
        var push = _w.Host.Services.GetRequiredService<OrderPushService>();
        demo.Unavailable = true;
        try
        {
            for (var i = 0; i < 40 && await _w.Host.Scalar<long>($"SELECT attempts FROM outbox WHERE topic = '{Outbox.PushReceipt}' AND aggregate_id = @paymentId", new { paymentId }) == 0; i++)
                await push.PushDueAsync();
            Assert.That(await OutboxAsync(paymentId), Does.StartWith(OutboxStatus.Pending).And.Contain("ERP 不可用"), "down: waits to retry");
        }
        finally { demo.Unavailable = false; }
        await _w.Host.Exec($"UPDATE outbox SET next_attempt_at = 0 WHERE topic = '{Outbox.PushReceipt}' AND aggregate_id = @paymentId", new { paymentId });
        await PushUntilDoneAsync(push, paymentId);
        Assert.That(await OutboxAsync(paymentId), Does.StartWith(OutboxStatus.Sent));
        Assert.That(await ErpReceiptsWithAsync("TR" + paymentId), Is.EqualTo(1));

        await _w.Host.Services.GetRequiredService<ErpSyncService>().PullToEndAsync(SyncFeed.Payments);
        var rows = await PaymentRowsAsync(customerId);
        Assert.That(rows.Count(r => r.AmountFen == -50_000), Is.EqualTo(1), "the top-up is in the ledger once");
        Assert.That(rows.Single(r => r.AmountFen == -50_000).ExternalRef, Is.EqualTo("topup:" + paymentId));
    }

    [Test]
    public async Task Without_receipts_in_the_adapter_the_payment_is_listed_to_post_and_what_the_person_posted_is_matched_when_the_feed_brings_it()
    {
        var p = await PaidOrderAsync("rcpt-3");
        // the push with an adapter that keeps the port's receipt defaults, as the Tryton adapter does
        var s = _w.Host.Services;
        var push = new OrderPushService(_w.Host.Db, new NoReceiptsAdapter(Erp), s.GetRequiredService<OutboxLease>(), s.GetRequiredService<ErpOrderBuilder>(),
            s.GetRequiredService<SyncStateStore>(), s.GetRequiredService<OrderPushOptions>(), TimeProvider.System);
        await PushUntilDoneAsync(push, p.PaymentId);
        Assert.That(await OutboxAsync(p.PaymentId), Does.StartWith(OutboxStatus.Cancelled).And.Contain("待过账"), "nothing to send: listed for a person");

        var finance = await _w.Host.StaffAsync("finance");
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        var item = toPost.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == p.PaymentId);
        Assert.That(item.GetProperty("receiptNo").GetString(), Is.EqualTo(p.OutTradeNo));
        Assert.That(item.GetProperty("amountFen").GetInt64(), Is.EqualTo(p.Total));

        // the person enters it in the ERP (bill SK-MAN-<id>) and records that number
        var erpNo = "SK-MAN-" + p.PaymentId;
        var posted = await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/payments/{p.PaymentId}/posted", new { erpReference = erpNo }));
        Assert.That(posted.GetProperty("erpReference").GetString(), Is.EqualTo(erpNo));

        // the ERP's feed brings that bill (without our number on it) and an unrelated bank receipt of the same store
        var applier = new PaymentApplier(_w.Host.Db, TimeProvider.System);
        var bankRef = "BANK-" + p.PaymentId;
        await applier.ApplyAsync([new ErpPayment(erpNo, p.Code, p.Total, DateTimeOffset.UtcNow, "微信收款"), new ErpPayment(bankRef, p.Code, 777, DateTimeOffset.UtcNow, null)],
            (_, _, _) => Task.CompletedTask, CancellationToken.None);
        var rows = await PaymentRowsAsync(p.CustomerId);
        Assert.That(rows.Count(r => r.AmountFen == -p.Total), Is.EqualTo(1), "linked, not booked again");
        Assert.That(rows.Count(r => r.ExternalRef == "erp:" + bankRef), Is.EqualTo(1), "other ERP receipts still come in");

        // a transfer a person posted with our receipt number in the ERP's reference field, before marking it: matched by that number
        var topUp = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{p.CustomerId}/prepaid/transfers", new { amountFen = 30_000 }, "rcpt-tr-3"));
        var topUpId = topUp.GetProperty("id").GetInt64();
        await applier.ApplyAsync([new ErpPayment("SK-MAN-T" + topUpId, p.Code, 30_000, DateTimeOffset.UtcNow, "转账", SourceReference: "TR" + topUpId)],
            (_, _, _) => Task.CompletedTask, CancellationToken.None);
        rows = await PaymentRowsAsync(p.CustomerId);
        Assert.That(rows.Count(r => r.AmountFen == -30_000), Is.EqualTo(1));
        Assert.That(await _w.Host.Scalar<string>("SELECT erp_reference FROM payments WHERE id = @topUpId", new { topUpId }), Is.EqualTo("SK-MAN-T" + topUpId));
        toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/to-post"));
        Assert.That(toPost.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Not.Contain(p.PaymentId).And.Not.Contain(topUpId));
    }

    /// <summary>The host's adapter without receipts: every other call goes through; receipts keep the port's defaults (not supported).</summary>
    private sealed class NoReceiptsAdapter(IErpAdapter inner) : IErpAdapter
    {
        public string Name => "no-receipts";
        public Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct) => inner.PullProductsAsync(cursor, ct);
        public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) => inner.PullStockAsync(cursor, ct);
        public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) => inner.PullPricesAsync(cursor, ct);
        public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) => inner.PullCustomersAsync(cursor, ct);
        public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) => inner.PullPaymentsAsync(cursor, ct);
        public Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct) => inner.FindOrderAsync(orderNumber, ct);
        public Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct) => inner.PushOrderAsync(order, ct);
        public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) => inner.PullOrderStatusAsync(cursor, ct);
    }
}
