using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderHub.Erp.Tryton.Tests.Support;

namespace OrderHub.Erp.Tryton.Tests;

/// <summary>An ERP that is down or hangs must fail fast with ErpUnavailableException, never hang a job.</summary>
public sealed class UnavailableTests
{
    [Test]
    public async Task A_stopped_Tryton_throws_ErpUnavailable()
    {
        await using var server = await TrytonServer.StartAsync();
        using var adapter = new TrytonErpAdapter(server.AdminOptions(timeoutSeconds: 3));
        await adapter.PullOrderStatusAsync(null, default); // logged in and working

        server.Kill();
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullProductsAsync(null, default));
        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.FindOrderAsync("OH-1", default));
        // Two calls, each bounded by the 3 s timeout: never a hang (with room for a busy machine).
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void A_server_that_never_answers_times_out_as_ErpUnavailable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (backlog) but never replies
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var adapter = new TrytonErpAdapter(new TrytonOptions($"http://127.0.0.1:{port}", "orderhub", "admin", "admin", TimeoutSeconds: 1));
        var watch = Stopwatch.StartNew();

        var e = Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullCustomersAsync(null, default));

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(e!.Message, Does.Contain("no answer"));
    }

    [Test]
    public void Nothing_listening_throws_ErpUnavailable()
    {
        var port = FreePort();
        using var adapter = new TrytonErpAdapter(new TrytonOptions($"http://127.0.0.1:{port}", "orderhub", "admin", "admin", TimeoutSeconds: 2));

        Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullStockAsync(null, default));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
