using OrderHub.WeChat;

namespace OrderHub.Application.WeChat;

/// <summary>One app's state as the health endpoint shows it.</summary>
public sealed record WeChatAppHealth(
    bool Enabled,
    bool Configured,
    /// <summary>disabled | not_configured | unknown (no call yet) | ok | configuration_error</summary>
    string Status,
    int? Errcode,
    string? Api,
    string? Message,
    string? MessageZh,
    string? MessageEn,
    DateTimeOffset? At);

public sealed record WeChatHealthView(WeChatAppHealth MiniProgram, WeChatAppHealth WeCom);

/// <summary>
/// What this node last learned from WeChat and WeChat Work about their configuration: a successful call makes an app
/// "ok", a configuration error (wrong secret, server IP not trusted, app not allowed to call customer contact, member
/// outside the app's visible range) makes it "configuration_error" with what to change, until a later call succeeds.
/// Other errors (rate limits, a bad code, WeChat down) leave it as it was. Kept in memory, per node.
/// </summary>
public sealed class WeChatHealth(TimeProvider clock)
{
    public const string MiniProgramApp = "mini-program";
    public const string WeComApp = "wecom";

    private readonly object _gate = new();
    private readonly Dictionary<string, (string Status, int? Errcode, string? Api, DateTimeOffset At)> _last = new(StringComparer.Ordinal);

    /// <summary>An observer for one app's client (see the clients' <c>observe</c> parameter).</summary>
    public Action<string, int, WeChatErrorKind> ObserverFor(string app) => (api, errcode, kind) => Record(app, api, errcode, kind);

    public void Record(string app, string api, int errcode, WeChatErrorKind kind)
    {
        string status;
        if (errcode == 0) status = "ok";
        else if (WeChatApiException.IsConfigurationError(kind)) status = "configuration_error";
        else return;
        lock (_gate) _last[app] = (status, errcode == 0 ? null : errcode, api, clock.GetUtcNow());
    }

    public WeChatHealthView View(WeChatSettings weChat, WeComSettings weCom) =>
        new(Of(MiniProgramApp, weChat.Enabled, weChat.IsConfigured), Of(WeComApp, weCom.Enabled, weCom.IsConfigured));

    private WeChatAppHealth Of(string app, bool enabled, bool configured)
    {
        if (!enabled) return new(false, configured, "disabled", null, null, null, null, null, null);
        if (!configured)
        {
            const string zh = "已启用但缺少 AppId/AppSecret 或 CorpId/Secret", en = "enabled but the app id / corp id or secret is missing";
            return new(true, false, "not_configured", null, null, $"{zh} / {en}", zh, en, null);
        }
        (string Status, int? Errcode, string? Api, DateTimeOffset At) last;
        lock (_gate)
            if (!_last.TryGetValue(app, out last)) return new(true, true, "unknown", null, null, null, null, null, null);
        if (last.Status == "ok") return new(true, true, "ok", null, last.Api, null, null, null, last.At);
        var (zh2, en2) = WeChatApiException.ConfigurationHint(last.Errcode ?? 0);
        return new(true, true, last.Status, last.Errcode, last.Api, $"{zh2} / {en2} (errcode {last.Errcode})", zh2, en2, last.At);
    }
}
