using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace OrderHub.WeChat.Fakes;

/// <summary>
/// WeChat Work's side of the callback protocol (回调), for tests: it signs and encrypts events the way WeChat Work's
/// servers do and decrypts encrypted replies. Written separately from OrderHub's WeComCallbackCrypto (from the same
/// published description, developer.work.weixin.qq.com/document/path/90968 and 90930) so that each checks the other:
/// AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = key[0..16], plaintext = 16 random bytes + big-endian
/// int32 length + message + CorpID, PKCS#7 padding to 32 bytes, msg_signature = SHA1 of the sorted token, timestamp,
/// nonce and ciphertext. The token and the 43-character EncodingAESKey are generated per test (as the admin console
/// does with 随机获取).
/// </summary>
public sealed class FakeWeComCallbackSender
{
    public FakeWeComCallbackSender(string corpId, string? token = null, string? encodingAesKey = null)
    {
        CorpId = corpId;
        Token = token ?? RandomToken();
        EncodingAesKey = encodingAesKey ?? NewEncodingAesKey();
        _key = Convert.FromBase64String(EncodingAesKey + "=");
    }

    private readonly byte[] _key;
    public string CorpId { get; }
    public string Token { get; }
    public string EncodingAesKey { get; }

    /// <summary>A fresh EncodingAESKey: 32 random bytes in Base64 without the final "=" (43 characters).</summary>
    public static string NewEncodingAesKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

    private static string RandomToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    /// <summary>The query string WeChat Work sends to verify the callback URL (GET ?msg_signature&amp;timestamp&amp;nonce&amp;echostr), with the plaintext it expects back.</summary>
    public (string Query, string Expected) UrlVerification(DateTimeOffset now)
    {
        var expected = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var echo = Seal(expected);
        var (ts, nonce) = (now.ToUnixTimeSeconds().ToString(), NewNonce());
        return ($"msg_signature={Sign(ts, nonce, echo)}&timestamp={ts}&nonce={nonce}&echostr={WebUtility.UrlEncode(echo)}", expected);
    }

    /// <summary>An event POST: its query string and XML body (ToUserName, AgentID, Encrypt).</summary>
    public FakeCallbackPost Event(string plainXml, DateTimeOffset now, string? nonce = null)
    {
        var encrypted = Seal(plainXml);
        var ts = now.ToUnixTimeSeconds().ToString();
        nonce ??= NewNonce();
        var body = $"<xml><ToUserName><![CDATA[{CorpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>";
        return new FakeCallbackPost($"msg_signature={Sign(ts, nonce, encrypted)}&timestamp={ts}&nonce={nonce}", body, encrypted);
    }

    /// <summary>The 客户联系 event "add_external_contact" as published (change_external_contact), with State and WelcomeCode.</summary>
    public static string AddExternalContactXml(string corpId, string userId, string externalUserId, string? state, string? welcomeCode, DateTimeOffset at) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{at.ToUnixTimeSeconds()}</CreateTime>" +
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>" +
        $"<UserID><![CDATA[{userId}]]></UserID><ExternalUserID><![CDATA[{externalUserId}]]></ExternalUserID>" +
        (state is null ? "" : $"<State><![CDATA[{state}]]></State>") +
        (welcomeCode is null ? "" : $"<WelcomeCode><![CDATA[{welcomeCode}]]></WelcomeCode>") + "</xml>";

    /// <summary>Opens an encrypted passive reply (&lt;xml&gt;&lt;Encrypt/&gt;&lt;MsgSignature/&gt;…), checking its signature; null if it does not verify.</summary>
    public string? OpenReply(string replyXml)
    {
        var root = System.Xml.Linq.XElement.Parse(replyXml);
        var encrypted = root.Element("Encrypt")?.Value;
        var signature = root.Element("MsgSignature")?.Value;
        var ts = root.Element("TimeStamp")?.Value;
        var nonce = root.Element("Nonce")?.Value;
        if (encrypted is null || signature is null || ts is null || nonce is null) return null;
        if (Sign(ts, nonce, encrypted) != signature) return null;
        return Open(encrypted);
    }

    public string Sign(string timestamp, string nonce, string encrypted)
    {
        var sorted = new List<string> { Token, timestamp, nonce, encrypted };
        sorted.Sort(string.CompareOrdinal);
        var sb = new StringBuilder();
        foreach (var b in SHA1.HashData(Encoding.UTF8.GetBytes(string.Join("", sorted)))) sb.Append(b.ToString("x2"));
        return sb.ToString();
    }

    public string Seal(string message)
    {
        var ms = new MemoryStream();
        ms.Write(RandomNumberGenerator.GetBytes(16));
        var msg = Encoding.UTF8.GetBytes(message);
        ms.Write([(byte)(msg.Length >> 24), (byte)(msg.Length >> 16), (byte)(msg.Length >> 8), (byte)msg.Length]);
        ms.Write(msg);
        ms.Write(Encoding.UTF8.GetBytes(CorpId));
        var amountToPad = 32 - (int)(ms.Length % 32); // a full block of 32 when already aligned, as the reference code does
        for (var i = 0; i < amountToPad; i++) ms.WriteByte((byte)amountToPad);
        using var aes = Aes.Create();
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.None;
        aes.Key = _key;
        aes.IV = _key[..16];
        using var enc = aes.CreateEncryptor();
        var plain = ms.ToArray();
        return Convert.ToBase64String(enc.TransformFinalBlock(plain, 0, plain.Length));
    }

    public string Open(string encrypted)
    {
        using var aes = Aes.Create();
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.None;
        aes.Key = _key;
        aes.IV = _key[..16];
        using var dec = aes.CreateDecryptor();
        var cipher = Convert.FromBase64String(encrypted);
        var plain = dec.TransformFinalBlock(cipher, 0, cipher.Length);
        var pad = plain[^1];
        var len = (plain[16] << 24) | (plain[17] << 16) | (plain[18] << 8) | plain[19];
        var receiveId = Encoding.UTF8.GetString(plain, 20 + len, plain.Length - pad - 20 - len);
        if (receiveId != CorpId) throw new InvalidOperationException("reply for another corp: " + receiveId);
        return Encoding.UTF8.GetString(plain, 20, len);
    }

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
}

/// <summary>A signed, encrypted callback POST: append <see cref="Query"/> to the callback URL and send <see cref="Body"/>.</summary>
public sealed record FakeCallbackPost(string Query, string Body, string Encrypted);
