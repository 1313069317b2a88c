using Microsoft.Extensions.Logging;

namespace OrderHub.WeChat;

/// <summary>
/// Typed client for the mini-program server API: login (code2Session), unlimited mini-program QR codes and
/// subscribe messages. Safe to use from many threads. Pass a shared <see cref="AccessTokenCache"/> (singleton)
/// when the client itself is short-lived, e.g. a typed HttpClient from IHttpClientFactory.
/// </summary>
public sealed class WeChatMiniProgramClient
{
    private const int MaxSceneLength = 32;
    private const string SceneSpecialChars = "!#$&'()*+,/:;=?@-._~";

    private readonly WeChatOptions _options;
    private readonly WeChatApiCore _core;
    private readonly AccessTokenCache _tokens;

    public WeChatMiniProgramClient(HttpClient httpClient, WeChatOptions options, AccessTokenCache? tokenCache = null,
        ILogger<WeChatMiniProgramClient>? logger = null, TimeProvider? timeProvider = null, Action<string, int, WeChatErrorKind>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.AppId)) throw new ArgumentException("WeChatOptions.AppId is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.AppSecret)) throw new ArgumentException("WeChatOptions.AppSecret is required.", nameof(options));
        _options = options;
        _tokens = tokenCache ?? new AccessTokenCache(options.TokenRefreshMargin, timeProvider);
        _core = new WeChatApiCore(httpClient, options.ApiBaseUrl, logger, "mini-program", () => [options.AppSecret]) { Tokens = _tokens, TokenKey = "mp:" + options.AppId, Observe = observe };
    }

    /// <summary>
    /// Exchanges a wx.login code for the user's openid / unionid / session key (GET /sns/jscode2session).
    /// A code works once: reuse gives <see cref="WeChatErrorKind.CodeUsed"/>, an unknown or expired code
    /// <see cref="WeChatErrorKind.InvalidCode"/>.
    /// </summary>
    public async Task<WeChatSession> Code2SessionAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var response = await _core.SendAsync(HttpMethod.Get, "sns/jscode2session",
        [
            new("appid", _options.AppId),
            new("secret", _options.AppSecret),
            new("js_code", code),
            new("grant_type", "authorization_code"),
        ], null, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<Code2SessionResponse>(response);
        if (string.IsNullOrEmpty(body.OpenId) || string.IsNullOrEmpty(body.SessionKey))
            throw new WeChatApiException(-1, "code2Session response without openid/session_key", WeChatErrorKind.ServiceUnavailable, response.Api);
        return new WeChatSession(body.OpenId, string.IsNullOrEmpty(body.UnionId) ? null : body.UnionId, body.SessionKey);
    }

    /// <summary>
    /// Gets an unlimited mini-program code (POST /wxa/getwxacodeunlimit): the image bytes with the Content-Type WeChat
    /// answered with (the published page does not say which image format it is; do not assume PNG).
    /// <paramref name="scene"/>: at most 32 visible characters of [0-9A-Za-z] and !#$&amp;'()*+,/:;=?@-._~ (no %, so no Chinese).
    /// <paramref name="page"/>: e.g. "pages/order/detail", no leading slash and no query; null opens the home page.
    /// <paramref name="width"/>: 280–1280 px. <paramref name="checkPath"/> false allows pages not yet released.
    /// <paramref name="envVersion"/>: "release", "trial" or "develop".
    /// </summary>
    public async Task<WeChatImage> GetUnlimitedQrCodeAsync(string scene, string? page = null, int width = 430,
        bool checkPath = true, string envVersion = "release", CancellationToken cancellationToken = default)
    {
        ValidateScene(scene);
        if (width is < 280 or > 1280) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be 280–1280 px.");
        if (page is not null && (page.StartsWith('/') || page.Contains('?')))
            throw new ArgumentException("page must not start with '/' nor carry a query; put parameters in scene.", nameof(page));
        if (envVersion is not ("release" or "trial" or "develop"))
            throw new ArgumentException("envVersion must be release, trial or develop.", nameof(envVersion));

        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "wxa/getwxacodeunlimit", [],
            new UnlimitedQrCodeRequest(scene, string.IsNullOrEmpty(page) ? null : page, checkPath, envVersion, width),
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        if (response.IsJson)
        {
            _core.ThrowIfError(response);
            throw new WeChatApiException(-1, "JSON instead of an image", WeChatErrorKind.ServiceUnavailable, response.Api);
        }
        if (response.Body.Length == 0)
            throw new WeChatApiException(-1, "empty image", WeChatErrorKind.ServiceUnavailable, response.Api);
        return new WeChatImage(response.Body, string.IsNullOrWhiteSpace(response.ContentType) ? "application/octet-stream" : response.ContentType);
    }

    /// <summary>
    /// Sends a subscribe message (POST /cgi-bin/message/subscribe/send). <paramref name="data"/> maps template keys
    /// such as "thing1" / "character_string2" to their values, each valid for its type (see <see cref="SubscribeMessageFields"/>;
    /// format values with <see cref="SubscribeMessageFields.Format"/>, else a <see cref="SubscribeFieldException"/>). A user who has not accepted the template (each
    /// acceptance allows one message) gives <see cref="WeChatErrorKind.SubscribeRefused"/>.
    /// Returns WeChat's msgid when it reports one.
    /// </summary>
    public async Task<long?> SendSubscribeMessageAsync(string toOpenId, string templateId, string? page,
        IReadOnlyDictionary<string, string> data, MiniProgramState miniprogramState = MiniProgramState.Formal,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toOpenId);
        ArgumentException.ThrowIfNullOrWhiteSpace(templateId);
        ArgumentNullException.ThrowIfNull(data);
        SubscribeMessageFields.Validate(data); // a value WeChat would refuse (47003) is refused here, naming the field
        var request = new SubscribeSendRequest(toOpenId, templateId, string.IsNullOrEmpty(page) ? null : page,
            data.ToDictionary(kv => kv.Key, kv => new SubscribeValue(kv.Value)), miniprogramState.ToWire(), _options.SubscribeMessageLang);
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/message/subscribe/send", [], request,
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        return _core.ReadJson<SubscribeSendResponse>(response).MsgId;
    }

    /// <summary>
    /// The stable access token (POST /cgi-bin/stable_token, force_refresh false). Unlike GET /cgi-bin/token, whose every call
    /// retires the previous token five minutes later, normal mode hands every caller the same token until its last five
    /// minutes, so several OrderHub nodes each with its own cache share one token without retiring each other's.
    /// A forced refresh (20 a day, 30 s apart) is never asked for: a token refused with 40001 is fetched again in normal mode.
    /// </summary>
    private async Task<AccessToken> FetchTokenAsync(CancellationToken ct)
    {
        var response = await _core.SendAsync(HttpMethod.Post, "cgi-bin/stable_token", [],
            new StableTokenRequest("client_credential", _options.AppId, _options.AppSecret, ForceRefresh: false), ct).ConfigureAwait(false);
        _core.ThrowIfTokenError(response);
        var body = _core.ReadJson<MpTokenResponse>(response);
        return WeChatApiCore.ToAccessToken(body.AccessToken, body.ExpiresIn, _tokens.TimeProvider, response.Api);
    }

    private static void ValidateScene(string scene)
    {
        ArgumentException.ThrowIfNullOrEmpty(scene);
        if (scene.Length > MaxSceneLength)
            throw new ArgumentException($"scene must be at most {MaxSceneLength} characters.", nameof(scene));
        foreach (var c in scene)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || SceneSpecialChars.Contains(c)))
                throw new ArgumentException($"scene may contain only letters, digits and {SceneSpecialChars}.", nameof(scene));
        }
    }
}
