using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

/// <summary>
/// Receipts (收款单) and returns (退货单) written by the statements in settings (sample-erp-settings.postgres.json) into the
/// sample ERP schema on PostgreSQL: named parameters, found again by OrderHub's number, never twice; the payments query
/// returns our receipt number so OrderHub links the receipt instead of booking it again.
/// </summary>
public class ReceiptAndReturnTests
{
    private static ErpReceipt Receipt(string number, long fen, ErpReceiptPurpose purpose = ErpReceiptPurpose.Sale, string customer = "C001") =>
        new(number, customer, fen, new DateTimeOffset(2025, 3, 5, 23, 30, 0, TimeSpan.Zero), purpose == ErpReceiptPurpose.Sale ? "wechat" : "transfer", purpose,
            purpose == ErpReceiptPurpose.Sale ? "OH-2001" : null, null, "4200002026030612345678", "OrderHub 收款");

    [Test]
    public async Task A_receipt_is_inserted_once_with_its_amount_method_and_purpose_and_comes_back_with_our_number()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        Assert.That(await adapter.FindReceiptAsync("OHA1B2C3", CancellationToken.None), Is.Null);

        var pushed = await adapter.PushReceiptAsync(Receipt("OHA1B2C3", 1_234_567), CancellationToken.None);
        var again = await adapter.PushReceiptAsync(Receipt("OHA1B2C3", 1_234_567), CancellationToken.None);
        var topUp = await adapter.PushReceiptAsync(Receipt("TR41", 50_000, ErpReceiptPurpose.Advance, "C002"), CancellationToken.None);

        Assert.That(again, Is.EqualTo(pushed), "a retry returns the receipt it finds");
        Assert.That(await adapter.FindReceiptAsync("OHA1B2C3", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(pushed.ErpReceiptId, Does.StartWith("SK"));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM receipt WHERE csource IS NOT NULL"), Is.EqualTo(2));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT iamount FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpReceiptId }), Is.EqualTo(12_345.67m));
        Assert.That(await erp.ScalarAsync<string>("SELECT csettle || '/' || cpurpose || '/' || ccuscode FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpReceiptId }),
            Is.EqualTo("wechat/sale/C001"));
        Assert.That(await erp.ScalarAsync<string>("SELECT csettle || '/' || cpurpose || '/' || ccuscode FROM receipt WHERE cvouchcode = @id", new { id = topUp.ErpReceiptId }),
            Is.EqualTo("transfer/advance/C002"));
        Assert.That(await erp.ScalarAsync<DateTime>("SELECT ddate FROM receipt WHERE cvouchcode = @id", new { id = pushed.ErpReceiptId }),
            Is.EqualTo(new DateTime(2025, 3, 6, 7, 30, 0)), "ERP-local time (UTC+8)");

        var payments = (await adapter.PullPaymentsAsync(null, CancellationToken.None)).Items;
        Assert.That(payments.Select(p => (p.Reference, p.SourceReference, p.AmountFen)),
            Is.EquivalentTo(new[] { ("SK0001", (string?)null, 50_000L), (pushed.ErpReceiptId, "OHA1B2C3", 1_234_567L), (topUp.ErpReceiptId, "TR41", 50_000L) }));
    }

    [Test]
    public async Task Without_receipt_statements_the_adapter_says_not_supported_and_a_refused_receipt_is_a_rejection()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var off = new SqlDatabaseErpAdapter(erp.Options(o => o.PushReceipt.Insert = null));
        Assert.ThrowsAsync<ErpReceiptsNotSupportedException>(() => off.FindReceiptAsync("OH1", CancellationToken.None));
        Assert.ThrowsAsync<ErpReceiptsNotSupportedException>(() => off.PushReceiptAsync(Receipt("OH1", 100), CancellationToken.None));

        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushReceiptAsync(Receipt("OH2", 100, customer: "C999"), CancellationToken.None));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM receipt WHERE csource IS NOT NULL"), Is.Zero);
    }

    private static ErpReturn Return(string number, string product2 = "P002") =>
        new(number, "OH-2001", "SO000001", "C001", "WH1", [new ErpReturnLine("P001", 6, 180), new ErpReturnLine(product2, 2, 2345)], "临期");

    [Test]
    public async Task A_return_is_written_as_header_and_lines_once_with_the_source_order_and_reason()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        Assert.That(await adapter.FindReturnAsync("RT-1", CancellationToken.None), Is.Null);

        var pushed = await adapter.PushReturnAsync(Return("RT-1"), CancellationToken.None);
        var again = await adapter.PushReturnAsync(Return("RT-1"), CancellationToken.None);

        Assert.That(again, Is.EqualTo(pushed));
        Assert.That(pushed.ErpReturnId, Does.StartWith("TH"));
        Assert.That(await adapter.FindReturnAsync("RT-1", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_return_main"), Is.EqualTo(1));
        // 6 × 1.80 + 2 × 23.45 = 10.80 + 46.90 = 57.70
        Assert.That(await erp.ScalarAsync<decimal>("SELECT isum FROM so_return_main WHERE ccode = @id", new { id = pushed.ErpReturnId }), Is.EqualTo(57.70m));
        Assert.That(await erp.ScalarAsync<string>("SELECT csocode || '/' || ccuscode || '/' || cwhcode || '/' || creason FROM so_return_main"), Is.EqualTo("SO000001/C001/WH1/临期"));
        Assert.That(await erp.ScalarAsync<string>("SELECT string_agg(irowno || ':' || cinvcode || ':' || iquantity || ':' || iunitprice || ':' || isum, ' ' ORDER BY irowno) FROM so_return_details"),
            Is.EqualTo("1:P001:6.00:1.8000:10.80 2:P002:2.00:23.4500:46.90"));
    }

    [Test]
    public async Task A_return_line_the_ERP_refuses_rolls_the_return_back_and_without_statements_returns_are_not_supported()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushReturnAsync(Return("RT-2", product2: "NO-SUCH"), CancellationToken.None));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_return_main"), Is.Zero);
        Assert.That(await adapter.FindReturnAsync("RT-2", CancellationToken.None), Is.Null);

        var off = new SqlDatabaseErpAdapter(erp.Options(o => o.PushReturn.InsertLine = null));
        Assert.ThrowsAsync<ErpReturnsNotSupportedException>(() => off.PushReturnAsync(Return("RT-3"), CancellationToken.None));
    }
}
