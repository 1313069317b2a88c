using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OrderHub.Tests.Api;
using OrderHub.Testing;

namespace OrderHub.Tests.GoLive;

/// <summary>Go-live: the back office prints binding QR codes for many stores at once, each a fresh code of the store's agent.</summary>
public sealed class BindingSheetTests
{
    [Test]
    public async Task An_admin_prints_binding_codes_for_several_stores_and_stores_without_an_agent_are_named_as_skipped()
    {
        await using var host = new ApiHost(TestDatabase.Sqlite);
        var admin = await host.StaffAsync("admin");
        var ids = (await HttpAssert.Ok(await admin.GetAsync("/api/admin/customers?limit=4"))).GetProperty("items").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetInt64(), Code: c.GetProperty("code").GetString()!)).ToList();
        await host.Exec("UPDATE customers SET agent_id = NULL WHERE id = @id", new { id = ids[3].Id });

        var res = await admin.PostAsJsonAsync("/api/admin/binding-sheets", new { customerIds = ids.Select(i => i.Id) });
        var html = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(200), html);
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,").Count, Is.EqualTo(3));
        foreach (var (_, code) in ids.Take(3)) Assert.That(html, Does.Contain($"data-store=\"{code}\""));
        Assert.That(html, Does.Contain("未打印").And.Contain(ids[3].Code));

        // Each printed store has a fresh binding code of its own agent.
        foreach (var (id, _) in ids.Take(3))
            Assert.That(await host.Scalar<long>("""
                SELECT COUNT(*) FROM wechat_binding_codes b JOIN customers c ON c.id = b.customer_id
                WHERE b.customer_id = @id AND b.agent_id = c.agent_id
                """, new { id }), Is.EqualTo(1));

        await HttpAssert.Problem(await admin.PostAsJsonAsync("/api/admin/binding-sheets", new { customerIds = Array.Empty<long>() }), 400);
        await HttpAssert.Problem(await (await host.StaffAsync("clerk")).PostAsJsonAsync("/api/admin/binding-sheets", new { customerIds = new[] { ids[0].Id } }), 403);
    }
}
