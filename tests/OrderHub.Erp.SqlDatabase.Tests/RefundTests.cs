using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

/// <summary>
/// Refunds (收款退款单) written by <c>PushRefund.Insert</c> (sample-erp-settings.postgres.json: a red receipt, negative amount)
/// into the sample ERP schema on PostgreSQL: named parameters, found again by OrderHub's refund number, never twice; the
/// payments query brings it back negative with our number, so OrderHub links it instead of booking it again.
/// </summary>
public class RefundTests
{
    private static ErpRefund Refund(string number, long fen, string customer = "C001", string? returnNo = "RT20250306000003") =>
        new(number, "OHA1B2C3", customer, fen, new DateTimeOffset(2025, 3, 6, 17, 15, 0, TimeSpan.Zero), "wechat", ErpReceiptPurpose.Sale,
            "OH-2001", "SO000001", returnNo, "50300807412025030612345678", $"OrderHub 退货 {returnNo} 退款 {number}");

    [Test]
    public async Task A_refund_is_inserted_once_with_its_amount_and_comes_back_negative_with_our_number()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var fen = Random.Shared.NextInt64(1, 3_000_000);
        Assert.That(await adapter.FindRefundAsync("RF0A1B", CancellationToken.None), Is.Null);

        var pushed = await adapter.PushRefundAsync(Refund("RF0A1B", fen), CancellationToken.None);
        var again = await adapter.PushRefundAsync(Refund("RF0A1B", fen), CancellationToken.None);

        Assert.That(again, Is.EqualTo(pushed), "a retry returns the refund it finds");
        Assert.That(await adapter.FindRefundAsync("RF0A1B", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(pushed.ErpRefundId, Does.StartWith("TK"));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM receipt WHERE csource = 'RF0A1B'"), Is.EqualTo(1));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT iamount FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpRefundId }), Is.EqualTo(-fen / 100m));
        Assert.That(await erp.ScalarAsync<string>("SELECT csettle || '/' || cpurpose || '/' || ccuscode || '/' || cmemo FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpRefundId }),
            Is.EqualTo("wechat/refund/C001/OrderHub 退货 RT20250306000003 退款 RF0A1B"));
        Assert.That(await erp.ScalarAsync<DateTime>("SELECT ddate FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpRefundId }),
            Is.EqualTo(new DateTime(2025, 3, 7, 1, 15, 0)), "ERP-local time (UTC+8)");

        var payments = (await adapter.PullPaymentsAsync(null, CancellationToken.None)).Items;
        Assert.That(payments.Where(p => p.Reference == pushed.ErpRefundId).Select(p => (p.SourceReference, p.AmountFen)),
            Is.EqualTo(new[] { ((string?)"RF0A1B", -fen) }));
    }

    [Test]
    public async Task Without_refund_statements_the_adapter_says_not_supported_and_a_refused_refund_is_a_rejection()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var off = new SqlDatabaseErpAdapter(erp.Options(o => o.PushRefund.Insert = null));
        Assert.ThrowsAsync<ErpRefundsNotSupportedException>(() => off.FindRefundAsync("RF1", CancellationToken.None));
        Assert.ThrowsAsync<ErpRefundsNotSupportedException>(() => off.PushRefundAsync(Refund("RF1", 100), CancellationToken.None));

        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushRefundAsync(Refund("RF2", 100, customer: "C999"), CancellationToken.None));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM receipt WHERE cpurpose = 'refund'"), Is.Zero);
    }
}
