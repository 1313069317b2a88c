using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Tests.Api;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.Security;

/// <summary>
/// Runs sign-ins and WeChat calls with every log category at Trace and checks that no log line carries a token,
/// a password, WeChat's session_key, an access token or the app secrets.
/// </summary>
public class LogSecretsTests
{
    private sealed class CaptureLogs : ILoggerProvider
    {
        public readonly ConcurrentQueue<string> Lines = new();
        public ILogger CreateLogger(string category) => new Logger(this, category);
        public void Dispose() { }

        private sealed class Logger(CaptureLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel level) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format) =>
                owner.Lines.Enqueue($"{category} {format(state, e)} {e}");
        }
    }

    [Test]
    public async Task No_log_line_carries_a_token_password_session_key_or_secret()
    {
        await using var fake = await FakeWeChatServer.StartAsync();
        var logs = new CaptureLogs();
        using var host = new ApiHost(settings: new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["WeChat:Enabled"] = "true", ["WeChat:AppId"] = fake.Options.AppId, ["WeChat:AppSecret"] = fake.Options.AppSecret,
            ["WeChat:ApiBaseUrl"] = fake.BaseUrl, ["WeChat:RateLimit:PermitLimit"] = "1000", ["WeChat:Dispatch:IntervalSeconds"] = "0",
            ["WeCom:Enabled"] = "true", ["WeCom:CorpId"] = fake.Options.CorpId, ["WeCom:Secret"] = fake.Options.CorpSecret, ["WeCom:ApiBaseUrl"] = fake.BaseUrl,
        }, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var anonymous = host.CreateClient();
        var secrets = new List<string> { fake.Options.AppSecret, fake.Options.CorpSecret, "demo1234" };

        // Bearer and refresh tokens of a store, a refresh, a staff password sign-in.
        var login = await HttpAssert.Ok(await anonymous.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = "C00001" }));
        secrets.Add(login.GetProperty("accessToken").GetString()!);
        secrets.Add(login.GetProperty("refreshToken").GetString()!);
        var refreshed = await HttpAssert.Ok(await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() }));
        secrets.Add(refreshed.GetProperty("accessToken").GetString()!);
        var staff = await HttpAssert.Ok(await anonymous.PostAsJsonAsync("/api/auth/staff/login", new { login = "admin", password = "demo1234" }));
        secrets.Add(staff.GetProperty("accessToken").GetString()!);
        await anonymous.PostAsJsonAsync("/api/auth/staff/login", new { login = "finance", password = "wrong-password-123" });
        secrets.Add("wrong-password-123");

        // A WeChat login of an unbound user: session_key stays inside, the pending token goes out.
        var code = fake.IssueCode("openid-log-test");
        var wx = await HttpAssert.Ok(await anonymous.PostAsJsonAsync("/api/wechat/login", new { code }));
        secrets.Add(fake.SessionKeyIssuedFor(code)!);
        if (wx.TryGetProperty("pendingToken", out var pending)) secrets.Add(pending.GetString()!);

        // A call that needs WeChat's access token: an agent's unlimited mini-program code.
        var agent = await host.AgentAsync("AG001");
        var customerId = await host.Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = 'AG001' ORDER BY c.id LIMIT 1");
        var binding = await HttpAssert.Ok(await agent.PostAsJsonAsync($"/api/agent/customers/{customerId}/binding-codes", new { }));
        await agent.GetAsync(binding.GetProperty("wxacodeUrl").GetString());
        foreach (var call in fake.Calls)
            if (call.Query.TryGetValue("access_token", out var token)) secrets.Add(token);
        Assert.That(fake.Calls.Any(c => c.Query.ContainsKey("access_token")), Is.True, "a WeChat call with an access token was made");

        var text = string.Join("\n", logs.Lines);
        Assert.That(logs.Lines, Is.Not.Empty);
        foreach (var secret in secrets.Where(s => s.Length >= 8).Distinct())
            Assert.That(text, Does.Not.Contain(secret), $"a log line carries a secret starting {secret[..4]}…");
    }
}
