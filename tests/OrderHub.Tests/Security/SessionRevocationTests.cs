using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Security;

/// <summary>
/// Issue #21 item 4: sessions can be revoked. A password change ends the user's other sessions, refresh tokens rotate
/// (a reused one ends the whole session), and an admin can disable and enable a staff member; every token of a revoked
/// session or a disabled user stops at once, even with a long <c>Auth:UserCheckSeconds</c>.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class SessionRevocationTests(string kind)
{
    private ApiHost _host = null!;

    // A long user-check cache: revocation must not wait for it.
    [OneTimeSetUp] public void Start() => _host = new ApiHost(kind, settings: new() { ["Auth:UserCheckSeconds"] = "3600" });
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private async Task<(long Id, string Login)> NewStaff(string role = "clerk")
    {
        var admin = await _host.StaffAsync("admin");
        var login = $"s{Guid.NewGuid():N}"[..12];
        var created = await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/staff", new { login, name = "会话测试", role, password = "first-password" }));
        return (created.GetProperty("id").GetInt64(), login);
    }

    private async Task<JsonElement> Login(string login, string password) =>
        await HttpAssert.Ok(await _host.CreateClient().PostAsJsonAsync("/api/auth/staff/login", new { login, password }));

    private HttpClient With(JsonElement tokens)
    {
        var c = _host.CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return c;
    }

    private Task<HttpResponseMessage> Refresh(JsonElement tokens) =>
        _host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });

    [Test]
    public async Task A_password_change_ends_the_users_other_sessions()
    {
        var (id, login) = await NewStaff();
        var session = await Login(login, "first-password");
        var client = With(session);
        await HttpAssert.Ok(await client.GetAsync("/api/auth/me"));
        var admin = await _host.StaffAsync("admin");
        await HttpAssert.Ok(await admin.PutAsJsonAsync($"/api/admin/staff/{id}/password", new { password = "second-password" }));
        await HttpAssert.Problem(await client.GetAsync("/api/auth/me"), 401);
        await HttpAssert.Problem(await Refresh(session), 401);
        await HttpAssert.Ok(await admin.GetAsync("/api/admin/staff"));
        await HttpAssert.Ok(await With(await Login(login, "second-password")).GetAsync("/api/auth/me"));
    }

    [Test]
    public async Task Refresh_tokens_rotate_and_a_reused_one_ends_the_session()
    {
        var (_, login) = await NewStaff();
        var first = await Login(login, "first-password");
        var second = await HttpAssert.Ok(await Refresh(first));
        Assert.That(second.GetProperty("refreshToken").GetString(), Is.Not.EqualTo(first.GetProperty("refreshToken").GetString()));
        await HttpAssert.Ok(await With(second).GetAsync("/api/auth/me"));
        // The first refresh token again: someone replays a stolen token. The whole session (family) ends.
        await HttpAssert.Problem(await Refresh(first), 401);
        await HttpAssert.Problem(await With(second).GetAsync("/api/auth/me"), 401);
        await HttpAssert.Problem(await Refresh(second), 401);
    }

    /// <summary>
    /// A store user's session and its store are read in one round trip at the start of each request (issue #19), and the
    /// store is kept for that request only: a reused refresh token stops the store's pages at once (401), and a store the
    /// ERP deactivates is refused on the next page (403), then served again when it is active again — whatever the
    /// one-hour user-check cache holds.
    /// </summary>
    [Test]
    public async Task A_store_users_pages_stop_at_once_when_its_session_ends_or_its_store_is_deactivated()
    {
        var code = await _host.Scalar<string>("SELECT code FROM customers WHERE active = TRUE ORDER BY id DESC LIMIT 1");
        var signedIn = await HttpAssert.Ok(await _host.CreateClient().PostAsJsonAsync("/api/auth/dev-login", new { customerCode = code }));
        var store = With(signedIn);
        var other = await _host.CustomerAsync(code);
        await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=5"));

        await _host.Exec("UPDATE customers SET active = FALSE WHERE code = @code", new { code });
        var refused = await HttpAssert.Problem(await store.GetAsync("/api/catalog/products?limit=5"), 403);
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain("停用"));
        await _host.Exec("UPDATE customers SET active = TRUE WHERE code = @code", new { code });
        await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=5"));

        var renewed = await HttpAssert.Ok(await Refresh(signedIn));
        await HttpAssert.Problem(await Refresh(signedIn), 401); // the old refresh token again: the session ends
        await HttpAssert.Problem(await With(renewed).GetAsync("/api/catalog/products?limit=5"), 401);
        await HttpAssert.Problem(await store.GetAsync("/api/cart"), 401);
        await HttpAssert.Ok(await other.GetAsync("/api/catalog/products?limit=5")); // another session of the same store goes on
    }

    [Test]
    public async Task A_disabled_staff_member_is_stopped_at_once_and_can_be_enabled_again()
    {
        var (id, login) = await NewStaff();
        var session = await Login(login, "first-password");
        var client = With(session);
        await HttpAssert.Ok(await client.GetAsync("/api/admin/orders?limit=1"));
        var admin = await _host.StaffAsync("admin");
        var disabled = await HttpAssert.Ok(await admin.PostAsync($"/api/admin/staff/{id}/disable", null));
        Assert.That(disabled.GetProperty("active").GetBoolean(), Is.False);
        await HttpAssert.Problem(await client.GetAsync("/api/admin/orders?limit=1"), 401);
        await HttpAssert.Problem(await Refresh(session), 401);
        await HttpAssert.Problem(await _host.CreateClient().PostAsJsonAsync("/api/auth/staff/login", new { login, password = "first-password" }), 401);
        var enabled = await HttpAssert.Ok(await admin.PostAsync($"/api/admin/staff/{id}/enable", null));
        Assert.That(enabled.GetProperty("active").GetBoolean(), Is.True);
        await HttpAssert.Problem(await client.GetAsync("/api/admin/orders?limit=1"), 401, null);
        await HttpAssert.Ok(await With(await Login(login, "first-password")).GetAsync("/api/admin/orders?limit=1"));
        await HttpAssert.Problem(await admin.PostAsync("/api/admin/staff/999999/disable", null), 404);
    }

    [Test]
    public async Task An_admin_cannot_disable_itself()
    {
        var (id, login) = await NewStaff("admin");
        var self = With(await Login(login, "first-password"));
        await HttpAssert.Problem(await self.PostAsync($"/api/admin/staff/{id}/disable", null), 409);
    }
}
