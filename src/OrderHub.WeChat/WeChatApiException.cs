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
    /// <summary>
    /// 60020 (server IP not among the app's trusted IPs), 48002 / 48001 (the app may not call this API: not under
    /// 客户联系 → 可调用应用, or a system app's secret), 60011 (member outside the app's visible range): only the distributor
    /// can fix these in the admin console; retrying changes nothing.
    /// </summary>
    Configuration,
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
        60020 or 48001 or 48002 or 60011 => WeChatErrorKind.Configuration,
        _ => WeChatErrorKind.Unknown,
    };

    /// <summary>A credential or configuration problem only the distributor can fix (see <see cref="ConfigurationHint"/>).</summary>
    public static bool IsConfigurationError(WeChatErrorKind kind) => kind is WeChatErrorKind.Configuration or WeChatErrorKind.InvalidCredentials;

    /// <summary>What to change, for a configuration errcode: (Chinese, English).</summary>
    public static (string Zh, string En) ConfigurationHint(int errcode) => errcode switch
    {
        60020 => ("本服务器的出口 IP 不在企业微信自建应用的「企业可信IP」中：应用管理 → 该自建应用 → 企业可信IP，加入本服务器的 IP",
            "this server's outgoing IP is not among the self-built app's trusted IPs: 应用管理 → the app → 企业可信IP (trusted IP), add this server's IP"),
        48002 or 48001 => ("该应用无权调用此接口：请使用自建应用的 Secret，并在 客户与上下游 → 客户联系 → API → 可调用应用 中加入该应用（2023年12月1日起新企业不能再用「客户联系」Secret）",
            "this app may not call the API: use a self-built app's secret and add the app under 客户联系 → API → 可调用应用 (callable apps); companies created since 2023-12-01 cannot use the 客户联系 secret"),
        60011 => ("成员不在该应用的可见范围内：应用管理 → 该自建应用 → 可见范围", "the member is outside the app's visible range: 应用管理 → the app → 可见范围"),
        40164 => ("本服务器的 IP 不在小程序「IP白名单」中：开发管理 → 开发设置 → IP白名单，加入本服务器的出口 IP",
            "this server's IP is not in the mini-program's IP whitelist: 开发管理 → 开发设置 → IP白名单, add this server's outgoing IP"),
        40001 or 40013 or 40125 or 41002 or 41004 => ("企业ID / AppID 或 Secret 错误：请核对设置中的 CorpId / Secret（或 AppId / AppSecret）",
            "the corp id / app id or secret is wrong: check CorpId / Secret (or AppId / AppSecret) in the settings"),
        _ => ("请检查企业微信或小程序后台的配置", "check the WeChat Work or mini-program admin console configuration"),
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
        WeChatErrorKind.Configuration => ("微信 / 企业微信配置错误，需管理员在后台修改", "WeChat / WeChat Work configuration error; an administrator must fix it in the admin console"),
        _ => ("微信接口返回错误", "the WeChat API returned an error"),
    };

    private static string BuildMessage(int errcode, string? errmsg, WeChatErrorKind kind, string api)
    {
        var (zh, en) = Describe(kind);
        var detail = string.IsNullOrWhiteSpace(errmsg) ? "" : $": {errmsg}";
        return $"{zh} / {en} (errcode {errcode}, api {api}){detail}";
    }
}
