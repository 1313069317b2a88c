using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderHub.WeChat.Fakes;

/// <summary>
/// A fake WeChat Pay API v3 server (merchant mode, JSAPI) on 127.0.0.1, written from the published protocol, for tests:
/// <list type="bullet">
/// <item>every request must carry <c>Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,serial_no=…</c>
/// whose SHA256withRSA signature over "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n" verifies with the merchant public key
/// (401 SIGN_ERROR otherwise);</item>
/// <item>every answer with a body and every notification is signed with a platform key this fake generates
/// (Wechatpay-Serial = <see cref="PlatformPublicKeyId"/>, Wechatpay-Signature over "TIMESTAMP\nNONCE\nBODY\n");</item>
/// <item>notification resources are AEAD_AES_256_GCM with the API v3 key;</item>
/// <item>errors are the published codes: PARAM_ERROR (400), SIGN_ERROR (401), ORDERPAID (403), ORDER_CLOSED (400),
/// OUT_TRADE_NO_USED (403), ORDER_NOT_EXIST (404), NOT_ENOUGH (403), RESOURCE_NOT_EXISTS (404).</item>
/// </list>
/// The merchant key pair is generated here too (as the merchant's 证书工具 would); <see cref="MerchantPrivateKeyPem"/> is
/// what OrderHub is configured with. The user "pays" with <see cref="Pay"/>; notifications are built by
/// <see cref="TransactionNotification"/> / <see cref="RefundNotification"/> and delivered by <see cref="DeliverAsync"/>
/// as often and as late as a test wants (or never).
/// </summary>
public sealed class FakeWeChatPayServer : IAsyncDisposable
{
    public const string MchId = "1900000109";
    public const string AppId = "wx-fake-pay-app";
    public const string MerchantSerialNo = "3775B6A45ACD588826D15E583A95F5DD4B1D4F3D";
    public const string PlatformPublicKeyId = "PUB_KEY_ID_0119000001092024111900000000001";

    private readonly object _gate = new();
    private readonly WebApplication _app;
    private readonly RSA _merchant = RSA.Create(2048);
    private readonly RSA _platform = RSA.Create(2048);
    private readonly Dictionary<string, FakeTransaction> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeRefund> _refunds = new(StringComparer.Ordinal);
    private readonly List<string> _signErrors = [];
    private int _seq;

    public sealed class FakeTransaction
    {
        public required string OutTradeNo { get; init; }
        public required long Total { get; init; }
        public required string OpenId { get; init; }
        public required string NotifyUrl { get; init; }
        public required string Description { get; init; }
        public string? Attach { get; init; }
        public required string PrepayId { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
        public string State { get; set; } = "NOTPAY";
        public string? TransactionId { get; set; }
        public DateTimeOffset? SuccessTime { get; set; }
        public long Refunded { get; set; }
    }

    public sealed class FakeRefund
    {
        public required string OutRefundNo { get; init; }
        public required string RefundId { get; init; }
        public required FakeTransaction Transaction { get; init; }
        public required long Amount { get; init; }
        public required string NotifyUrl { get; init; }
        public string Status { get; set; } = "PROCESSING";
        public DateTimeOffset? SuccessTime { get; set; }
    }

    /// <summary>A notification as WeChat Pay would POST it: the headers and the exact body the signature covers.</summary>
    public sealed record FakeNotification(string Url, string Body, string Timestamp, string Nonce, string Signature, string Serial);

    private FakeWeChatPayServer(WebApplication app) => _app = app;

