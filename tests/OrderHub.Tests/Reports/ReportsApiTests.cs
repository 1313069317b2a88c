using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Data;
using OrderHub.Testing;
using OrderHub.Testing.Contract;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Reports;

/// <summary>The OrderHub host on a fresh database holding <see cref="ReportsData"/>, its clock fixed at <see cref="ReportsData.Now"/>.</summary>
public sealed class ReportsHost(string kind) : ContractCheckedFactory<Program>
{
    private readonly string _connectionString = TestDatabase.NewConnectionString(kind);
    public ManualClock Clock { get; } = new(ReportsData.Now);

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", _connectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public Db Db => Services.GetRequiredService<Db>();

    public async Task<HttpClient> SignInAsync(object who)
    {
        var client = CreateClient();
        var res = await client.PostAsJsonAsync("/api/auth/dev-login", who);
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        var token = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>Insight, visits, alerts and reports over HTTP: who sees what, validation, and figures end to end.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class ReportsApiTests(string kind)
{
    private ReportsHost _host = null!;
    private HttpClient _ag1 = null!, _ag2 = null!, _admin = null!, _store = null!;
    private Dictionary<string, long> _c = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ReportsHost(kind);
        _ = _host.Services; // starts the host: migrations run
        await ReportsData.SeedAsync(_host.Db);
        // The data is loaded by hand, not imported from an ERP: open the store endpoints as a finished first import would.
        await _host.Services.GetRequiredService<OrderHub.Application.Sync.InitialImport>().MarkCompleteAsync();
        await using (var c = await _host.Db.OpenAsync())
            _c = (await c.QueryAsync<(string, long)>("SELECT code, id FROM customers")).ToDictionary(x => x.Item1, x => x.Item2);
        _ag1 = await _host.SignInAsync(new { agentCode = "AG1" });
        _ag2 = await _host.SignInAsync(new { agentCode = "AG2" });
        _admin = await _host.SignInAsync(new { staffLogin = "admin" });
        _store = await _host.SignInAsync(new { customerCode = "C1" });
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    // ---- insight and scope --------------------------------------------------------------------------------------------

    [Test]
    public async Task An_agent_reads_insight_of_its_own_customer_and_gets_404_for_another()
    {
        var i = await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/customers/{_c["C1"]}/insight"));
        Assert.That(i.GetProperty("thisYear").GetProperty("revenueFen").GetInt64(), Is.EqualTo(580_000));
        Assert.That(i.GetProperty("thisMonth").GetProperty("revenueText").GetString(), Is.EqualTo("¥800.00"));
        Assert.That(i.GetProperty("lastOrderAt").GetString(), Is.EqualTo("2026-12-03T10:00:00+08:00"));
        Assert.That(i.GetProperty("averageIntervalDays").GetDouble(), Is.EqualTo(7.0));
        Assert.That(i.GetProperty("receivableFen").GetInt64(), Is.EqualTo(330_000));
        Assert.That(i.GetProperty("selfOrderShare").GetDecimal(), Is.EqualTo(0.6667m));
        Assert.That(i.GetProperty("cadence").GetProperty("alerts")[0].GetProperty("kind").GetString(), Is.EqualTo("overdue"));

        await HttpAssert.Problem(await _ag1.GetAsync($"/api/agent/customers/{_c["C4"]}/insight"), 404, "客户不存在");
        await HttpAssert.Problem(await _ag1.GetAsync($"/api/agent/customers/{_c["C4"]}/visits"), 404);
        await HttpAssert.Problem(await _ag1.PostAsJsonAsync($"/api/agent/customers/{_c["C4"]}/visits", new { kind = "call" }), 404);
        var staff = await HttpAssert.Ok(await _admin.GetAsync($"/api/admin/customers/{_c["C4"]}/insight"));
        Assert.That(staff.GetProperty("lastOrderFen").GetInt64(), Is.EqualTo(50_000));
        await HttpAssert.Problem(await _admin.GetAsync("/api/admin/customers/999999/insight"), 404);
    }

    [Test]
    public async Task Roles_are_enforced()
    {
        Assert.That((int)(await _store.GetAsync("/api/agent/alerts")).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await _store.GetAsync("/api/admin/reports/sales")).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await _ag1.GetAsync("/api/admin/reports/sales")).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await _host.CreateClient().GetAsync("/api/agent/reports/sales")).StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task Alerts_list_the_agents_own_customers_with_the_reason()
    {
        var ag1 = await HttpAssert.Ok(await _ag1.GetAsync("/api/agent/alerts"));
        Assert.That(ag1.GetArrayLength(), Is.EqualTo(1));
        Assert.That(ag1[0].GetProperty("code").GetString(), Is.EqualTo("C1"));
        Assert.That(ag1[0].GetProperty("kind").GetString(), Is.EqualTo("overdue"));
        Assert.That(ag1[0].GetProperty("reasonZh").GetString(), Does.Contain("已 12 天未下单"));
        Assert.That(ag1[0].GetProperty("usualIntervalDays").GetDouble(), Is.EqualTo(7));
        Assert.That(ag1[0].GetProperty("lastOrderDate").GetString(), Is.EqualTo("2026-12-03"));
        var ag2 = await HttpAssert.Ok(await _ag2.GetAsync("/api/agent/alerts"));
        Assert.That(ag2.EnumerateArray().Select(a => (a.GetProperty("code").GetString(), a.GetProperty("kind").GetString())),
            Is.EqualTo(new[] { ("C4", "value_drop") }));
    }

    // ---- reports ------------------------------------------------------------------------------------------------------

    [Test]
    public async Task Sales_report_for_staff_and_for_an_agent()
    {
        var all = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/sales?from=2026-11-01&to=2026-12-15&groupBy=month"));
        Assert.That(all.GetProperty("basis").GetString(), Is.EqualTo("orders"));
        Assert.That(Rows(all), Is.EqualTo(new[] { ("2026-11", 9L, 1_570_000L), ("2026-12", 5L, 460_000L) }));
        Assert.That(all.GetProperty("rows")[0].GetProperty("revenueText").GetString(), Is.EqualTo("¥15,700.00"));
        Assert.That(all.GetProperty("totals").GetProperty("revenueFen").GetInt64(), Is.EqualTo(2_030_000));

        var mine = await HttpAssert.Ok(await _ag1.GetAsync("/api/agent/reports/sales?from=2026-11-01&to=2026-12-15&groupBy=month"));
        Assert.That(Rows(mine), Is.EqualTo(new[] { ("2026-11", 4L, 400_000L), ("2026-12", 2L, 110_000L) }), "AG2's stores are not in it");
        var mineByRegion = await HttpAssert.Ok(await _ag1.GetAsync("/api/agent/reports/sales?from=2026-11-01&to=2026-12-15&groupBy=region"));
        Assert.That(Rows(mineByRegion).Select(r => r.Key), Is.EquivalentTo(new[] { "天河区", "越秀区" }));

        var region = await HttpAssert.Ok(await _admin.GetAsync($"/api/admin/reports/sales?from=2026-11-01&to=2026-12-15&groupBy=customerGroup&agentId={await Id("agents", "AG2")}"));
        Assert.That(region.GetProperty("groupBy").GetString(), Is.EqualTo("customerGroup"));
        Assert.That(Rows(region).Select(r => r.RevenueFen).Sum(), Is.EqualTo(1_520_000));
        var brand = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/sales?from=2026-11-01&to=2026-12-15&groupBy=brand"));
        Assert.That(brand.GetProperty("basis").GetString(), Is.EqualTo("lines"));
        Assert.That(Rows(brand)[0], Is.EqualTo(("怡宝", 6L, 1_350_000L)));
        var days = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/sales?from=2026-11-30&to=2026-12-01"));
        Assert.That(Rows(days), Is.EqualTo(new[] { ("2026-11-30", 1L, 70_000L), ("2026-12-01", 1L, 100_000L) }), "groupBy defaults to day");
    }

    [TestCase("from=2026-13-01&to=2026-12-15", "from")]
    [TestCase("from=2026-12-15&to=2026-12-01", "to")]
    [TestCase("from=2025-01-01&to=2026-01-02", "to")]
    [TestCase("from=2026-12-01", "to")]
    [TestCase("from=2026-12-01&to=2026-12-15&groupBy=year", "groupBy")]
    [TestCase("from=2026-12-01&to=2026-12-15&agentId=0", "agentId")]
    [TestCase("from=2026-12-01&to=2026-12-15&groupBy=brand&categoryId=1", "categoryId")]
    public async Task Bad_report_parameters_are_400_problems(string query, string field)
    {
        var p = await HttpAssert.Problem(await _admin.GetAsync("/api/admin/reports/sales?" + query), 400);
        Assert.That(p.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, p.ToString());
        Assert.That(messages[0].GetString(), Does.Contain(" / "));
    }

    [Test]
    public async Task Other_reports_answer_and_validate()
    {
        var top = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/top-products?from=2026-11-01&to=2026-12-15&limit=2"));
        Assert.That(top.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("sku").GetString()), Is.EqualTo(new[] { "W-002", "W-001" }));
        await HttpAssert.Problem(await _admin.GetAsync("/api/admin/reports/top-products?from=2026-11-01&to=2026-12-15&limit=0"), 400);

        var ageing = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/receivables-ageing"));
        Assert.That(ageing.GetProperty("asOf").GetString(), Is.EqualTo("2026-12-15"));
        var t = ageing.GetProperty("totals");
        Assert.That((t.GetProperty("days0To30Fen").GetInt64(), t.GetProperty("days31To60Fen").GetInt64(), t.GetProperty("days61To90Fen").GetInt64(), t.GetProperty("over90Fen").GetInt64()),
            Is.EqualTo((200_000L, 130_000L, 80_000L, 50_000L)));
        var mineAgeing = await HttpAssert.Ok(await _ag2.GetAsync("/api/agent/reports/receivables-ageing"));
        Assert.That(mineAgeing.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("code").GetString()), Is.EqualTo(new[] { "C5" }));

