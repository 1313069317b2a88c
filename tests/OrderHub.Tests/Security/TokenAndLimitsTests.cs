using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Security;

/// <summary>Tokens that must stop working, request size limits, and a busy database answering 503 instead of hanging.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class TokenAndLimitsTests(string kind)
{
    private ApiHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind, settings: new() { ["Auth:UserCheckSeconds"] = "0" });
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private static string? Token(HttpClient c) => c.DefaultRequestHeaders.Authorization?.Parameter;

    [Test]
    public async Task A_tampered_token_is_refused()
    {
        var client = await _host.CustomerAsync("C00005");
        var token = Token(client)!;
        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);
        await HttpAssert.Problem(await client.GetAsync("/api/catalog/products"), 401);
    }

    [Test]
    public async Task A_disabled_store_user_is_locked_out_at_once_and_cannot_refresh()
    {
        var userId = await _host.Scalar<long>("SELECT u.id FROM customer_users u JOIN customers c ON c.id = u.customer_id WHERE c.code = 'C00006' ORDER BY u.id LIMIT 1");
        var anonymous = _host.CreateClient();
        var login = await HttpAssert.Ok(await anonymous.PostAsJsonAsync("/api/auth/dev-login", new { customerUserId = userId }));
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        await HttpAssert.Ok(await client.GetAsync("/api/catalog/products?limit=1"));
        await _host.Exec("UPDATE customer_users SET active = FALSE WHERE id = @userId", new { userId });
        try
        {
            await HttpAssert.Problem(await client.GetAsync("/api/catalog/products?limit=1"), 401, "停用");
            await HttpAssert.Problem(await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() }), 401);
        }
        finally { await _host.Exec("UPDATE customer_users SET active = TRUE WHERE id = @userId", new { userId }); }
    }

    [Test]
    public async Task A_store_user_moved_to_another_store_loses_the_old_stores_token()
    {
        var userId = await _host.Scalar<long>("SELECT u.id FROM customer_users u JOIN customers c ON c.id = u.customer_id WHERE c.code = 'C00007' ORDER BY u.id LIMIT 1");
        var client = await _host.SignInAsync(new { customerUserId = userId });
        var old = await _host.Scalar<long>("SELECT customer_id FROM customer_users WHERE id = @userId", new { userId });
        var other = await _host.Scalar<long>("SELECT id FROM customers WHERE code = 'C00008'");
        await _host.Exec("UPDATE customer_users SET customer_id = @other WHERE id = @userId", new { other, userId });
        try { await HttpAssert.Problem(await client.GetAsync("/api/cart"), 401); }
        finally { await _host.Exec("UPDATE customer_users SET customer_id = @old WHERE id = @userId", new { old, userId }); }
    }

    [Test]
    public async Task Disabled_agents_and_staff_are_locked_out()
    {
        var agent = await _host.AgentAsync("AG005");
        var staff = await _host.StaffAsync("warehouse");
        await _host.Exec("UPDATE agents SET active = FALSE WHERE code = 'AG005'");
        await _host.Exec("UPDATE staff SET active = FALSE WHERE login = 'warehouse'");
        try
        {
            await HttpAssert.Problem(await agent.GetAsync("/api/agent/customers"), 401);
            await HttpAssert.Problem(await staff.GetAsync("/api/admin/orders"), 401);
        }
        finally
        {
            await _host.Exec("UPDATE agents SET active = TRUE WHERE code = 'AG005'");
            await _host.Exec("UPDATE staff SET active = TRUE WHERE login = 'warehouse'");
        }
    }

    [Test]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var client = await _host.CustomerAsync("C00005");
        var huge = "{\"sku\":\"" + new string('x', 1_100_000) + "\",\"quantity\":1}";
        await HttpAssert.Problem(await client.PostAsync("/api/cart/items", new StringContent(huge, Encoding.UTF8, "application/json")), 413);
    }
}

public class TokenExpiryTests
{
    [Test]
    public async Task An_expired_access_token_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var host = new ApiHost(settings: new() { ["Auth:AccessTokenMinutes"] = "60" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        var client = await host.CustomerAsync("C00001");
        await HttpAssert.Ok(await client.GetAsync("/api/catalog/products?limit=1"));
        clock.Advance(TimeSpan.FromMinutes(61));
        await HttpAssert.Problem(await client.GetAsync("/api/catalog/products?limit=1"), 401);
    }
}

public class DatabaseBusyTests
{
    [Test]
    public async Task An_exhausted_postgres_pool_answers_503_with_retry_after_instead_of_hanging()
    {
        using var host = new ApiHost(TestDatabase.Postgres, connectionString: cs =>
            new NpgsqlConnectionStringBuilder(cs) { MaxPoolSize = 2, Timeout = 1 }.ToString());
        var client = await host.CustomerAsync("C00001");
        // Hold every pooled connection, as a traffic spike would.
        var held = new List<System.Data.Common.DbConnection> { await host.Db.OpenAsync(), await host.Db.OpenAsync() };
        try
        {
            var started = DateTime.UtcNow;
            var res = await client.GetAsync("/api/catalog/products?limit=1");
            await HttpAssert.Problem(res, 503);
            Assert.That(res.Headers.RetryAfter, Is.Not.Null);
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(10)));
        }
        finally { foreach (var c in held) await c.DisposeAsync(); }
        await HttpAssert.Ok(await client.GetAsync("/api/catalog/products?limit=1"));
    }
}

public class LoginRateLimitTests
{
    [Test]
    public async Task Staff_sign_in_is_rate_limited_per_client()
    {
        using var host = new ApiHost(settings: new() { ["Auth:LoginRateLimit:PermitLimit"] = "3", ["Auth:LoginRateLimit:WindowSeconds"] = "600" });
        var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.That((int)(await client.PostAsJsonAsync("/api/auth/staff/login", new { login = $"nobody{i}", password = "wrong-password" })).StatusCode, Is.EqualTo(401));
        var limited = await client.PostAsJsonAsync("/api/auth/staff/login", new { login = "admin", password = "demo1234" });
        await HttpAssert.Problem(limited, 429);
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
    }
}
