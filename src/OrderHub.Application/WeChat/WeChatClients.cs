using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.WeChat;

namespace OrderHub.Application.WeChat;

/// <summary>
/// Hands out the typed WeChat clients, sharing one <see cref="AccessTokenCache"/> (a singleton) so that every
/// short-lived client uses the same cached tokens. A switched-off or unconfigured app is a 503 problem.
/// </summary>
public sealed class WeChatClients(WeChatSettings weChat, WeComSettings weCom, AccessTokenCache tokens, Func<HttpClient> http, ILoggerFactory loggers,
    WeChatHealth? health = null)
{
    public WeChatSettings WeChat { get; } = weChat;
    public WeComSettings WeCom { get; } = weCom;

    /// <summary>What the calls of these clients taught about the configuration (the health endpoint).</summary>
    public WeChatHealth Health { get; } = health ?? new WeChatHealth(tokens.TimeProvider);

    public WeChatMiniProgramClient MiniProgram() => WeChat.IsConfigured
        ? new WeChatMiniProgramClient(http(), WeChat.ToClientOptions(), tokens, loggers.CreateLogger<WeChatMiniProgramClient>(), tokens.TimeProvider,
            Health.ObserverFor(WeChatHealth.MiniProgramApp))
        : throw NotEnabled("微信小程序", "the WeChat mini-program");

    public WeComExternalContactClient WeComContacts() => WeCom.IsConfigured
        ? new WeComExternalContactClient(http(), WeCom.ToClientOptions(), tokens, loggers.CreateLogger<WeComExternalContactClient>(), tokens.TimeProvider,
            Health.ObserverFor(WeChatHealth.WeComApp))
        : throw NotEnabled("企业微信", "WeChat Work");

    private static AppProblem NotEnabled(string zh, string en) =>
        new(503, $"未启用{zh}接口（请在设置中配置并启用）", $"{en} API is not enabled (configure and enable it in the settings)");
}

/// <summary>A WeChat error as an OrderHub problem: the bilingual description, WeChat's errcode and a suggested status.</summary>
public static class WeChatErrors
{
    public static AppProblem ToProblem(WeChatApiException ex)
    {
        var (zh, en) = WeChatApiException.IsConfigurationError(ex.Kind) ? WeChatApiException.ConfigurationHint(ex.Errcode) : WeChatApiException.Describe(ex.Kind);
        return new AppProblem(ex.SuggestedHttpStatus, zh, en, new Dictionary<string, object?> { ["errcode"] = ex.Errcode });
    }

    /// <summary>
    /// Worth trying again later: WeChat down, rate limited, token trouble or an unknown error. A configuration error
    /// (wrong secret, untrusted IP, app not allowed) is not: it waits for the distributor (see <see cref="WeChatHealth"/>).
    /// </summary>
    public static bool IsTransient(WeChatErrorKind kind) => kind is WeChatErrorKind.ServiceUnavailable or WeChatErrorKind.RateLimited
        or WeChatErrorKind.TokenExpired or WeChatErrorKind.Unknown;

    /// <summary>"errcode N: what it means" for a last_error column, with what to change for a configuration error.</summary>
    public static string Explain(WeChatApiException ex)
    {
        var (zh, en) = WeChatApiException.IsConfigurationError(ex.Kind) ? WeChatApiException.ConfigurationHint(ex.Errcode) : WeChatApiException.Describe(ex.Kind);
        return Shorten($"errcode {ex.Errcode}: {zh} / {en}");
    }

    /// <summary>Short text for a last_error column, without secrets (the exception message is already redacted).</summary>
    public static string Shorten(string text) => text.Length > 500 ? text[..500] : text;
}
