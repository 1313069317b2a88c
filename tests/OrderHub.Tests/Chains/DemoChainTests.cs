using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Chains;

/// <summary>
/// The demo's chain on a first run (README → Chains): head office C00051 sees its branches C00048, C00054 and C00057, orders
/// for C00054 (the order is the branch's and goes to its address) and gets one statement with a subtotal per store.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class DemoChainTests(string kind)
{
    [Test]
    public async Task The_demo_head_office_orders_for_a_branch_and_gets_the_consolidated_statement()
    {
        using var host = new ApiHost(kind);
        var head = await host.CustomerAsync("C00051");
        var branches = (await HttpAssert.Ok(await head.GetAsync("/api/chain/branches"))).EnumerateArray().ToList();
        Assert.That(branches.Select(b => b.GetProperty("code").GetString()), Is.EqualTo(new[] { "C00048", "C00054", "C00057" }));
        var branchId = branches[1].GetProperty("id").GetInt64();

        // A product the branch may order from its warehouse, at its MOQ.
        var row = await host.Scalar<string>("""
            SELECT p.sku || '|' || p.min_order_qty FROM customers c JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            WHERE c.code = 'C00054' AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 2 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY p.sku LIMIT 1
            """);
        var (sku, qty) = (row.Split('|')[0], long.Parse(row.Split('|')[1]));
        await HttpAssert.Ok(await head.PostAsJsonAsync($"/api/cart/items?branchId={branchId}", new { sku, quantity = qty }));
        var address = (await HttpAssert.Ok(await head.GetAsync($"/api/addresses?branchId={branchId}")))[0];
        var order = await ChainsApiTests.SubmitAsync(head, $"/api/orders?branchId={branchId}", address.GetProperty("id").GetInt64(), Guid.NewGuid().ToString());
        Assert.That(order.GetProperty("summary").GetProperty("customerCode").GetString(), Is.EqualTo("C00054"), "the order is the branch's");
        Assert.That(await host.Scalar<string>("SELECT address FROM customers WHERE code = 'C00054'"), Is.EqualTo(address.GetProperty("address").GetString()));

        // One statement: the head office first, then each branch, and the chain's closing balance is the four stores' ledgers.
        var statement = await HttpAssert.Ok(await head.GetAsync("/api/chain/statement"));
        Assert.That(statement.GetProperty("stores").EnumerateArray().Select(s => s.GetProperty("statement").GetProperty("customer").GetProperty("code").GetString()),
            Is.EqualTo(new[] { "C00051", "C00048", "C00054", "C00057" }));
        var ledger = await host.Scalar<long>("""
            SELECT COALESCE(SUM(l.amount_fen), 0) FROM ledger_entries l JOIN customers c ON c.id = l.customer_id
            WHERE c.code IN ('C00051', 'C00048', 'C00054', 'C00057')
            """);
        Assert.That(statement.GetProperty("closingFen").GetInt64(), Is.EqualTo(ledger));
    }
}
