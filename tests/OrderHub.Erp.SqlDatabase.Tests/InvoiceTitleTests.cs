using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

/// <summary>
/// The order's invoice title (发票抬头) reaches the ERP's sales order through the @invoice… parameters of
/// <c>PushOrder.InsertHeader</c> (the sample statement writes them to so_main's 发票 columns); none chosen = NULL.
/// </summary>
public class InvoiceTitleTests
{
    [Test]
    public async Task A_special_title_fills_the_invoice_columns_a_normal_one_only_what_it_has_and_none_leaves_them_null()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var account = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString();
        var special = SampleOrders.Sample("OH-3001") with
        {
            Invoice = new ErpInvoiceTitle(ErpInvoiceTitle.Special, "广州某某商贸有限公司", "91440101MA5CXXXX2R", "建设银行广州天河支行", account, "广州市天河区体育西路1号", "020-38880000"),
        };
        var normal = SampleOrders.Sample("OH-3002") with { Invoice = new ErpInvoiceTitle(ErpInvoiceTitle.Normal, "李四士多店", null, null, null, null, null) };
        var s = await adapter.PushOrderAsync(special, CancellationToken.None);
        var n = await adapter.PushOrderAsync(normal, CancellationToken.None);
        var none = await adapter.PushOrderAsync(SampleOrders.Sample("OH-3003"), CancellationToken.None);

        const string Columns = "concat_ws('|', cinvtype, cinvtitle, ctaxno, cinvbank, cinvaccount, cinvaddress, cinvphone)";
        Assert.That(await erp.ScalarAsync<string>($"SELECT {Columns} FROM so_main WHERE csocode = @id", new { id = s.ErpOrderId }),
            Is.EqualTo($"专票|广州某某商贸有限公司|91440101MA5CXXXX2R|建设银行广州天河支行|{account}|广州市天河区体育西路1号|020-38880000"));
        Assert.That(await erp.ScalarAsync<string>($"SELECT {Columns} FROM so_main WHERE csocode = @id", new { id = n.ErpOrderId }), Is.EqualTo("普票|李四士多店"));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_main WHERE csocode = @id AND cinvtype IS NULL AND cinvtitle IS NULL AND ctaxno IS NULL", new { id = none.ErpOrderId }),
            Is.EqualTo(1));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT isum FROM so_main WHERE csocode = @id", new { id = s.ErpOrderId }), Is.EqualTo(141.60m), "the rest of the order as before");
    }
}
