namespace OrderHub.WeChat;

/// <summary>What went wrong, in terms a caller can map to an HTTP problem.</summary>
public enum WeChatErrorKind
{
    Unknown = 0,
    /// <summary>40029: the wx.login code is unknown or expired.</summary>
    InvalidCode,
    /// <summary>40163: the wx.login code was already exchanged.</summary>
    CodeUsed,
    /// <summary>40226: WeChat blocked the login of a high-risk user.</summary>
    CodeBlocked,
    /// <summary>45011 / 45009: call frequency limit.</summary>
    RateLimited,
    /// <summary>42001 / 40001 / 40014: access token expired or invalid (the client already refreshed once).</summary>
    TokenExpired,
    /// <summary>AppId/AppSecret or CorpId/Secret rejected when fetching a token (40013, 40125, 40001 on the token call).</summary>
    InvalidCredentials,
    /// <summary>43101: the user has not accepted (or used up) this subscribe template.</summary>
    SubscribeRefused,
    /// <summary>40003: the openid is not valid for this app.</summary>
    InvalidOpenId,
    /// <summary>40037: the template id is not valid.</summary>
    InvalidTemplate,
    /// <summary>47003 / 40169 / 41030 and similar: an argument WeChat did not accept.</summary>
    InvalidArgument,
    /// <summary>40096: the external_userid is not valid.</summary>
    InvalidExternalUser,
    /// <summary>84061: the member has no such external contact relationship.</summary>
    NotExternalContact,
    /// <summary>-1 from WeChat, a non-2xx HTTP status, a network failure or a response that could not be read.</summary>
    ServiceUnavailable,
}

/// <summary>
/// The one exception the WeChat clients throw for API errors. <see cref="Exception.Message"/> is
/// bilingual (Chinese / English) and never contains secrets, access tokens or session keys.
/// </summary>
public sealed class WeChatApiException : Exception
{
    public WeChatApiException(int errcode, string? errmsg, WeChatErrorKind kind, string api, Exception? inner = null)
        : base(BuildMessage(errcode, WeChatRedaction.RedactText(errmsg), kind, api), inner)
    {
        Errcode = errcode;
        Errmsg = WeChatRedaction.RedactText(errmsg);
        Kind = kind;
        Api = api;
    }

    /// <summary>WeChat's errcode (-1 also for transport failures).</summary>
    public int Errcode { get; }

    /// <summary>WeChat's errmsg, with anything that looks like a credential redacted.</summary>
    public string Errmsg { get; }

    public WeChatErrorKind Kind { get; }

    /// <summary>The API path that failed, e.g. "sns/jscode2session".</summary>
    public string Api { get; }

    /// <summary>A suggested HTTP status for an API that surfaces this error to its own callers.</summary>
    public int SuggestedHttpStatus => Kind switch
    {
        WeChatErrorKind.InvalidCode or WeChatErrorKind.CodeUsed => 400,
        WeChatErrorKind.CodeBlocked => 403,
        WeChatErrorKind.RateLimited => 429,
        WeChatErrorKind.SubscribeRefused => 409,
        WeChatErrorKind.InvalidOpenId or WeChatErrorKind.InvalidTemplate or WeChatErrorKind.InvalidArgument
            or WeChatErrorKind.InvalidExternalUser or WeChatErrorKind.NotExternalContact => 422,
        WeChatErrorKind.ServiceUnavailable => 503,
        _ => 502, // token / credential / unknown: our upstream misbehaved, not the caller
    };

    public static WeChatErrorKind KindOf(int errcode) => errcode switch
    {
        -1 => WeChatErrorKind.ServiceUnavailable,
        40029 => WeChatErrorKind.InvalidCode,
        40163 => WeChatErrorKind.CodeUsed,
        40226 => WeChatErrorKind.CodeBlocked,
        45011 or 45009 => WeChatErrorKind.RateLimited,
        42001 or 40001 or 40014 => WeChatErrorKind.TokenExpired,
        40013 or 40125 => WeChatErrorKind.InvalidCredentials,
        43101 => WeChatErrorKind.SubscribeRefused,
        40003 => WeChatErrorKind.InvalidOpenId,
        40037 => WeChatErrorKind.InvalidTemplate,
        47003 or 40169 or 41030 or 44002 or 41008 => WeChatErrorKind.InvalidArgument,
        40096 => WeChatErrorKind.InvalidExternalUser,
        84061 => WeChatErrorKind.NotExternalContact,
        _ => WeChatErrorKind.Unknown,
    };

    /// <summary>Bilingual text for a kind: (Chinese, English).</summary>
    public static (string Zh, string En) Describe(WeChatErrorKind kind) => kind switch
    {
        WeChatErrorKind.InvalidCode => ("登录凭证 code 无效或已过期", "the login code is invalid or expired"),
        WeChatErrorKind.CodeUsed => ("登录凭证 code 已被使用", "the login code has already been used"),
        WeChatErrorKind.CodeBlocked => ("高风险用户，微信拦截了本次登录", "WeChat blocked this login (high-risk user)"),
        WeChatErrorKind.RateLimited => ("调用太频繁，请稍后再试", "WeChat rate limit reached, retry later"),
        WeChatErrorKind.TokenExpired => ("access_token 已过期或无效", "the access token expired or is invalid"),
        WeChatErrorKind.InvalidCredentials => ("应用凭证（AppID/Secret）配置错误", "the app credentials (AppID/secret) were rejected"),
        WeChatErrorKind.SubscribeRefused => ("用户未订阅该消息模板或已拒收", "the user has not accepted this subscribe-message template"),
        WeChatErrorKind.InvalidOpenId => ("openid 无效", "the openid is invalid"),
        WeChatErrorKind.InvalidTemplate => ("消息模板 ID 无效", "the template id is invalid"),
        WeChatErrorKind.InvalidArgument => ("请求参数不被微信接受", "WeChat rejected a request argument"),
        WeChatErrorKind.InvalidExternalUser => ("外部联系人 external_userid 无效", "the external_userid is invalid"),
        WeChatErrorKind.NotExternalContact => ("该成员与此客户没有外部联系人关系", "no external-contact relationship with this member"),
        WeChatErrorKind.ServiceUnavailable => ("微信服务暂时不可用", "the WeChat service is unavailable"),
        _ => ("微信接口返回错误", "the WeChat API returned an error"),
    };

    private static string BuildMessage(int errcode, string? errmsg, WeChatErrorKind kind, string api)
    {
        var (zh, en) = Describe(kind);
        var detail = string.IsNullOrWhiteSpace(errmsg) ? "" : $": {errmsg}";
        return $"{zh} / {en} (errcode {errcode}, api {api}){detail}";
    }
}
