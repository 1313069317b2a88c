using Microsoft.Extensions.Options;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Payments;

/// <summary>WeChat Pay switched on with a wrong or missing key does not start, and says which setting and why, without the secret.</summary>
public class WeChatPaySettingsTests
{
    [Test]
    public void WeChat_Pay_on_with_missing_keys_stops_the_start_naming_each_setting_without_showing_the_secret()
    {
        var dir = Directory.CreateTempSubdirectory("orderhub-pay-bad-").FullName;
        var notAKey = Path.Combine(dir, "apiclient_key.pem");
        File.WriteAllText(notAKey, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        using var host = new ApiHost(settings: new()
        {
            ["WeChatPay:Enabled"] = "true", ["WeChatPay:AppId"] = "wx1", ["WeChatPay:MchId"] = "1900000109", ["WeChatPay:MerchantSerialNo"] = "ABC",
            ["WeChatPay:PrivateKeyPath"] = notAKey, ["WeChatPay:ApiV3Key"] = "short-secret-v3", ["WeChatPay:PlatformPublicKeyPath"] = Path.Combine(dir, "missing.pem"),
            ["WeChatPay:PlatformPublicKeyId"] = "PUB_KEY_ID_1", ["WeChatPay:NotifyUrl"] = "http://orderhub.test/notify?x=1",
        });
        var e = Assert.Catch(() => _ = host.Server);
        var message = e switch { OptionsValidationException o => string.Join("\n", o.Failures), _ => e!.ToString() };
        Assert.That(message, Does.Contain("Setting WeChatPay:ApiV3Key must be the 32-character APIv3 key"));
        Assert.That(message, Does.Contain("Setting WeChatPay:NotifyUrl must be an absolute https URL"));
        Assert.That(message, Does.Contain("Setting WeChatPay:PrivateKeyPath is not an RSA key"));
        Assert.That(message, Does.Contain("Setting WeChatPay:PlatformPublicKeyPath must name a readable PEM file"));
        Assert.That(message, Does.Not.Contain("short-secret-v3"));
        Directory.Delete(dir, true);
    }
}
