using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Testing;
using OrderHub.Tests.Sync;

namespace OrderHub.Tests.Units;

/// <summary>Units through the ERP bridge on both databases, with the demo ERP: the product feed brings them, an order in 箱 goes back in 箱.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class UnitSyncTests(string kind)
{
    [Test]
    public async Task The_product_feed_brings_the_case_units_and_a_case_order_reaches_the_erp_in_cases()
    {
        var w = await SyncWorld.CreateAsync(kind);
        await w.Exec("DELETE FROM product_units");
        var results = await w.Sync.PullAllAsync();
        Assert.That(results.Select(r => r.Error), Is.All.Null);

        var expected = w.Data.Products.Sum(p => p.Units?.Count ?? 0);
        Assert.That(expected, Is.GreaterThan(0));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM product_units"), Is.EqualTo(expected));
        // 农夫山泉饮用天然水 550ml: 2.00 a bottle, a case of 24 at 2% off: 2.00 × 0.98 × 24 = 47.04.
        var water = w.Data.Products.First(p => p.Name == "农夫山泉饮用天然水" && p.Spec == "550ml*24");
        Assert.That(await w.Scalar<long>("SELECT u.price_fen FROM product_units u JOIN products p ON p.id = u.product_id WHERE p.sku = @Sku AND u.unit = '箱'", water),
            Is.EqualTo(4704));
        Assert.That(await w.Scalar<int>("SELECT u.factor FROM product_units u JOIN products p ON p.id = u.product_id WHERE p.sku = @Sku", water), Is.EqualTo(24));

        // A store orders 2 箱 of an item; the ERP gets 2 箱 at the price the catalog showed for one 箱.
        var customer = await w.Customer("C00010");
        var userId = await w.Scalar<long>("SELECT id FROM customer_users WHERE customer_id = @CustomerId ORDER BY id LIMIT 1", customer);
        var page = await w.Catalog.ListAsync(customer, new CatalogFilter(null, null, null, null, 100));
        var item = page.Items.First(i => i.Units.Count > 1 && i.Stock.Available > 4 * i.Units[1].Factor && i.Units[1].PackSize == 1 && i.Units[1].MinOrderQty == 1);
        var box = item.Units[1];
        var casePrice = box.Price.UnitPriceFen;
        if (box.Price.Source == PriceSource.BasePrice)
            Assert.That(casePrice, Is.EqualTo(await w.Scalar<long>("SELECT u.price_fen FROM product_units u JOIN products p ON p.id = u.product_id WHERE p.sku = @Sku", item)),
                "at the base price, a 箱 costs the ERP's case price");
        var owner = CartOwner.User(userId);
        await w.Carts.AddAsync(owner, customer, item.Sku, 2, unit: "箱");
        var address = await w.Scalar<long>("SELECT id FROM customer_addresses WHERE customer_id = @CustomerId ORDER BY id LIMIT 1", customer);
        var order = await w.Placement.SubmitAsync(new SubmitOrder(owner, customer, new Actor("customer_user", userId, "店主"), null, address, null, Guid.NewGuid().ToString()));
        Assert.That((await w.Push.PushDueAsync()).Sent, Is.EqualTo(1));

        var args = new { order.OrderNo, item.Sku };
        Assert.That(await w.ErpDesk.ScalarAsync<long>(
            "SELECT l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_number = @OrderNo AND l.product_code = @Sku", args), Is.EqualTo(2));
        Assert.That(await w.ErpDesk.ScalarAsync<long>(
            "SELECT l.unit_price_fen FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_number = @OrderNo AND l.product_code = @Sku", args), Is.EqualTo(casePrice));
        Assert.That(await w.ErpDesk.ScalarAsync<string>(
            "SELECT u.unit FROM order_line_units u JOIN orders o ON o.id = u.order_id WHERE o.order_number = @OrderNo", args), Is.EqualTo("箱"));
        Assert.That(await w.ErpDesk.ScalarAsync<long>("SELECT total_fen FROM orders WHERE order_number = @OrderNo", args), Is.EqualTo(2 * casePrice));
    }
}
