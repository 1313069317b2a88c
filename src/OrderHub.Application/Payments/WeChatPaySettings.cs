using System.Security.Cryptography;
using System.Text;
using OrderHub.Settings;
using OrderHub.WeChat.Pay;

namespace OrderHub.Application.Payments;

/// <summary>
/// Section <c>WeChatPay</c>: WeChat Pay API v3 for mini-program orders and top-ups (see src/OrderHub.WeChat/CONFIGURE.md,
/// "WeChat Pay"). Off by default; when on, every key is checked at start. The keys and the API v3 key are never logged.
/// </summary>
public sealed class WeChatPaySettings : IValidatedSettings
{
    public bool Enabled { get; set; }
    /// <summary>The mini-program's AppID bound to the merchant number (usually WeChat:AppId).</summary>
    public string AppId { get; set; } = "";
    public string MchId { get; set; } = "";
    /// <summary>商户API证书序列号.</summary>
    public string MerchantSerialNo { get; set; } = "";
    /// <summary>Path of apiclient_key.pem (商户API私钥). Secret file.</summary>
    public string PrivateKeyPath { get; set; } = "";
    /// <summary>APIv3密钥 (32 characters). Secret: put it in the environment (WeChatPay__ApiV3Key).</summary>
    public string ApiV3Key { get; set; } = "";
    /// <summary>Path of pub_key.pem (微信支付公钥).</summary>
    public string PlatformPublicKeyPath { get; set; } = "";
    /// <summary>微信支付公钥ID (PUB_KEY_ID_…).</summary>
    public string PlatformPublicKeyId { get; set; } = "";
    public string ApiBaseUrl { get; set; } = WeChatPayOptions.DefaultApiBaseUrl;
    /// <summary>Public https URL of POST /api/wechat/pay/notify on this installation.</summary>
    public string NotifyUrl { get; set; } = "";
    /// <summary>How long a store has to pay once it pressed 支付 (WeChat Pay's time_expire).</summary>
    public int PayWithinMinutes { get; set; } = 30;
    /// <summary>A payment whose notification has not come after this long is asked for (query) by the follow-up work.</summary>
    public int QueryAfterSeconds { get; set; } = 60;

    public bool IsConfigured => Enabled;

    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(AppId)) yield return "AppId is required when WeChat Pay is enabled (the mini-program's AppID)";
        if (string.IsNullOrWhiteSpace(MchId) || !MchId.All(char.IsAsciiDigit)) yield return "MchId must be the merchant number (digits)";
        if (string.IsNullOrWhiteSpace(MerchantSerialNo)) yield return "MerchantSerialNo is required (商户API证书序列号)";
        if (Encoding.UTF8.GetByteCount(ApiV3Key ?? "") != 32) yield return "ApiV3Key must be the 32-character APIv3 key (商户平台 → API安全)";
        if (string.IsNullOrWhiteSpace(PlatformPublicKeyId)) yield return "PlatformPublicKeyId is required (微信支付公钥ID, PUB_KEY_ID_…)";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _)) yield return "ApiBaseUrl must be an absolute URL";
        if (!Uri.TryCreate(NotifyUrl, UriKind.Absolute, out var notify) || notify.Scheme != "https" || notify.Query.Length > 0)
            yield return "NotifyUrl must be an absolute https URL without a query string (WeChat Pay refuses others)";
        if (PayWithinMinutes is < 1 or > 1440) yield return "PayWithinMinutes must be between 1 and 1440";
        if (QueryAfterSeconds is < 5 or > 86400) yield return "QueryAfterSeconds must be between 5 and 86400";
        if (KeyProblem(PrivateKeyPath, "PrivateKeyPath", k => k.ExportParameters(true)) is { } p1) yield return p1;
        if (KeyProblem(PlatformPublicKeyPath, "PlatformPublicKeyPath", k => k.ExportParameters(false)) is { } p2) yield return p2;
    }

    private static string? KeyProblem(string path, string name, Action<RSA> use)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) return $"{name} must name a readable PEM file";
        try { using var k = WeChatPayCrypto.ImportPem(File.ReadAllText(path)); use(k); return null; }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { return $"{name} is not an RSA key in PEM form"; }
    }

    public WeChatPayOptions ToClientOptions() => new()
    {
        ApiBaseUrl = ApiBaseUrl, AppId = AppId, MchId = MchId, MerchantSerialNo = MerchantSerialNo, ApiV3Key = ApiV3Key,
        MerchantPrivateKey = WeChatPayCrypto.ImportPem(File.ReadAllText(PrivateKeyPath)),
        PlatformPublicKey = WeChatPayCrypto.ImportPem(File.ReadAllText(PlatformPublicKeyPath)),
        PlatformPublicKeyId = PlatformPublicKeyId, NotifyUrl = NotifyUrl,
    };

    public override string ToString() => $"WeChatPaySettings {{ Enabled = {Enabled}, AppId = {AppId}, MchId = {MchId}, MerchantSerialNo = {MerchantSerialNo}, ApiBaseUrl = {ApiBaseUrl}, NotifyUrl = {NotifyUrl}, keys = *** }}";
}
