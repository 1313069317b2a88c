using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Security;

/// <summary>
/// Walks every endpoint of the OpenAPI document for every role, with identifiers that belong to someone else
/// (another store's id, order and statement; another agent's store), and asserts 401/403/404 with nothing of the other
/// party in the body and nothing changed. New endpoints are covered by being in the document.
/// </summary>
public class AuthorizationSweepTests
{
    private ApiHost _host = null!;
    private Victim _victim = null!;
    private readonly Dictionary<string, HttpClient> _clients = new();

    /// <summary>The other party: a store of another agent, with an order, a cart and a ledger entry.</summary>
    private sealed record Victim(long CustomerId, string Code, string Name, string OrderNo, long OrderId, long AgentId, string Sku, long UserId)
    {
        /// <summary>The victim's invoice title (发票抬头) and delivery address: their ids fill {id} on the store-book routes.</summary>
        public long InvoiceTitleId { get; set; }
        public long AddressId { get; set; }
        public const string InvoiceTitle = "受害门店专用发票抬头有限公司";
    }

    private static readonly string[] Public =
    [
        "/health", "/openapi/{documentName}.json", "/api/auth/dev-login", "/api/auth/refresh", "/api/auth/staff/login", "/api/auth/login",
        "/api/wechat/login", "/api/wechat/work/login", "/api/wechat/bind", "/api/auth/me", "/api/wechat/templates",
        // WeChat Pay's notifications: anonymous, authenticated by the platform key's signature (WeChatPayTests: forgeries get 401)
        "/api/wechat/pay/notify",
        // WeChat Work's callback: anonymous, authenticated by WXBizMsgCrypt's signature, timestamp and nonce (ChatCommerceTests: forgeries and replays get 403)
        "/api/wecom/callback",
        "/media/{name}", // uploaded images: anonymous by design (128-bit random names, served to a CDN)
    ];

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ApiHost(settings: new() { ["Auth:UserCheckSeconds"] = "0" });
        // The caller-side parties: store C00001 (agent AG001 owns it), agent AG001, and staff of every role.
        _clients["anonymous"] = _host.CreateClient();
        _clients["customer"] = await _host.CustomerAsync("C00001");
        _clients["agent"] = await _host.AgentAsync("AG001");
        foreach (var role in new[] { "clerk", "finance", "warehouse", "admin" }) _clients[role] = await _host.StaffAsync(role);

