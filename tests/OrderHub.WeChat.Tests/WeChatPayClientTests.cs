using System.Security.Cryptography;
using OrderHub.WeChat.Fakes;
using OrderHub.WeChat.Pay;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>
/// The WeChat Pay API v3 client against <see cref="FakeWeChatPayServer"/>: requests signed with the merchant key, answers
/// believed only when signed with the platform key, WeChat Pay's error codes surfaced, keys never logged.
/// </summary>
public sealed class WeChatPayClientTests
{
    private FakeWeChatPayServer _fake = null!;
    private CapturingLogger<WeChatPayClient> _log = null!;

    [SetUp] public async Task Start() { _fake = await FakeWeChatPayServer.StartAsync(); _log = new CapturingLogger<WeChatPayClient>(); }
    [TearDown] public async Task Stop() => await _fake.DisposeAsync();

    private WeChatPayClient Client(RSA? merchantKey = null, string? platformKeyId = null) => new(new HttpClient(), new WeChatPayOptions
    {
        ApiBaseUrl = _fake.BaseUrl, AppId = FakeWeChatPayServer.AppId, MchId = FakeWeChatPayServer.MchId, MerchantSerialNo = FakeWeChatPayServer.MerchantSerialNo,
        MerchantPrivateKey = merchantKey ?? WeChatPayCrypto.ImportPem(_fake.MerchantPrivateKeyPem), ApiV3Key = _fake.ApiV3Key,
        PlatformPublicKey = WeChatPayCrypto.ImportPem(_fake.PlatformPublicKeyPem), PlatformPublicKeyId = platformKeyId ?? FakeWeChatPayServer.PlatformPublicKeyId,
        NotifyUrl = "https://orderhub.test/api/wechat/pay/notify",
    }, _log);

    private static JsapiOrder Order(string no, long fen = 1234) => new(no, "订单 " + no, fen, "o-payer", DateTimeOffset.UtcNow.AddMinutes(30));

