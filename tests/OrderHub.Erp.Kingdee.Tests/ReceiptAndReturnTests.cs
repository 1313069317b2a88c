using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>
/// Receipts (AR_RECEIVEBILL 收款单) for money OrderHub took and returns (SAL_RETURNSTOCK 销售退货单) written through the
/// WebAPI against the fake (shapes from Kingdee's published Save samples, named in the fake): saved, submitted and audited
/// once, found again by OrderHub's number, an interrupted push finished on the retry, and the receipt read back by the
/// payments pull with our number so OrderHub links it instead of booking it again.
/// </summary>
public class ReceiptAndReturnTests
{
    private static async Task<Harness> SeededAsync(Action<KingdeeOptions>? configure = null)
    {
        var h = await Harness.StartAsync(configure);
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1));
        h.Server.AddMaterial("1.01.001", "保温杯", "Pcs", Harness.Past(1));
        h.Server.AddMaterial("1.01.002", "水杯", "Box", Harness.Past(1));
        return h;
    }

    private static ErpReceipt Receipt(string number = "OH7A1B2C3D4E5F60718293A4", long fen = 1_234_567, ErpReceiptPurpose purpose = ErpReceiptPurpose.Sale,
        string customer = "C001", string method = "wechat") =>
        new(number, customer, fen, new DateTimeOffset(2025, 3, 5, 23, 30, 0, TimeSpan.Zero), method, purpose,
            purpose == ErpReceiptPurpose.Sale ? "SO20250306000012" : null, purpose == ErpReceiptPurpose.Sale ? "XSDD000007" : null, "4200002026030612345678", "OrderHub 订单收款");

    private static ErpReturn Return(string number = "RT20250306000003", string material2 = "1.01.002") =>
        new(number, "SO20250301000009", "XSDD000009", "C001", "CK01",
            [new ErpReturnLine("1.01.001", 6, 1999), new ErpReturnLine(material2, 2, 0)], "临期");

    [Test]
    public async Task A_receipt_is_saved_submitted_and_audited_once_and_the_payments_pull_brings_it_back_with_our_number()
    {
        await using var h = await SeededAsync(o => o.ReceiptSettleTypes["wechat"] = "JSFS31_WX");
        Assert.That(await h.Adapter.FindReceiptAsync("OH7A1B2C3D4E5F60718293A4", CancellationToken.None), Is.Null);

        var pushed = await h.Adapter.PushReceiptAsync(Receipt(), CancellationToken.None);
        var topUp = await h.Adapter.PushReceiptAsync(Receipt("TR88", 50_000, ErpReceiptPurpose.Advance, method: "transfer"), CancellationToken.None);

        var doc = h.Server.ReceiveBills.Docs.Single(d => Equals(d["FBillNo"], pushed.ErpReceiptId));
        var entry = doc.Entity("FRECEIVEBILLENTRY").Single();
        var advance = h.Server.ReceiveBills.Docs.Single(d => Equals(d["FBillNo"], topUp.ErpReceiptId)).Entity("FRECEIVEBILLENTRY").Single();
        Assert.Multiple(() =>
        {
            Assert.That(doc["FDocumentStatus"], Is.EqualTo("C"), "saved, submitted and audited");
            Assert.That(doc["FREMARK"], Is.EqualTo("OH7A1B2C3D4E5F60718293A4"), "the default reference field holds exactly our number");
            Assert.That(doc["FCONTACTUNIT.FNumber"], Is.EqualTo("C001"));
            Assert.That(doc["FCONTACTUNITTYPE"], Is.EqualTo("BD_Customer"));
            Assert.That(doc["FPAYORGID.FNumber"], Is.EqualTo(FakeKingdeeServer.Org));
            Assert.That(doc["FBillTypeID.FNumber"], Is.EqualTo("SKDLX01_SYS"));
            Assert.That(doc["FREALRECAMOUNTFOR"], Is.EqualTo(12_345.67m));
            Assert.That(doc["FDate"], Is.EqualTo(new DateTime(2025, 3, 6)), "23:30 UTC is the next day on the ERP's clock (UTC+8)");
            Assert.That(entry["FSETTLETYPEID.FNumber"], Is.EqualTo("JSFS31_WX"), "the settlement type of WeChat Pay from the settings");
            Assert.That(entry["FPURPOSEID.FNumber"], Is.EqualTo("SFKYT01_SYS"), "paying an order: 销售收款");
            Assert.That(advance["FPURPOSEID.FNumber"], Is.EqualTo("SFKYT02_SYS"), "a top-up: 预收款");
            Assert.That(advance["FSETTLETYPEID.FNumber"], Is.EqualTo("JSFS04_SYS"));
            Assert.That(advance["FRECTOTALAMOUNTFOR"], Is.EqualTo(500m));
        });
        Assert.That(await h.Adapter.FindReceiptAsync("OH7A1B2C3D4E5F60718293A4", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(h.Server.Saves["AR_RECEIVEBILL"], Is.EqualTo(2));

        await Task.Delay(20);
        var pulled = await h.Adapter.PullPaymentsAsync(null, CancellationToken.None);
        Assert.That(pulled.Items.Select(p => (p.Reference, p.SourceReference, p.AmountFen, p.CustomerCode)),
            Is.EquivalentTo(new[] { (pushed.ErpReceiptId, (string?)"OH7A1B2C3D4E5F60718293A4", 1_234_567L, "C001"), (topUp.ErpReceiptId, "TR88", 50_000L, "C001") }));
    }

    [Test]
    public async Task A_receipt_saved_before_a_timeout_is_found_finished_and_not_saved_again_and_refusals_are_rejections()
    {
        await using var h = await SeededAsync(o => o.Timeout = TimeSpan.FromMilliseconds(800));
        h.Server.CommitThenHangOnNextSave = true;
        Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PushReceiptAsync(Receipt(), CancellationToken.None));
        var saved = h.Server.ReceiveBills.Docs.Single();
        Assert.That(saved["FDocumentStatus"], Is.EqualTo("A"), "saved, never submitted");

        var found = await h.Adapter.FindReceiptAsync("OH7A1B2C3D4E5F60718293A4", CancellationToken.None);
        Assert.That(found?.ErpReceiptId, Is.EqualTo(saved["FBillNo"]));
        Assert.That(saved["FDocumentStatus"], Is.EqualTo("C"), "the retry's find submitted and audited it");
        Assert.That(h.Server.Saves["AR_RECEIVEBILL"], Is.EqualTo(1));

        var unknown = Assert.ThrowsAsync<ErpRejectedException>(() => h.Adapter.PushReceiptAsync(Receipt("OH-X", customer: "C404"), CancellationToken.None));
        Assert.That(unknown!.Message, Does.Contain("C404"));
    }

    [Test]
    public async Task With_receipts_switched_off_the_adapter_says_not_supported_so_OrderHub_lists_them_to_post()
    {
        await using var h = await SeededAsync(o => o.WriteReceipts = false);
        Assert.ThrowsAsync<ErpReceiptsNotSupportedException>(() => h.Adapter.FindReceiptAsync("OH-1", CancellationToken.None));
        Assert.ThrowsAsync<ErpReceiptsNotSupportedException>(() => h.Adapter.PushReceiptAsync(Receipt(), CancellationToken.None));
        Assert.That(h.Server.ReceiveBills.Docs, Is.Empty);
    }

    [Test]
    public async Task A_return_becomes_one_audited_sales_return_with_customer_lines_prices_reason_and_source_order()
    {
        await using var h = await SeededAsync(o => { o.ReturnReferenceField = "FHeadNote"; o.ReturnReasonNumber = "THYY01"; });
        Assert.That(await h.Adapter.FindReturnAsync("RT20250306000003", CancellationToken.None), Is.Null);

        var pushed = await h.Adapter.PushReturnAsync(Return(), CancellationToken.None);

        var doc = h.Server.ReturnStocks.Docs.Single();
        var lines = doc.Entity("FEntity");
        Assert.Multiple(() =>
        {
            Assert.That(pushed, Is.EqualTo(new ErpReturnRef(doc["FBillNo"]!.ToString()!, "RT20250306000003")));
            Assert.That(doc["FDocumentStatus"], Is.EqualTo("C"));
            Assert.That(doc["FBillTypeID.FNumber"], Is.EqualTo("XSTHD01_SYS"));
            Assert.That(doc["FRetcustId.FNumber"], Is.EqualTo("C001"));
            Assert.That(doc["FSaleOrgId.FNumber"], Is.EqualTo(FakeKingdeeServer.Org));
            Assert.That(doc["FStockOrgId.FNumber"], Is.EqualTo(FakeKingdeeServer.Org));
            Assert.That(doc["FHeadNote"], Is.EqualTo("RT20250306000003"));
            Assert.That(doc["FReturnReason.FNumber"], Is.EqualTo("THYY01"));
            Assert.That(doc["FSettleCurrId.FNumber"], Is.EqualTo("PRE001"));
            Assert.That(lines.Select(l => (l["FMaterialId.FNumber"], l["FRealQty"], l["FTaxPrice"], l["FIsFree"], l["FUnitID.FNumber"], l["FStockId.FNumber"], l["FReturnType.FNumber"], l["FOrderNo"])),
                Is.EqualTo(new[]
                {
                    ((object?)"1.01.001", (object?)6m, (object?)19.99m, (object?)false, (object?)"Pcs", (object?)"CK01", (object?)"THLX01_SYS", (object?)"XSDD000009"),
                    ("1.01.002", 2m, 0m, true, "Box", "CK01", "THLX01_SYS", "XSDD000009"),
                }));
        });
        Assert.That(await h.Adapter.FindReturnAsync("RT20250306000003", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(h.Server.Saves["SAL_RETURNSTOCK"], Is.EqualTo(1));
    }

    [Test]
    public async Task A_custom_return_reference_field_keeps_the_reason_in_the_note_and_a_failed_audit_is_finished_by_the_retry()
    {
        await using var h = await SeededAsync(o => o.ReturnReferenceField = "F_ORH_ReturnNo");
        h.Server.ReturnStocks.Docs.Clear();
        // the data centre has the custom field (as the CONNECT guide asks)
        var form = new FakeForm("SAL_RETURNSTOCK", "FID", new Dictionary<string, string[]>
        {
            ["FBillHead"] = [.. h.Server.ReturnStocks.Heads["FBillHead"], "F_ORH_ReturnNo"],
            ["SubHeadEntity"] = h.Server.ReturnStocks.Heads["SubHeadEntity"],
        }, h.Server.ReturnStocks.EntityKeys);
        h.Server.ReplaceForm(form);
        h.Server.FailNextAuditWithHttp500 = true;

        Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PushReturnAsync(Return(), CancellationToken.None));
        var doc = h.Server.ReturnStocks.Docs.Single();
        Assert.That(doc["FDocumentStatus"], Is.EqualTo("B"), "submitted, the audit failed");
        var found = await h.Adapter.FindReturnAsync("RT20250306000003", CancellationToken.None);
        Assert.That(found?.ErpReturnId, Is.EqualTo(doc["FBillNo"]));
        Assert.That(doc["FDocumentStatus"], Is.EqualTo("C"));
        Assert.That(doc["F_ORH_ReturnNo"], Is.EqualTo("RT20250306000003"));
        Assert.That(doc["FHeadNote"], Is.EqualTo("OrderHub 退货 RT20250306000003，订单 SO20250301000009：临期"));
        Assert.That(h.Server.Saves["SAL_RETURNSTOCK"], Is.EqualTo(1));

        var bad = Assert.ThrowsAsync<ErpRejectedException>(() => h.Adapter.PushReturnAsync(Return("RT-2", material2: "9.99.999"), CancellationToken.None));
        Assert.That(bad!.Message, Does.Contain("9.99.999"));
        Assert.That(h.Server.ReturnStocks.Docs, Has.Count.EqualTo(1), "a refused return leaves nothing");
    }

    [Test]
    public async Task The_go_live_check_knows_the_receipt_and_return_fields_and_names_a_missing_one()
    {
        await using var h = await SeededAsync();
        Assert.That(await h.Adapter.VerifySchemaAsync(CancellationToken.None), Is.Empty);
        h.Server.ReturnStocks.Forget("FRetcustId");
        var problems = await h.Adapter.VerifySchemaAsync(CancellationToken.None);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.Contain("SAL_RETURNSTOCK").And.Contain("FRetcustId").And.Contain("return push"));
    }
}