        var key = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/key-customers?from=2026-12-01&to=2026-12-15"));
        Assert.That(key.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("code").GetString()), Is.EqualTo(new[] { "C4", "C5", "C1" }));
        Assert.That(key.GetProperty("entered")[0].GetProperty("code").GetString(), Is.EqualTo("C5"));
        Assert.That(key.GetProperty("left")[0].GetProperty("code").GetString(), Is.EqualTo("C6"));
        Assert.That(key.GetProperty("previousFrom").GetString(), Is.EqualTo("2026-11-16"));
        var mineKey = await HttpAssert.Ok(await _ag2.GetAsync("/api/agent/reports/key-customers?from=2026-12-01&to=2026-12-15"));
        Assert.That(mineKey.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("code").GetString()), Is.EqualTo(new[] { "C4", "C5" }));

        var agents = await HttpAssert.Ok(await _admin.GetAsync("/api/admin/reports/agents?from=2026-12-01&to=2026-12-15"));
        Assert.That(agents.GetProperty("agents").EnumerateArray().Select(a => (a.GetProperty("code").GetString(), a.GetProperty("attributedFen").GetInt64(), a.GetProperty("convertedCustomers").GetInt64())),
            Is.EqualTo(new[] { ("AG2", 350_000L, 0L), ("AG1", 130_000L, 1L) }));
        var own = await HttpAssert.Ok(await _ag1.GetAsync("/api/agent/reports/agents?from=2026-12-01&to=2026-12-15"));
        Assert.That(own.GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("code").GetString()), Is.EqualTo(new[] { "AG1" }));
        await HttpAssert.Problem(await _admin.GetAsync("/api/admin/reports/agents?from=2026-12-01&to=bad"), 400);
    }

    // ---- visits -------------------------------------------------------------------------------------------------------

    [Test]
    public async Task An_agent_logs_a_visit_once_per_idempotency_key_and_it_becomes_the_last_contact()
    {
        var body = new { kind = "store_visit", at = "2026-12-15T09:30:00+08:00", latitude = 23.1291, longitude = 113.2644, note = "陈列整齐，缺货怡宝", photoUrls = new[] { "https://img.example.com/a.jpg" } };
        var first = await Post(_ag1, "C2", body, "visit-key-1");
        Assert.That((int)first.StatusCode, Is.EqualTo(201), await first.Content.ReadAsStringAsync());
        var v = await HttpAssert.Ok(first);
        Assert.That(v.GetProperty("kindLabel").GetString(), Is.EqualTo("巡店"));
        Assert.That(v.GetProperty("at").GetString(), Is.EqualTo("2026-12-15T09:30:00+08:00"));
        Assert.That(v.GetProperty("photoUrls")[0].GetString(), Is.EqualTo("https://img.example.com/a.jpg"));

        var again = await Post(_ag1, "C2", body, "visit-key-1");
        Assert.That((int)again.StatusCode, Is.EqualTo(201));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((await HttpAssert.Ok(again)).GetProperty("id").GetInt64(), Is.EqualTo(v.GetProperty("id").GetInt64()));
        await HttpAssert.Problem(await Post(_ag1, "C2", body with { note = "另一条" }, "visit-key-1"), 422);

        // A call without a time is now; without a key it is simply logged.
        var call = await HttpAssert.Ok(await Post(_ag1, "C2", new { kind = "call" }, null));
        Assert.That(call.GetProperty("at").GetString(), Is.EqualTo("2026-12-15T10:00:00+08:00"));

        var list = await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/customers/{_c["C2"]}/visits"));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("kind").GetString()), Is.EqualTo(new[] { "call", "store_visit" }));
        var staffList = await HttpAssert.Ok(await _admin.GetAsync($"/api/admin/customers/{_c["C2"]}/visits?limit=1"));
        Assert.That(staffList.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        Assert.That(staffList.GetProperty("next").GetInt64(), Is.GreaterThan(0));

        var insight = await HttpAssert.Ok(await _ag1.GetAsync($"/api/agent/customers/{_c["C2"]}/insight"));
        Assert.That(insight.GetProperty("daysSinceLastContact").GetInt32(), Is.EqualTo(0));
        Assert.That((insight.GetProperty("storeVisitsThisMonth").GetInt64(), insight.GetProperty("callsAllTime").GetInt64()), Is.EqualTo((1L, 1L)));
    }

    [TestCase("""{"kind":"meeting"}""", "kind")]
    [TestCase("""{}""", "kind")]
    [TestCase("""{"kind":"store_visit","latitude":91,"longitude":113}""", "latitude")]
    [TestCase("""{"kind":"store_visit","latitude":23,"longitude":-181}""", "longitude")]
    [TestCase("""{"kind":"store_visit","latitude":23}""", "longitude")]
    [TestCase("""{"kind":"call","at":"2026-12-15T11:00:00+08:00"}""", "at")]
    [TestCase("""{"kind":"call","at":"yesterday"}""", "at")]
    [TestCase("""{"kind":"store_visit","photoUrls":["ftp://x.example.com/a.jpg"]}""", "photoUrls")]
    [TestCase("""{"kind":"store_visit","photoUrls":["a.jpg"]}""", "photoUrls")]
    [TestCase("""{"kind":"store_visit","photoUrls":["https://a/1","https://a/2","https://a/3","https://a/4","https://a/5","https://a/6","https://a/7","https://a/8","https://a/9","https://a/10"]}""", "photoUrls")]
    public async Task Invalid_visits_are_400_problems(string json, string field)
    {
        var res = await _ag1.PostAsync($"/api/agent/customers/{_c["C3"]}/visits", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var p = await HttpAssert.Problem(res, 400);
        Assert.That(p.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, p.ToString());
        Assert.That(messages[0].GetString(), Does.Contain(" / "));
    }

    [Test]
    public async Task A_note_over_500_characters_is_refused_and_500_is_fine()
    {
        await HttpAssert.Problem(await Post(_ag2, "C6", new { kind = "call", note = new string('备', 501) }, null), 400);
        Assert.That((int)(await Post(_ag2, "C6", new { kind = "call", note = new string('备', 500), at = "2026-12-15 08:00" }, null)).StatusCode, Is.EqualTo(201));
    }

    private async Task<HttpResponseMessage> Post(HttpClient client, string customer, object body, string? key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/customers/{_c[customer]}/visits") { Content = JsonContent.Create(body) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(req);
    }

    private static (string Key, long Orders, long RevenueFen)[] Rows(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("orders").GetInt64(), r.GetProperty("revenueFen").GetInt64())).ToArray();

    private async Task<long> Id(string table, string code)
    {
        await using var c = await _host.Db.OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT id FROM {table} WHERE code = @code", new { code });
    }
}