    [Test]
    public async Task Prepay_query_close_and_the_published_error_codes()
    {
        var client = Client();
        var prepay = await client.CreateJsapiAsync(Order("OHTEST000001"));
        Assert.That(prepay, Is.EqualTo(_fake.Order("OHTEST000001")!.PrepayId));
        Assert.That((await client.QueryByOutTradeNoAsync("OHTEST000001"))!.TradeState, Is.EqualTo(TradeState.NotPay));
        Assert.That(await client.QueryByOutTradeNoAsync("OHNOSUCHORDER"), Is.Null, "ORDER_NOT_EXIST");

        _fake.Pay("OHTEST000001");
        var paid = (await client.QueryByOutTradeNoAsync("OHTEST000001"))!;
        Assert.That(paid.TradeState, Is.EqualTo(TradeState.Success));
        Assert.That(paid.TransactionId, Is.EqualTo(_fake.Order("OHTEST000001")!.TransactionId));
        Assert.That(paid.Amount!.Total, Is.EqualTo(1234));
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => client.CreateJsapiAsync(Order("OHTEST000001")))!.Code, Is.EqualTo("ORDERPAID"));
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => client.CloseAsync("OHTEST000001"))!.Code, Is.EqualTo("ORDERPAID"));

        await client.CreateJsapiAsync(Order("OHTEST000002"));
        await client.CloseAsync("OHTEST000002");
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => client.CreateJsapiAsync(Order("OHTEST000002")))!.Code, Is.EqualTo("ORDER_CLOSED"));
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => client.CreateJsapiAsync(Order("short")))!.Code, Is.EqualTo("PARAM_ERROR"));
        Assert.That(_fake.SignErrors, Is.Empty);
    }

    [Test]
    public async Task Refunds_part_then_refuses_more_than_is_left_with_NOT_ENOUGH()
    {
        var client = Client();
        await client.CreateJsapiAsync(Order("OHREFUND0001", 1000));
        var tx = _fake.Pay("OHREFUND0001").TransactionId!;
        var r = await client.RefundAsync(tx, "RF0001", 600, 1000, "少发");
        Assert.That(r.State, Is.EqualTo(RefundStatus.Processing));
        Assert.That((await client.RefundAsync(tx, "RF0001", 600, 1000, "少发")).RefundId, Is.EqualTo(r.RefundId), "a retried refund is the same refund");
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => client.RefundAsync(tx, "RF0002", 401, 1000, null))!.Code, Is.EqualTo("NOT_ENOUGH"));
        _fake.CompleteRefund("RF0001");
        Assert.That((await client.QueryRefundAsync("RF0001"))!.State, Is.EqualTo(RefundStatus.Success));
    }

    [Test]
    public void A_request_signed_with_another_merchant_key_is_refused_with_SIGN_ERROR()
    {
        using var other = RSA.Create(2048);
        var ex = Assert.ThrowsAsync<WeChatPayException>(() => Client(other).CreateJsapiAsync(Order("OHSIGN000001")));
        Assert.That(ex!.Code, Is.EqualTo("SIGN_ERROR"));
        Assert.That(ex.HttpStatus, Is.EqualTo(401));
        Assert.That(_fake.SignErrors.Single(), Does.Contain("does not verify"));
    }

    [Test]
    public void An_answer_not_signed_by_the_platform_key_is_not_believed()
    {
        _fake.SignAnswersWithWrongKey = true;
        var ex = Assert.ThrowsAsync<WeChatPayException>(() => Client().CreateJsapiAsync(Order("OHFORGE00001")));
        Assert.That(ex!.Code, Is.EqualTo("BAD_SIGNATURE"));
        _fake.SignAnswersWithWrongKey = false;
        Assert.That(Assert.ThrowsAsync<WeChatPayException>(() => Client(platformKeyId: "PUB_KEY_ID_OTHER").CreateJsapiAsync(Order("OHFORGE00002")))!.Code, Is.EqualTo("BAD_SIGNATURE"), "an answer naming another key");
    }

    [Test]
    public async Task A_notification_is_verified_and_decrypted_and_a_tampered_ciphertext_is_refused()
    {
        var client = Client();
        await client.CreateJsapiAsync(Order("OHNOTIFY0001", 999));
        _fake.Pay("OHNOTIFY0001");
        var n = _fake.TransactionNotification("OHNOTIFY0001");
        var read = client.ReadNotification(n.Serial, n.Timestamp, n.Nonce, n.Signature, n.Body);
        Assert.That(read.EventType, Is.EqualTo("TRANSACTION.SUCCESS"));
        var t = WeChatPayClient.TransactionOf(read);
        Assert.That((t.OutTradeNo, t.TradeState, t.Amount!.Total, t.TransactionId), Is.EqualTo(("OHNOTIFY0001", "SUCCESS", 999L, _fake.Order("OHNOTIFY0001")!.TransactionId)));
        Assert.Throws<WeChatPayNotificationRejected>(() => client.ReadNotification(n.Serial, n.Timestamp, n.Nonce + "x", n.Signature, n.Body));
        Assert.Throws<WeChatPayNotificationRejected>(() => client.ReadNotification(n.Serial, n.Timestamp, n.Nonce, null, n.Body));

        // a client with another API v3 key cannot read it (the GCM tag does not match)
        var wrongKey = new WeChatPayClient(new HttpClient(), new WeChatPayOptions
        {
            ApiBaseUrl = _fake.BaseUrl, AppId = FakeWeChatPayServer.AppId, MchId = FakeWeChatPayServer.MchId, MerchantSerialNo = FakeWeChatPayServer.MerchantSerialNo,
            MerchantPrivateKey = WeChatPayCrypto.ImportPem(_fake.MerchantPrivateKeyPem), ApiV3Key = new string('k', 32),
            PlatformPublicKey = WeChatPayCrypto.ImportPem(_fake.PlatformPublicKeyPem), PlatformPublicKeyId = FakeWeChatPayServer.PlatformPublicKeyId,
        });
        Assert.Throws<WeChatPayNotificationRejected>(() => wrongKey.ReadNotification(n.Serial, n.Timestamp, n.Nonce, n.Signature, n.Body));
        Assert.That(_log.AllText, Does.Not.Contain(_fake.ApiV3Key).And.Not.Contain("PRIVATE KEY"));
    }
}
