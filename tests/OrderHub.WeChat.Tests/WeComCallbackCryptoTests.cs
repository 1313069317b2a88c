using System.Net;
using System.Text;
using OrderHub.WeChat.Fakes;

namespace OrderHub.WeChat.Tests;

/// <summary>
/// WeChat Work callback crypto (WXBizMsgCrypt) both ways: what the fake WeChat Work seals OrderHub opens, what OrderHub
/// seals the fake opens; with a token and EncodingAESKey generated per test. Forged, tampered and misaddressed messages
/// are refused with the published error codes.
/// </summary>
public sealed class WeComCallbackCryptoTests
{
    private const string CorpId = "wwfakecorp0123456";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private static (FakeWeComCallbackSender WeCom, WeComCallbackCrypto OrderHub) Pair()
    {
        var wecom = new FakeWeComCallbackSender(CorpId);
        return (wecom, new WeComCallbackCrypto(wecom.Token, wecom.EncodingAesKey, CorpId));
    }

    private static Dictionary<string, string> Parse(string query) => query.Split('&')
        .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => WebUtility.UrlDecode(p[1]));

    [Test]
    public void Url_verification_answers_the_plaintext_echostr()
    {
        var (wecom, orderHub) = Pair();
        var (query, expected) = wecom.UrlVerification(Now);
        var q = Parse(query);
        Assert.That(orderHub.VerifyUrl(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"]), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("a")]
    [TestCase("<xml><Content><![CDATA[你好，老板]]></Content></xml>")]
    public void An_event_the_fake_seals_opens_to_the_same_xml(string extra)
    {
        var (wecom, orderHub) = Pair();
        // lengths around the 32-byte block so that padding of 1..32 bytes is exercised
        for (var n = 0; n < 40; n++)
        {
            var xml = FakeWeComCallbackSender.AddExternalContactXml(CorpId, "sales.li", "wm" + new string('x', n), "a1", "WC" + n, Now) + extra;
            var post = wecom.Event(xml, Now);
            var q = Parse(post.Query);
            Assert.That(orderHub.DecryptMessage(q["msg_signature"], q["timestamp"], q["nonce"], post.Body), Is.EqualTo(xml));
        }
    }

    [Test]
    public void A_reply_orderhub_seals_is_opened_and_verified_by_the_fake()
    {
        var (wecom, orderHub) = Pair();
        for (var n = 0; n < 40; n++)
        {
            var message = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + new string('好', n) + "]]></Content></xml>";
            var reply = orderHub.EncryptMessage(message, Now.ToUnixTimeSeconds().ToString(), "n" + n);
            Assert.That(wecom.OpenReply(reply), Is.EqualTo(message));
            Assert.That(Convert.FromBase64String(System.Xml.Linq.XElement.Parse(reply).Element("Encrypt")!.Value).Length % 32, Is.Zero,
                "PKCS#7 padding to 32-byte blocks, as WeChat Work decrypts it");
        }
    }

    [Test]
    public void A_forged_signature_is_refused_with_40001()
    {
        var (wecom, orderHub) = Pair();
        var post = wecom.Event("<xml><Event>x</Event></xml>", Now);
        var q = Parse(post.Query);
        var forged = new string(q["msg_signature"].Reverse().ToArray());
        var ex = Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(forged, q["timestamp"], q["nonce"], post.Body));
        Assert.That(ex!.Error, Is.EqualTo(WeComCallbackError.InvalidSignature));
        // the right signature with another timestamp (a replay re-dated by an attacker) does not verify either
        ex = Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(q["msg_signature"], (long.Parse(q["timestamp"]) + 1).ToString(), q["nonce"], post.Body));
        Assert.That(ex!.Error, Is.EqualTo(WeComCallbackError.InvalidSignature));
    }

    [Test]
    public void A_message_signed_with_another_token_or_sealed_with_another_key_or_for_another_corp_is_refused()
    {
        var (wecom, orderHub) = Pair();
        var otherToken = new FakeWeComCallbackSender(CorpId, token: "other-token", encodingAesKey: wecom.EncodingAesKey);
        var post = otherToken.Event("<xml/>", Now);
        var q = Parse(post.Query);
        Assert.That(Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(q["msg_signature"], q["timestamp"], q["nonce"], post.Body))!.Error,
            Is.EqualTo(WeComCallbackError.InvalidSignature));

        // right token, wrong key: the signature verifies (it covers the ciphertext) but the plaintext does not open
        var otherKey = new FakeWeComCallbackSender(CorpId, token: wecom.Token);
        post = otherKey.Event("<xml/>", Now);
        q = Parse(post.Query);
        var error = Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(q["msg_signature"], q["timestamp"], q["nonce"], post.Body))!.Error;
        Assert.That(error, Is.AnyOf(WeComCallbackError.DecryptFailed, WeComCallbackError.InvalidBuffer, WeComCallbackError.InvalidReceiveId));

        var otherCorp = new FakeWeComCallbackSender("wwanothercorp999", token: wecom.Token, encodingAesKey: wecom.EncodingAesKey);
        post = otherCorp.Event("<xml/>", Now);
        q = Parse(post.Query);
        Assert.That(Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(q["msg_signature"], q["timestamp"], q["nonce"], post.Body))!.Error,
            Is.EqualTo(WeComCallbackError.InvalidReceiveId));
    }

    [Test]
    public void A_tampered_ciphertext_is_refused_because_the_signature_covers_it()
    {
        var (wecom, orderHub) = Pair();
        var post = wecom.Event("<xml><ExternalUserID>wmA</ExternalUserID></xml>", Now);
        var q = Parse(post.Query);
        var bytes = Convert.FromBase64String(post.Encrypted);
        bytes[5] ^= 1;
        var tampered = post.Body.Replace(post.Encrypted, Convert.ToBase64String(bytes));
        Assert.That(Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage(q["msg_signature"], q["timestamp"], q["nonce"], tampered))!.Error,
            Is.EqualTo(WeComCallbackError.InvalidSignature));
    }

    [TestCase("")]
    [TestCase("tooShort")]
    [TestCase("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void A_bad_encoding_aes_key_is_refused_with_40004(string key) =>
        Assert.That(Assert.Throws<WeComCallbackException>(() => _ = new WeComCallbackCrypto("t", key, CorpId))!.Error, Is.EqualTo(WeComCallbackError.InvalidAesKey));

    [Test]
    public void A_body_with_a_dtd_is_refused_as_bad_xml()
    {
        var (_, orderHub) = Pair();
        const string xxe = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&e;</Encrypt></xml>";
        Assert.That(Assert.Throws<WeComCallbackException>(() => orderHub.DecryptMessage("s", "1", "n", xxe))!.Error, Is.EqualTo(WeComCallbackError.InvalidXml));
    }

    [Test]
    public void The_signature_is_sha1_of_the_four_strings_sorted_as_published()
    {
        // ordinal order of the four is "1409659813" < "263014780" < "abc" < "token" (digits before letters)
        var joined = "1409659813" + "263014780" + "abc" + "token";
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(joined))).ToLowerInvariant();
        Assert.That(WeComCallbackCrypto.Signature("token", "1409659813", "263014780", "abc"), Is.EqualTo(expected));
    }
}
