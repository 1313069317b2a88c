using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Data;
using OrderHub.Tests.Api;
using OrderHub.Testing;

namespace OrderHub.Tests.Statements;

/// <summary>
/// Statements, balances, payments and credits over HTTP on the demo distributor, on both databases.
/// The host's clock stands at 2026-12-15 10:00 Shanghai so November and December 2026 are in the past.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class StatementsApiTests(string kind)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 15, 10, 0, 0, Shanghai));
    private ApiHost _host = null!;
    private WebApplicationFactory<Program> _app = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _host = new ApiHost(kind);
        _app = _host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _app.Dispose();
        _host.Dispose();
    }

    private Db Db => _app.Services.GetRequiredService<Db>();

    private async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task<HttpClient> SignInAsync(object who)
    {
        var client = _app.CreateClient();
        var res = await client.PostAsJsonAsync("/api/auth/dev-login", who);
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        var token = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<HttpClient> Customer(string code) => SignInAsync(new { customerCode = code });
    private Task<HttpClient> Staff(string login) => SignInAsync(new { staffLogin = login });
    private Task<HttpClient> Agent(string code) => SignInAsync(new { agentCode = code });

    private Task<long> CustomerId(string code) => Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code });

    private static long Ms(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0) =>
        new DateTimeOffset(y, mo, d, h, mi, s, Shanghai).AddMilliseconds(ms).ToUnixTimeMilliseconds();

    /// <summary>Replaces a customer's ledger with exactly these rows.</summary>
    private async Task SetLedgerAsync(long customerId, params (string Kind, long AmountFen, long At, string? Reference)[] rows)
    {
        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync("DELETE FROM ledger_entries WHERE customer_id = @customerId", new { customerId });
        foreach (var r in rows)
            await c.ExecuteAsync("""
                INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, note, created_by, created_at)
                VALUES (@customerId, @Kind, @AmountFen, @At, @Reference, NULL, 'test', @At)
                """, new { customerId, r.Kind, r.AmountFen, r.At, r.Reference });
    }

    /// <summary>
    /// Opening 1,000.00 (Oct) + an order of 10.00 at 2026-10-31 23:59:59.999 (still October), then in November:
    /// payment 50.00 at 11-01 00:00 (first instant), order 523.50, payment 300.00, return 23.50 at 11-30 23:59;
    /// and an order of 88.00 at 12-01 00:00 Shanghai (December).
    /// </summary>
    private async Task<long> FixedLedgerAsync(string code)
    {
        var id = await CustomerId(code);
        await SetLedgerAsync(id,
            ("opening", 100_000, Ms(2026, 10, 15, 10, 0), "OPENING"),
            ("order", 1_000, Ms(2026, 10, 31, 23, 59, 59, 999), "SO-OCT"),
            ("payment", -5_000, Ms(2026, 11, 1, 0, 0), "PAY-1101"),
            ("order", 52_350, Ms(2026, 11, 5, 9, 30), "SO20261105001"),
            ("payment", -30_000, Ms(2026, 11, 20, 15, 0), "PAY-1120"),
            ("return", -2_350, Ms(2026, 11, 30, 23, 59), "RT-1130"),
            ("order", 8_800, Ms(2026, 12, 1, 0, 0), "SO-DEC"));
        return id;
    }

    [Test]
    public void The_fixture_runs_on_the_database_it_names() =>
        Assert.That(Db.Dialect, Is.EqualTo(kind == TestDatabase.Postgres ? SqlDialect.Postgres : SqlDialect.Sqlite));

    // ---- statements --------------------------------------------------------------------------------------------------

    [Test]
    public async Task November_statement_is_computed_by_hand_with_Shanghai_midnight_boundaries()
    {
        var id = await FixedLedgerAsync("C00005");
        var json = await HttpAssert.Ok(await (await Customer("C00005")).GetAsync("/api/statement?from=2026-11-01&to=2026-11-30"));

        var lines = json.GetProperty("lines").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("customer").GetProperty("id").GetInt64(), Is.EqualTo(id));
            Assert.That(json.GetProperty("from").GetString(), Is.EqualTo("2026-11-01"));
            Assert.That(json.GetProperty("to").GetString(), Is.EqualTo("2026-11-30"));
            Assert.That(json.GetProperty("openingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(101_000));
            Assert.That(json.GetProperty("openingBalance").GetProperty("text").GetString(), Is.EqualTo("¥1,010.00"));
            Assert.That(lines.Select(l => l.GetProperty("reference").GetString()), Is.EqualTo(new[] { "PAY-1101", "SO20261105001", "PAY-1120", "RT-1130" }));
            Assert.That(lines.Select(l => l.GetProperty("kindText").GetString()), Is.EqualTo(new[] { "收款", "订单", "收款", "退货" }));
            Assert.That(lines.Select(l => l.GetProperty("date").GetString()), Is.EqualTo(new[] { "2026-11-01", "2026-11-05", "2026-11-20", "2026-11-30" }));
            Assert.That(lines.Select(l => l.GetProperty("debitFen").GetInt64()), Is.EqualTo(new long[] { 0, 52_350, 0, 0 }));
            Assert.That(lines.Select(l => l.GetProperty("creditFen").GetInt64()), Is.EqualTo(new long[] { 5_000, 0, 30_000, 2_350 }));
            Assert.That(lines.Select(l => l.GetProperty("balanceFen").GetInt64()), Is.EqualTo(new long[] { 96_000, 148_350, 118_350, 116_000 }));
            Assert.That(json.GetProperty("debitTotal").GetProperty("fen").GetInt64(), Is.EqualTo(52_350));
            Assert.That(json.GetProperty("creditTotal").GetProperty("fen").GetInt64(), Is.EqualTo(37_350));
            Assert.That(json.GetProperty("closingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(116_000));
            Assert.That(lines[3].GetProperty("occurredAt").GetString(), Is.EqualTo("2026-11-30T23:59:00+08:00"));
        });

        // The entry at 2026-12-01 00:00 Shanghai opens December, not November.
        var dec = await HttpAssert.Ok(await (await Staff("clerk")).GetAsync($"/api/admin/customers/{id}/statement?from=2026-12-01&to=2026-12-31"));
        Assert.Multiple(() =>
        {
            Assert.That(dec.GetProperty("openingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(116_000));
            Assert.That(dec.GetProperty("lines").GetArrayLength(), Is.EqualTo(1));
            Assert.That(dec.GetProperty("lines")[0].GetProperty("kindText").GetString(), Is.EqualTo("订单"));
            Assert.That(dec.GetProperty("lines")[0].GetProperty("date").GetString(), Is.EqualTo("2026-12-01"));
            Assert.That(dec.GetProperty("closingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(124_800));
        });

        // One day: 11-30 holds only the return at 23:59.
        var day = await HttpAssert.Ok(await (await Staff("finance")).GetAsync($"/api/admin/customers/{id}/statement?from=2026-11-30&to=2026-11-30"));
        Assert.That(day.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("reference").GetString()), Is.EqualTo(new[] { "RT-1130" }));
        Assert.That(day.GetProperty("openingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(118_350));
    }

    [Test]
    public async Task The_balance_is_the_sum_of_the_ledger_and_matches_the_last_closing_balance()
    {
        var id = await FixedLedgerAsync("C00006");
        var sum = await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @id", new { id });
        var limit = await Scalar<long>("SELECT credit_limit_fen FROM customers WHERE id = @id", new { id });
        var client = await Customer("C00006");
        var b = await HttpAssert.Ok(await client.GetAsync("/api/balance"));
        var all = await HttpAssert.Ok(await client.GetAsync("/api/statement?from=2026-01-01&to=2026-12-31"));
        Assert.Multiple(() =>
        {
            Assert.That(sum, Is.EqualTo(124_800));
            Assert.That(b.GetProperty("balance").GetProperty("fen").GetInt64(), Is.EqualTo(sum));
            Assert.That(b.GetProperty("creditLimit").GetProperty("fen").GetInt64(), Is.EqualTo(limit));
            Assert.That(b.GetProperty("openOrders").GetProperty("fen").GetInt64(), Is.EqualTo(0));
            Assert.That(b.GetProperty("availableCredit").GetProperty("fen").GetInt64(), Is.EqualTo(limit - sum));
            Assert.That(all.GetProperty("openingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(0));
            Assert.That(all.GetProperty("closingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(sum));
            Assert.That(all.GetProperty("lines").GetArrayLength(), Is.EqualTo(7));
            Assert.That(all.GetProperty("lines")[0].GetProperty("kindText").GetString(), Is.EqualTo("期初"));
        });
    }

    [Test]
    public async Task Without_dates_the_statement_is_this_Shanghai_month_so_far()
    {
        var json = await HttpAssert.Ok(await (await Customer("C00001")).GetAsync("/api/statement"));
        Assert.That(json.GetProperty("from").GetString(), Is.EqualTo("2026-12-01"));
        Assert.That(json.GetProperty("to").GetString(), Is.EqualTo("2026-12-15"));
    }

    [TestCase("from=2026-12-01&to=2026-11-30", "to")]
    [TestCase("from=2025-01-01&to=2026-01-02", "to")]
    [TestCase("from=2026-11-31&to=2026-12-01", "from")]
    [TestCase("from=2026/11/01&to=2026-11-30", "from")]
    [TestCase("from=20261101&to=2026-11-30", "from")]
    [TestCase("from=2026-11-01&to=yesterday", "to")]
    [TestCase("from=2026-11-01", "to")]
    [TestCase("to=2026-11-01", "from")]
    public async Task Bad_periods_are_400_with_field_errors(string query, string field)
    {
        var client = await Customer("C00001");
        foreach (var url in new[] { $"/api/statement?{query}", $"/api/statement/download?{query}&format=csv" })
        {
            var json = await HttpAssert.Problem(await client.GetAsync(url), 400);
            Assert.That(json.GetProperty("errors").TryGetProperty(field, out var errs), Is.True, url);
            Assert.That(errs[0].GetString(), Does.Contain(" / "));
        }
        var id = await CustomerId("C00001");
        await HttpAssert.Problem(await (await Staff("clerk")).GetAsync($"/api/admin/customers/{id}/statement?{query}"), 400);
    }

    [Test]
    public async Task A_period_of_exactly_366_days_is_allowed()
    {
        var client = await Customer("C00001");
        await HttpAssert.Ok(await client.GetAsync("/api/statement?from=2024-01-01&to=2024-12-31"));
    }

    [Test]
    public async Task Unknown_format_is_400()
    {
        var json = await HttpAssert.Problem(await (await Customer("C00001")).GetAsync("/api/statement/download?from=2026-11-01&to=2026-11-30&format=pdf"), 400);
        Assert.That(json.GetProperty("errors").TryGetProperty("format", out _), Is.True);
    }

    [Test]
    public async Task Unknown_customer_is_404_for_staff()
    {
        var client = await Staff("finance");
        await HttpAssert.Problem(await client.GetAsync("/api/admin/customers/999999"), 404, "客户不存在");
        await HttpAssert.Problem(await client.GetAsync("/api/admin/customers/999999/statement?from=2026-11-01&to=2026-11-30"), 404);
        await HttpAssert.Problem(await client.GetAsync("/api/admin/customers/999999/statement/download?from=2026-11-01&to=2026-11-30&format=xlsx"), 404);
        await HttpAssert.Problem(await Post(client, "/api/admin/customers/999999/payments", new { amountFen = 100, method = "cash" }, "k-404"), 404);
        await HttpAssert.Problem(await Post(client, "/api/admin/customers/999999/credits", new { kind = "credit", amountFen = 100 }, "k-404c"), 404);
    }

    // ---- who sees what -----------------------------------------------------------------------------------------------

    [Test]
    public async Task A_customer_sees_only_its_own_statement()
    {
        var own = await CustomerId("C00008");
        var other = await CustomerId("C00009");
        var client = await Customer("C00008");
        // There is no parameter to name another store: anything extra is ignored.
        var json = await HttpAssert.Ok(await client.GetAsync($"/api/statement?from=2026-11-01&to=2026-11-30&customerId={other}"));
        Assert.That(json.GetProperty("customer").GetProperty("id").GetInt64(), Is.EqualTo(own));
        var b = await HttpAssert.Ok(await client.GetAsync($"/api/balance?customerId={other}"));
        Assert.That(b.GetProperty("balance").GetProperty("fen").GetInt64(),
            Is.EqualTo(await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @own", new { own })));
        // The back-office and agent routes are closed to customers.
        await HttpAssert.Problem(await client.GetAsync($"/api/admin/customers/{other}/statement?from=2026-11-01&to=2026-11-30"), 403);
        await HttpAssert.Problem(await client.GetAsync($"/api/agent/customers/{other}/statement?from=2026-11-01&to=2026-11-30"), 403);
        await HttpAssert.Problem(await client.GetAsync("/api/admin/customers"), 403);
    }

    [Test]
    public async Task Without_a_token_everything_is_401()
    {
        var anon = _app.CreateClient();
        await HttpAssert.Problem(await anon.GetAsync("/api/statement"), 401);
        await HttpAssert.Problem(await anon.GetAsync("/api/balance"), 401);
        await HttpAssert.Problem(await anon.GetAsync("/api/admin/customers"), 401);
    }

    [Test]
    public async Task Staff_and_agents_do_not_have_an_own_statement()
    {
        await HttpAssert.Problem(await (await Staff("finance")).GetAsync("/api/statement"), 403);
        var agent = await Scalar<string>("SELECT code FROM agents ORDER BY code LIMIT 1");
        await HttpAssert.Problem(await (await Agent(agent)).GetAsync("/api/balance"), 403);
    }

    [Test]
    public async Task An_agent_sees_statements_of_its_own_customers_and_404_for_others()
    {
        var agent = await Scalar<string>("SELECT code FROM agents ORDER BY code LIMIT 1");
        var own = await Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = @agent ORDER BY c.id LIMIT 1", new { agent });
        var notOwn = await Scalar<long>("SELECT c.id FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code <> @agent ORDER BY c.id LIMIT 1", new { agent });
        var client = await Agent(agent);
        var json = await HttpAssert.Ok(await client.GetAsync($"/api/agent/customers/{own}/statement?from=2026-11-01&to=2026-11-30"));
        Assert.That(json.GetProperty("customer").GetProperty("id").GetInt64(), Is.EqualTo(own));
        await HttpAssert.Problem(await client.GetAsync($"/api/agent/customers/{notOwn}/statement?from=2026-11-01&to=2026-11-30"), 404, "客户不存在");
        await HttpAssert.Problem(await client.GetAsync("/api/agent/customers/999999/statement?from=2026-11-01&to=2026-11-30"), 404);
        await HttpAssert.Problem(await client.GetAsync($"/api/admin/customers/{own}/statement"), 403);
    }

    // ---- payments and credits ----------------------------------------------------------------------------------------

    private static Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string? key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(req);
    }

    [Test]
    public async Task A_retried_payment_books_once_and_answers_the_same()
    {
        var id = await CustomerId("C00011");
        var before = await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @id", new { id });
        var finance = await Staff("finance");
        var body = new { amountFen = 12_345, paidOn = "2026-12-10", method = "bank_transfer", reference = "BANK-778899", note = "十一月货款" };

        var first = await Post(finance, $"/api/admin/customers/{id}/payments", body, "pay-C00011-1");
        var firstJson = await HttpAssert.Ok(first);
        var second = await Post(finance, $"/api/admin/customers/{id}/payments", body, "pay-C00011-1");
        var secondJson = await HttpAssert.Ok(second);

        var booked = await Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE customer_id = @id AND reference = 'BANK-778899'", new { id });
        var after = await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That((int)first.StatusCode, Is.EqualTo(201));
            Assert.That((int)second.StatusCode, Is.EqualTo(201));
            Assert.That(first.Headers.Location?.ToString(), Is.EqualTo($"/api/admin/customers/{id}/ledger/{firstJson.GetProperty("id").GetInt64()}"));
            Assert.That(secondJson.GetRawText(), Is.EqualTo(firstJson.GetRawText()));
            Assert.That(second.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true", Is.True);
            Assert.That(firstJson.GetProperty("amountFen").GetInt64(), Is.EqualTo(-12_345));
            Assert.That(firstJson.GetProperty("kind").GetString(), Is.EqualTo("payment"));
            Assert.That(firstJson.GetProperty("method").GetString(), Is.EqualTo("bank_transfer"));
            Assert.That(firstJson.GetProperty("note").GetString(), Is.EqualTo("十一月货款"));
            Assert.That(firstJson.GetProperty("date").GetString(), Is.EqualTo("2026-12-10"));
            Assert.That(booked, Is.EqualTo(1));
            Assert.That(after, Is.EqualTo(before - 12_345));
        });

        // The same key with a different amount is refused and books nothing.
        var reused = await Post(finance, $"/api/admin/customers/{id}/payments", body with { amountFen = 99_999 }, "pay-C00011-1");
        await HttpAssert.Problem(reused, 422, "Idempotency-Key");
        // The same key for another customer is a different request too.
        await HttpAssert.Problem(await Post(finance, $"/api/admin/customers/{await CustomerId("C00012")}/payments", body, "pay-C00011-1"), 422);
        Assert.That(await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @id", new { id }), Is.EqualTo(before - 12_345));

        // The payment shows in December's statement on its paid-on date; the entry can be read back.
        var dec = await HttpAssert.Ok(await finance.GetAsync($"/api/admin/customers/{id}/statement?from=2026-12-01&to=2026-12-31"));
        var line = dec.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("reference").GetString() == "BANK-778899");
        Assert.That(line.GetProperty("date").GetString(), Is.EqualTo("2026-12-10"));
        Assert.That(line.GetProperty("creditFen").GetInt64(), Is.EqualTo(12_345));
        var entry = await HttpAssert.Ok(await finance.GetAsync(first.Headers.Location!.ToString()));
        Assert.That(entry.GetProperty("id").GetInt64(), Is.EqualTo(firstJson.GetProperty("id").GetInt64()));
    }

    [Test]
    public async Task Concurrent_retries_with_one_key_book_one_payment()
    {
        var id = await CustomerId("C00013");
        var finance = await Staff("finance");
        var body = new { amountFen = 500, method = "cash", reference = "CASH-RACE" };
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Post(finance, $"/api/admin/customers/{id}/payments", body, "race-key-1")));
        Assert.That(results.Select(r => (int)r.StatusCode), Is.All.EqualTo(201));
        var ids = await Task.WhenAll(results.Select(async r => (await HttpAssert.Ok(r)).GetProperty("id").GetInt64()));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE customer_id = @id AND reference = 'CASH-RACE'", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_finance_and_admin_record_payments()
    {
        var id = await CustomerId("C00014");
        var body = new { amountFen = 1_000, method = "wechat" };
        await HttpAssert.Problem(await Post(await Staff("clerk"), $"/api/admin/customers/{id}/payments", body, "role-clerk"), 403);
        await HttpAssert.Problem(await Post(await Staff("warehouse"), $"/api/admin/customers/{id}/payments", body, "role-wh"), 403);
        await HttpAssert.Problem(await Post(await Staff("warehouse"), $"/api/admin/customers/{id}/credits", new { kind = "credit", amountFen = 1_000 }, "role-wh-c"), 403);
        await HttpAssert.Problem(await Post(await Customer("C00014"), $"/api/admin/customers/{id}/payments", body, "role-cust"), 403);
        Assert.That((int)(await Post(await Staff("finance"), $"/api/admin/customers/{id}/payments", body, "role-fin")).StatusCode, Is.EqualTo(201));
        Assert.That((int)(await Post(await Staff("admin"), $"/api/admin/customers/{id}/payments", body, "role-admin")).StatusCode, Is.EqualTo(201));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE customer_id = @id AND kind = 'payment'", new { id }), Is.EqualTo(2));
        // Reading is open to every staff role.
        await HttpAssert.Ok(await (await Staff("warehouse")).GetAsync($"/api/admin/customers/{id}"));
        await HttpAssert.Ok(await (await Staff("clerk")).GetAsync($"/api/admin/customers/{id}/statement?from=2026-12-01&to=2026-12-31"));
    }

    [TestCase(0, "amountFen")]
    [TestCase(-100, "amountFen")]
    [TestCase(100_000_001, "amountFen")]
    public async Task Payment_amounts_out_of_range_are_400(long amount, string field)
    {
        var id = await CustomerId("C00015");
        var json = await HttpAssert.Problem(await Post(await Staff("finance"), $"/api/admin/customers/{id}/payments",
            new { amountFen = amount, method = "cash" }, $"amt-{amount}"), 400);
        Assert.That(json.GetProperty("errors").GetProperty(field)[0].GetString(), Does.Contain(" / "));
    }

    [Test]
    public async Task Bad_payments_are_400_and_book_nothing()
    {
        var id = await CustomerId("C00015");
        var finance = await Staff("finance");
        var url = $"/api/admin/customers/{id}/payments";
        await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100, method = "cash" }, null), 400, "Idempotency-Key");
        Assert.That((await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100, method = "bitcoin" }, "bad-1"), 400)).GetProperty("errors").TryGetProperty("method", out _));
        Assert.That((await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100 }, "bad-2"), 400)).GetProperty("errors").TryGetProperty("method", out _));
        Assert.That((await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100, method = "cash", paidOn = "2026-12-16" }, "bad-3"), 400)).GetProperty("errors").TryGetProperty("paidOn", out _));
        Assert.That((await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100, method = "cash", paidOn = "12/01/2026" }, "bad-4"), 400)).GetProperty("errors").TryGetProperty("paidOn", out _));
        Assert.That((await HttpAssert.Problem(await Post(finance, url, new { amountFen = 100, method = "cash", note = new string('x', 201) }, "bad-5"), 400)).GetProperty("errors").TryGetProperty("note", out _));
        await HttpAssert.Problem(await finance.SendAsync(new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent("{\"amountFen\": \"lots\"}", Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "bad-6" } },
        }), 400);
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE customer_id = @id AND kind = 'payment'", new { id }), Is.EqualTo(0));
        Assert.That(await Scalar<long>("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key LIKE 'bad-%'"), Is.EqualTo(0));
    }

    [Test]
    public async Task Returns_and_credits_lower_the_balance()
    {
        var id = await CustomerId("C00016");
        await SetLedgerAsync(id, ("opening", 50_000, Ms(2026, 11, 1, 8, 0), "OPENING"));
        var finance = await Staff("finance");
        var url = $"/api/admin/customers/{id}/credits";
        var ret = await HttpAssert.Ok(await Post(finance, url, new { kind = "return", amountFen = 2_000, reference = "RT-001", note = "破损退货", occurredOn = "2026-11-30" }, "cr-1"));
        var cred = await HttpAssert.Ok(await Post(finance, url, new { kind = "credit", amountFen = 1_500, reference = "CN-001" }, "cr-2"));
        var adj = await HttpAssert.Ok(await Post(finance, url, new { kind = "adjustment", amountFen = 1 }, "cr-3"));
        Assert.Multiple(() =>
        {
            Assert.That(ret.GetProperty("amountFen").GetInt64(), Is.EqualTo(-2_000));
            Assert.That(ret.GetProperty("kindText").GetString(), Is.EqualTo("退货"));
            Assert.That(ret.GetProperty("note").GetString(), Is.EqualTo("破损退货"));
            Assert.That(ret.GetProperty("occurredAt").GetString(), Is.EqualTo("2026-11-30T23:59:59+08:00"));
            Assert.That(cred.GetProperty("kindText").GetString(), Is.EqualTo("贷项"));
            Assert.That(adj.GetProperty("kindText").GetString(), Is.EqualTo("调整"));
        });
        var b = await HttpAssert.Ok(await (await Customer("C00016")).GetAsync("/api/balance"));
        Assert.That(b.GetProperty("balance").GetProperty("fen").GetInt64(), Is.EqualTo(50_000 - 2_000 - 1_500 - 1));
        var nov = await HttpAssert.Ok(await (await Customer("C00016")).GetAsync("/api/statement?from=2026-11-01&to=2026-11-30"));
        Assert.That(nov.GetProperty("closingBalance").GetProperty("fen").GetInt64(), Is.EqualTo(48_000));

        var bad = await HttpAssert.Problem(await Post(finance, url, new { kind = "payment", amountFen = 0 }, "cr-4"), 400);
        Assert.That(bad.GetProperty("errors").TryGetProperty("kind", out _) && bad.GetProperty("errors").TryGetProperty("amountFen", out _), Is.True);
        await HttpAssert.Problem(await Post(finance, url, new { kind = "return", amountFen = 2_001, reference = "RT-001", note = "破损退货", occurredOn = "2026-11-30" }, "cr-1"), 422);
    }

    // ---- downloads ---------------------------------------------------------------------------------------------------

    [Test]
    public async Task CSV_download_has_a_BOM_and_the_right_closing_balance()
    {
        var id = await FixedLedgerAsync("C00017");
        var res = await (await Customer("C00017")).GetAsync("/api/statement/download?from=2026-11-01&to=2026-11-30&format=csv");
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(res.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("对账单_C00017_2026-11-01_2026-11-30.csv"));
        var bytes = await res.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var name = await Scalar<string>("SELECT name FROM customers WHERE id = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That(rows[0], Does.Contain(name).And.Contain("C00017"));
            Assert.That(rows[1], Does.Contain("2026-11-01 至 2026-11-30"));
            Assert.That(rows[2], Is.EqualTo("日期,类型,单号/参考,摘要,借方(元),贷方(元),余额(元)"));
            Assert.That(rows[3], Is.EqualTo(",期初余额,,,,,1010.00"));
            Assert.That(rows[4], Is.EqualTo("2026-11-01,收款,PAY-1101,,,50.00,960.00"));
            Assert.That(rows[5], Is.EqualTo("2026-11-05,订单,SO20261105001,,523.50,,1483.50"));
            Assert.That(rows[^1], Is.EqualTo(",期末余额,,本期合计,523.50,373.50,1160.00"));
            Assert.That(rows, Has.Length.EqualTo(9));
        });
    }

    [Test]
    public async Task XLSX_download_opens_with_ClosedXML_and_its_closing_cell_matches()
    {
        var id = await FixedLedgerAsync("C00018");
        var res = await (await Staff("finance")).GetAsync($"/api/admin/customers/{id}/statement/download?from=2026-11-01&to=2026-11-30&format=xlsx");
        Assert.That((int)res.StatusCode, Is.EqualTo(200), await res.Content.ReadAsStringAsync());
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        using var wb = new XLWorkbook(new MemoryStream(await res.Content.ReadAsByteArrayAsync()));
        var ws = wb.Worksheet(1);
        var closing = ws.RowsUsed().Single(r => r.Cell(2).GetString() == "期末余额");
        var opening = ws.RowsUsed().Single(r => r.Cell(2).GetString() == "期初余额");
        Assert.Multiple(() =>
        {
            Assert.That(ws.Cell(1, 1).GetString(), Does.Contain("C00018"));
            Assert.That(opening.Cell(7).GetValue<decimal>(), Is.EqualTo(1010.00m));
            Assert.That(closing.Cell(7).GetValue<decimal>(), Is.EqualTo(1160.00m));
            Assert.That(closing.Cell(5).GetValue<decimal>(), Is.EqualTo(523.50m));
            Assert.That(closing.Cell(6).GetValue<decimal>(), Is.EqualTo(373.50m));
            Assert.That(closing.Cell(7).Style.NumberFormat.Format, Is.EqualTo("#,##0.00"));
            Assert.That(closing.RowNumber() - opening.RowNumber(), Is.EqualTo(5), "four lines between opening and closing");
            Assert.That(ws.Row(opening.RowNumber() + 2).Cell(3).GetString(), Is.EqualTo("SO20261105001"));
        });
    }

    [Test]
    public async Task Text_that_looks_like_a_formula_stays_text_in_both_files()
    {
        var id = await CustomerId("C00019");
        await SetLedgerAsync(id, ("payment", -100, Ms(2026, 11, 3, 10, 0), "=HYPERLINK(\"http://x\",\"y\")"), ("order", 100, Ms(2026, 11, 4, 10, 0), "00123,\"q\""));
        var client = await Staff("clerk");
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/api/admin/customers/{id}/statement/download?from=2026-11-01&to=2026-11-30&format=csv"));
        Assert.That(csv, Does.Contain("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));
        Assert.That(csv, Does.Contain("\"00123,\"\"q\"\"\""));
        using var wb = new XLWorkbook(new MemoryStream(await client.GetByteArrayAsync($"/api/admin/customers/{id}/statement/download?from=2026-11-01&to=2026-11-30&format=xlsx")));
        var refs = wb.Worksheet(1).Column(3).CellsUsed().Select(c => (c.GetString(), c.HasFormula, c.DataType)).ToList();
        Assert.That(refs, Does.Contain(("=HYPERLINK(\"http://x\",\"y\")", false, XLDataType.Text)));
        Assert.That(refs, Does.Contain(("00123,\"q\"", false, XLDataType.Text)));
    }

    // ---- back-office customer list and detail ------------------------------------------------------------------------

    [Test]
    public async Task The_customer_list_pages_by_code_with_balance_and_filters()
    {
        var client = await Staff("clerk");
        var page = await HttpAssert.Ok(await client.GetAsync("/api/admin/customers?limit=7"));
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(7));
        Assert.That(page.GetProperty("nextCursor").GetString(), Is.EqualTo(items[^1].GetProperty("code").GetString()));
        foreach (var i in items)
        {
            var cid = i.GetProperty("id").GetInt64();
            Assert.That(i.GetProperty("balance").GetProperty("fen").GetInt64(),
                Is.EqualTo(await Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @cid", new { cid })));
            Assert.That(i.GetProperty("creditLimit").GetProperty("fen").GetInt64(), Is.GreaterThan(0));
        }
        var next = await HttpAssert.Ok(await client.GetAsync($"/api/admin/customers?limit=7&after={page.GetProperty("nextCursor").GetString()}"));
        Assert.That(string.CompareOrdinal(next.GetProperty("items")[0].GetProperty("code").GetString(), items[^1].GetProperty("code").GetString()), Is.GreaterThan(0));

        var all = 0; string? after = null;
        do
        {
            var p = await HttpAssert.Ok(await client.GetAsync("/api/admin/customers?limit=25" + (after is null ? "" : $"&after={after}")));
            all += p.GetProperty("items").GetArrayLength();
            after = p.GetProperty("nextCursor").GetString();
        } while (after is not null);
        Assert.That(all, Is.EqualTo(await Scalar<long>("SELECT COUNT(*) FROM customers")));

        var agentId = await Scalar<long>("SELECT id FROM agents ORDER BY code LIMIT 1");
        var byAgent = await HttpAssert.Ok(await client.GetAsync($"/api/admin/customers?agentId={agentId}&limit=200"));
        Assert.That(byAgent.GetProperty("items").GetArrayLength(), Is.EqualTo(await Scalar<long>("SELECT COUNT(*) FROM customers WHERE agent_id = @agentId", new { agentId })));
        Assert.That(byAgent.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("agentId").GetInt64()), Is.All.EqualTo(agentId));

        var groupId = await Scalar<long>("SELECT id FROM customer_groups WHERE code = 'KA'");
        var byGroup = await HttpAssert.Ok(await client.GetAsync($"/api/admin/customers?groupId={groupId}&limit=200"));
        Assert.That(byGroup.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("groupId").GetInt64()), Is.All.EqualTo(groupId));

        var found = await HttpAssert.Ok(await client.GetAsync("/api/admin/customers?q=c00020"));
        Assert.That(found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()), Is.EqualTo(new[] { "C00020" }));
        var name = await Scalar<string>("SELECT name FROM customers WHERE code = 'C00021'");
        var byName = await HttpAssert.Ok(await client.GetAsync($"/api/admin/customers?q={Uri.EscapeDataString(name)}"));
        Assert.That(byName.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()), Does.Contain("C00021"));
        var none = await HttpAssert.Ok(await client.GetAsync("/api/admin/customers?q=%25_"));
        Assert.That(none.GetProperty("items").GetArrayLength(), Is.EqualTo(0));
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("agentId=0", "agentId")]
    public async Task Bad_customer_list_queries_are_400(string query, string field)
    {
        var json = await HttpAssert.Problem(await (await Staff("clerk")).GetAsync($"/api/admin/customers?{query}"), 400);
        Assert.That(json.GetProperty("errors").TryGetProperty(field, out _), Is.True);
    }

    [Test]
    public async Task Customer_detail_has_users_agent_group_credit_balance_and_open_orders()
    {
        var id = await FixedLedgerAsync("C00022");
        var json = await HttpAssert.Ok(await (await Staff("warehouse")).GetAsync($"/api/admin/customers/{id}"));
        var users = await Scalar<long>("SELECT COUNT(*) FROM customer_users WHERE customer_id = @id", new { id });
        var agentCode = await Scalar<string>("SELECT a.code FROM agents a JOIN customers c ON c.agent_id = a.id WHERE c.id = @id", new { id });
        var groupCode = await Scalar<string>("SELECT g.code FROM customer_groups g JOIN customers c ON c.group_id = g.id WHERE c.id = @id", new { id });
        var limit = await Scalar<long>("SELECT credit_limit_fen FROM customers WHERE id = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("C00022"));
            Assert.That(json.GetProperty("users").GetArrayLength(), Is.EqualTo(users).And.GreaterThan(0));
            Assert.That(json.GetProperty("agent").GetProperty("code").GetString(), Is.EqualTo(agentCode));
            Assert.That(json.GetProperty("group").GetProperty("code").GetString(), Is.EqualTo(groupCode));
            Assert.That(json.GetProperty("creditLimit").GetProperty("fen").GetInt64(), Is.EqualTo(limit));
            Assert.That(json.GetProperty("balance").GetProperty("fen").GetInt64(), Is.EqualTo(124_800));
            Assert.That(json.GetProperty("openOrderTotal").GetProperty("fen").GetInt64(), Is.EqualTo(0));
            Assert.That(json.GetProperty("availableCredit").GetProperty("fen").GetInt64(), Is.EqualTo(limit - 124_800));
        });
        var ledger = await HttpAssert.Ok(await (await Staff("clerk")).GetAsync($"/api/admin/customers/{id}/ledger?limit=3"));
        Assert.That(ledger.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reference").GetString()), Is.EqualTo(new[] { "SO-DEC", "RT-1130", "PAY-1120" }));
        var rest = await HttpAssert.Ok(await (await Staff("clerk")).GetAsync($"/api/admin/customers/{id}/ledger?limit=10&after={ledger.GetProperty("nextCursor").GetString()}"));
        Assert.That(rest.GetProperty("items").GetArrayLength(), Is.EqualTo(4));
        Assert.That(rest.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task The_OpenAPI_document_describes_the_statement_routes()
    {
        var doc = await HttpAssert.Ok(await _app.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(paths, Does.Contain("/api/statement").And.Contain("/api/balance").And.Contain("/api/admin/customers").And.Contain("/api/admin/customers/{id}/payments")
            .And.Contain("/api/agent/customers/{id}/statement"));
    }
}
