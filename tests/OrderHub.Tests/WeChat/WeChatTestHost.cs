using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.WeChat;
using OrderHub.Tests.Api;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.WeChat;

/// <summary>The OrderHub host pointed at a fake WeChat server (mini-program and WeChat Work), with templates configured.</summary>
public sealed class WeChatTestHost : IAsyncDisposable
{
    public FakeWeChatServer Fake { get; private init; } = null!;
    public ApiHost Host { get; private init; } = null!;

    public static async Task<WeChatTestHost> StartAsync(string kind, Dictionary<string, string?>? extra = null)
    {
        var fake = await FakeWeChatServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:Enabled"] = "true",
            ["WeChat:AppId"] = fake.Options.AppId,
            ["WeChat:AppSecret"] = fake.Options.AppSecret,
            ["WeChat:ApiBaseUrl"] = fake.BaseUrl,
            ["WeChat:MiniProgramState"] = "developer",
            ["WeChat:BindingPage"] = "pages/bind/index",
            ["WeChat:RateLimit:PermitLimit"] = "10000",
            ["WeChat:Dispatch:IntervalSeconds"] = "0", // the tests run the dispatcher themselves
            ["WeChat:Templates:ProxyOrderPlaced:TemplateId"] = "TPL_PROXY",
            ["WeChat:Templates:ProxyOrderPlaced:Page"] = "pages/order/detail?no={orderNo}",
            ["WeChat:Templates:ProxyOrderPlaced:Fields:character_string1"] = "{orderNo}",
            ["WeChat:Templates:ProxyOrderPlaced:Fields:thing2"] = "{customerName}",
            ["WeChat:Templates:ProxyOrderPlaced:Fields:amount3"] = "{totalYuan}",
            ["WeChat:Templates:ProxyOrderPlaced:Fields:thing4"] = "{agentName}",
            ["WeChat:Templates:OrderShipped:TemplateId"] = "TPL_SHIPPED",
            ["WeChat:Templates:OrderShipped:Fields:character_string1"] = "{orderNo}",
            ["WeChat:Templates:StatementReady:TemplateId"] = "TPL_STATEMENT",
            ["WeChat:Templates:StatementReady:Fields:thing1"] = "{customerName}",
            ["WeChat:Templates:StatementReady:Fields:time2"] = "{from}",
            ["WeChat:Templates:StatementReady:Fields:time3"] = "{to}",
            ["WeChat:Templates:StatementReady:Fields:amount4"] = "{balanceYuan}",
            ["WeCom:Enabled"] = "true",
            ["WeCom:CorpId"] = fake.Options.CorpId,
            ["WeCom:Secret"] = fake.Options.CorpSecret,
            ["WeCom:ApiBaseUrl"] = fake.BaseUrl,
            ["WeCom:AgentId"] = "1000002",
            ["WeCom:Chat:CallbackToken"] = fake.Options.CallbackToken,
            ["WeCom:Chat:CallbackEncodingAesKey"] = fake.Options.CallbackEncodingAesKey,
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var host = new ApiHost(kind, settings: settings);
        _ = host.Server; // start now
        return new WeChatTestHost { Fake = fake, Host = host };
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Fake.DisposeAsync();
    }

    public SubscribeMessageDispatcher Dispatcher => Host.Services.GetRequiredService<SubscribeMessageDispatcher>();

    /// <summary>POST /api/wechat/login with a fresh wx.login code of this WeChat user.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string openId, string? unionId = null) =>
        await Host.CreateClient().PostAsJsonAsync("/api/wechat/login", new { code = Fake.IssueCode(openId, unionId) });

    /// <summary>The pending token of an unbound WeChat user.</summary>
    public async Task<string> PendingTokenAsync(string openId, string? unionId = null)
    {
        var body = await HttpAssert.Ok(await LoginAsync(openId, unionId));
        Assert.That(body.GetProperty("bindingRequired").GetBoolean(), Is.True, body.ToString());
        return body.GetProperty("pendingToken").GetString()!;
    }

    public static async Task<HttpClient> WithTokenAsync(ApiHost host, HttpResponseMessage signIn)
    {
        var body = await HttpAssert.Ok(signIn);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>An agent's code and one of its stores (the n-th by id).</summary>
    public async Task<(string AgentCode, long AgentId, long CustomerId)> AgentAndStoreAsync(int agentIndex = 0, int storeIndex = 0)
    {
        var agentId = await Host.Scalar<long>($"SELECT id FROM agents WHERE active = TRUE AND EXISTS (SELECT 1 FROM customers c WHERE c.agent_id = agents.id) ORDER BY id LIMIT 1 OFFSET {agentIndex}");
        var code = await Host.Scalar<string>("SELECT code FROM agents WHERE id = @agentId", new { agentId });
        var customerId = await Host.Scalar<long>($"SELECT id FROM customers WHERE agent_id = @agentId AND active = TRUE ORDER BY id LIMIT 1 OFFSET {storeIndex}", new { agentId });
        return (code, agentId, customerId);
    }

    public async Task<JsonElement> CreateBindingCodeAsync(HttpClient agent, long customerId, int expect = 201)
    {
        var res = await agent.PostAsync($"/api/agent/customers/{customerId}/binding-codes", null);
        var text = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(expect), text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A product this store may order (in its catalog), in stock, without promotions, with its minimum order quantity.</summary>
    public async Task<(string Sku, long Qty)> SellableItemAsync(long customerId)
    {
        await using var c = await Host.Db.OpenAsync();
        var candidates = await Dapper.SqlMapper.QueryAsync<(string Sku, long Qty)>(c, """
            SELECT p.sku, p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            WHERE c.id = @customerId AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
            ORDER BY p.sku LIMIT 40
            """, new { customerId });
        var clerk = await Host.StaffAsync("clerk");
        foreach (var (sku, qty) in candidates)
            if ((await clerk.GetAsync($"/api/catalog/products/{Uri.EscapeDataString(sku)}?customerId={customerId}")).IsSuccessStatusCode)
                return (sku, qty);
        Assert.Fail($"no sellable item for store {customerId}");
        return default;
    }

    /// <summary>Places the order of the cart at <paramref name="url"/> (a store's /api/orders or an agent's proxy order URL).</summary>
    public async Task<JsonElement> SubmitAsync(HttpClient client, string url, long customerId, string key)
    {
        var addressId = await Host.Scalar<long>("SELECT MIN(id) FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE", new { customerId });
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { addressId }) };
        req.Headers.Add("Idempotency-Key", key);
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement;
    }
}
