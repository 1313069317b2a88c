using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderHub.Erp.Tryton.Tests.Support;
using OrderHub.Testing;
using OrderHub.Testing.Contract;

namespace OrderHub.Sync.Tryton.Tests;

/// <summary>
/// OrderHub as a distributor installs it for go-live on a Tryton someone else set up: the Production environment, a new
/// SQLite database, demo data and jobs off, a bootstrap admin <c>boss</c>, the Tryton adapter pointed at
/// <paramref name="trytonUrl"/>. Every response is checked against the OpenAPI document this host generates.
/// Tests then go through the API alone (sign-in, go-live import, orders), as the README's go-live steps do.
/// </summary>
internal static class ProductionOnTryton
{
    public const string AdminLogin = "boss";

    public static ContractCheckedFactory<Program> Start(string trytonUrl, string adminPassword, IReadOnlyDictionary<string, string>? more = null) =>
        new(b =>
        {
            b.UseEnvironment("Production");
            var settings = new Dictionary<string, string>
            {
                ["Database:ConnectionString"] = TestDatabase.NewConnectionString(TestDatabase.Sqlite),
                ["Demo:Seed"] = "false",
                ["Jobs:Enabled"] = "false",
                ["Bootstrap:AdminLogin"] = AdminLogin,
                ["Bootstrap:AdminPassword"] = adminPassword,
                ["Erp:Adapter"] = "Tryton",
                ["Erp:Tryton:Url"] = trytonUrl,
                ["Erp:Tryton:Database"] = TrytonServer.DatabaseName,
                ["Erp:Tryton:Username"] = TrytonServer.AdminLogin,
                ["Erp:Tryton:Password"] = TrytonServer.AdminPassword,
                ["Erp:Tryton:AcceptConfirmWarnings"] = "true",
            };
            foreach (var (k, v) in more ?? new Dictionary<string, string>()) settings[k] = v;
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });

    /// <summary>Signs in at <paramref name="path"/> (staff or store login) and returns a client carrying the token.</summary>
    public static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> app, string path, object body)
    {
        var client = app.CreateClient();
        var json = await Ok(await client.PostAsJsonAsync(path, body));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>The admin <c>boss</c>, signed in with the password the host was started with.</summary>
    public static Task<HttpClient> AdminAsync(WebApplicationFactory<Program> app, string password) =>
        SignInAsync(app, "/api/auth/staff/login", new { login = AdminLogin, password });

    /// <summary>A 2xx answer's JSON; anything else fails the test with the request and the body.</summary>
    public static async Task<JsonElement> Ok(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.InRange(200, 299), $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
