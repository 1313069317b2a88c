using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Payments;
using OrderHub.Tests.Api;
using OrderHub.Tests.WeChat;
using OrderHub.WeChat.Fakes;

namespace OrderHub.Tests.Payments;

/// <summary>
/// The OrderHub host with WeChat Pay pointed at <see cref="FakeWeChatPayServer"/> (keys written to PEM files as a
/// distributor would install them) and the mini-program login at the fake WeChat server, so stores sign in with an openid.
/// </summary>
public sealed class PaymentsWorld : IAsyncDisposable
{
    public const string NotifyUrl = "https://orderhub.test/api/wechat/pay/notify";

    public FakeWeChatPayServer Pay { get; private init; } = null!;
    public WeChatTestHost Wx { get; private init; } = null!;
    public ApiHost Host => Wx.Host;
    private string _dir = "";
    private int _nextStore;

    public static async Task<PaymentsWorld> StartAsync(string kind, Dictionary<string, string?>? extra = null)
    {
        var pay = await FakeWeChatPayServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("orderhub-pay-").FullName;
        File.WriteAllText(Path.Combine(dir, "apiclient_key.pem"), pay.MerchantPrivateKeyPem);
        File.WriteAllText(Path.Combine(dir, "pub_key.pem"), pay.PlatformPublicKeyPem);
        var wx = await WeChatTestHost.StartAsync(kind, new Dictionary<string, string?>
        {
            ["WeChatPay:Enabled"] = "true",
            ["WeChatPay:AppId"] = FakeWeChatPayServer.AppId,
            ["WeChatPay:MchId"] = FakeWeChatPayServer.MchId,
            ["WeChatPay:MerchantSerialNo"] = FakeWeChatPayServer.MerchantSerialNo,
            ["WeChatPay:PrivateKeyPath"] = Path.Combine(dir, "apiclient_key.pem"),
            ["WeChatPay:ApiV3Key"] = pay.ApiV3Key,
            ["WeChatPay:PlatformPublicKeyPath"] = Path.Combine(dir, "pub_key.pem"),
            ["WeChatPay:PlatformPublicKeyId"] = FakeWeChatPayServer.PlatformPublicKeyId,
            ["WeChatPay:ApiBaseUrl"] = pay.BaseUrl,
            ["WeChatPay:NotifyUrl"] = NotifyUrl,
            ["WeChatPay:QueryAfterSeconds"] = "5",
        }.Concat(extra ?? []).ToDictionary());
        return new PaymentsWorld { Pay = pay, Wx = wx, _dir = dir };
    }

    public async ValueTask DisposeAsync()
    {
        await Wx.DisposeAsync();
        await Pay.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    public PaymentService Payments => Host.Services.GetRequiredService<PaymentService>();

    /// <summary>A store user signed in through WeChat (its openid is the payer), each call a different store.</summary>
    public async Task<(HttpClient Client, long CustomerId, string OpenId)> StoreAsync()
    {
        var n = Interlocked.Increment(ref _nextStore) - 1;
        long customerId, userId;
        await using (var c = await Host.Db.OpenAsync())
            (customerId, userId) = await c.QuerySingleAsync<(long, long)>("""
                SELECT c.id, MIN(u.id) FROM customers c JOIN customer_users u ON u.customer_id = c.id AND u.active = TRUE
                WHERE c.active = TRUE GROUP BY c.id ORDER BY c.id LIMIT 1 OFFSET @n
                """, new { n });
        var openId = $"o-pay-{customerId}";
        await Host.Exec("UPDATE customer_users SET wechat_openid = @openId WHERE id = @userId", new { openId, userId });
        var client = await WeChatTestHost.WithTokenAsync(Host, await Wx.LoginAsync(openId));
        return (client, customerId, openId);
    }

    /// <summary>Places an order of one sellable item from the store's cart.</summary>
    public async Task<(string OrderNo, long OrderId, long TotalFen)> PlaceOrderAsync(HttpClient store, long customerId, long times = 1)
    {
        var (sku, qty) = await Wx.SellableItemAsync(customerId);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty * times }));
        var order = await Wx.SubmitAsync(store, "/api/orders", customerId, "pay-order-" + Guid.NewGuid().ToString("N"));
        var summary = order.GetProperty("summary");
        var id = summary.GetProperty("id").GetInt64();
        var orderNo = await Host.Scalar<string>("SELECT order_no FROM orders WHERE id = @id", new { id });
        var total = await Host.Scalar<long>("SELECT total_fen FROM orders WHERE id = @id", new { id });
        return (orderNo, id, total);
    }

    public static async Task<HttpResponseMessage> PostKeyed(HttpClient client, string url, object? body, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        req.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(req);
    }

    public async Task<HttpResponseMessage> NotifyAsync(FakeWeChatPayServer.FakeNotification n) =>
        await FakeWeChatPayServer.DeliverAsync(Host.CreateClient(), n);

    /// <summary>The ledger rows OrderHub's payments wrote for a customer (WeChat payments, refunds, top-ups).</summary>
    public async Task<List<(string Kind, long AmountFen, string? ExternalRef, long? OrderId)>> MoneyRowsAsync(long customerId)
    {
        await using var c = await Host.Db.OpenAsync();
        return (await c.QueryAsync<(string, long, string?, long?)>("""
            SELECT kind, amount_fen, external_ref, order_id FROM ledger_entries
            WHERE customer_id = @customerId AND (external_ref LIKE 'wxpay:%' OR external_ref LIKE 'wxrefund:%' OR external_ref LIKE 'topup:%') ORDER BY id
            """, new { customerId })).ToList();
    }

    public async Task<long> PrepaidSumAsync(long customerId) =>
        await Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM prepaid_movements WHERE customer_id = @customerId", new { customerId });

    public static string OutTradeNo(JsonElement payStart) => payStart.GetProperty("weChatPayment").GetProperty("outTradeNo").GetString()!;
}
