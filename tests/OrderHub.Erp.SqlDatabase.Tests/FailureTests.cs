using OrderHub.Erp.SqlDatabase.Tests.Support;
using OrderHub.Testing;

namespace OrderHub.Erp.SqlDatabase.Tests;

public class FailureTests
{
    [Test]
    public void Erp_database_down_is_unavailable_for_every_call()
    {
        var options = SampleErpDatabase.LoadSampleOptions();
        options.ConnectionString = $"Host=127.0.0.1;Port={PostgresCluster.FreePort()};Username=postgres;Database=erp;Timeout=3";
        var adapter = new SqlDatabaseErpAdapter(options);

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullProductsAsync(null, CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullOrderStatusAsync("17", CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.FindOrderAsync("OH-1", CancellationToken.None));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PushOrderAsync(SampleOrders.Sample("OH-1"), CancellationToken.None));
    }

    [Test]
    public void Sql_server_down_is_unavailable()
    {
        var options = new SqlDatabaseErpOptions
        {
            Provider = SqlDatabaseErpOptions.SqlServer,
            ConnectionString = $"Server=tcp:127.0.0.1,{PostgresCluster.FreePort()};Database=UFDATA_001_2025;User Id=sa;Password=x;Connect Timeout=3;Encrypt=false",
            Queries = { Products = "SELECT TOP (@limit) 1 AS Code" },
        };
        var adapter = new SqlDatabaseErpAdapter(options);

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullProductsAsync(null, CancellationToken.None));
    }

    [Test]
    public async Task A_query_that_runs_past_the_command_timeout_is_unavailable()
    {
        var erp = await SampleErpDatabase.CreateAsync(withMasterData: false);
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o =>
        {
            o.CommandTimeoutSeconds = 1;
            o.Queries.Customers = "SELECT pg_sleep(5), @cursor AS c, @limit AS l";
        }));

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullCustomersAsync(null, CancellationToken.None));
    }

    [Test]
    public async Task A_feed_without_a_query_returns_nothing()
    {
        var erp = await SampleErpDatabase.CreateAsync(withMasterData: false);
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => o.Queries.Payments = null));

        var page = await adapter.PullPaymentsAsync("x", CancellationToken.None);

        Assert.That(page, Is.EqualTo(ErpPage<ErpPayment>.Empty("x")).Using<ErpPage<ErpPayment>>((a, b) => a.Items.Count == b.Items.Count && a.NextCursor == b.NextCursor && a.HasMore == b.HasMore));
    }
}
