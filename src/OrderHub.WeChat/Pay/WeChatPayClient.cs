using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.WeChat.Pay;

/// <summary>
/// WeChat Pay API v3 for mini-program (JSAPI) payments: prepay, the signed wx.requestPayment parameters, query, close,
/// refund, and the verification and decryption of notifications. Every request is signed with the merchant key; every
/// answer with a body is verified with the platform public key before it is believed. Keys are never logged.
/// </summary>
public sealed class WeChatPayClient
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private readonly HttpClient _http;
    private readonly WeChatPayOptions _o;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _base;

    public WeChatPayClient(HttpClient http, WeChatPayOptions options, ILogger<WeChatPayClient>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out _)) throw new ArgumentException("ApiBaseUrl must be an absolute URL.", nameof(options));
        if (options.MerchantPrivateKey is null || options.PlatformPublicKey is null) throw new ArgumentException("Both keys are required.", nameof(options));
        if (Encoding.UTF8.GetByteCount(options.ApiV3Key) != 32) throw new ArgumentException("ApiV3Key must be 32 bytes.", nameof(options));
        _http = http;
        _o = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _base = options.ApiBaseUrl.TrimEnd('/');
    }

    // ------------------------------------------------------------------ JSAPI prepay and wx.requestPayment

    /// <summary>POST /v3/pay/transactions/jsapi → prepay_id.</summary>
    public async Task<string> CreateJsapiAsync(JsapiOrder order, CancellationToken ct = default)
    {
        var body = new Dictionary<string, object?>
        {
            ["appid"] = _o.AppId,
            ["mchid"] = _o.MchId,
            ["description"] = order.Description.Length > 127 ? order.Description[..127] : order.Description,
            ["out_trade_no"] = order.OutTradeNo,
            ["time_expire"] = order.ExpiresAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["attach"] = order.Attach,
            ["notify_url"] = _o.NotifyUrl,
            ["amount"] = new Dictionary<string, object> { ["total"] = order.TotalFen, ["currency"] = "CNY" },
            ["payer"] = new Dictionary<string, object> { ["openid"] = order.PayerOpenId },
        };
        using var doc = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/jsapi", body, ct);
        return doc!.RootElement.GetProperty("prepay_id").GetString() ?? throw new WeChatPayException(200, "NO_PREPAY_ID", null, "jsapi");
    }

    /// <summary>The object for wx.requestPayment: paySign = SHA256withRSA over "appId\ntimeStamp\nnonceStr\npackage\n".</summary>
    public RequestPaymentParams RequestPaymentFor(string prepayId)
    {
        var ts = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPayCrypto.NewNonce();
        var package = "prepay_id=" + prepayId;
        var sign = WeChatPayCrypto.Sign(_o.MerchantPrivateKey, $"{_o.AppId}\n{ts}\n{nonce}\n{package}\n");
        return new RequestPaymentParams(_o.AppId, ts, nonce, package, "RSA", sign);
    }

    // ------------------------------------------------------------------ query, close, refund

    /// <summary>GET /v3/pay/transactions/out-trade-no/{no}?mchid=… ; null when WeChat Pay does not know the order (ORDER_NOT_EXIST).</summary>
    public async Task<WeChatPayTransaction?> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken ct = default)
    {
        try
        {
            using var doc = await SendAsync(HttpMethod.Get, $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(_o.MchId)}", null, ct);
            return doc!.RootElement.Deserialize<WeChatPayTransaction>(Json);
        }
        catch (WeChatPayException e) when (e.Code == "ORDER_NOT_EXIST") { return null; }
    }

    /// <summary>POST /v3/pay/transactions/out-trade-no/{no}/close (answered 204). Throws ORDERPAID when the money was taken meanwhile.</summary>
    public async Task CloseAsync(string outTradeNo, CancellationToken ct = default)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close",
            new Dictionary<string, object?> { ["mchid"] = _o.MchId }, ct);
    }

    /// <summary>POST /v3/refund/domestic/refunds: refunds <paramref name="refundFen"/> of a transaction of <paramref name="totalFen"/>.</summary>
    public async Task<WeChatPayRefund> RefundAsync(string transactionId, string outRefundNo, long refundFen, long totalFen, string? reason, CancellationToken ct = default)
    {
        var body = new Dictionary<string, object?>
        {
            ["transaction_id"] = transactionId,
            ["out_refund_no"] = outRefundNo,
            ["reason"] = string.IsNullOrWhiteSpace(reason) ? null : reason.Length > 80 ? reason[..80] : reason,
            ["notify_url"] = _o.NotifyUrl,
            ["amount"] = new Dictionary<string, object> { ["refund"] = refundFen, ["total"] = totalFen, ["currency"] = "CNY" },
        };
        using var doc = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", body, ct);
        return doc!.RootElement.Deserialize<WeChatPayRefund>(Json)!;
    }

    /// <summary>GET /v3/refund/domestic/refunds/{out_refund_no}.</summary>
    public async Task<WeChatPayRefund?> QueryRefundAsync(string outRefundNo, CancellationToken ct = default)
    {
        try
        {
            using var doc = await SendAsync(HttpMethod.Get, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(outRefundNo)}", null, ct);
            return doc!.RootElement.Deserialize<WeChatPayRefund>(Json);
        }
        catch (WeChatPayException e) when (e.Code == "RESOURCE_NOT_EXISTS") { return null; }
    }

    // ------------------------------------------------------------------ notifications

    /// <summary>
    /// Verifies a notification (Wechatpay-Serial is our platform key id, the timestamp is recent, Wechatpay-Signature over
    /// "timestamp\nnonce\nbody\n" verifies with the platform public key) and decrypts its resource with the API v3 key.
    /// </summary>
    /// <exception cref="WeChatPayNotificationRejected">Anything does not hold: answer 401 and book nothing.</exception>
    public WeChatPayNotification ReadNotification(string? serial, string? timestamp, string? nonce, string? signature, string body)
    {
        VerifySigned(serial, timestamp, nonce, signature, body, "notification");
        NotificationEnvelope env;
        try { env = JsonSerializer.Deserialize<NotificationEnvelope>(body, Json) ?? throw new JsonException(); }
        catch (JsonException) { throw new WeChatPayNotificationRejected("notification body is not JSON"); }
        var r = env.Resource;
        if (r is null || r.Algorithm != "AEAD_AES_256_GCM" || r.Ciphertext is null || r.Nonce is null)
            throw new WeChatPayNotificationRejected("notification without an AEAD_AES_256_GCM resource");
        string plain;
        try { plain = WeChatPayCrypto.Decrypt(_o.ApiV3Key, r.AssociatedData ?? "", r.Nonce, r.Ciphertext); }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new WeChatPayNotificationRejected("notification resource does not decrypt with the API v3 key");
        }
        return new WeChatPayNotification(env.Id ?? "", env.EventType ?? "", r.OriginalType ?? "", plain);
    }

    public static WeChatPayTransaction TransactionOf(WeChatPayNotification n) => JsonSerializer.Deserialize<WeChatPayTransaction>(n.PlaintextJson, Json)!;
    public static WeChatPayRefund RefundOf(WeChatPayNotification n) => JsonSerializer.Deserialize<WeChatPayRefund>(n.PlaintextJson, Json)!;

    private void VerifySigned(string? serial, string? timestamp, string? nonce, string? signature, string body, string what)
    {
        if (string.IsNullOrEmpty(serial) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
            throw new WeChatPayNotificationRejected($"{what} without Wechatpay-Serial/Timestamp/Nonce/Signature");
        if (!string.Equals(serial, _o.PlatformPublicKeyId, StringComparison.Ordinal))
            throw new WeChatPayNotificationRejected($"{what} signed with an unknown key ({serial})");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - ts) > _o.MaxClockSkew.TotalSeconds)
            throw new WeChatPayNotificationRejected($"{what} timestamp too far from now");
        if (!WeChatPayCrypto.Verify(_o.PlatformPublicKey, WeChatPayCrypto.ResponseMessage(timestamp, nonce, body), signature))
            throw new WeChatPayNotificationRejected($"{what} signature does not verify");
    }

    // ------------------------------------------------------------------ transport

    private async Task<JsonDocument?> SendAsync(HttpMethod method, string pathAndQuery, object? body, CancellationToken ct)
    {
        var api = pathAndQuery.Split('?')[0];
        var json = body is null ? "" : JsonSerializer.Serialize(body, Json);
        var ts = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPayCrypto.NewNonce();
        using var request = new HttpRequestMessage(method, _base + pathAndQuery);
        request.Headers.TryAddWithoutValidation("Authorization",
            WeChatPayCrypto.Authorization(_o.MchId, _o.MerchantSerialNo, _o.MerchantPrivateKey, method.Method, pathAndQuery, ts, nonce, json));
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Wechatpay-Serial", _o.PlatformPublicKeyId);
        if (body is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");

        HttpResponseMessage res;
        try { res = await _http.SendAsync(request, ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            _logger.LogWarning("WeChat Pay {Method} {Api} failed: {Error}", method, api, ex.GetType().Name);
            throw new WeChatPayException(0, "NETWORK_ERROR", ex.GetType().Name, api);
        }
        using (res)
        {
            var text = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var status = (int)res.StatusCode;
            _logger.LogInformation("WeChat Pay {Method} {Api} → {Status}", method, api, status);
            if (status is >= 200 and < 300)
            {
                if (text.Length == 0) return null; // 204: close has no body and no signature to check
                try
                {
                    VerifySigned(Header(res, "Wechatpay-Serial"), Header(res, "Wechatpay-Timestamp"), Header(res, "Wechatpay-Nonce"), Header(res, "Wechatpay-Signature"), text, "answer");
                }
                catch (WeChatPayNotificationRejected e)
                {
                    _logger.LogWarning("WeChat Pay {Api}: answer refused: {Reason}", api, e.Message);
                    throw new WeChatPayException(status, "BAD_SIGNATURE", e.Message, api);
                }
                return JsonDocument.Parse(text);
            }
            string code = "HTTP_" + status, message = "";
            try
            {
                using var err = JsonDocument.Parse(text);
                if (err.RootElement.TryGetProperty("code", out var c)) code = c.GetString() ?? code;
                if (err.RootElement.TryGetProperty("message", out var m)) message = m.GetString() ?? "";
            }
            catch (JsonException) { }
            throw new WeChatPayException(status, code, message, api);
        }
    }

    private static string? Header(HttpResponseMessage res, string name) =>
        res.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
}
