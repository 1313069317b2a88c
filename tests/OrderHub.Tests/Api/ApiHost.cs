using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Data;
using OrderHub.Testing;
using OrderHub.Testing.Contract;

namespace OrderHub.Tests.Api;

/// <summary>
/// The real OrderHub host in memory, on a fresh database of either kind loaded with the demo distributor.
/// Helpers sign in through the development login exactly as the mini-program would in a demo. Every response is checked
/// against the OpenAPI document when the host is disposed (<see cref="ContractCheckedFactory{TEntryPoint}"/>).
/// </summary>
public sealed class ApiHost : ContractCheckedFactory<Program>
{
    private readonly string _connectionString;
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="connectionString">Overrides the fresh database (e.g. a PostgreSQL one with a tiny pool).</param>
    /// <param name="services">Replaces services after the app's own registrations (e.g. the clock).</param>
    public ApiHost(string kind = TestDatabase.Sqlite, string environment = "Development", Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, Func<string, string>? connectionString = null)
    {
        var cs = TestDatabase.NewConnectionString(kind);
        _connectionString = connectionString?.Invoke(cs) ?? cs;
        _environment = environment;
        _settings = settings ?? [];
        _services = services;
    }

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Database:ConnectionString", _connectionString);
        builder.UseSetting("Demo:Seed", "true");
        // The demo without its year of orders (tests count orders, balances and stock); DemoHistoryTests asks for it.
        builder.UseSetting("Demo:History", "false");
        // Scheduled sync jobs would change stock, ledgers and timelines under the tests; tests that want them run them.
        builder.UseSetting("Jobs:Enabled", "false");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (_services is not null) builder.ConfigureServices(_services);
    }

    public Db Db => Services.GetRequiredService<Db>();

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task Exec(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    public async Task<HttpClient> SignInAsync(object who)
    {
        var client = CreateClient();
        var res = await client.PostAsJsonAsync("/api/auth/dev-login", who);
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        var token = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> CustomerAsync(string customerCode) => SignInAsync(new { customerCode });
    public Task<HttpClient> AgentAsync(string agentCode) => SignInAsync(new { agentCode });
    public Task<HttpClient> StaffAsync(string staffLogin) => SignInAsync(new { staffLogin });
}

public static class HttpAssert
{
    /// <summary>Asserts an RFC 9457 problem response with the status and returns its body.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage res, int status, string? detailContains = null)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(status), body);
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.That(json.GetProperty("status").GetInt32(), Is.EqualTo(status));
        Assert.That(json.GetProperty("title").GetString(), Does.Contain(" / "), "title in Chinese and English");
        if (detailContains is not null) Assert.That(json.GetProperty("detail").GetString(), Does.Contain(detailContains));
        return json;
    }

    public static async Task<JsonElement> Ok(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.InRange(200, 299), body);
        return JsonDocument.Parse(body).RootElement;
    }
}
