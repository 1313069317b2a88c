using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;

namespace OrderHub.Erp.Tryton.Tests;

public sealed class SessionTests
{
    [Test]
    public async Task An_expired_session_is_renewed_by_one_fresh_login()
    {
        // Tryton drops sessions older than [session] max_age seconds and then answers HTTP 401.
        await using var server = await TrytonServer.StartAsync("[session]\nmax_age = 2");
        using var rpc = new TrytonJsonRpcClient(server.AdminOptions());
        await rpc.LoginAsync(default);
        var firstSession = rpc.UserId;
        await rpc.CallAsync("model.res.user.get_preferences", [true], null, default);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var prefs = await rpc.CallAsync("model.res.user.get_preferences", [true], null, default);

        Assert.That(prefs, Is.InstanceOf<Dictionary<string, object?>>());
        Assert.That(rpc.UserId, Is.EqualTo(firstSession));
        Assert.That(rpc.Logins, Is.EqualTo(2), "one login at the start, one after the session expired");
    }

    [Test]
    public async Task Wrong_credentials_are_reported_without_retrying_forever()
    {
        await using var server = await TrytonServer.StartAsync();
        using var adapter = new TrytonErpAdapter(server.AdminOptions() with { Password = "wrong" });

        var e = Assert.ThrowsAsync<ErpUnavailableException>(() => adapter.PullProductsAsync(null, default));
        Assert.That(e!.Message, Does.Contain("refused the login"));
    }
}
