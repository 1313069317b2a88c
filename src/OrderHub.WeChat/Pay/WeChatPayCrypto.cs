using System.Security.Cryptography;
using System.Text;

namespace OrderHub.WeChat.Pay;

/// <summary>
/// The signatures and encryption of WeChat Pay API v3 (签名 / 验签 / 回调报文解密):
/// requests are signed SHA256withRSA (PKCS#1 v1.5) over "METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n" with the merchant key;
/// answers and notifications are verified over "TIMESTAMP\nNONCE\nBODY\n" with the platform public key;
/// notification resources are AEAD_AES_256_GCM with the API v3 key (ciphertext = base64(cipher ‖ 16-byte tag)).
/// </summary>
public static class WeChatPayCrypto
{
    public const string AuthorizationScheme = "WECHATPAY2-SHA256-RSA2048";

    public static string Sign(RSA key, string message) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA key, string message, string? signatureBase64)
    {
        if (string.IsNullOrEmpty(signatureBase64)) return false;
        byte[] signature;
        try { signature = Convert.FromBase64String(signatureBase64); }
        catch (FormatException) { return false; }
        return key.VerifyData(Encoding.UTF8.GetBytes(message), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>The string a request signature covers. <paramref name="pathAndQuery"/> is the absolute path with its query.</summary>
    public static string RequestMessage(string method, string pathAndQuery, string timestamp, string nonce, string body) =>
        $"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";

    /// <summary>The string an answer's or a notification's signature covers.</summary>
    public static string ResponseMessage(string timestamp, string nonce, string body) => $"{timestamp}\n{nonce}\n{body}\n";

    /// <summary>The Authorization header value of a request.</summary>
    public static string Authorization(string mchId, string serialNo, RSA key, string method, string pathAndQuery, string timestamp, string nonce, string body) =>
        $"{AuthorizationScheme} mchid=\"{mchId}\",nonce_str=\"{nonce}\",signature=\"{Sign(key, RequestMessage(method, pathAndQuery, timestamp, nonce, body))}\",timestamp=\"{timestamp}\",serial_no=\"{serialNo}\"";

    /// <summary>32 characters of A–Z and 0–9.</summary>
    public static string NewNonce()
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(32, 0, (span, _) => { for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)]; });
    }

    /// <summary>Decrypts a notification resource. Throws <see cref="CryptographicException"/> when the tag does not match.</summary>
    public static string Decrypt(string apiV3Key, string associatedData, string nonce, string ciphertextBase64)
    {
        var all = Convert.FromBase64String(ciphertextBase64);
        if (all.Length < 16) throw new CryptographicException("ciphertext too short");
        var cipher = all.AsSpan(0, all.Length - 16);
        var tag = all.AsSpan(all.Length - 16);
        var plain = new byte[cipher.Length];
        using var gcm = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        gcm.Decrypt(Encoding.UTF8.GetBytes(nonce), cipher, tag, plain, Encoding.UTF8.GetBytes(associatedData ?? ""));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Reads a PEM private key (PKCS#8 "PRIVATE KEY" as WeChat Pay hands out, or PKCS#1).</summary>
    public static RSA ImportPem(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
