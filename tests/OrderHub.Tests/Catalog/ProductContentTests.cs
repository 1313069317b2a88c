using OrderHub.Application.Catalog;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Sync;

namespace OrderHub.Tests.Catalog;

/// <summary>
/// Product content that a person adds and the ERP does not own, on both databases: it reaches the store's list and detail,
/// orders the 推荐 list, is found by search (tags), and survives the ERP's product feed running again.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ProductContentTests(string kind)
{
    private static ProductContent Content(int? sortOrder = null, bool hot = false, bool isNew = false) =>
        new("  清爽解渴，夏季热卖。  ", ["0 糖 0 脂", "  ", "整箱 24 瓶"], ["夏日爆款", "夏日爆款", "团购"], isNew, hot, sortOrder);

    [Test]
    public async Task Content_reaches_the_store_and_survives_the_erp_product_feed_running_again()
    {
        var w = await SyncWorld.CreateAsync(kind);
        await w.Sync.PullAllAsync();
        var admin = new ProductContentAdmin(w.Db, w.Clock);
        var product = w.Data.Products.First(p => p.Active);
        var customer = await w.Customer(w.Data.Customers[0].Code);

        Assert.That(await admin.SetAsync(product.Sku, Content(sortOrder: 1, hot: true), "admin"), Is.True);
        var shown = await w.Catalog.GetAsync(customer, product.Sku);
        Assert.Multiple(() =>
        {
            Assert.That(shown!.Description, Is.EqualTo("清爽解渴，夏季热卖。"));
            Assert.That(shown.SellingPoints, Is.EqualTo(new[] { "0 糖 0 脂", "整箱 24 瓶" }), "blank points dropped");
            Assert.That(shown.Tags, Is.EqualTo(new[] { "夏日爆款", "团购" }), "a repeated tag once");
            Assert.That((shown.IsHot, shown.IsNew), Is.EqualTo((true, false)));
        });

        // The ERP renames the product and changes its price; the product feed applies it; then a full resync applies every product again.
        w.Clock.Advance(TimeSpan.FromMinutes(1));
        w.Erp.ProductPage = new ErpPage<ErpProduct>([new ErpProduct(product.Sku, product.Name + " 新包装", product.Spec, product.Unit, product.PackSize,
            product.MinOrderQty, product.Barcode, product.Brand, ["饮料"], 999, "CNY", true, w.Clock.GetUtcNow())], "next", false);
        var run = await w.Sync.PullProductsAsync();
        Assert.That(run.Error, Is.Null);
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM products WHERE sku = @Sku AND name LIKE '%新包装' AND base_price_fen = 999", product),
            Is.EqualTo(1), "the feed applied the ERP's change");
        w.Erp.ProductPage = null;
        await w.FullResync.RunAsync();
        var after = await w.Catalog.GetAsync(customer, product.Sku);
        var stored = await admin.GetAsync(product.Sku);
        Assert.Multiple(() =>
        {
            Assert.That(after!.Description, Is.EqualTo("清爽解渴，夏季热卖。"));
            Assert.That(after.SellingPoints, Has.Count.EqualTo(2));
            Assert.That(after.Tags, Is.EqualTo(new[] { "夏日爆款", "团购" }));
            Assert.That(after.IsHot, Is.True);
            Assert.That(stored!.SortOrder, Is.EqualTo(1));
            Assert.That(stored.UpdatedBy, Is.EqualTo("admin"));
        });
    }

    [Test]
    public async Task Recommended_order_puts_positioned_then_hot_then_new_products_first_and_pages_through_all()
    {
        var w = await SyncWorld.CreateAsync(kind);
        var admin = new ProductContentAdmin(w.Db, w.Clock);
        var active = w.Data.Products.Where(p => p.Active).Select(p => p.Sku).Order(StringComparer.Ordinal).ToList();
        var (second, first, hot, fresh) = (active[10], active[20], active[30], active[5]);
        await admin.SetAsync(first, Content(sortOrder: 1), "admin");
        await admin.SetAsync(second, Content(sortOrder: 2, hot: true), "admin");
        await admin.SetAsync(hot, Content(hot: true), "admin");
        await admin.SetAsync(fresh, Content(isNew: true), "admin");
        var customer = await w.Customer(w.Data.Customers[0].Code);

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await w.Catalog.ListAsync(customer, new CatalogFilter(null, null, null, after, 37, CatalogSort.Recommended));
            seen.AddRange(page.Items.Select(i => i.Sku));
            after = page.NextCursor;
        } while (after is not null);
        var bySku = (await w.Catalog.ListAsync(customer, new CatalogFilter(null, null, null, null, 1000))).Items.Select(i => i.Sku).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen.Take(4), Is.EqualTo(new[] { first, second, hot, fresh }));
            Assert.That(seen, Is.EquivalentTo(bySku), "every product this store sees, once");
            Assert.That(seen.Skip(4), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), "the rest in SKU order");
        });
    }

    [Test]
    public async Task A_tag_is_searchable_and_the_content_is_checked()
    {
        var w = await SyncWorld.CreateAsync(kind);
        var admin = new ProductContentAdmin(w.Db, w.Clock);
        var sku = w.Data.Products.First(p => p.Active).Sku;
        await admin.SetAsync(sku, Content(), "admin");
        var customer = await w.Customer(w.Data.Customers[0].Code);
        var found = await w.Catalog.ListAsync(customer, new CatalogFilter("夏日爆款", null, null, null, 20));
        Assert.That(found.Items.Select(i => i.Sku), Is.EqualTo(new[] { sku }));

        var tooMany = new ProductContent(null, Enumerable.Range(0, 9).Select(i => $"卖点{i}").ToList(), ["这是一个很长很长很长的标签"], false, false, -1);
        Assert.That(ProductContentAdmin.Check(tooMany).Keys, Is.EquivalentTo(new[] { "sellingPoints", "tags", "sortOrder" }));
        Assert.That(await admin.SetAsync("NO-SUCH-SKU", Content(), "admin"), Is.False);
    }
}
