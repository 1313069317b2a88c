using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Tests.Api;
using OrderHub.Testing;

namespace OrderHub.Tests.GoLive;

/// <summary>
/// A fresh install with demo data off, going live through the API alone, as the README's "Go live" steps say: the first
/// admin from the Bootstrap settings, the ERP connection test, the first import, agents and store users, assignments,
/// mobile sign-in. The ERP here is the demo ERP, which seeds its own file: the test puts nothing in OrderHub's database.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public sealed class GoLiveApiTests(string kind)
{
    private ApiHost _host = null!;
    private string _erpFile = null!;

    [SetUp]
    public void Start() => _host = new ApiHost(kind, settings: new()
    {
        ["Erp:Demo:FilePath"] = _erpFile = Path.Combine(Path.GetTempPath(), $"orderhub-golive-demo-erp-{Guid.NewGuid():N}.db"),
        ["Demo:Seed"] = "false",
        ["Bootstrap:AdminLogin"] = "boss",
        ["Bootstrap:AdminPassword"] = "first-run-2026",
        ["Erp:Adapter"] = "Demo",
    });

    [TearDown]
    public void Stop() => _host.Dispose();

    private async Task<HttpClient> SignInAsync(string path, object body)
    {
        var client = _host.CreateClient();
        var res = await client.PostAsJsonAsync(path, body);
        var json = await HttpAssert.Ok(res);
        Assert.That(res.Headers.CacheControl?.NoStore ?? true, Is.True);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("accessToken").GetString());
        return client;
    }

    [Test]
    public async Task A_fresh_install_goes_live_through_the_API_and_a_store_signed_in_by_mobile_sees_stock()
    {
        // Before anything: no staff but the bootstrap admin; the store endpoints wait for the first import.
        var anonymous = _host.CreateClient();
        var waiting = await anonymous.GetAsync("/api/catalog/products");
        await HttpAssert.Problem(waiting, 503, "正在同步 ERP 数据");
        Assert.That(waiting.Headers.RetryAfter, Is.Not.Null);

        var admin = await SignInAsync("/api/auth/staff/login", new { login = "boss", password = "first-run-2026" });
        var checklist = await HttpAssert.Ok(await admin.GetAsync("/api/admin/go-live"));
        Assert.That(checklist.GetProperty("done").GetBoolean(), Is.False);
        Assert.That(Item(checklist, "import").GetProperty("done").GetBoolean(), Is.False);

        var connection = await HttpAssert.Ok(await admin.PostAsync("/api/admin/go-live/test-connection", null));
        Assert.That(connection.GetProperty("ok").GetBoolean(), Is.True, connection.ToString());
        Assert.That(connection.GetProperty("productCount").GetInt32(), Is.GreaterThan(0));

        var import = await HttpAssert.Ok(await admin.PostAsync("/api/admin/go-live/import", null));
        var status = import.GetProperty("status");
        Assert.That(status.GetProperty("complete").GetBoolean(), Is.True, import.ToString());
        // The counts are the ERP's own: what its file holds, active.
        var erp = new OrderHub.Tests.Sync.DemoErpDesk(_erpFile);
        Assert.That(status.GetProperty("products").GetInt64(), Is.EqualTo(await erp.ScalarAsync<long>("SELECT COUNT(*) FROM products WHERE active = 1")));
        Assert.That(status.GetProperty("stores").GetInt64(), Is.EqualTo(await erp.ScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE active = 1")));

        checklist = await HttpAssert.Ok(await admin.GetAsync("/api/admin/go-live"));
        Assert.That(Item(checklist, "import").GetProperty("done").GetBoolean(), Is.True);
        Assert.That(Item(checklist, "warehouses").GetProperty("done").GetBoolean(), Is.True, Item(checklist, "warehouses").ToString());
        Assert.That(Item(checklist, "agents").GetProperty("done").GetBoolean(), Is.False, "no agent exists yet");

        // People: an agent with a mobile number and password, stores assigned from a CSV (dry run first), a store user.
        var agent = await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/agents",
            new { code = "AGX", name = "新业务员", mobile = "13800000001", wecomUserId = "zhangsan", password = "agent-pass-1" }));
        var stores = await HttpAssert.Ok(await admin.GetAsync("/api/admin/customers?limit=100"));
        var codes = stores.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("code").GetString()!).ToList();
        var csv = "customerCode,agentCode\n" + string.Join("\n", codes.Select(c => $"{c},AGX")) + "\nNOPE,AGX\n";

        var dry = await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/agents/assignments/import?dryRun=true", new { csv }));
        Assert.That(dry.GetProperty("assign").GetInt32(), Is.EqualTo(codes.Count));
        Assert.That(dry.GetProperty("errors").GetInt32(), Is.EqualTo(1));
        Assert.That(Item(await HttpAssert.Ok(await admin.GetAsync("/api/admin/go-live")), "agents").GetProperty("done").GetBoolean(), Is.False, "a dry run changes nothing");

        var applied = await HttpAssert.Ok(await admin.PostAsJsonAsync("/api/admin/agents/assignments/import", new { csv }));
        Assert.That(applied.GetProperty("assign").GetInt32(), Is.EqualTo(codes.Count));
        Assert.That(Item(await HttpAssert.Ok(await admin.GetAsync("/api/admin/go-live")), "agents").GetProperty("done").GetBoolean(), Is.True);

        var storeId = stores.GetProperty("items")[0].GetProperty("id").GetInt64();
        await HttpAssert.Ok(await admin.PostAsJsonAsync($"/api/admin/customers/{storeId}/users",
            new { name = "店主", mobile = "139 0000 0002", role = "owner", password = "store-pass-1" }));

        // The store signs in with its mobile number and sees its catalog with stock from the ERP.
        var store = await SignInAsync("/api/auth/login", new { mobile = "13900000002", password = "store-pass-1" });
        var page = await HttpAssert.Ok(await store.GetAsync("/api/catalog/products?limit=50"));
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Is.Not.Empty);
        Assert.That(items.Count(i => i.GetProperty("stock").GetProperty("level").GetString() != "OutOfStock"), Is.GreaterThan(items.Count / 2),
            "the store's warehouse holds the ERP's stock");

        // The agent signs in with its mobile number and sees its stores.
        var agentClient = await SignInAsync("/api/auth/login", new { mobile = "13800000001", password = "agent-pass-1" });
        var mine = await HttpAssert.Ok(await agentClient.GetAsync("/api/agent/customers"));
        Assert.That(mine.ToString(), Does.Contain(codes[0]));

        // A wrong password is refused alike for an unknown and a known number.
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { mobile = "13900000002", password = "nope-nope" });
        await HttpAssert.Problem(wrong, 401);
        Assert.That(agent.GetProperty("code").GetString(), Is.EqualTo("AGX"));
    }

    [Test]
    public async Task A_store_moved_by_hand_keeps_its_warehouse_and_the_default_warehouse_moves_the_rest()
    {
        var admin = await SignInAsync("/api/auth/staff/login", new { login = "boss", password = "first-run-2026" });
        await HttpAssert.Ok(await admin.PostAsync("/api/admin/go-live/import", null));
        var warehouses = (await HttpAssert.Ok(await admin.GetAsync("/api/admin/warehouses/stores"))).EnumerateArray().ToList();
        Assert.That(warehouses.Count, Is.GreaterThanOrEqualTo(2));
        var first = warehouses[0].GetProperty("code").GetString()!;
        var second = warehouses[1].GetProperty("code").GetString()!;
        var stores = await HttpAssert.Ok(await admin.GetAsync("/api/admin/customers?limit=100"));
        var pinned = stores.GetProperty("items")[0].GetProperty("id").GetInt64();

        Assert.That((int)(await admin.PutAsJsonAsync($"/api/admin/customers/{pinned}/warehouse", new { code = second })).StatusCode, Is.EqualTo(204));
        var after = (await HttpAssert.Ok(await admin.PutAsJsonAsync("/api/admin/warehouses/default", new { code = first }))).EnumerateArray().ToList();
        Assert.That(after.Single(w => w.GetProperty("code").GetString() == first).GetProperty("stores").GetInt64(), Is.EqualTo(59));
        Assert.That(after.Single(w => w.GetProperty("code").GetString() == second).GetProperty("stores").GetInt64(), Is.EqualTo(1));

        // A later customers sync keeps the store chosen by hand and the default for the rest.
        await HttpAssert.Ok(await admin.PostAsync("/api/admin/sync/full-resync", null));
        after = (await HttpAssert.Ok(await admin.GetAsync("/api/admin/warehouses/stores"))).EnumerateArray().ToList();
        Assert.That(after.Single(w => w.GetProperty("code").GetString() == second).GetProperty("stores").GetInt64(), Is.EqualTo(1));

        await HttpAssert.Problem(await admin.PutAsJsonAsync("/api/admin/warehouses/default", new { code = "NOWHERE" }), 404);
    }

    [Test]
    public async Task Bootstrap_creates_the_first_admin_only_while_there_is_no_staff()
    {
        var admin = await SignInAsync("/api/auth/staff/login", new { login = "boss", password = "first-run-2026" });
        var staff = (await HttpAssert.Ok(await admin.GetAsync("/api/admin/staff"))).EnumerateArray().ToList();
        Assert.That(staff.Select(s => s.GetProperty("login").GetString()), Is.EqualTo(new[] { "boss" }));
        Assert.That(staff[0].GetProperty("role").GetString(), Is.EqualTo("admin"));
    }

    [Test]
    public async Task The_admin_create_command_reads_the_password_from_standard_input_and_the_admin_can_sign_in()
    {
        var output = new StringWriter();
        var code = await OrderHub.Api.BackOffice.AdminCommand.CreateAsync(_host.Services, "ops", new StringReader("ops-password-1\n"), output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("ops").And.Not.Contain("ops-password-1"));
        await SignInAsync("/api/auth/staff/login", new { login = "ops", password = "ops-password-1" });

        var again = new StringWriter();
        Assert.That(await OrderHub.Api.BackOffice.AdminCommand.CreateAsync(_host.Services, "ops", new StringReader("ops-password-2\n"), again), Is.EqualTo(1));
        Assert.That(again.ToString(), Does.Contain("已存在"));
        Assert.That(await OrderHub.Api.BackOffice.AdminCommand.CreateAsync(_host.Services, "x2", new StringReader("short\n"), new StringWriter()), Is.EqualTo(2));
    }

    private static JsonElement Item(JsonElement checklist, string key) =>
        checklist.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key").GetString() == key);
}
