namespace OrderHub.WeChat;

/// <summary>Settings for the WeChat mini-program server API (api.weixin.qq.com).</summary>
public sealed record WeChatOptions
{
    public const string DefaultApiBaseUrl = "https://api.weixin.qq.com";

    /// <summary>API host; tests point it at a fake server.</summary>
    public string ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    public string AppId { get; init; } = "";

    /// <summary>Secret: never logged, never put in exception messages.</summary>
    public string AppSecret { get; init; } = "";

    /// <summary>How long before the stated expiry the cached access token is refreshed.</summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Language of the "open the mini-program" link in subscribe messages (zh_CN, en_US, zh_HK, zh_TW).</summary>
    public string SubscribeMessageLang { get; init; } = "zh_CN";

    public override string ToString() => $"WeChatOptions {{ ApiBaseUrl = {ApiBaseUrl}, AppId = {AppId}, AppSecret = *** }}";
}

/// <summary>Settings for the WeChat Work (WeCom) server API (qyapi.weixin.qq.com): a self-built app that may call customer contact.</summary>
public sealed record WeComOptions
{
    public const string DefaultApiBaseUrl = "https://qyapi.weixin.qq.com";

    public string ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    public string CorpId { get; init; } = "";

    /// <summary>
    /// The secret of a self-built app listed under 客户联系 → API → 可调用应用 (companies created since 2023-12-01 cannot use
    /// the 客户联系 secret; older ones still may). The app needs this server's IP among its trusted IPs. Never logged.
    /// </summary>
    public string Secret { get; init; } = "";

    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    public override string ToString() => $"WeComOptions {{ ApiBaseUrl = {ApiBaseUrl}, CorpId = {CorpId}, Secret = *** }}";
}
