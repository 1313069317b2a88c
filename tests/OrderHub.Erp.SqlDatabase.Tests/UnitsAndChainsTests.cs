using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

/// <summary>
/// Units and chains (issue #17) through the sample ERP database on PostgreSQL: the ProductUnits query gives each product of
/// a page its larger units (a case of a random size at a 4-decimal price), an order line in a case goes to the ERP with its
/// unit code, and a HeadOfficeCode column in the customers query names each store's head office.
/// </summary>
public class UnitsAndChainsTests
{
    private const string UnitsQuery =
        "SELECT cinvcode AS ProductCode, cunit AS Unit, irate AS Factor, iprice AS Price, ccode AS ErpCode FROM inventory_unit WHERE cinvcode = ANY(@codes) ORDER BY cinvcode, irate";

    [Test]
    public async Task The_units_query_gives_each_product_its_cases_and_a_case_line_is_written_in_cases()
    {
        var rng = new Random(TestContext.CurrentContext.Random.Next());
        var factor = rng.Next(2, 49);
        var price = rng.Next(100, 100_000) / 10_000m + rng.Next(10, 90);              // 4 decimals, e.g. 47.0456
        var erp = await SampleErpDatabase.CreateAsync();
        await erp.ExecAsync("""
            CREATE TABLE inventory_unit (cinvcode text NOT NULL REFERENCES inventory, cunit text, irate numeric(18,4), iprice numeric(18,4), ccode text);
            INSERT INTO inventory_unit VALUES ('P001', '箱', @factor, @price, 'XIANG'), ('P002', '半箱', 0.5, NULL, 'HALF'), ('P002', '提', 6, NULL, NULL);
            ALTER TABLE so_details ADD COLUMN cunit text;
            """, new { factor, price });
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o =>
        {
            o.Queries.ProductUnits = UnitsQuery;
            o.PushOrder.InsertLine = "INSERT INTO so_details (so_id, irowno, cinvcode, iquantity, iunitprice, isum, cunit) SELECT id, @lineNo, @productCode, @quantity, @unitPrice, @amount, NULLIF(@unit, '') FROM so_main WHERE csocode = @erpOrderId";
        }));

        var products = (await adapter.PullProductsAsync(null, default)).Items.ToDictionary(p => p.Code);
        var caseFen = (long)decimal.Round(price * 100m, 0, MidpointRounding.AwayFromZero);
        Assert.Multiple(() =>
        {
            Assert.That(products["P001"].Units, Is.EqualTo(new[] { new ErpProductUnit("箱", factor, caseFen, "XIANG") }));
            Assert.That(products["P002"].Units, Is.EqualTo(new[] { new ErpProductUnit("提", 6, null, "提") }), "half a case is no unit; the ERP code defaults to the name");
            Assert.That(products["P003"].Units, Is.Empty, "no rows: sold in base units only");
            Assert.That(adapter.Issues!.Peek().Select(i => i.Key), Is.EqualTo(new[] { "P002" }));
        });

        await adapter.PushOrderAsync(new ErpOrder("OH-UNIT-1", "C001", "WH1",
            [new ErpOrderLine("P001", 2, caseFen, "XIANG"), new ErpOrderLine("P001", 5, 200)], null, null), default);
        Assert.That(await erp.ScalarAsync<string>("SELECT string_agg(cunit || ':' || iquantity, ',' ORDER BY irowno) FROM so_details"), Is.EqualTo("XIANG:2.00"));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT iquantity FROM so_details WHERE cunit IS NULL"), Is.EqualTo(5m), "the loose line in base units");
    }

    [Test]
    public async Task A_page_larger_than_a_thousand_products_gets_every_products_units()
    {
        // PageSize may exceed what one IN list may carry (SQL Server: 2,100 parameters): the units are read 1,000 codes at a time.
        var rng = new Random(TestContext.CurrentContext.Random.Next());
        var count = rng.Next(2_100, 2_600);
        var erp = await SampleErpDatabase.CreateAsync();
        await erp.ExecAsync("""
            CREATE TABLE inventory_unit (cinvcode text NOT NULL REFERENCES inventory, cunit text, irate numeric(18,4), iprice numeric(18,4), ccode text);
            INSERT INTO inventory (cinvcode, cinvname, cunit, iprice)
              SELECT 'R' || lpad(n::text, 5, '0'), '随机商品' || n, '瓶', (100 + n % 900) / 100.0 FROM generate_series(1, @count) n;
            INSERT INTO inventory_unit SELECT cinvcode, '箱', 6 + (length(cinvcode) + ascii(substr(cinvcode, 6))) % 19, NULL, 'X' || cinvcode
              FROM inventory WHERE cinvcode LIKE 'R%' AND random() < 0.5;
            """, new { count });
        var expected = (await erp.QueryAsync<(string Code, decimal Factor)>("SELECT cinvcode, irate FROM inventory_unit"))
            .ToDictionary(x => x.Code, x => (int)x.Factor);
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => { o.PageSize = 5_000; o.Queries.ProductUnits = UnitsQuery; }));

        var products = (await adapter.PullProductsAsync(null, default)).Items.Where(p => p.Code.StartsWith('R')).ToList();
        Assert.That(products, Has.Count.EqualTo(count), "the whole random range in one page");
        var withUnits = products.Where(p => p.Units.Count > 0).ToDictionary(p => p.Code, p => p.Units.Single());
        Assert.That(withUnits.Keys, Is.EquivalentTo(expected.Keys), "every product with a unit row got it, across the 1,000-code chunks");
        Assert.That(withUnits.All(kv => kv.Value.Factor == expected[kv.Key] && kv.Value.ErpCode == "X" + kv.Key), Is.True);
    }

    [Test]
    public async Task A_head_office_column_names_each_stores_head_office()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        await erp.ExecAsync("ALTER TABLE customer ADD COLUMN cheadcode text; UPDATE customer SET cheadcode = 'C001' WHERE ccuscode = 'C002'");
        var sample = SampleErpDatabase.LoadSampleOptions().Queries.Customers!;
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => o.Queries.Customers = sample.Replace("NOT bstop AS Active,", "NOT bstop AS Active, cheadcode AS HeadOfficeCode,")));
        var customers = (await adapter.PullCustomersAsync(null, default)).Items.ToDictionary(c => c.Code, c => c.HeadOfficeCode);
        Assert.That(customers, Is.EquivalentTo(new Dictionary<string, string?> { ["C001"] = "", ["C002"] = "C001" }));

        var plain = new SqlDatabaseErpAdapter(erp.Options());
        Assert.That((await plain.PullCustomersAsync(null, default)).Items.Select(c => c.HeadOfficeCode), Is.All.Null, "no column: no chain information");
    }
}