    public static async Task<FakeWeChatPayServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeWeChatPayServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _merchant.Dispose();
        _platform.Dispose();
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The 32-byte API v3 key the merchant set in 商户平台 → API安全.</summary>
    public string ApiV3Key { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string MerchantPrivateKeyPem => _merchant.ExportPkcs8PrivateKeyPem();
    public string PlatformPublicKeyPem => _platform.ExportSubjectPublicKeyInfoPem();

    /// <summary>Requests refused for their signature (SIGN_ERROR), with the reason.</summary>
    public IReadOnlyList<string> SignErrors { get { lock (_gate) return _signErrors.ToList(); } }

    /// <summary>How many times each API was called, e.g. "POST /v3/pay/transactions/jsapi".</summary>
    public Dictionary<string, int> Calls { get; } = new();

    /// <summary>When set, the next answers are signed by a key WeChat Pay does not have (the client must refuse them).</summary>
    public bool SignAnswersWithWrongKey { get; set; }

    public FakeTransaction? Order(string outTradeNo) { lock (_gate) return _orders.GetValueOrDefault(outTradeNo); }
    public IReadOnlyList<FakeTransaction> Orders { get { lock (_gate) return _orders.Values.ToList(); } }
    public IReadOnlyList<FakeRefund> Refunds { get { lock (_gate) return _refunds.Values.ToList(); } }

    /// <summary>The user confirms wx.requestPayment: the transaction succeeds (no notification is sent by this).</summary>
    public FakeTransaction Pay(string outTradeNo)
    {
        lock (_gate)
        {
            var t = _orders.GetValueOrDefault(outTradeNo) ?? throw new InvalidOperationException($"no prepay order {outTradeNo}");
            if (t.State != "NOTPAY") throw new InvalidOperationException($"order {outTradeNo} is {t.State}");
            t.State = "SUCCESS";
            t.TransactionId = "4200" + DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Interlocked.Increment(ref _seq).ToString("D14", CultureInfo.InvariantCulture);
            t.SuccessTime = DateTimeOffset.UtcNow;
            return t;
        }
    }

    /// <summary>The refund completes (WeChat Pay refunds are processed asynchronously).</summary>
    public FakeRefund CompleteRefund(string outRefundNo, bool success = true)
    {
        lock (_gate)
        {
            var r = _refunds[outRefundNo];
            r.Status = success ? "SUCCESS" : "ABNORMAL";
            r.SuccessTime = success ? DateTimeOffset.UtcNow : null;
            return r;
        }
    }

    /// <summary>When set, refunds succeed at once (the answer says SUCCESS) instead of PROCESSING.</summary>
    public bool RefundsSucceedAtOnce { get; set; }

    // ------------------------------------------------------------------ notifications

    public FakeNotification TransactionNotification(string outTradeNo)
    {
        FakeTransaction t;
        lock (_gate) t = _orders[outTradeNo];
        return Notification(t.NotifyUrl, "TRANSACTION.SUCCESS", "transaction", "支付成功", TransactionJson(t));
    }

    public FakeNotification RefundNotification(string outRefundNo)
    {
        FakeRefund r;
        lock (_gate) r = _refunds[outRefundNo];
        var json = new JsonObject
        {
            ["mchid"] = MchId, ["out_trade_no"] = r.Transaction.OutTradeNo, ["transaction_id"] = r.Transaction.TransactionId,
            ["out_refund_no"] = r.OutRefundNo, ["refund_id"] = r.RefundId, ["refund_status"] = r.Status,
            ["success_time"] = r.SuccessTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["user_received_account"] = "支付用户零钱",
            ["amount"] = new JsonObject { ["total"] = r.Transaction.Total, ["refund"] = r.Amount, ["payer_total"] = r.Transaction.Total, ["payer_refund"] = r.Amount },
        };
        return Notification(r.NotifyUrl, "REFUND." + r.Status, "refund", "退款成功", json.ToJsonString());
    }

    private FakeNotification Notification(string url, string eventType, string originalType, string summary, string plaintext)
    {
        // the published resource nonce is a 12-character string: its 12 UTF-8 bytes are the GCM nonce
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        var ad = originalType;
        var key = Encoding.UTF8.GetBytes(ApiV3Key);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16)) gcm.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, cipher, tag, Encoding.UTF8.GetBytes(ad));
        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = eventType,
            ["summary"] = summary,
            ["resource"] = new JsonObject
            {
                ["original_type"] = originalType, ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = Convert.ToBase64String([.. cipher, .. tag]), ["associated_data"] = ad, ["nonce"] = nonce,
            },
        }.ToJsonString();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sigNonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return new FakeNotification(url, body, ts, sigNonce, SignPlatform(ts, sigNonce, body), PlatformPublicKeyId);
    }

    /// <summary>POSTs a notification to OrderHub through <paramref name="client"/> (the notify URL's path on the client's base address).</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient client, FakeNotification n)
    {
        var path = new Uri(n.Url).PathAndQuery;
        var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(n.Body, Encoding.UTF8, "application/json") };
        req.Headers.Add("Wechatpay-Timestamp", n.Timestamp);
        req.Headers.Add("Wechatpay-Nonce", n.Nonce);
        req.Headers.Add("Wechatpay-Signature", n.Signature);
        req.Headers.Add("Wechatpay-Serial", n.Serial);
        req.Headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        return await client.SendAsync(req).ConfigureAwait(false);
    }

    private string SignPlatform(string ts, string nonce, string body) =>
        Convert.ToBase64String(_platform.SignData(Encoding.UTF8.GetBytes($"{ts}\n{nonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    // ------------------------------------------------------------------ the API

    private async Task HandleAsync(HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false);
        var method = ctx.Request.Method;
        var pathAndQuery = ctx.Request.Path.Value + ctx.Request.QueryString.Value;
        var path = ctx.Request.Path.Value ?? "";
        lock (_gate) Calls[$"{method} {Normalise(path)}"] = Calls.GetValueOrDefault($"{method} {Normalise(path)}") + 1;

        if (CheckSignature(ctx.Request.Headers.Authorization.ToString(), method, pathAndQuery, body) is { } signError)
        {
            lock (_gate) _signErrors.Add(signError);
            await Error(ctx, 401, "SIGN_ERROR", "签名错误，请检查后再试");
            return;
        }

        if (method == "POST" && path == "/v3/pay/transactions/jsapi") { await Jsapi(ctx, body); return; }
        if (method == "GET" && path.StartsWith("/v3/pay/transactions/out-trade-no/", StringComparison.Ordinal))
        {
            if (ctx.Request.Query["mchid"] != MchId) { await Error(ctx, 400, "PARAM_ERROR", "mchid 与订单不匹配"); return; }
            var no = Uri.UnescapeDataString(path["/v3/pay/transactions/out-trade-no/".Length..]);
            FakeTransaction? t;
            lock (_gate) t = _orders.GetValueOrDefault(no);
            if (t is null) { await Error(ctx, 404, "ORDER_NOT_EXIST", "订单不存在"); return; }
            await Signed(ctx, 200, TransactionJson(t));
            return;
        }
        if (method == "POST" && path.StartsWith("/v3/pay/transactions/out-trade-no/", StringComparison.Ordinal) && path.EndsWith("/close", StringComparison.Ordinal))
        {
            var no = Uri.UnescapeDataString(path["/v3/pay/transactions/out-trade-no/".Length..^"/close".Length]);
            string? err = null;
            lock (_gate)
            {
                if (!_orders.TryGetValue(no, out var t)) err = "ORDER_NOT_EXIST";
                else if (t.State is "SUCCESS" or "REFUND") err = "ORDERPAID";
                else t.State = "CLOSED";
            }
            if (err == "ORDERPAID") { await Error(ctx, 403, "ORDERPAID", "订单已支付"); return; }
            if (err is not null) { await Error(ctx, 404, err, "订单不存在"); return; }
            ctx.Response.StatusCode = 204;
            return;
        }
        if (method == "POST" && path == "/v3/refund/domestic/refunds") { await Refund(ctx, body); return; }
        if (method == "GET" && path.StartsWith("/v3/refund/domestic/refunds/", StringComparison.Ordinal))
        {
            var no = Uri.UnescapeDataString(path["/v3/refund/domestic/refunds/".Length..]);
            FakeRefund? r;
            lock (_gate) r = _refunds.GetValueOrDefault(no);
            if (r is null) { await Error(ctx, 404, "RESOURCE_NOT_EXISTS", "退款单不存在"); return; }
            await Signed(ctx, 200, RefundJson(r));
            return;
        }
        await Error(ctx, 404, "NOT_FOUND", "未知接口");
    }

    private static string Normalise(string path) =>
        path.StartsWith("/v3/pay/transactions/out-trade-no/", StringComparison.Ordinal)
            ? path.EndsWith("/close", StringComparison.Ordinal) ? "/v3/pay/transactions/out-trade-no/{no}/close" : "/v3/pay/transactions/out-trade-no/{no}"
            : path.StartsWith("/v3/refund/domestic/refunds/", StringComparison.Ordinal) ? "/v3/refund/domestic/refunds/{no}" : path;

    /// <summary>Null when the Authorization header is a valid merchant signature of this request; else why not.</summary>
    private string? CheckSignature(string authorization, string method, string pathAndQuery, string body)
    {
        const string scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal)) return "no WECHATPAY2-SHA256-RSA2048 Authorization";
        var parts = new Dictionary<string, string>();
        foreach (var p in authorization[scheme.Length..].Split(','))
        {
            var eq = p.IndexOf('=');
            if (eq <= 0) return "malformed Authorization";
            parts[p[..eq].Trim()] = p[(eq + 1)..].Trim().Trim('"');
        }
        if (parts.GetValueOrDefault("mchid") != MchId) return "mchid does not match";
        if (parts.GetValueOrDefault("serial_no") != MerchantSerialNo) return "unknown merchant certificate serial";
        if (!long.TryParse(parts.GetValueOrDefault("timestamp"), out var ts) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300) return "timestamp expired";
        if (string.IsNullOrEmpty(parts.GetValueOrDefault("nonce_str"))) return "no nonce_str";
        byte[] sig;
        try { sig = Convert.FromBase64String(parts.GetValueOrDefault("signature") ?? ""); } catch (FormatException) { return "signature not base64"; }
        var message = $"{method}\n{pathAndQuery}\n{ts}\n{parts["nonce_str"]}\n{body}\n";
        return _merchant.VerifyData(Encoding.UTF8.GetBytes(message), sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) ? null : "signature does not verify";
    }

    private async Task Jsapi(HttpContext ctx, string body)
    {
        JsonNode? j;
        try { j = JsonNode.Parse(body); } catch (JsonException) { await Error(ctx, 400, "PARAM_ERROR", "请求体不是 JSON"); return; }
        var no = (string?)j?["out_trade_no"];
        var total = (long?)j?["amount"]?["total"];
        var openid = (string?)j?["payer"]?["openid"];
        var notify = (string?)j?["notify_url"];
        var description = (string?)j?["description"];
        if ((string?)j?["appid"] != AppId || (string?)j?["mchid"] != MchId) { await Error(ctx, 400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"); return; }
        if (string.IsNullOrEmpty(no) || no.Length is < 6 or > 32 || total is null or <= 0 || string.IsNullOrEmpty(openid)
            || string.IsNullOrEmpty(description) || notify is null || !notify.StartsWith("https://", StringComparison.Ordinal) || notify.Contains('?'))
        { await Error(ctx, 400, "PARAM_ERROR", "参数错误"); return; }
        FakeTransaction t;
        lock (_gate)
        {
            if (_orders.TryGetValue(no, out var existing))
            {
                if (existing.State is "SUCCESS" or "REFUND") { t = existing; goto paid; }
                if (existing.State == "CLOSED") { t = existing; goto closed; }
                if (existing.Total != total || existing.OpenId != openid) { t = existing; goto used; }
                t = existing; // the same order asked again: the same prepay_id
            }
            else
            {
                t = new FakeTransaction
                {
                    OutTradeNo = no, Total = total.Value, OpenId = openid, NotifyUrl = notify, Description = description, Attach = (string?)j?["attach"],
                    PrepayId = "wx" + Convert.ToHexString(RandomNumberGenerator.GetBytes(14)).ToLowerInvariant(),
                    ExpiresAt = DateTimeOffset.TryParse((string?)j?["time_expire"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var e) ? e : null,
                };
                _orders[no] = t;
            }
        }
        await Signed(ctx, 200, new JsonObject { ["prepay_id"] = t.PrepayId }.ToJsonString());
        return;
    paid: await Error(ctx, 403, "ORDERPAID", "该订单已支付"); return;
    closed: await Error(ctx, 400, "ORDER_CLOSED", "订单已关闭"); return;
    used: await Error(ctx, 403, "OUT_TRADE_NO_USED", "商户订单号重复");
    }

    private async Task Refund(HttpContext ctx, string body)
    {
        JsonNode? j;
        try { j = JsonNode.Parse(body); } catch (JsonException) { await Error(ctx, 400, "PARAM_ERROR", "请求体不是 JSON"); return; }
        var txId = (string?)j?["transaction_id"];
        var outTradeNo = (string?)j?["out_trade_no"];
        var outRefundNo = (string?)j?["out_refund_no"];
        var amount = (long?)j?["amount"]?["refund"];
        var total = (long?)j?["amount"]?["total"];
        if (string.IsNullOrEmpty(outRefundNo) || amount is null or <= 0 || total is null || (txId is null && outTradeNo is null) || (string?)j?["amount"]?["currency"] != "CNY")
        { await Error(ctx, 400, "PARAM_ERROR", "参数错误"); return; }
        FakeRefund r;
        lock (_gate)
        {
            if (_refunds.TryGetValue(outRefundNo, out var again)) { r = again; goto answer; } // a retried refund: the same refund
            var t = _orders.Values.FirstOrDefault(o => (txId != null && o.TransactionId == txId) || (txId == null && o.OutTradeNo == outTradeNo));
            if (t is null || t.State is not ("SUCCESS" or "REFUND")) goto notExist;
            if (total != t.Total) goto param;
            if (t.Refunded + amount > t.Total) goto notEnough;
            r = new FakeRefund
            {
                OutRefundNo = outRefundNo, RefundId = "5030" + Interlocked.Increment(ref _seq).ToString("D24", CultureInfo.InvariantCulture),
                Transaction = t, Amount = amount.Value, NotifyUrl = (string?)j?["notify_url"] ?? t.NotifyUrl,
                Status = RefundsSucceedAtOnce ? "SUCCESS" : "PROCESSING", SuccessTime = RefundsSucceedAtOnce ? DateTimeOffset.UtcNow : null,
            };
            t.Refunded += amount.Value;
            t.State = "REFUND";
            _refunds[outRefundNo] = r;
        }
    answer: await Signed(ctx, 200, RefundJson(r)); return;
    notExist: await Error(ctx, 404, "RESOURCE_NOT_EXISTS", "订单不存在或未支付"); return;
    param: await Error(ctx, 400, "PARAM_ERROR", "订单金额与原订单不一致"); return;
    notEnough: await Error(ctx, 403, "NOT_ENOUGH", "可退款金额不足");
    }

    private static string TransactionJson(FakeTransaction t)
    {
        var j = new JsonObject
        {
            ["appid"] = AppId, ["mchid"] = MchId, ["out_trade_no"] = t.OutTradeNo, ["trade_state"] = t.State,
            ["trade_state_desc"] = t.State switch { "SUCCESS" => "支付成功", "REFUND" => "转入退款", "CLOSED" => "已关闭", _ => "订单未支付" },
            ["attach"] = t.Attach,
            ["payer"] = new JsonObject { ["openid"] = t.OpenId },
            ["amount"] = t.State is "SUCCESS" or "REFUND"
                ? new JsonObject { ["total"] = t.Total, ["payer_total"] = t.Total, ["currency"] = "CNY", ["payer_currency"] = "CNY" }
                : new JsonObject { ["total"] = t.Total, ["currency"] = "CNY" },
        };
        if (t.TransactionId is not null)
        {
            j["transaction_id"] = t.TransactionId;
            j["trade_type"] = "JSAPI";
            j["bank_type"] = "OTHERS";
            j["success_time"] = t.SuccessTime!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }
        return j.ToJsonString();
    }

    private static string RefundJson(FakeRefund r) => new JsonObject
    {
        ["refund_id"] = r.RefundId, ["out_refund_no"] = r.OutRefundNo, ["transaction_id"] = r.Transaction.TransactionId,
        ["out_trade_no"] = r.Transaction.OutTradeNo, ["channel"] = "ORIGINAL", ["user_received_account"] = "支付用户零钱",
        ["status"] = r.Status,
        ["success_time"] = r.SuccessTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["create_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["amount"] = new JsonObject { ["total"] = r.Transaction.Total, ["refund"] = r.Amount, ["payer_total"] = r.Transaction.Total, ["payer_refund"] = r.Amount, ["currency"] = "CNY" },
    }.ToJsonString();

    private async Task Signed(HttpContext ctx, int status, string json)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        string signature;
        if (SignAnswersWithWrongKey)
        {
            using var other = RSA.Create(2048);
            signature = Convert.ToBase64String(other.SignData(Encoding.UTF8.GetBytes($"{ts}\n{nonce}\n{json}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        else signature = SignPlatform(ts, nonce, json);
        ctx.Response.StatusCode = status;
        ctx.Response.Headers["Request-ID"] = Guid.NewGuid().ToString("N");
        ctx.Response.Headers["Wechatpay-Timestamp"] = ts;
        ctx.Response.Headers["Wechatpay-Nonce"] = nonce;
        ctx.Response.Headers["Wechatpay-Signature"] = signature;
        ctx.Response.Headers["Wechatpay-Serial"] = PlatformPublicKeyId;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json);
    }

    private async Task Error(HttpContext ctx, int status, string code, string message) =>
        await Signed(ctx, status, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString());
}
