using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;
using OrderHub.Domain.Pricing;
using OrderHub.Testing;

namespace OrderHub.Tests.Catalog;

/// <summary>
/// The catalog answers from a per-node snapshot of products, assortment, price lists and promotions. What a store sees must
/// still be the database's truth: a change made on another node shows on the next read, and the in-memory assortment
/// agrees with the SQL predicate ordering uses.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class CatalogSnapshotTests(string kind)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    private Db _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _db = await TestDatabase.CreateAsync(kind);
        await new DemoDataSeeder(_db).SeedAsync(DemoDataGenerator.Generate(DemoDataSize.Demo, 7, Now), Now.ToUnixTimeMilliseconds());
    }

    private CatalogService Node() => new(_db, new PriceResolver(new PricingOptions()), new CatalogOptions(), new ManualClock(Now));

    private async Task<CustomerContext> Customer(string code)
    {
        await using var c = await _db.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM customers WHERE code = @code", new { code });
        return (await new CustomerContextQuery(_db).ForCustomerAsync(id))!;
    }

    private static async Task<List<string>> AllSkus(CatalogService node, CustomerContext customer)
    {
        var skus = new List<string>();
        string? after = null;
        do
        {
            var page = await node.ListAsync(customer, new CatalogFilter(null, null, null, after, 50));
            skus.AddRange(page.Items.Select(i => i.Sku));
            after = page.NextCursor;
        } while (after is not null);
        return skus;
    }

    [Test]
    public async Task A_price_list_change_on_one_node_is_charged_on_the_next_read_of_another()
    {
        var (nodeA, nodeB) = (Node(), Node());
        string code;
        await using (var q = await _db.OpenAsync())
            code = await q.ExecuteScalarAsync<string>(
                "SELECT c.code FROM customers c WHERE EXISTS (SELECT 1 FROM price_lists l WHERE l.customer_group_id = c.group_id AND l.active = TRUE) ORDER BY c.id LIMIT 1") ?? "";
        var customer = await Customer(code);
        // An item priced from its group's list, with no special price that could undercut the new one.
        var items = (await nodeA.ListAsync(customer, new CatalogFilter(null, null, null, null, 100))).Items;
        var item = items.FirstOrDefault(i => i.Price.Source == PriceSource.GroupPriceList && i.Promotions.All(p => p.Kind != "special_price"))
            ?? throw new AssertionException("no list-priced item: " + string.Join(",", items.Select(i => i.Price.Source).Distinct()) + $" group {customer.GroupId}");
        Assert.That((await nodeB.GetAsync(customer, item.Sku))!.Price.UnitPriceFen, Is.EqualTo(item.Price.UnitPriceFen), "both nodes warmed up");

        await using var c = await _db.OpenAsync();
        var listId = await c.ExecuteScalarAsync<long>(
            "SELECT id FROM price_lists WHERE customer_group_id = @g AND active = TRUE ORDER BY id LIMIT 1", new { g = customer.GroupId });
        var cheaper = item.Price.UnitPriceFen - 37;
        await new PriceListAdmin(_db, TimeProvider.System).SetItemAsync(listId, item.Sku, item.Price.TierMinQty ?? 1, cheaper);   // the admin works on node A

        var seenByB = (await nodeB.GetAsync(customer, item.Sku))!;
        Assert.Multiple(() =>
        {
            Assert.That(seenByB.Price.UnitPriceFen, Is.EqualTo(cheaper), "node B charges the new list price at once");
            Assert.That(seenByB.Price.Source, Is.EqualTo(PriceSource.GroupPriceList));
        });
    }

    [Test]
    public async Task A_rule_added_on_one_node_hides_the_product_on_another_at_once()
    {
        var (nodeA, nodeB) = (Node(), Node());
        var customer = await Customer("C00002");
        var sku = (await AllSkus(nodeB, customer))[3];
        var admin = new AssortmentAdmin(_db, TimeProvider.System);
        var rule = await admin.CreateAsync(new AssortmentRuleInput(null, customer.Code, sku, null, "deny"));
        try
        {
            Assert.Multiple(async () =>
            {
                Assert.That(await nodeB.GetAsync(customer, sku), Is.Null, "404 on the node that had it cached");
                Assert.That(await AllSkus(nodeB, customer), Does.Not.Contain(sku));
                Assert.That(await AllSkus(nodeA, customer), Does.Not.Contain(sku));
            });
        }
        finally { await admin.DeleteAsync(rule.Id); }
        Assert.That(await nodeB.GetAsync(customer, sku), Is.Not.Null, "and back when the rule is deleted");
    }

    /// <summary>Random rule sets over the demo catalog: the list shows exactly the products the SQL predicate lets a store buy.</summary>
    [Test]
    public async Task The_in_memory_assortment_agrees_with_the_sql_predicate_on_random_rules()
    {
        var node = Node();
        var rnd = new Random(20261125);
        await using var c = await _db.OpenAsync();
        var products = (await c.QueryAsync<long>("SELECT id FROM products ORDER BY id")).ToArray();
        var categories = (await c.QueryAsync<string>("SELECT path FROM categories ORDER BY id")).ToArray();
        var groups = (await c.QueryAsync<long>("SELECT id FROM customer_groups ORDER BY id")).ToArray();
        var customers = (await c.QueryAsync<string>("SELECT code FROM customers ORDER BY id LIMIT 12")).ToArray();
        var contexts = new List<CustomerContext>();
        foreach (var code in customers) contexts.Add(await Customer(code));
        var saved = (await c.QueryAsync("SELECT customer_group_id, customer_id, product_id, category_path, effect, created_at FROM assortment_rules")).ToList();
        try
        {
            var differences = new List<string>();
            for (var round = 0; round < 8; round++)
            {
                await using (var tx = await _db.BeginWriteAsync(c))
                {
                    await c.ExecuteAsync("DELETE FROM assortment_rules", transaction: tx);
                    for (var i = rnd.Next(0, 9); i > 0; i--)
                    {
                        var forCustomer = rnd.Next(3) == 0;
                        var onProduct = rnd.Next(2) == 0;
                        await c.ExecuteAsync("""
                            INSERT INTO assortment_rules (customer_group_id, customer_id, product_id, category_path, effect, created_at)
                            VALUES (@g, @cu, @p, @path, @effect, 0)
                            """, new
                        {
                            g = forCustomer ? (long?)null : groups[rnd.Next(groups.Length)],
                            cu = forCustomer ? contexts[rnd.Next(contexts.Count)].CustomerId : (long?)null,
                            p = onProduct ? products[rnd.Next(products.Length)] : (long?)null,
                            path = onProduct ? null : categories[rnd.Next(categories.Length)],
                            effect = rnd.Next(2) == 0 ? "allow" : "deny",
                        }, tx);
                    }
                    await CatalogVersion.BumpAsync(c, tx);
                    await tx.CommitAsync();
                }
                foreach (var customer in contexts)
                {
                    var bySql = (await c.QueryAsync<string>($"SELECT p.sku FROM products p WHERE {Assortment.VisibleTo} ORDER BY p.sku",
                        new { customerId = customer.CustomerId, groupId = customer.GroupId })).OrderBy(s => s, StringComparer.Ordinal).ToList();
                    var listed = await AllSkus(node, customer);
                    if (!bySql.SequenceEqual(listed))
                        differences.Add($"round {round}, {customer.Code}: SQL {bySql.Count}, list {listed.Count}, first difference "
                                        + bySql.Except(listed).Concat(listed.Except(bySql)).FirstOrDefault());
                }
            }
            Assert.That(differences, Is.Empty);
        }
        finally
        {
            await using var tx = await _db.BeginWriteAsync(c);
            await c.ExecuteAsync("DELETE FROM assortment_rules", transaction: tx);
            foreach (var r in saved)
                await c.ExecuteAsync("""
                    INSERT INTO assortment_rules (customer_group_id, customer_id, product_id, category_path, effect, created_at)
                    VALUES (@customer_group_id, @customer_id, @product_id, @category_path, @effect, @created_at)
                    """, (object)r, tx);
            await CatalogVersion.BumpAsync(c, tx);
            await tx.CommitAsync();
        }
    }
}
