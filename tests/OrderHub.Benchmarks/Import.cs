using System.Diagnostics;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.DemoData;
using OrderHub.Testing;

namespace OrderHub.Benchmarks;

public sealed record ImportResult(int Products, int StockRows, int CustomerPrices, double Seconds, double ServerPeakMb);

/// <summary>
/// Initial ERP import: an empty OrderHub database, the demo ERP holding the data set, the real server with its jobs;
/// timed from the server's start until every product, stock row and customer price has arrived.
/// </summary>
public static class Import
{
    public static async Task<ImportResult> MeasureAsync(string kind, DemoDataSize size, DemoDataSet data, TimeSpan timeout)
    {
        string cs;
        if (kind == "postgres") cs = PostgresCluster.TryCreateDatabase().ConnectionString ?? throw new InvalidOperationException("PostgreSQL unavailable");
        else cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"orderhub-import-{Guid.NewGuid():N}.db")}";
        var db = new Db(cs);
        await new Migrator(db).MigrateAsync();
        var erpFile = Path.Combine(Path.GetTempPath(), $"orderhub-import-erp-{Guid.NewGuid():N}.db");
        var expectedStock = data.Stock.Count;
        var expectedPrices = data.CustomerPrices.Count;
        var clock = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(cs, new Dictionary<string, string>
        {
            ["Erp__Adapter"] = "Demo", ["Erp__Demo__FilePath"] = erpFile, ["Demo__Size"] = SizeName(size), ["Demo__RandomSeed"] = "20261125",
            ["Erp__Demo__PageSize"] = "5000", ["Sync__MaxPagesPerRun"] = "100000", ["Jobs__DemoErpTick__Enabled"] = "false",
            ["Jobs__PullProducts__IntervalSeconds"] = "1", ["Jobs__PullCustomers__IntervalSeconds"] = "1", ["Jobs__PullPrices__IntervalSeconds"] = "1",
        });
        double peak = 0;
        await using var c = await db.OpenAsync();
        while (clock.Elapsed < timeout)
        {
            peak = Math.Max(peak, server.Memory().PeakMb);
            var products = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products");
            var stock = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock");
            var prices = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_prices");
            if (products >= data.Products.Count && stock >= expectedStock && prices >= expectedPrices)
                return new ImportResult((int)products, (int)stock, (int)prices, clock.Elapsed.TotalSeconds, peak);
            await Task.Delay(200);
        }
        return new ImportResult(-1, -1, -1, double.PositiveInfinity, peak);
    }

    private static string SizeName(DemoDataSize s) => s == DemoDataSize.Large ? "large" : "demo";
}
