using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Sync;

/// <summary>The back office's sync API on the real host (demo ERP adapter, jobs off so only the test runs feeds).</summary>
public sealed class SyncApiTests
{
    private static ApiHost Host(string kind, bool erpDown) => new(kind, settings: new()
    {
        ["Jobs:Enabled"] = "false",
        ["Erp:Adapter"] = "Demo",
        ["Erp:Demo:Unavailable"] = erpDown ? "true" : "false",
    });

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Health_shows_a_failing_feeds_consecutive_failures_and_last_error(string kind)
    {
        await using var host = Host(kind, erpDown: true);
        var admin = await host.StaffAsync("admin");
        var clerk = await host.StaffAsync("clerk");

        for (var i = 0; i < 2; i++)
        {
            var run = await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/products/run", null));
            Assert.That(run.GetProperty("error").GetString(), Does.Contain("unavailable"));
        }
        var health = await HttpAssert.Ok(await clerk.GetAsync("/api/admin/sync/health"));

        var stock = health.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("feed").GetString() == "products");
        Assert.That(stock.GetProperty("consecutiveFailures").GetInt32(), Is.EqualTo(2));
        Assert.That(stock.GetProperty("lastError").GetString(), Does.Contain("ERP 不可用 / ERP unavailable"));
        Assert.That(health.GetProperty("adapter").GetString(), Is.EqualTo("Demo ERP"));
        Assert.That(health.GetProperty("outbox").GetProperty("failed").GetInt64(), Is.Zero);
        await HttpAssert.Problem(await clerk.PostAsync("/api/admin/sync/products/run", null), 403);
        await HttpAssert.Problem(await admin.PostAsync("/api/admin/sync/nonsense/run", null), 404);

        // The ERP comes back: a good run clears the error, and the time of the last failure stays visible.
        host.Services.GetRequiredService<OrderHub.Erp.Demo.DemoErpOptions>().Unavailable = false;
        await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/products/run", null));
        health = await HttpAssert.Ok(await clerk.GetAsync("/api/admin/sync/health"));
        var recovered = health.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("feed").GetString() == "products");
        Assert.That(recovered.GetProperty("consecutiveFailures").GetInt32(), Is.Zero);
        Assert.That(recovered.TryGetProperty("lastError", out var error) ? error.ValueKind : System.Text.Json.JsonValueKind.Null,
            Is.EqualTo(System.Text.Json.JsonValueKind.Null), "no error after a good run");
        Assert.That(recovered.TryGetProperty("lastErrorAtMs", out var at) && at.ValueKind != System.Text.Json.JsonValueKind.Null, Is.True, recovered.ToString());
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Admin_runs_feeds_pushes_orders_and_retries_parked_messages(string kind)
    {
        await using var host = Host(kind, erpDown: false);
        var admin = await host.StaffAsync("admin");

        var resync = await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/full-resync", null));
        Assert.That(resync.EnumerateArray().Select(r => r.GetProperty("error").ValueKind), Is.All.EqualTo(System.Text.Json.JsonValueKind.Null));
        var push = await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/orders/run", null));
        Assert.That(push.GetProperty("sent").GetInt32(), Is.Zero);

        await HttpAssert.Problem(await admin.PostAsync("/api/admin/sync/outbox/999999/retry", null), 404);
        var list = await HttpAssert.Ok(await admin.GetAsync("/api/admin/sync/outbox?status=failed"));
        Assert.That(list.GetArrayLength(), Is.Zero);
        await HttpAssert.Problem(await admin.GetAsync("/api/admin/sync/outbox?status=lost"), 400);
    }
}
