using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

public class OrderTests
{
    private static async Task<Harness> SeededAsync(Action<KingdeeOptions>? configure = null)
    {
        var h = await Harness.StartAsync(configure);
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1));
        h.Server.AddMaterial("1.01.001", "保温杯", "Pcs", Harness.Past(1));
        h.Server.AddMaterial("1.01.002", "水杯", "Box", Harness.Past(1));
        return h;
    }

    private static ErpOrder Order(string number = "OH-20250301-0001", string customer = "C001", string material = "1.01.001") =>
        new(number, customer, "CK01",
            [new ErpOrderLine(material, 12, 1999), new ErpOrderLine("1.01.002", 3, 100005)],
            "杭州市西湖区文三路 1 号", "请周五前送达");

    [Test]
    public async Task Push_creates_one_audited_order_with_lines_prices_and_reference()
    {
        await using var h = await SeededAsync();
        Assert.That(await h.Adapter.FindOrderAsync("OH-20250301-0001", CancellationToken.None), Is.Null);

        var pushed = await h.Adapter.PushOrderAsync(Order(), CancellationToken.None);

        var docs = h.Server.OrdersWithReference("OH-20250301-0001");
        Assert.That(docs, Has.Count.EqualTo(1));
        var doc = docs[0];
        var lines = doc.Entity("FSaleOrderEntry");
        Assert.Multiple(() =>
        {
            Assert.That(pushed, Is.EqualTo(new ErpOrderRef(doc["FBillNo"]!.ToString()!, "OH-20250301-0001")));
            Assert.That(doc["FDocumentStatus"], Is.EqualTo("C"), "saved, submitted and audited");
            Assert.That(doc["FCustId.FNumber"], Is.EqualTo("C001"));
            Assert.That(doc["FSaleOrgId.FNumber"], Is.EqualTo(FakeKingdeeServer.Org));
            Assert.That(doc["FSalerId.FNumber"], Is.EqualTo(FakeKingdeeServer.Salesman), "no agent: the default salesman");
            Assert.That(doc["FBillTypeID.FNumber"], Is.EqualTo("XSDD01_SYS"));
            Assert.That(doc["FReceiveAddress"], Is.EqualTo("杭州市西湖区文三路 1 号"));
            Assert.That(doc["FNote"], Is.EqualTo("请周五前送达"), "the note keeps its own field when the reference is a custom field");
            Assert.That(lines.Select(l => (l["FMaterialId.FNumber"], l["FQty"], l["FTaxPrice"], l["FUnitID.FNumber"], l["FSOStockId.FNumber"])),
                Is.EqualTo(new[] { ((object?)"1.01.001", (object?)12m, (object?)19.99m, (object?)"Pcs", (object?)"CK01"),
                                   ("1.01.002", 3m, 1000.05m, "Box", "CK01") }));
        });
        Assert.That(await h.Adapter.FindOrderAsync("OH-20250301-0001", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(h.Server.SaveCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_retry_after_commit_then_timeout_finds_the_order_and_makes_no_second_one()
    {
        await using var h = await SeededAsync(o => o.Timeout = TimeSpan.FromMilliseconds(800));
        h.Server.CommitThenHangOnNextSave = true;

        // First attempt: Kingdee saves the order but the answer never arrives.
        Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PushOrderAsync(Order(), CancellationToken.None));
        Assert.That(h.Server.OrdersWithReference("OH-20250301-0001"), Has.Count.EqualTo(1));

        // The retry, as the port's callers do it: find first, push only when absent.
        var found = await h.Adapter.FindOrderAsync("OH-20250301-0001", CancellationToken.None);
        if (found is null) await h.Adapter.PushOrderAsync(Order(), CancellationToken.None);

        var docs = h.Server.OrdersWithReference("OH-20250301-0001");
        Assert.That(found, Is.Not.Null);
        Assert.That(docs, Has.Count.EqualTo(1), "no duplicate order");
        Assert.That(found!.ErpOrderId, Is.EqualTo(docs[0]["FBillNo"]));
        Assert.That(docs[0]["FDocumentStatus"], Is.EqualTo("C"), "the interrupted push was finished by submit + audit");
        Assert.That(h.Server.SaveCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_customer_is_rejected_with_Kingdees_message()
    {
        await using var h = await SeededAsync();
        var e = Assert.ThrowsAsync<ErpRejectedException>(() => h.Adapter.PushOrderAsync(Order(customer: "C999"), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("字段“客户”的值“C999”不存在"));
        Assert.That(h.Server.SaleOrders.Docs, Is.Empty);
    }

    [Test]
    public async Task Unknown_material_is_rejected_with_Kingdees_message()
    {
        await using var h = await SeededAsync();
        var e = Assert.ThrowsAsync<ErpRejectedException>(() => h.Adapter.PushOrderAsync(Order(material: "X.404"), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("“X.404”不存在").And.Contain("FMaterialId"));
    }

    [Test]
    public async Task Refused_audit_is_rejected_and_names_the_saved_bill()
    {
        await using var h = await SeededAsync();
        h.Server.AuditRejection = "客户信用额度不足，不允许审核";
        var e = Assert.ThrowsAsync<ErpRejectedException>(() => h.Adapter.PushOrderAsync(Order(), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("客户信用额度不足").And.Contain("XSDD000001"));
    }

    [Test]
    public async Task FNote_as_reference_field_holds_exactly_the_order_number()
    {
        await using var h = await SeededAsync(o => o.ExternalReferenceField = "FNote");
        var pushed = await h.Adapter.PushOrderAsync(Order(), CancellationToken.None);
        var doc = h.Server.Order(pushed.ErpOrderId);
        Assert.That(doc["FNote"], Is.EqualTo("OH-20250301-0001"));
        Assert.That(await h.Adapter.FindOrderAsync("OH-20250301-0001", CancellationToken.None), Is.EqualTo(pushed));
    }
}
