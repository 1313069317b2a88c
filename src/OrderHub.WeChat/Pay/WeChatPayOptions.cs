using System.Security.Cryptography;

namespace OrderHub.WeChat.Pay;

/// <summary>
/// Settings of the WeChat Pay API v3 client (api.mch.weixin.qq.com), merchant mode, with the platform public key
/// (微信支付公钥) used to verify WeChat Pay's answers and notifications. The keys are objects, loaded by the caller from
/// the files the distributor downloaded; <see cref="ToString"/> never shows them.
/// </summary>
public sealed record WeChatPayOptions
{
    public const string DefaultApiBaseUrl = "https://api.mch.weixin.qq.com";

    public string ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>The mini-program's AppID (the appid bound to the merchant number).</summary>
    public string AppId { get; init; } = "";

    /// <summary>商户号.</summary>
    public string MchId { get; init; } = "";

    /// <summary>商户API证书序列号: names the merchant key that signs our requests.</summary>
    public string MerchantSerialNo { get; init; } = "";

    /// <summary>商户API私钥 (apiclient_key.pem). Secret.</summary>
    public RSA MerchantPrivateKey { get; init; } = null!;

    /// <summary>APIv3密钥: 32 bytes of text, decrypts notification resources. Secret.</summary>
    public string ApiV3Key { get; init; } = "";

    /// <summary>微信支付公钥: verifies the signatures of answers and notifications.</summary>
    public RSA PlatformPublicKey { get; init; } = null!;

    /// <summary>微信支付公钥ID (PUB_KEY_ID_…): the value WeChat Pay puts in Wechatpay-Serial; anything else is refused.</summary>
    public string PlatformPublicKeyId { get; init; } = "";

    /// <summary>Where WeChat Pay posts payment and refund notifications (https, no query string).</summary>
    public string NotifyUrl { get; init; } = "";

    /// <summary>How far a notification's or answer's Wechatpay-Timestamp may be from our clock.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    public override string ToString() =>
        $"WeChatPayOptions {{ ApiBaseUrl = {ApiBaseUrl}, AppId = {AppId}, MchId = {MchId}, MerchantSerialNo = {MerchantSerialNo}, PlatformPublicKeyId = {PlatformPublicKeyId}, keys = *** }}";
}
