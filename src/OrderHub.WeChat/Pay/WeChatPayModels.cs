using System.ComponentModel;
using System.Text.Json.Serialization;

namespace OrderHub.WeChat.Pay;

/// <summary>What OrderHub asks for when a store pays an order (or tops up) in the mini-program.</summary>
/// <param name="ExpiresAt">time_expire: after it WeChat Pay refuses to take the money.</param>
public sealed record JsapiOrder(string OutTradeNo, string Description, long TotalFen, string PayerOpenId, DateTimeOffset ExpiresAt, string? Attach = null);

/// <summary>The object wx.requestPayment takes, signed with the merchant key (paySign over appId, timeStamp, nonceStr, package).</summary>
public sealed record RequestPaymentParams(
    [property: JsonPropertyName("appId"), Description("小程序 AppID (与微信支付商户号绑定) / The mini-program's AppID (bound to the WeChat Pay merchant)")] string AppId,
    [property: JsonPropertyName("timeStamp"), Description("时间戳：UTC Unix 秒 (字符串) / Timestamp: UTC Unix seconds, as a string")] string TimeStamp,
    [property: JsonPropertyName("nonceStr"), Description("随机字符串 (32 位大写字母与数字) / Random string (32 upper-case letters and digits)")] string NonceStr,
    [property: JsonPropertyName("package"), Description("预支付交易会话标识：prepay_id=… / The prepay: prepay_id=…")] string Package,
    [property: JsonPropertyName("signType"), Description("签名方式，固定为 RSA / Signature type, always RSA")] string SignType,
    [property: JsonPropertyName("paySign"), Description("用商户私钥对 appId、timeStamp、nonceStr、package 的 SHA256withRSA 签名 (Base64) / SHA256withRSA signature (Base64) with the merchant key over appId, timeStamp, nonceStr and package")] string PaySign);

/// <summary>trade_state of a transaction.</summary>
public static class TradeState
{
    public const string Success = "SUCCESS";
    public const string Refund = "REFUND";
    public const string NotPay = "NOTPAY";
    public const string Closed = "CLOSED";
    public const string Revoked = "REVOKED";
    public const string UserPaying = "USERPAYING";
    public const string PayError = "PAYERROR";

    /// <summary>The money was taken (REFUND: taken, then a refund was asked for).</summary>
    public static bool IsPaid(string? s) => s is Success or Refund;
}

public sealed record TransactionAmount
{
    [JsonPropertyName("total")] public long Total { get; init; }
    [JsonPropertyName("payer_total")] public long? PayerTotal { get; init; }
    [JsonPropertyName("currency")] public string? Currency { get; init; }
}

public sealed record TransactionPayer
{
    [JsonPropertyName("openid")] public string? OpenId { get; init; }
}

/// <summary>A transaction as the query answers it and as the decrypted TRANSACTION.SUCCESS resource carries it.</summary>
public sealed record WeChatPayTransaction
{
    [JsonPropertyName("appid")] public string? AppId { get; init; }
    [JsonPropertyName("mchid")] public string? MchId { get; init; }
    [JsonPropertyName("out_trade_no")] public string OutTradeNo { get; init; } = "";
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }
    [JsonPropertyName("trade_type")] public string? TradeType { get; init; }
    [JsonPropertyName("trade_state")] public string TradeState { get; init; } = "";
    [JsonPropertyName("trade_state_desc")] public string? TradeStateDesc { get; init; }
    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; init; }
    [JsonPropertyName("attach")] public string? Attach { get; init; }
    [JsonPropertyName("payer")] public TransactionPayer? Payer { get; init; }
    [JsonPropertyName("amount")] public TransactionAmount? Amount { get; init; }
}

/// <summary>Refund status: SUCCESS, CLOSED, PROCESSING, ABNORMAL.</summary>
public static class RefundStatus
{
    public const string Success = "SUCCESS";
    public const string Closed = "CLOSED";
    public const string Processing = "PROCESSING";
    public const string Abnormal = "ABNORMAL";
}

public sealed record RefundAmount
{
    [JsonPropertyName("total")] public long Total { get; init; }
    [JsonPropertyName("refund")] public long Refund { get; init; }
    [JsonPropertyName("payer_total")] public long? PayerTotal { get; init; }
    [JsonPropertyName("payer_refund")] public long? PayerRefund { get; init; }
    [JsonPropertyName("currency")] public string? Currency { get; init; }
}

/// <summary>A refund as POST /v3/refund/domestic/refunds answers it; the decrypted REFUND.* resource has the same fields
/// with <c>refund_status</c> instead of <c>status</c>.</summary>
public sealed record WeChatPayRefund
{
    [JsonPropertyName("refund_id")] public string? RefundId { get; init; }
    [JsonPropertyName("out_refund_no")] public string OutRefundNo { get; init; } = "";
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }
    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("refund_status")] public string? RefundStatusInNotification { get; init; }
    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; init; }
    [JsonPropertyName("user_received_account")] public string? UserReceivedAccount { get; init; }
    [JsonPropertyName("amount")] public RefundAmount? Amount { get; init; }

    /// <summary>The status, wherever it came from.</summary>
    [JsonIgnore] public string State => Status ?? RefundStatusInNotification ?? "";
}

/// <summary>A verified and decrypted notification (回调通知).</summary>
/// <param name="EventType">TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED.</param>
public sealed record WeChatPayNotification(string Id, string EventType, string OriginalType, string PlaintextJson)
{
    public bool IsTransaction => OriginalType == "transaction";
    public bool IsRefund => OriginalType == "refund";
}

internal sealed record NotificationEnvelope
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("create_time")] public string? CreateTime { get; init; }
    [JsonPropertyName("event_type")] public string? EventType { get; init; }
    [JsonPropertyName("resource_type")] public string? ResourceType { get; init; }
    [JsonPropertyName("resource")] public NotificationResource? Resource { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
}

internal sealed record NotificationResource
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; init; }
    [JsonPropertyName("ciphertext")] public string? Ciphertext { get; init; }
    [JsonPropertyName("associated_data")] public string? AssociatedData { get; init; }
    [JsonPropertyName("original_type")] public string? OriginalType { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
}

/// <summary>A refused request: WeChat Pay's HTTP status and its error code (PARAM_ERROR, SIGN_ERROR, ORDERPAID, ORDER_CLOSED,
/// ORDER_NOT_EXIST, NOT_ENOUGH, SYSTEM_ERROR, …), or a transport failure (status 0, code NETWORK_ERROR), or an answer
/// whose signature did not verify (code BAD_SIGNATURE). The message never holds a key.</summary>
public sealed class WeChatPayException(int httpStatus, string code, string? message, string api)
    : Exception($"微信支付 {api}: {code} {message} / WeChat Pay {api} answered {httpStatus} {code}")
{
    public int HttpStatus { get; } = httpStatus;
    public string Code { get; } = code;
    public string? WeChatMessage { get; } = message;
    public string Api { get; } = api;

    /// <summary>Worth asking again later (WeChat Pay busy or unreachable).</summary>
    public bool IsTransient => HttpStatus is 0 or >= 500 || Code is "SYSTEM_ERROR" or "FREQUENCY_LIMITED" or "BANKERROR" or "NETWORK_ERROR";
}

/// <summary>A notification that must be refused (answered 401 and not booked): bad signature, unknown serial, old timestamp, bad ciphertext.</summary>
public sealed class WeChatPayNotificationRejected(string reason) : Exception(reason);
