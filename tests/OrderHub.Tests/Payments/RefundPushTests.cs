using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Payments;

/// <summary>
/// Money OrderHub paid back (a WeChat Pay refund) reaches the ERP as a receivable refund (收款退款单) through the outbox
/// (<c>erp.push_refund</c>), once, and the ERP's payments feed bringing it back (a negative payment) does not book it a
/// second time — on both databases. With the demo ERP (which books refunds as negative payments of its own, so its feed
/// returns them) and with an adapter that cannot write refunds (as Tryton 6.0): then the refund is listed for a person to
/// post, and what the person posted is matched by the ERP number they recorded.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class RefundPushTests(string kind)
{
    private PaymentsWorld _w = null!;

    [OneTimeSetUp] public async Task Start() => _w = await PaymentsWorld.StartAsync(kind);
    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    private IErpAdapter Erp => _w.Host.Services.GetRequiredService<IErpAdapter>();

    /// <summary>A paid order and a part refund of it (a random share) that WeChat Pay says SUCCESS to (notified twice).</summary>
    private async Task<(long CustomerId, string Code, long RefundId, string OutRefundNo, long RefundFen, long Total)> RefundedAsync(string key)
    {
        var (store, customerId, _) = await _w.StoreAsync();
        var (orderNo, _, total) = await _w.PlaceOrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, key + "-pay")));
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        var paymentId = await _w.Host.Scalar<long>("SELECT id FROM payments WHERE out_trade_no = @outTradeNo", new { outTradeNo });
        var refundFen = Random.Shared.NextInt64(1, total + 1);
        var finance = await _w.Host.StaffAsync("finance");
        var refund = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/payments/{paymentId}/refunds", new { amountFen = refundFen, reason = "少发" }, key + "-refund"));
        var outRefundNo = refund.GetProperty("outRefundNo").GetString()!;
        var refundId = refund.GetProperty("id").GetInt64();
        Assert.That(await OutboxAsync(refundId), Is.Null, "nothing for the ERP while WeChat Pay has not paid it back");
        _w.Pay.CompleteRefund(outRefundNo);
        var note = _w.Pay.RefundNotification(outRefundNo);
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await _w.NotifyAsync(note)).StatusCode, Is.EqualTo(204));
        var code = await _w.Host.Scalar<string>("SELECT code FROM customers WHERE id = @customerId", new { customerId });
        return (customerId, code, refundId, outRefundNo, refundFen, total);
    }

    private Task<string?> OutboxAsync(long refundId) => _w.Host.Scalar<string?>(
        $"SELECT status || ' ' || COALESCE(last_error, '') FROM outbox WHERE topic = '{Outbox.PushRefund}' AND aggregate_id = @refundId", new { refundId });

    private async Task PushUntilDoneAsync(OrderPushService push, long refundId)
    {
        for (var i = 0; i < 40 && ((await OutboxAsync(refundId)) ?? "").StartsWith(OutboxStatus.Pending); i++)
            await push.PushDueAsync();
    }

    private async Task<List<(long AmountFen, string? ExternalRef)>> RefundRowsAsync(long customerId)
    {
        await using var c = await _w.Host.Db.OpenAsync();
        return (await c.QueryAsync<(long, string?)>(
            "SELECT amount_fen, external_ref FROM ledger_entries WHERE customer_id = @customerId AND kind = 'refund' ORDER BY id", new { customerId })).ToList();
    }

    private async Task<List<ErpPayment>> ErpPaymentsWithAsync(string source)
    {
        var found = new List<ErpPayment>();
        string? cursor = null;
        for (var more = true; more;)
        {
            var page = await Erp.PullPaymentsAsync(cursor, CancellationToken.None);
            found.AddRange(page.Items.Where(p => p.SourceReference == source));
            (cursor, more) = (page.NextCursor, page.HasMore);
        }
        return found;
    }

    [Test]
    public async Task A_WeChat_refund_becomes_one_ERP_refund_even_after_a_crash_and_the_feed_bringing_it_back_leaves_the_ledger_with_it_once()
    {
        var r = await RefundedAsync("rfd-1");
        Assert.That(await OutboxAsync(r.RefundId), Does.StartWith(OutboxStatus.Pending), "the SUCCESS queued the refund in the same transaction, once for two notifications");
        Assert.That(await _w.Host.Scalar<long>($"SELECT COUNT(*) FROM outbox WHERE topic = '{Outbox.PushRefund}' AND aggregate_id = @RefundId", new { r.RefundId }), Is.EqualTo(1));

        // a crash after the ERP committed the refund but before OrderHub marked the row sent: the ERP already has it
        var erpFirst = await Erp.PushRefundAsync(new ErpRefund(r.OutRefundNo, "x", r.Code, r.RefundFen, DateTimeOffset.UtcNow, "wechat", ErpReceiptPurpose.Sale,
            null, null, null, null, "crashed push"), CancellationToken.None);
        var push = _w.Host.Services.GetRequiredService<OrderPushService>();
        await PushUntilDoneAsync(push, r.RefundId);
        await push.PushDueAsync();

        Assert.That(await OutboxAsync(r.RefundId), Does.StartWith(OutboxStatus.Sent));
        var inErp = await ErpPaymentsWithAsync(r.OutRefundNo);
        Assert.That(inErp.Select(p => p.AmountFen), Is.EqualTo(new[] { -r.RefundFen }), "found before pushed: one refund in the ERP, paid back");
        Assert.That(await _w.Host.Scalar<string>("SELECT erp_reference FROM payment_refunds WHERE id = @RefundId", new { r.RefundId }), Is.EqualTo(erpFirst.ErpRefundId));
        var finance = await _w.Host.StaffAsync("finance");
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/refunds/to-post"));
        Assert.That(toPost.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Not.Contain(r.RefundId));

        // the ERP's payments feed brings the refund back (twice: a full resync): the ledger keeps the one refund OrderHub booked
        var sync = _w.Host.Services.GetRequiredService<ErpSyncService>();
        await sync.PullToEndAsync(SyncFeed.Payments);
        await sync.PullPaymentsAsync();
        var rows = await RefundRowsAsync(r.CustomerId);
        Assert.That(rows, Is.EqualTo(new[] { (r.RefundFen, (string?)("wxrefund:" + r.OutRefundNo)) }));
        Assert.That(await _w.Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @CustomerId AND kind IN ('payment', 'refund')", new { r.CustomerId }),
            Is.EqualTo(-r.Total + r.RefundFen), "paid the order, got part of it back, each once");
    }

    [Test]
    public async Task Without_refunds_in_the_adapter_the_refund_is_listed_to_post_and_what_the_person_posted_is_matched_when_the_feed_brings_it()
    {
        var r = await RefundedAsync("rfd-2");
        var s = _w.Host.Services;
        var push = new OrderPushService(_w.Host.Db, new NoRefundsAdapter(Erp), s.GetRequiredService<OutboxLease>(), s.GetRequiredService<ErpOrderBuilder>(),
            s.GetRequiredService<SyncStateStore>(), s.GetRequiredService<OrderPushOptions>(), TimeProvider.System);
        await PushUntilDoneAsync(push, r.RefundId);
        Assert.That(await OutboxAsync(r.RefundId), Does.StartWith(OutboxStatus.Cancelled).And.Contain("待过账"), "nothing to send: listed for a person");

        var finance = await _w.Host.StaffAsync("finance");
        var toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/refunds/to-post"));
        var item = toPost.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == r.RefundId);
        Assert.That(item.GetProperty("outRefundNo").GetString(), Is.EqualTo(r.OutRefundNo));
        Assert.That(item.GetProperty("amountFen").GetInt64(), Is.EqualTo(r.RefundFen));
        Assert.That(item.GetProperty("customerCode").GetString(), Is.EqualTo(r.Code));
        var store = await _w.Host.StaffAsync("clerk");
        Assert.That((int)(await store.GetAsync("/api/admin/payments/refunds/to-post")).StatusCode, Is.EqualTo(403), "finance's list");

        // the person enters it in the ERP (TK-MAN-<id>) and records that number
        var erpNo = "TK-MAN-" + r.RefundId;
        var posted = await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/payments/refunds/{r.RefundId}/posted", new { erpReference = erpNo }));
        Assert.That(posted.GetProperty("erpReference").GetString(), Is.EqualTo(erpNo));
        await HttpAssert.Problem(await finance.PostAsJsonAsync("/api/admin/payments/refunds/987654321/posted", new { erpReference = "x" }), 404);

        // the feed brings that bill (negative, without our number) and an unrelated refund of the same store, each twice
        var applier = new PaymentApplier(_w.Host.Db, TimeProvider.System);
        var other = Random.Shared.NextInt64(1, 100_000);
        ErpPayment[] page = [new(erpNo, r.Code, -r.RefundFen, DateTimeOffset.UtcNow, "微信退款"), new("TK-BANK-" + r.RefundId, r.Code, -other, DateTimeOffset.UtcNow, null)];
        await applier.ApplyAsync(page, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        await applier.ApplyAsync(page, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        var rows = await RefundRowsAsync(r.CustomerId);
        Assert.That(rows, Is.EquivalentTo(new[] { (r.RefundFen, (string?)("wxrefund:" + r.OutRefundNo)), (other, "erp:TK-BANK-" + r.RefundId) }),
            "ours linked, not booked again; the ERP's own refund booked once");
        toPost = await HttpAssert.Ok(await finance.GetAsync("/api/admin/payments/refunds/to-post"));
        Assert.That(toPost.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Does.Not.Contain(r.RefundId));
    }

    /// <summary>The host's adapter without refunds (as Tryton's): everything else goes through, refunds keep the port's defaults.</summary>
    private sealed class NoRefundsAdapter(IErpAdapter inner) : IErpAdapter
    {
        public string Name => "no-refunds";
        public Task<ErpPage<ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct) => inner.PullProductsAsync(cursor, ct);
        public Task<ErpPage<ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) => inner.PullStockAsync(cursor, ct);
        public Task<ErpPage<ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) => inner.PullPricesAsync(cursor, ct);
        public Task<ErpPage<ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) => inner.PullCustomersAsync(cursor, ct);
        public Task<ErpPage<ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) => inner.PullPaymentsAsync(cursor, ct);
        public Task<ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct) => inner.FindOrderAsync(orderNumber, ct);
        public Task<ErpOrderRef> PushOrderAsync(ErpOrder order, CancellationToken ct) => inner.PushOrderAsync(order, ct);
        public Task<ErpPage<ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) => inner.PullOrderStatusAsync(cursor, ct);
        public Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct) => inner.FindReceiptAsync(receiptNumber, ct);
        public Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt receipt, CancellationToken ct) => inner.PushReceiptAsync(receipt, ct);
    }
}
