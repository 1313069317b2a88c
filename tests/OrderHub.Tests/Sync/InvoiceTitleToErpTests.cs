using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Sync;

/// <summary>
/// The invoice title (发票抬头) an order was placed with goes with the order to the ERP, as it was copied onto the order
/// (a later edit of the store's title does not change it), on both databases; an order without one sends none.
/// What each adapter does with it is tested beside the adapter (Kingdee mapped fields, SQL parameters, Tryton comment).
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class InvoiceTitleToErpTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind);
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private async Task<(string Code, string Sku, long Qty)> StoreAsync()
    {
        var row = await _host.Scalar<string>("""
            SELECT c.code || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'CHAIN' AND c.active = TRUE AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND c.id = (SELECT c2.id FROM customers c2 JOIN customer_groups g2 ON g2.id = c2.group_id
                          WHERE g2.code = 'CHAIN' AND c2.active = TRUE ORDER BY c2.code LIMIT 1)
            ORDER BY p.sku LIMIT 1
            """);
        var p = row.Split('|');
        return (p[0], p[1], long.Parse(p[2]));
    }

    private static async Task<HttpResponseMessage> Post(HttpClient c, string url, object body)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await c.SendAsync(req);
    }

    [Test]
    public async Task The_title_copied_onto_the_order_is_what_the_ERP_gets_and_an_order_without_one_sends_none()
    {
        var s = await StoreAsync();
        var store = await _host.CustomerAsync(s.Code);
        var account = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString();
        var special = new
        {
            kind = "special", title = "温州原抬头有限公司", taxNo = "91330300MA2ABCDE1X", bankName = "农业银行温州分行", bankAccount = account,
            address = "温州市鹿城区人民路 8 号", phone = "0577-88880000",
        };
        var title = await HttpAssert.Ok(await Post(store, "/api/invoice-titles", special));
        var addressId = (await HttpAssert.Ok(await store.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = s.Sku, quantity = s.Qty }));
        var withTitle = await HttpAssert.Ok(await Post(store, "/api/orders", new { addressId, invoiceTitleId = title.GetProperty("id").GetInt64() }));
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku = s.Sku, quantity = s.Qty }));
        var without = await HttpAssert.Ok(await Post(store, "/api/orders", new { addressId }));
        // the store renames its title afterwards: the order (and so the ERP) keeps the one it was placed with
        await HttpAssert.Ok(await store.PutAsJsonAsync($"/api/invoice-titles/{title.GetProperty("id").GetInt64()}", special with { title = "温州新抬头有限公司" }));

        var builder = _host.Services.GetRequiredService<ErpOrderBuilder>();
        var built = await builder.BuildAsync(withTitle.GetProperty("summary").GetProperty("id").GetInt64(), CancellationToken.None);
        var none = await builder.BuildAsync(without.GetProperty("summary").GetProperty("id").GetInt64(), CancellationToken.None);
        Assert.That(built!.Order.Invoice, Is.EqualTo(new ErpInvoiceTitle(ErpInvoiceTitle.Special, "温州原抬头有限公司", "91330300MA2ABCDE1X", "农业银行温州分行", account,
            "温州市鹿城区人民路 8 号", "0577-88880000")));
        Assert.That(built.Order.Invoice!.KindText, Is.EqualTo("专票"));
        Assert.That(none!.Order.Invoice, Is.Null);
    }
}