        // The victim: a store of another agent, with an order of its own.
        var code = await _host.Scalar<string>("SELECT c.code FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code <> 'AG001' AND c.code <> 'C00001' ORDER BY c.code LIMIT 1");
        var victimClient = await _host.CustomerAsync(code);
        var sku = await _host.Scalar<string>("""
            SELECT p.sku FROM products p JOIN stock s ON s.product_id = p.id JOIN customers c ON c.warehouse_id = s.warehouse_id AND c.code = @code
            WHERE p.active = TRUE AND s.on_hand >= p.min_order_qty * 4 AND p.min_order_qty % p.pack_size = 0
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.product_id = p.id) ORDER BY p.sku LIMIT 1
            """, new { code });
        var moq = await _host.Scalar<long>("SELECT min_order_qty FROM products WHERE sku = @sku", new { sku });
        await HttpAssert.Ok(await victimClient.PostAsJsonAsync("/api/cart/items", new { sku, quantity = moq }));
        var addressId = (await HttpAssert.Ok(await victimClient.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId }) };
        submit.Headers.Add("Idempotency-Key", "victim-order");
        var order = await HttpAssert.Ok(await victimClient.SendAsync(submit));
        await HttpAssert.Ok(await victimClient.PostAsJsonAsync("/api/cart/items", new { sku, quantity = moq }));   // a cart left open
        _victim = new Victim(
            await _host.Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code }), code,
            await _host.Scalar<string>("SELECT name FROM customers WHERE code = @code", new { code }),
            order.GetProperty("summary").GetProperty("orderNo").GetString()!, order.GetProperty("summary").GetProperty("id").GetInt64(),
            await _host.Scalar<long>("SELECT agent_id FROM customers WHERE code = @code", new { code }), sku,
            await _host.Scalar<long>("SELECT u.id FROM customer_users u JOIN customers c ON c.id = u.customer_id WHERE c.code = @code ORDER BY u.id LIMIT 1", new { code }));
        var title = new HttpRequestMessage(HttpMethod.Post, "/api/invoice-titles") { Content = JsonContent.Create(new { kind = "normal", title = Victim.InvoiceTitle }) };
        title.Headers.Add("Idempotency-Key", "victim-title");
        _victim.InvoiceTitleId = (await HttpAssert.Ok(await victimClient.SendAsync(title))).GetProperty("id").GetInt64();
        _victim.AddressId = addressId;
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    /// <summary>Route parameters filled with the victim's identifiers (any other parameter gets 1).</summary>
    private string Fill(string path)
    {
        var filled = path
            .Replace("{customerId}", _victim.CustomerId.ToString()).Replace("{orderNo}", _victim.OrderNo)
            .Replace("{agentId}", _victim.AgentId.ToString()).Replace("{sku}", _victim.Sku)
            .Replace("{userId}", _victim.UserId.ToString())
            .Replace("{id}", path.StartsWith("/api/admin/orders", StringComparison.Ordinal) ? _victim.OrderId.ToString()
                : path.Contains("/invoice-titles/", StringComparison.Ordinal) ? _victim.InvoiceTitleId.ToString()
                : path.Contains("/addresses/", StringComparison.Ordinal) ? _victim.AddressId.ToString()
                : _victim.CustomerId.ToString());
        return System.Text.RegularExpressions.Regex.Replace(filled, "\\{[^}]+\\}", "1");
    }

    /// <summary>Route parameters that name a party (a store, an order, an agent, a user); a SKU is shared catalog data.</summary>
    private static bool NamesAParty(string path) =>
        System.Text.RegularExpressions.Regex.Matches(path, "\\{([^}:]+)").Any(m => m.Groups[1].Value != "sku");

    private JsonElement _doc;

    private async Task<List<OpenApiOperation>> EndpointsAsync()
    {
        _doc = await HttpAssert.Ok(await _host.CreateClient().GetAsync("/openapi/v1.json"));
        return OpenApiOperations.Read(_doc);
    }

    /// <summary>A well-formed body for the operation that points at the victim wherever a field names a store, product or agent.</summary>
    private HttpContent? BodyFor(OpenApiOperation op)
    {
        if (op.BodySchema is not { } schema) return op.Method is "POST" or "PUT" or "PATCH" ? JsonContent.Create(new { }) : null;
        var known = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>
        {
            ["sku"] = _victim.Sku, ["customerId"] = _victim.CustomerId, ["quantity"] = 1, ["reason"] = "sweep", ["amountFen"] = 100,
            ["toAgentId"] = _victim.AgentId, ["addressId"] = 1, ["orderNo"] = _victim.OrderNo,
        };
        return new StringContent(OpenApiOperations.PlausibleBody(_doc, schema, known).ToJsonString(), Encoding.UTF8, "application/json");
    }

    private async Task<Dictionary<string, long>> SnapshotAsync()
    {
        var tables = new[] { "orders", "order_events", "ledger_entries", "cart_items", "customer_users", "customers", "notifications", "share_links", "invoice_titles", "customer_addresses", "payments", "payment_refunds", "prepaid_movements" };
        var counts = new Dictionary<string, long>();
        foreach (var t in tables) counts[t] = await _host.Scalar<long>($"SELECT COUNT(*) FROM {t}");
        counts["victim_cart_qty"] = await _host.Scalar<long>("SELECT COALESCE(SUM(quantity), 0) FROM cart_items WHERE customer_id = @CustomerId", _victim);
        counts["victim_order_status_hash"] = (await _host.Scalar<string>("SELECT status FROM orders WHERE id = @OrderId", _victim)).GetHashCode();
        counts["victim_agent"] = await _host.Scalar<long>("SELECT agent_id FROM customers WHERE id = @CustomerId", _victim);
        counts["victim_title_hash"] = (await _host.Scalar<string>("SELECT title || '|' || kind || '|' || CASE WHEN active THEN 'a' ELSE 'x' END FROM invoice_titles WHERE id = @InvoiceTitleId", _victim)).GetHashCode();
        counts["victim_address_hash"] = (await _host.Scalar<string>("SELECT address || '|' || phone || '|' || CASE WHEN active THEN 'a' ELSE 'x' END FROM customer_addresses WHERE id = @AddressId", _victim)).GetHashCode();
        return counts;
    }

    private static readonly string[] StaffRoles = ["clerk", "finance", "warehouse", "admin"];
    private static readonly string[] AllRoles = ["anonymous", "customer", "agent", "clerk", "finance", "warehouse", "admin"];

    /// <summary>Who a route is for: staff under /api/admin, agents under /api/agent, stores elsewhere (the catalog serves all three).</summary>
    private static string[] Audience(string path) =>
        path.StartsWith("/api/admin", StringComparison.Ordinal) ? StaffRoles
        : path.StartsWith("/api/agent", StringComparison.Ordinal) ? ["agent"]
        : path.StartsWith("/api/catalog", StringComparison.Ordinal) ? ["customer", "agent", .. StaffRoles]
        : ["customer"];

    /// <summary>
    /// The roles that must be refused on this route when it carries the victim's identifiers. Staff reach any store on
    /// purpose (their role limits are tested with the order flow and statements); a route without identifiers, called by
    /// its own audience, answers for the caller itself and is not a cross-party check.
    /// </summary>
    private static IEnumerable<string> MustBeRefused(string path, bool carriesVictim)
    {
        var audience = Audience(path);
        return AllRoles.Where(role =>
            !(StaffRoles.Contains(role) && (path.StartsWith("/api/admin", StringComparison.Ordinal) || path.StartsWith("/api/catalog", StringComparison.Ordinal)))
            && !(audience.Contains(role) && !carriesVictim));
    }

    [Test]
    public async Task Every_endpoint_refuses_every_role_that_must_not_reach_another_partys_data()
    {
        var endpoints = await EndpointsAsync();
        Assert.That(endpoints, Has.Count.GreaterThan(30), "the OpenAPI document lists the API");
        var before = await SnapshotAsync();
        var failures = new List<string>();
        var checks = 0;
        foreach (var op in endpoints)
        {
            var (method, path) = (op.Method, op.Path);
            if (Public.Contains(path)) continue;
            // Identifiers travel in the route, or as ?customerId= on routes that take it (catalog, order lists).
            var takesCustomerQuery = path.StartsWith("/api/catalog", StringComparison.Ordinal) || path is "/api/orders" or "/api/agent/orders";
            var carriesVictim = NamesAParty(path) || (takesCustomerQuery && method == "GET");
            foreach (var role in MustBeRefused(path, carriesVictim))
            {
                var url = Fill(path) + (takesCustomerQuery && method == "GET" && !NamesAParty(path) ? $"?customerId={_victim.CustomerId}" : "");
                var req = new HttpRequestMessage(new HttpMethod(method), url);
                req.Content = BodyFor(op);
                if (method is not "GET") req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                if (_clients[role].DefaultRequestHeaders.Authorization is { } auth) req.Headers.Authorization = auth;
                var res = await _host.CreateClient().SendAsync(req);
                var body = await res.Content.ReadAsStringAsync();
                checks++;
                var status = (int)res.StatusCode;
                var leaked = body.Contains(_victim.Name) || body.Contains(_victim.OrderNo) || body.Contains($"\"{_victim.Code}\"") || body.Contains(Victim.InvoiceTitle);
                if (status is not (401 or 403 or 404) || leaked)
                    failures.Add($"{role,-9} {method,-6} {url} → {status}{(leaked ? " LEAKED the other party's data" : "")}: {body[..Math.Min(160, body.Length)]}");
            }
        }
        TestContext.Progress.WriteLine($"authorization sweep: {endpoints.Count} endpoints, {checks} endpoint×role checks");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(await SnapshotAsync(), Is.EquivalentTo(before), "nothing of anyone changed");
    }

    [Test]
    public async Task Anonymous_callers_get_401_everywhere_but_the_public_routes()
    {
        var failures = new List<string>();
        foreach (var op in await EndpointsAsync())
        {
            if (Public.Contains(op.Path)) continue;
            var res = await _host.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(op.Method), Fill(op.Path)) { Content = BodyFor(op) });
            if ((int)res.StatusCode != 401) failures.Add($"{op.Method} {op.Path} → {(int)res.StatusCode}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
