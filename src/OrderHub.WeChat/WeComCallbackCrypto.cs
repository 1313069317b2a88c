using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace OrderHub.WeChat;

/// <summary>Why a WeChat Work callback was refused; the numbers are WXBizMsgCrypt's published error codes.</summary>
public enum WeComCallbackError
{
    None = 0,
    /// <summary>-40001 签名验证错误: msg_signature is not SHA1 of the sorted token, timestamp, nonce and Encrypt.</summary>
    InvalidSignature = -40001,
    /// <summary>-40002 xml解析失败.</summary>
    InvalidXml = -40002,
    /// <summary>-40004 EncodingAESKey 非法 (must be 43 characters that decode, with "=", to 32 bytes).</summary>
    InvalidAesKey = -40004,
    /// <summary>-40005 corpid 校验错误: the ReceiveId at the end of the plaintext is not ours.</summary>
    InvalidReceiveId = -40005,
    /// <summary>-40007 AES 解密失败 (bad Base64, bad length, bad padding).</summary>
    DecryptFailed = -40007,
    /// <summary>-40008 解密后得到的buffer非法 (length field past the end).</summary>
    InvalidBuffer = -40008,
}

/// <summary>A refused callback, with the WXBizMsgCrypt error code.</summary>
public sealed class WeComCallbackException(WeComCallbackError error, string message) : Exception(message)
{
    public WeComCallbackError Error { get; } = error;
}

/// <summary>
/// WeChat Work's callback encryption (WXBizMsgCrypt), written from the published description
/// (developer.work.weixin.qq.com/document/path/90968 "加解密方案说明" and 90930 "回调配置"):
/// <list type="bullet">
/// <item>AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = the first 16 bytes of the key;</item>
/// <item>plaintext = 16 random bytes + the message length as 4 bytes in network order + the message + ReceiveId
/// (the CorpID for a self-built app), padded PKCS#7 to a multiple of 32 bytes (not 16);</item>
/// <item>msg_signature = hex SHA1 of the four strings token, timestamp, nonce and the Base64 ciphertext, sorted and joined.</item>
/// </list>
/// URL verification (GET with echostr) and event POSTs (the XML's Encrypt element) use the same rule; a passive reply is
/// encrypted the same way. Signatures are compared in constant time. Thread-safe.
/// </summary>
public sealed class WeComCallbackCrypto
{
    private const int BlockSize = 32;
    private readonly string _token;
    private readonly byte[] _key;
    private readonly string _receiveId;

    public WeComCallbackCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(receiveId);
        _token = token;
        _key = DecodeKey(encodingAesKey);
        _receiveId = receiveId;
    }

    /// <summary>The 32-byte key of an EncodingAESKey (43 Base64 characters), or a -40004 refusal.</summary>
    public static byte[] DecodeKey(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: 43 })
            throw new WeComCallbackException(WeComCallbackError.InvalidAesKey, "EncodingAESKey must be 43 characters.");
        try
        {
            var key = Convert.FromBase64String(encodingAesKey + "=");
            return key.Length == 32 ? key : throw new WeComCallbackException(WeComCallbackError.InvalidAesKey, "EncodingAESKey does not decode to 32 bytes.");
        }
        catch (FormatException)
        {
            throw new WeComCallbackException(WeComCallbackError.InvalidAesKey, "EncodingAESKey is not Base64.");
        }
    }

    /// <summary>hex SHA1 of the sorted, joined strings (the published msg_signature).</summary>
    public static string Signature(string token, string timestamp, string nonce, string encrypted)
    {
        var parts = new[] { token, timestamp, nonce, encrypted };
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)))).ToLowerInvariant();
    }

    /// <summary>URL verification (回调 URL 验证, GET): checks the signature over echostr and returns the plaintext to answer with.</summary>
    public string VerifyUrl(string msgSignature, string timestamp, string nonce, string echoStr)
    {
        CheckSignature(msgSignature, timestamp, nonce, echoStr);
        return Decrypt(echoStr);
    }

    /// <summary>An event POST: reads Encrypt from the XML body, checks the signature and returns the decrypted XML.</summary>
    public string DecryptMessage(string msgSignature, string timestamp, string nonce, string postBody)
    {
        var encrypted = ReadElement(postBody, "Encrypt")
            ?? throw new WeComCallbackException(WeComCallbackError.InvalidXml, "The body has no Encrypt element.");
        CheckSignature(msgSignature, timestamp, nonce, encrypted);
        return Decrypt(encrypted);
    }

    /// <summary>A passive reply: the encrypted XML with Encrypt, MsgSignature, TimeStamp and Nonce.</summary>
    public string EncryptMessage(string replyMessage, string timestamp, string nonce)
    {
        var encrypted = Encrypt(replyMessage);
        var signature = Signature(_token, timestamp, nonce, encrypted);
        return $"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt><MsgSignature><![CDATA[{signature}]]></MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>";
    }

    /// <summary>Base64 of AES-256-CBC(random16 + length + message + ReceiveId, PKCS#7 to 32).</summary>
    public string Encrypt(string message)
    {
        var msg = Encoding.UTF8.GetBytes(message);
        var receiveId = Encoding.UTF8.GetBytes(_receiveId);
        var plainLength = 16 + 4 + msg.Length + receiveId.Length;
        var pad = BlockSize - plainLength % BlockSize;
        var plain = new byte[plainLength + pad];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), msg.Length);
        msg.CopyTo(plain, 20);
        receiveId.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(plainLength).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>The message inside a Base64 ciphertext, checked for padding and ReceiveId.</summary>
    public string Decrypt(string encrypted)
    {
        byte[] cipher;
        try { cipher = Convert.FromBase64String(encrypted); }
        catch (FormatException) { throw new WeComCallbackException(WeComCallbackError.DecryptFailed, "Encrypt is not Base64."); }
        if (cipher.Length == 0 || cipher.Length % BlockSize != 0)
            throw new WeComCallbackException(WeComCallbackError.DecryptFailed, "The ciphertext is not a whole number of 32-byte blocks.");
        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None);
        }
        int pad = plain[^1];
        if (pad is < 1 or > BlockSize || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
            throw new WeComCallbackException(WeComCallbackError.DecryptFailed, "Bad padding.");
        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20) throw new WeComCallbackException(WeComCallbackError.InvalidBuffer, "The plaintext is too short.");
        var length = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (length < 0 || 20 + length > content.Length) throw new WeComCallbackException(WeComCallbackError.InvalidBuffer, "The length field runs past the plaintext.");
        var receiveId = Encoding.UTF8.GetString(content[(20 + length)..]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(receiveId), Encoding.UTF8.GetBytes(_receiveId)))
            throw new WeComCallbackException(WeComCallbackError.InvalidReceiveId, "The message is for another ReceiveId.");
        return Encoding.UTF8.GetString(content.Slice(20, length));
    }

    private void CheckSignature(string? msgSignature, string timestamp, string nonce, string encrypted)
    {
        var expected = Signature(_token, timestamp, nonce, encrypted);
        if (msgSignature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(msgSignature.ToLowerInvariant())))
            throw new WeComCallbackException(WeComCallbackError.InvalidSignature, "msg_signature does not match.");
    }

    /// <summary>The text of a top-level element of a WeChat XML message (CDATA or not), or null. DTDs are refused.</summary>
    public static string? ReadElement(string xml, string name)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var root = XElement.Load(reader);
            return root.Element(name)?.Value;
        }
        catch (XmlException)
        {
            throw new WeComCallbackException(WeComCallbackError.InvalidXml, "The body is not XML.");
        }
    }
}
