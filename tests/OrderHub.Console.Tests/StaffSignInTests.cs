using System.Net.Http.Json;
using System.Text.Json;

namespace OrderHub.Console.Tests;

/// <summary>Staff sign-in over HTTP: lockout after repeated failures, the same answer for unknown logins, admin-only staff management.</summary>
[NonParallelizable]
public class StaffSignInTests
{
    private ConsoleHost _host = null!;

    [OneTimeSetUp] public void Start() { _host = new ConsoleHost(); _host.Start(); }
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private async Task<(int Status, JsonElement Body, HttpResponseMessage Res)> Login(string login, string password)
    {
        using var c = _host.Http();
        var res = await c.PostAsJsonAsync("/api/auth/staff/login", new { login, password });
        var text = await res.Content.ReadAsStringAsync();
        return ((int)res.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement : default, res);
    }

    [Test]
    public async Task Demo_staff_have_a_hashed_demo_password()
    {
        var hash = await _host.Scalar<string>("SELECT password_hash FROM staff WHERE login = 'admin'");
        Assert.That(hash, Is.Not.Null.And.Not.Contain("demo1234"));
        Assert.That((await Login("admin", "demo1234")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Unknown_login_and_wrong_password_get_the_same_401()
    {
        var unknown = await Login("nobody", "whatever1");
        var wrong = await Login("clerk", "whatever1");
        Assert.That(unknown.Status, Is.EqualTo(401));
        Assert.That(wrong.Status, Is.EqualTo(401));
        Assert.That(unknown.Body.GetProperty("messageZh").GetString(), Is.EqualTo("用户名或密码错误"));
        Assert.That(wrong.Body.GetProperty("detail").GetString(), Is.EqualTo(unknown.Body.GetProperty("detail").GetString()));
        Assert.That(wrong.Res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        await Login("clerk", "demo1234"); // reset the count for other tests
    }

    [Test]
    public async Task Five_wrong_passwords_lock_the_account_until_an_admin_sets_a_new_password()
    {
        var admin = await _host.StaffToken("admin");
        using var http = _host.Http(admin);
        var created = await http.PostAsJsonAsync("/api/admin/staff", new { login = "lockme", name = "测试 锁定", role = "clerk", password = "first-pass-1" });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var staffId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        for (var i = 1; i <= 4; i++) Assert.That((await Login("lockme", "bad-pass")).Status, Is.EqualTo(401), $"attempt {i}");
        var fifth = await Login("lockme", "bad-pass");
        Assert.That(fifth.Status, Is.EqualTo(423));
        Assert.That(fifth.Body.GetProperty("messageZh").GetString(), Does.Contain("已锁定"));
        Assert.That(fifth.Res.Headers.RetryAfter, Is.Not.Null);
        // Locked: even the right password is refused.
        Assert.That((await Login("lockme", "first-pass-1")).Status, Is.EqualTo(423));

        var reset = await http.PutAsJsonAsync($"/api/admin/staff/{staffId}/password", new { password = "second-pass-2" });
        Assert.That((int)reset.StatusCode, Is.EqualTo(200), await reset.Content.ReadAsStringAsync());
        Assert.That((await Login("lockme", "first-pass-1")).Status, Is.EqualTo(401));
        var ok = await Login("lockme", "second-pass-2");
        Assert.That(ok.Status, Is.EqualTo(200));
        using var me = _host.Http(ok.Body.GetProperty("accessToken").GetString());
        var who = await me.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.That(who.GetProperty("role").GetString(), Is.EqualTo("clerk"));
    }

    [Test]
    public async Task Only_an_admin_manages_staff()
    {
        using var clerk = _host.Http(await _host.StaffToken("clerk"));
        Assert.That((int)(await clerk.GetAsync("/api/admin/staff")).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await clerk.PostAsJsonAsync("/api/admin/staff", new { login = "x1", name = "x", role = "admin", password = "12345678" })).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await clerk.PutAsJsonAsync("/api/admin/staff/1/password", new { password = "hijacked-1" })).StatusCode, Is.EqualTo(403));

        using var admin = _host.Http(await _host.StaffToken("admin"));
        var shortPassword = await admin.PostAsJsonAsync("/api/admin/staff", new { login = "x2", name = "x", role = "clerk", password = "short" });
        Assert.That((int)shortPassword.StatusCode, Is.EqualTo(400));
        var duplicate = await admin.PostAsJsonAsync("/api/admin/staff", new { login = "clerk", name = "x", role = "clerk", password = "12345678" });
        Assert.That((int)duplicate.StatusCode, Is.EqualTo(409));
    }
}
