using Microsoft.Extensions.Configuration;
using OrderHub.WeChat;

namespace OrderHub.Application.WeChat;

/// <summary>Section <c>WeChat</c>: the mini-program (公众平台 → 开发管理 → 开发设置) and how OrderHub uses it. See appsettings.template.json.</summary>
public sealed class WeChatSettings
{
    public bool Enabled { get; set; }
    public string AppId { get; set; } = "";
    /// <summary>Secret: never logged (see <see cref="ToString"/>).</summary>
    public string AppSecret { get; set; } = "";
    public string ApiBaseUrl { get; set; } = WeChatOptions.DefaultApiBaseUrl;
    /// <summary>How long the signed "pending WeChat identity" of an unbound login stays valid for binding.</summary>
    public int SessionMinutes { get; set; } = 30;
    public int BindingCodeMinutes { get; set; } = 1440;
    public bool BindingCodeSingleUse { get; set; } = true;
    /// <summary>formal | trial | developer: which build subscribe messages and mini-program codes open.</summary>
    public string MiniProgramState { get; set; } = "formal";
    /// <summary>The mini-program page a binding code opens (released page, no leading slash, no query).</summary>
    public string BindingPage { get; set; } = "pages/bind/index";
    /// <summary>What the plain QR code holds; {code} is replaced. Register its prefix in 扫普通链接二维码打开小程序.</summary>
    public string BindingQrLink { get; set; } = "https://orderhub.example.com/wx/bind?b={code}";
    public Dictionary<string, WeChatTemplateSettings> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public WeChatRateLimitSettings RateLimit { get; set; } = new();
    public WeChatDispatchSettings Dispatch { get; set; } = new();

    public OrderHub.WeChat.MiniProgramState State => MiniProgramState?.Trim().ToLowerInvariant() switch
    {
        "trial" => OrderHub.WeChat.MiniProgramState.Trial,
        "developer" or "develop" => OrderHub.WeChat.MiniProgramState.Developer,
        _ => OrderHub.WeChat.MiniProgramState.Formal,
    };

    /// <summary>env_version of getwxacodeunlimit for <see cref="State"/>.</summary>
    public string EnvVersion => State switch
    {
        OrderHub.WeChat.MiniProgramState.Trial => "trial",
        OrderHub.WeChat.MiniProgramState.Developer => "develop",
        _ => "release",
    };

    public bool IsConfigured => Enabled && !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppSecret);

    /// <summary>The template for a notification kind: "order_shipped" → Templates:OrderShipped.</summary>
    public (string Key, WeChatTemplateSettings Template)? TemplateForKind(string kind)
    {
        var key = KeyOfKind(kind);
        return Templates.TryGetValue(key, out var t) && !string.IsNullOrWhiteSpace(t.TemplateId) ? (key, t) : null;
    }

    /// <summary>"proxy_order_placed" → "ProxyOrderPlaced".</summary>
    public static string KeyOfKind(string kind) =>
        string.Concat(kind.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    public WeChatOptions ToClientOptions() => new() { ApiBaseUrl = ApiBaseUrl, AppId = AppId, AppSecret = AppSecret };

    /// <summary>After binding (section <c>WeChat</c>): template keys case-insensitive, an empty API host the public one.</summary>
    public static void Normalise(WeChatSettings s)
    {
        s.Templates = new Dictionary<string, WeChatTemplateSettings>(s.Templates, StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(s.ApiBaseUrl)) s.ApiBaseUrl = WeChatOptions.DefaultApiBaseUrl;
    }

    public override string ToString() => $"WeChatSettings {{ Enabled = {Enabled}, AppId = {AppId}, AppSecret = ***, ApiBaseUrl = {ApiBaseUrl} }}";
}

/// <summary>One subscribe-message template: its id from 公众平台 → 订阅消息, the page it opens and its fields.</summary>
public sealed class WeChatTemplateSettings
{
    public string TemplateId { get; set; } = "";
    /// <summary>Page opened from the message, placeholders allowed: "pages/order/detail?no={orderNo}".</summary>
    public string? Page { get; set; }
    /// <summary>Template key → text with placeholders, e.g. thing1: "{customerName}", character_string2: "{orderNo}".</summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.Ordinal);
}

public sealed class WeChatRateLimitSettings
{
    /// <summary>Login and bind calls allowed per client IP and window.</summary>
    public int PermitLimit { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;
}

public sealed class WeChatDispatchSettings
{
    /// <summary>Seconds between runs of the built-in dispatch loop (used only when no Quartz job dispatches); 0 switches it off.</summary>
    public int IntervalSeconds { get; set; } = 30;
    public int BatchSize { get; set; } = 100;
    public int MaxAttempts { get; set; } = 6;
    /// <summary>First retry delay; doubles each attempt, at most an hour.</summary>
    public int RetryBaseSeconds { get; set; } = 60;
    /// <summary>Older notifications are not sent (e.g. when WeChat is switched on later).</summary>
    public int MaxAgeHours { get; set; } = 72;
}

/// <summary>Section <c>WeCom</c>: WeChat Work (企业微信) customer-contact app. See appsettings.template.json.</summary>
public sealed class WeComSettings : OrderHub.Settings.IValidatedSettings
{
    public bool Enabled { get; set; }
    public string CorpId { get; set; } = "";
    /// <summary>
    /// Secret of a self-built app (应用管理 → 自建 → the app → Secret) that is listed under 客户与上下游 → 客户联系 → API →
    /// 可调用应用 and has this server's IP in 企业可信IP. Companies created before 2023-12-01 may still use the 客户联系 secret.
    /// Never logged.
    /// </summary>
    public string Secret { get; set; } = "";
    public string ApiBaseUrl { get; set; } = WeComOptions.DefaultApiBaseUrl;
    /// <summary>How often a hand-over's waiting contacts are checked again (transfer_result).</summary>
    public int HandOverCheckMinutes { get; set; } = 60;
    /// <summary>
    /// What a customer is told when an agent who stays in the company hands them over (on-job transfer_success_msg, at most
    /// 200 characters, {agentName} = the new agent); empty: WeChat Work's own text.
    /// </summary>
    public string TransferSuccessMessage { get; set; } = "您好，您的服务已升级，后续将由我的同事{agentName}接替我为您服务，感谢支持！";

    public bool IsConfigured => Enabled && !string.IsNullOrWhiteSpace(CorpId) && !string.IsNullOrWhiteSpace(Secret);

    /// <summary>Selling in the agent's chat (issue #20): callback, welcome message, cards.</summary>
    public ChatCommerce.WeComChatSettings Chat { get; set; } = new();

    /// <summary>The WeChat Work app's AgentId (应用管理 → the app), needed by wx.agentConfig on the chat toolbar page.</summary>
    public string AgentId { get; set; } = "";

    public IEnumerable<string> Validate() => Chat.Validate();

    public WeComOptions ToClientOptions() => new() { ApiBaseUrl = ApiBaseUrl, CorpId = CorpId, Secret = Secret };

    /// <summary>After binding (section <c>WeCom</c>): an empty API host the public one.</summary>
    public static void Normalise(WeComSettings s)
    {
        if (string.IsNullOrWhiteSpace(s.ApiBaseUrl)) s.ApiBaseUrl = WeComOptions.DefaultApiBaseUrl;
    }

    public override string ToString() => $"WeComSettings {{ Enabled = {Enabled}, CorpId = {CorpId}, Secret = ***, ApiBaseUrl = {ApiBaseUrl} }}";
}
