namespace OrderHub.WeChat.Fakes;

/// <summary>One HTTP request the fake received, with what it answered.</summary>
public sealed record RecordedCall(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    string? Body,
    int HttpStatus,
    int Errcode,
    DateTimeOffset At);

/// <summary>A subscribe message the fake accepted (POST /cgi-bin/message/subscribe/send).</summary>
public sealed record SentSubscribeMessage(
    string ToUser,
    string TemplateId,
    string? Page,
    IReadOnlyDictionary<string, string> Data,
    string? MiniprogramState,
    string? Lang,
    long MsgId);

/// <summary>A QR code request the fake answered with an image (POST /wxa/getwxacodeunlimit).</summary>
public sealed record QrCodeRequest(string Scene, string? Page, int Width, bool CheckPath, string EnvVersion);

/// <summary>A customer handover the fake is tracking (resigned/transfer_customer → transfer_result).</summary>
public sealed record FakeTransfer(string HandoverUserId, string TakeoverUserId, string ExternalUserId, int Status, DateTimeOffset TakeoverTime, bool OnJob = false);

/// <summary>Takeover states as WeCom reports them in transfer_result.</summary>
public static class FakeTransferStatus
{
    public const int Completed = 1;
    public const int Waiting = 2;
    public const int CustomerRefused = 3;
    public const int TakeoverLimitReached = 4;
    public const int NoRecord = 5;
}

/// <summary>Credentials and token lifetime of a <see cref="FakeWeChatServer"/>.</summary>
public sealed record FakeWeChatServerOptions
{
    public string AppId { get; init; } = "wxfake0123456789ab";
    public string AppSecret { get; init; } = "fake-app-secret-9f8e7d6c5b4a";
    public string CorpId { get; init; } = "wwfakecorp0123456";
    /// <summary>
    /// The secret of a self-built app listed under 客户联系 → 可调用应用 (what companies created since 2023-12-01 must use).
    /// </summary>
    public string CorpSecret { get; init; } = "fake-corp-secret-1a2b3c4d5e6f";
    /// <summary>
    /// A secret that gets a token but may not call customer-contact APIs (48002): a system app's secret, or the old
    /// 客户联系 secret of a company created after 2023-12-01. Source: developer.work.weixin.qq.com 客户联系 APIs' 权限说明,
    /// "从2023年12月1日0点起，不再支持通过系统应用secret调用接口，存量企业暂不受影响".
    /// </summary>
    public string SystemAppSecret { get; init; } = "fake-system-app-secret-7g8h9i";
    /// <summary>expires_in of issued tokens, seconds.</summary>
    public int TokenLifetimeSeconds { get; init; } = 7200;
    /// <summary>Token of 接收事件服务器 the fake signs callbacks with (random per fake, as 随机获取 in the admin console).</summary>
    public string CallbackToken { get; init; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    /// <summary>EncodingAESKey the fake encrypts callbacks with (43 characters, random per fake).</summary>
    public string CallbackEncodingAesKey { get; init; } = FakeWeComCallbackSender.NewEncodingAesKey();
    /// <summary>Clock of the fake (token expiry, takeover times).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
