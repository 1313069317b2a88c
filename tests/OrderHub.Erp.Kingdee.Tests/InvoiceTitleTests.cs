using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>
/// The order's invoice title (发票抬头) on the pushed SAL_SaleOrder. Kingdee's published Save model has no invoice-title
/// fields, so they go to the custom fields named in <c>InvoiceTitleFields</c>; without that mapping nothing extra is sent,
/// and a mapping naming an unknown part is refused at start.
/// </summary>
public class InvoiceTitleTests
{
    private static readonly Dictionary<string, string> Mapping = new()
    {
        ["Kind"] = "F_ORH_InvoiceType", ["Title"] = "F_ORH_InvoiceTitle", ["TaxNumber"] = "F_ORH_TaxNo", ["BankName"] = "F_ORH_InvoiceBank",
        ["BankAccount"] = "F_ORH_InvoiceAccount", ["Address"] = "F_ORH_InvoiceAddress", ["Phone"] = "F_ORH_InvoicePhone",
    };

    private static async Task<Harness> SeededAsync(bool mapped)
    {
        var h = await Harness.StartAsync(o => { if (mapped) foreach (var (k, v) in Mapping) o.InvoiceTitleFields[k] = v; });
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1));
        h.Server.AddMaterial("1.01.001", "保温杯", "Pcs", Harness.Past(1));
        return h;
    }

    private static ErpOrder Order(string number, ErpInvoiceTitle? invoice) =>
        new(number, "C001", "CK01", [new ErpOrderLine("1.01.001", 12, 1999)], "杭州市西湖区文三路 1 号", "请周五前送达", null, invoice);

    [Test]
    public async Task A_special_invoice_title_lands_in_the_mapped_fields_and_a_normal_one_without_bank_leaves_those_empty()
    {
        await using var h = await SeededAsync(mapped: true);
        var account = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString();
        var special = new ErpInvoiceTitle(ErpInvoiceTitle.Special, "杭州某某贸易有限公司", "91330106MA2KXXXX1Q", "工商银行杭州文三路支行", account, "杭州市西湖区文三路 1 号", "0571-88886666");
        await h.Adapter.PushOrderAsync(Order("OH-INV-1", special), CancellationToken.None);
        await h.Adapter.PushOrderAsync(Order("OH-INV-2", new ErpInvoiceTitle(ErpInvoiceTitle.Normal, "张三便利店", null, null, null, null, null)), CancellationToken.None);
        await h.Adapter.PushOrderAsync(Order("OH-INV-3", null), CancellationToken.None);

        var s = h.Server.OrdersWithReference("OH-INV-1").Single();
        var n = h.Server.OrdersWithReference("OH-INV-2").Single();
        var none = h.Server.OrdersWithReference("OH-INV-3").Single();
        Assert.Multiple(() =>
        {
            Assert.That(s["F_ORH_InvoiceType"], Is.EqualTo("专票"));
            Assert.That(s["F_ORH_InvoiceTitle"], Is.EqualTo("杭州某某贸易有限公司"));
            Assert.That(s["F_ORH_TaxNo"], Is.EqualTo("91330106MA2KXXXX1Q"));
            Assert.That(s["F_ORH_InvoiceBank"], Is.EqualTo("工商银行杭州文三路支行"));
            Assert.That(s["F_ORH_InvoiceAccount"], Is.EqualTo(account));
            Assert.That(s["F_ORH_InvoiceAddress"], Is.EqualTo("杭州市西湖区文三路 1 号"));
            Assert.That(s["F_ORH_InvoicePhone"], Is.EqualTo("0571-88886666"));
            Assert.That(n["F_ORH_InvoiceType"], Is.EqualTo("普票"));
            Assert.That(n["F_ORH_InvoiceTitle"], Is.EqualTo("张三便利店"));
            Assert.That(n["F_ORH_TaxNo"], Is.Null, "a small shop's 普票 without a tax number");
            Assert.That(n["F_ORH_InvoiceBank"], Is.Null);
            Assert.That(none["F_ORH_InvoiceTitle"], Is.Null, "no title chosen: nothing sent");
        });
    }

    [Test]
    public async Task Without_a_mapping_nothing_extra_is_sent_and_a_mapping_of_an_unknown_part_is_refused_at_start()
    {
        await using var h = await SeededAsync(mapped: false);
        await h.Adapter.PushOrderAsync(Order("OH-INV-9", new ErpInvoiceTitle(ErpInvoiceTitle.Special, "某公司", "91330106MA2KXXXX1Q", "银行", "123", "地址", "电话")), CancellationToken.None);
        var doc = h.Server.OrdersWithReference("OH-INV-9").Single();
        Assert.That(doc.Header.Keys.Where(k => k.StartsWith("F_ORH_Invoice", StringComparison.Ordinal) || k == "F_ORH_TaxNo"), Is.Empty);

        var bad = new KingdeeOptions { InvoiceTitleFields = { ["Title"] = "F_ORH_InvoiceTitle", ["Colour"] = "F_X" } };
        Assert.That(bad.Validate(), Has.Some.Contains("InvoiceTitleFields:Colour"));
    }
}
