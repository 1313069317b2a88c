using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderHub.Application.Data;
using OrderHub.Hosting;
using OrderHub.Jobs;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>The jobs as the worker runs them: Quartz on the RAM store, and on the clustered ADO.NET store in PostgreSQL.</summary>
public sealed class ScheduledJobsTests
{
    [TestCase(TestDatabase.Sqlite, false)]
    [TestCase(TestDatabase.Postgres, true)]
    public async Task The_scheduled_pull_jobs_sync_the_demo_ERP_into_an_empty_OrderHub(string kind, bool clustered)
    {
        var db = await TestDatabase.CreateAsync(kind);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = db.ConnectionString,
            ["Erp:Adapter"] = "Demo",
            ["Erp:Demo:FilePath"] = Path.Combine(Path.GetTempPath(), $"orderhub-test-demo-erp-{Guid.NewGuid():N}.db"),
            ["Jobs:Clustered"] = clustered ? "true" : "false",
            ["Jobs:PullProducts:IntervalSeconds"] = "1",
            ["Jobs:PullStock:IntervalSeconds"] = "1",
        });
        // The worker's wiring exactly: the one composition root.
        builder.Services.AddOrderHub(builder.Configuration);
        using var host = builder.Build();
        await host.Services.PrepareDatabaseAsync();

        await host.StartAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && await Count(db, "SELECT COUNT(*) FROM stock") == 0) await Task.Delay(250);
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.That(await Count(db, "SELECT COUNT(*) FROM products"), Is.EqualTo(300));
        Assert.That(await Count(db, "SELECT COUNT(*) FROM stock"), Is.EqualTo(600));
        if (clustered)
        {
            // Every job this configuration schedules has its trigger in the shared store: the ERP feeds, the push, the full
            // resync, the first import, the demo ERP's tick, the report refresh, unpaid-order expiry, recurring orders, restock
            // reminders and lifecycle stages (WeChat is off, so none of its jobs).
            var expected = JobsRegistration.Scheduled(builder.Services, builder.Configuration).Select(j => j.Key).ToList();
            Assert.That(expected, Is.EquivalentTo(new[] { "initial-import", "pull-stock", "pull-prices", "pull-products", "pull-customers", "pull-payments",
                "pull-order-status", "push-orders", "full-resync", "demo-erp-tick", "refresh-reports",
                "expire-unpaid-orders", "recurring-orders", "restock-reminders", "lifecycle" }));
            Assert.That(await Count(db, "SELECT COUNT(*) FROM qrtz_triggers WHERE sched_name = 'OrderHub'"), Is.EqualTo(expected.Count));
        }
    }

    /// <summary>
    /// The API host's jobs of WeChat Work chat commerce (issue #20), registered only where WeCom is switched on: the 群发
    /// result read-back beside the hand-over follow-up.
    /// </summary>
    [Test]
    public void The_API_host_schedules_the_mass_message_results_job_where_WeChat_Work_is_on()
    {
        IReadOnlyList<string> Keys(bool on)
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WeCom:Enabled"] = on ? "true" : "false" }).Build();
            var services = new ServiceCollection();
            OrderHub.Api.ChatCommerce.ChatCommerceApi.AddChatCommerce(services, config);
            return JobsRegistration.Scheduled(services, config).Select(j => j.Key).ToList();
        }
        Assert.That(Keys(true), Is.EquivalentTo(new[] { "wecom-mass-message-results" }));
        Assert.That(Keys(false), Is.Empty);
    }

    private static async Task<long> Count(Db db, string sql)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }
}
