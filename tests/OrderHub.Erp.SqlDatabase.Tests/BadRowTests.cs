using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

public class BadRowTests
{
    [Test]
    public async Task Bad_rows_are_reported_and_the_good_rows_still_come()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        await erp.ExecAsync("""
            INSERT INTO inventory (cinvcode, cinvname, cunit, iprice, ccurrency, dmodifytime) VALUES
              ('B1', '未知单位', '坨', 1.00, 'CNY', '2025-01-10 09:00:03'),
              ('B2', '港币商品', '瓶', 1.00, 'HKD', '2025-01-10 09:00:04'),
              ('B3', '厘钱商品', '瓶', 1.234, 'CNY', '2025-01-10 09:00:05');
            UPDATE currentstock SET iquantity = -12 WHERE cinvcode = 'P002';
            """);
        var issues = new ErpDataIssueList();
        var adapter = new SqlDatabaseErpAdapter(erp.Options(), issues);

        var products = await adapter.PullProductsAsync(null, CancellationToken.None);
        var stock = await adapter.PullStockAsync(null, CancellationToken.None);

        Assert.That(products.Items.Select(p => p.Code), Is.EqualTo(new[] { "P001", "P002", "P003" }));
        Assert.That(products.NextCursor, Does.StartWith("2025-01-10T09:00:05"), "the cursor moves past bad rows");
        Assert.That(stock.Items.Single(s => s.ProductCode == "P002").OnHand, Is.Zero);
        var reported = issues.Drain();
        Assert.That(reported.Select(i => (i.Feed, i.Key, i.RowSkipped)), Is.EqualTo(new[]
        {
            ("Products", (string?)"B1", true), ("Products", "B2", true), ("Products", "B3", true), ("Stock", "P002@WH1", false),
        }));
        Assert.That(reported[0].Problem, Does.Contain("坨"));
        Assert.That(reported[1].Problem, Does.Contain("HKD"));
        Assert.That(reported[2].Problem, Does.Contain("1.234"));
        Assert.That(reported[3].Problem, Does.Contain("-12"));
        Assert.That(issues.Drain(), Is.Empty);
    }

    [Test]
    public async Task Sub_fen_and_foreign_currency_prices_are_reported()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        await erp.ExecAsync("""
            INSERT INTO price_adjust (cinvcode, ctype, ctarget, iprice, ccurrency, dmodifytime) VALUES
              ('P001', 'customer', 'C002', 1.855, 'CNY', '2025-01-10 09:40:00'),
              ('P002', 'customer', 'C002', 2.00, 'USD', '2025-01-10 09:40:01');
            """);
        var adapter = new SqlDatabaseErpAdapter(erp.Options());

        var prices = (await PageReader.ReadAllAsync<ErpPrice>(adapter.PullPricesAsync)).Items;

        Assert.That(prices.Where(p => p.ScopeCode == "C002"), Is.Empty);
        Assert.That(adapter.Issues!.Peek().Select(i => i.ToString()), Is.EqualTo(new[]
        {
            "Prices P001/C002: Price 1.8550 yuan has digits below one fen — skipped",
            "Prices P002/C002: currency USD is not CNY — skipped",
        }));
    }

    [Test]
    public async Task A_query_missing_a_contract_column_is_a_configuration_error()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => o.Queries.Stock =
            "SELECT cinvcode AS ProductCode, iquantity AS OnHand, dmodifytime AS ChangedAt, dmodifytime AS CursorValue FROM currentstock LIMIT @limit"));

        var e = Assert.ThrowsAsync<ErpQueryContractException>(() => adapter.PullStockAsync(null, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("WarehouseCode"));
    }

    [Test]
    public void Yuan_converts_to_fen_exactly()
    {
        Assert.That(Feeds.Yuan.ToFen(12.34m), Is.EqualTo(1234));
        Assert.That(Feeds.Yuan.ToFen(12.3400m), Is.EqualTo(1234));
        Assert.That(Feeds.Yuan.ToFen(0.01m), Is.EqualTo(1));
        Assert.That(Feeds.Yuan.ToFen(-5m), Is.EqualTo(-500));
        Assert.That(Feeds.Yuan.ToFen(12.345m), Is.Null);
        Assert.That(Feeds.Yuan.ToFen((decimal)19.99d), Is.EqualTo(1999));
    }
}
