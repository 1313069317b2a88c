using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>
/// Refunds (AR_REFUNDBILL 收款退款单) for money OrderHub paid back, written through the WebAPI against the fake (the Save
/// model's shape from published integration DTOs, named in the fake): saved, submitted and audited once, found again by
/// OrderHub's refund number, and switched off by <c>WriteRefunds</c> (then listed for a person to post).
/// </summary>
public class RefundTests
{
    private static async Task<Harness> SeededAsync(Action<KingdeeOptions>? configure = null)
    {
        var h = await Harness.StartAsync(configure);
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1));
        return h;
    }

    private static ErpRefund Refund(string number, long fen, string? returnNo = "RT20250306000003") =>
        new(number, "OH7A1B2C3D4E5F60718293A4", "C001", fen, new DateTimeOffset(2025, 3, 6, 17, 0, 0, TimeSpan.Zero), "wechat", ErpReceiptPurpose.Sale,
            "SO20250306000012", "XSDD000007", returnNo, "50300807412025030612345678", returnNo is null ? null : $"OrderHub 退货 {returnNo} 退款 {number}");

    [Test]
    public async Task A_refund_is_saved_submitted_and_audited_once_with_its_amount_customer_and_our_number()
    {
        await using var h = await SeededAsync(o => o.ReceiptSettleTypes["wechat"] = "JSFS31_WX");
        var fen = Random.Shared.NextInt64(1, 5_000_000);
        var number = "RF" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        Assert.That(await h.Adapter.FindRefundAsync(number, CancellationToken.None), Is.Null);

        var pushed = await h.Adapter.PushRefundAsync(Refund(number, fen), CancellationToken.None);
        var again = await h.Adapter.FindRefundAsync(number, CancellationToken.None);

        var doc = h.Server.RefundBills.Docs.Single();
        var entry = doc.Entity("FREFUNDBILLENTRY").Single();
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(pushed), "found again by our number: a retry never saves a second one");
            Assert.That(h.Server.Saves["AR_REFUNDBILL"], Is.EqualTo(1));
            Assert.That(doc["FBillNo"], Is.EqualTo(pushed.ErpRefundId));
            Assert.That(doc["FDocumentStatus"], Is.EqualTo("C"), "saved, submitted and audited");
            Assert.That(doc["FREMARK"], Is.EqualTo(number), "the default reference field holds exactly our refund number");
            Assert.That(doc["FCONTACTUNIT.FNumber"], Is.EqualTo("C001"));
            Assert.That(doc["FRECTUNIT.FNumber"], Is.EqualTo("C001"), "the store receives the money");
            Assert.That(doc["FRECTUNITTYPE"], Is.EqualTo("BD_Customer"));
            Assert.That(doc["FPAYORGID.FNumber"], Is.EqualTo(FakeKingdeeServer.Org));
            Assert.That(doc["FBillTypeID.FNumber"], Is.EqualTo("SKTKDLX01_SYS"));
            Assert.That(doc["FDate"], Is.EqualTo(new DateTime(2025, 3, 7)), "17:00 UTC is the next day on the ERP's clock (UTC+8)");
            Assert.That(entry["FREFUNDAMOUNTFOR"], Is.EqualTo(fen / 100m), $"{fen} fen");
            Assert.That(entry["FSETTLETYPEID.FNumber"], Is.EqualTo("JSFS31_WX"), "WeChat Pay's settlement type, as on receipts");
            Assert.That(entry["FPURPOSEID.FNumber"], Is.EqualTo("SFKYT01_SYS"), "the refunded money had paid an order: 销售收款");
            Assert.That(entry["FNOTE"], Is.EqualTo($"OrderHub 退货 RT20250306000003 退款 {number}"));
        });
    }

    [Test]
    public async Task A_custom_reference_field_keeps_the_note_in_the_remark_and_switched_off_refunds_are_for_a_person()
    {
        await using var h = await SeededAsync(o => o.RefundReferenceField = "F_ORH_OrderHubNo");
        var number = "RF" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        var pushed = await h.Adapter.PushRefundAsync(Refund(number, 8_800, returnNo: null), CancellationToken.None);
        var doc = h.Server.RefundBills.Docs.Single(d => Equals(d["FBillNo"], pushed.ErpRefundId));
        Assert.That(doc["F_ORH_OrderHubNo"], Is.EqualTo(number));
        Assert.That(doc["FREMARK"], Is.EqualTo($"OrderHub 退款 {number}"), "the note stays in 备注");
        Assert.That(await h.Adapter.FindRefundAsync(number, CancellationToken.None), Is.EqualTo(pushed));

        await using var off = await SeededAsync(o => o.WriteRefunds = false);
        Assert.ThrowsAsync<ErpRefundsNotSupportedException>(() => off.Adapter.FindRefundAsync(number, CancellationToken.None));
        Assert.ThrowsAsync<ErpRefundsNotSupportedException>(() => off.Adapter.PushRefundAsync(Refund(number, 100), CancellationToken.None));
        Assert.That(off.Server.RefundBills.Docs, Is.Empty);
    }
}
