using Dapper;

namespace OrderHub.Erp.Demo.Tests;

public class SeedTests : DemoErpFixture
{
    [Test]
    public async Task An_empty_ERP_is_seeded_from_the_generated_set_and_a_seeded_one_builds_no_set_at_all()
    {
        var erp = new DemoErp(new DemoErpOptions { FilePath = NewFile() }, Clock);
        var generated = 0;
        Assert.That(await erp.IsSeededAsync(), Is.False);
        Assert.That(await erp.SeedIfEmptyAsync(() => { generated++; return Data; }), Is.True);
        Assert.That(await erp.IsSeededAsync(), Is.True);

        Assert.That(await erp.SeedIfEmptyAsync(() => { generated++; return Data; }), Is.False);
        Assert.That(await erp.SeedIfEmptyAsync(Data), Is.False);
        Assert.That(generated, Is.EqualTo(1));
        await using var c = await erp.OpenAsync(CancellationToken.None);
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products"), Is.EqualTo(Data.Products.Count));
    }

    [Test]
    public async Task Seeding_numbers_every_row_in_order_with_the_change_counter()
    {
        var (erp, _, _) = await SeededAsync();
        await using var c = await erp.OpenAsync(CancellationToken.None);
        var rows = Data.Products.Count * 2 + Data.Stock.Count + Data.PriceListItems.Count + Data.CustomerPrices.Count + Data.Customers.Count;
        var seqs = (await c.QueryAsync<long>("""
            SELECT seq FROM products UNION ALL SELECT seq FROM stock UNION ALL SELECT seq FROM prices UNION ALL SELECT seq FROM customers
            ORDER BY 1
            """)).ToList();
        Assert.That(seqs, Is.EqualTo(Enumerable.Range(1, rows).Select(i => (long)i)));
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT value FROM change_seq"), Is.EqualTo(rows));
        // Products first, in the data set's order; customers last.
        Assert.That(await c.QueryAsync<string>("SELECT code FROM products ORDER BY seq"), Is.EqualTo(Data.Products.Select(p => p.Sku)));
        Assert.That(await c.QueryAsync<string>("SELECT code FROM customers ORDER BY seq"), Is.EqualTo(Data.Customers.Select(x => x.Code)));
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT MIN(seq) FROM customers"), Is.EqualTo(rows - Data.Customers.Count + 1));
        Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM prices WHERE is_tracking = 1"), Is.EqualTo(Data.CustomerPrices.Count(p => p.Source == "erp_tracking")));
    }
}
