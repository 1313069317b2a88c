using OrderHub.Api.Auth;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Settings;
using OrderHub.Application.WeChat;
using OrderHub.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>WeChat: mini-program login and binding, subscribe messages, WeChat Work contacts and hand-over.</summary>
public static class WeChatApi
{
    /// <summary>Settings of sections <c>WeChat</c> and <c>WeCom</c> (read when first used), the typed clients with one shared token cache, the services.</summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection();
        // the clients log every call themselves, with secrets redacted: no factory logging of URLs
        services.AddHttpClient(HttpClientName, h => h.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSettings<WeChatSettings>("WeChat");
        services.PostConfigure<WeChatSettings>(WeChatSettings.Normalise);
        services.AddSettings<WeComSettings>("WeCom");
        services.PostConfigure<WeComSettings>(WeComSettings.Normalise);
        // Scheduled work of this feature (sending subscribe messages, following up hand-overs), only where it is switched on.
        if (configuration.GetValue("WeChat:Enabled", false))
            services.AddScheduledWork<DispatchWeChatMessages>("wechat-dispatch", "WeChatDispatch", JobSchedule.Every(30));
        if (configuration.GetValue("WeCom:Enabled", false))
            services.AddScheduledWork<FollowUpWeComHandOvers>("wecom-hand-over-follow-up", "WeComHandOverFollowUp", JobSchedule.Every(900));
        // one token cache per process: WeChat limits token fetches (the stable token lets other nodes keep their own caches)
        services.AddSingleton(sp => new AccessTokenCache(TimeSpan.FromMinutes(5), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(sp => new WeChatHealth(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(sp => new WeChatClients(sp.GetRequiredService<WeChatSettings>(), sp.GetRequiredService<WeComSettings>(),
            sp.GetRequiredService<AccessTokenCache>(), () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<WeChatHealth>()));
        services.AddSingleton<BindingCodes>();
        services.AddSingleton<WeChatSubscriptions>();
        services.AddSingleton<SubscribeMessageDispatcher>();
        services.AddSingleton<StatementReadyNotices>();
        services.AddSingleton<WeComContacts>();
        services.AddSingleton<AgentHandOver>();
        services.AddSingleton<PendingWeChatIdentity>();
        services.AddSingleton<WeChatRateLimiter>();
        services.AddHostedService<WeChatDispatchLoop>();
        return services;
    }

    public const string HttpClientName = "wechat";

    public static IEndpointRouteBuilder MapWeChatApi(this IEndpointRouteBuilder app)
    {
        app.MapBindingSheetApi();
        // The mini-program: wx.login code → OrderHub tokens, or a pending identity to bind with.
        var wx = app.MapGroup("/api/wechat").WithTags("WeChat");
        wx.MapPost("/login", WeChatLoginApi.Login).AllowAnonymous().WithWeChatRateLimit("login").WithName("WeChatLogin").WithSummary("Exchange a wx.login code: tokens for a bound user, else bindingRequired with a pending token");
        wx.MapPost("/work/login", WeChatLoginApi.WorkLogin).AllowAnonymous().WithWeChatRateLimit("work-login").ProducesProblem(StatusCodes.Status403Forbidden).WithName("WeComLogin").WithSummary("Agents in WeChat Work: exchange a wx.qy.login code (miniprogram/jscode2session) for the tokens of the agent with that wecom_userid");
        wx.MapPost("/bind", WeChatLoginApi.Bind).AllowAnonymous().WithWeChatRateLimit("bind").WithName("WeChatBind").ProducesNotFound("绑定码不存在 / No such binding code").ProducesConflict("绑定码已被使用，或该微信已绑定其他账号 / The binding code was used, or this WeChat account is bound elsewhere").Declares(410, "绑定码已过期或已失效 / The binding code has expired or is no longer valid").Declares(422, "绑定码不属于该门店 / The binding code belongs to another store").WithSummary("Bind this WeChat user to a store with an agent's binding code (scene) and sign in");
        wx.MapGet("/templates", WeChatLoginApi.Templates).RequireAuthorization().WithName("WeChatTemplates").WithSummary("Subscribe-message templates (key and template id) for wx.requestSubscribeMessage");
        wx.MapGet("/subscriptions", WeChatLoginApi.Subscriptions).RequireAuthorization(Policies.Customer).WithName("WeChatSubscriptions").WithSummary("Messages still allowed per template for this user");
        wx.MapPost("/subscriptions", WeChatLoginApi.Subscribe).RequireAuthorization(Policies.Customer).WithName("WeChatSubscribe").WithSummary("Record the templates the user accepted (each acceptance allows one message)");

        // Agents: binding codes for their stores.
        var codes = app.MapGroup("/api/agent/customers/{customerId:long}/binding-codes").WithTags("WeChat").RequireAuthorization(Policies.Agent);
        codes.MapPost("", BindingCodesApi.Create).WithName("CreateBindingCode").ProducesNotFound("客户不存在或不属于该业务员 / No such customer of this agent").WithSummary("A short-lived binding code for one of this agent's stores (Idempotency-Key optional)");
        codes.MapGet("/{code}/qr.png", BindingCodesApi.PlainQr).WithName("BindingCodeQr").ProducesNotFound("绑定码不存在或不属于该业务员的门店 / No such binding code for this agent's store").Declares(410, "绑定码已过期或已失效 / The binding code has expired or is no longer valid").WithSummary("The binding code as a plain QR code PNG (works without the WeChat API)");
        codes.MapGet("/{code}/wxacode.png", BindingCodesApi.MiniProgramCode).WithName("BindingCodeWxaCode").ProducesNotFound("绑定码不存在或不属于该业务员的门店 / No such binding code for this agent's store").Declares(410, "绑定码已过期或已失效 / The binding code has expired or is no longer valid").WithSummary("The binding code as an unlimited mini-program code (getwxacodeunlimit), in the image format WeChat answers with (the path keeps .png for old clients); 503 when WeChat is off");

        // Back office: statement-ready messages, WeChat Work contacts, hand-over.
        var admin = app.MapGroup("/api/admin").WithTags("WeChat");
        admin.MapGet("/wechat/health", WeComAdminApi.Health).RequireAuthorization(Policies.Staff).WithName("WeChatHealth").WithSummary("Mini-program and WeChat Work: enabled, configured, and the last configuration error this node met (with what to change) or ok");
        admin.MapPost("/customers/{id:long}/statement-ready", WeComAdminApi.StatementReady).RequireAuthorization(Policies.Finance).WithName("StatementReady").ProducesNotFound("客户不存在 / No such customer").WithSummary("Tell the store's users that a period statement is ready (subscribe message)");
        admin.MapGet("/agents/{agentId:long}/wecom-contacts", WeComAdminApi.Contacts).RequireAuthorization(Policies.Staff).WithName("WeComContacts").ProducesNotFound("业务员不存在 / No such agent").ProducesConflict("该业务员未设置企业微信账号 / The agent has no WeChat Work user id").WithSummary("The agent's WeChat Work external contacts with the store each is linked to");
        admin.MapPost("/wecom-contacts/{externalUserId}/link", WeComAdminApi.Link).RequireAuthorization(Policies.Admin).WithName("LinkWeComContact").ProducesNotFound("客户不存在 / No such customer").WithSummary("Link a WeChat Work external contact to a store");
        admin.MapPost("/agents/{agentId:long}/hand-over", WeComAdminApi.HandOver).RequireAuthorization(Policies.Admin).WithName("AgentHandOver").ProducesNotFound("业务员不存在 / No such agent").ProducesConflict("接手的业务员已停用 / The agent to hand over to is not active").WithSummary("离职转移: move the agent's stores and proxy carts to another agent, deactivate it, transfer its WeChat Work contacts (Idempotency-Key required)");
        admin.MapGet("/hand-overs/{id:long}", WeComAdminApi.GetHandOver).RequireAuthorization(Policies.Staff).WithName("GetHandOver").ProducesNotFound("转移记录不存在 / No such hand-over").WithSummary("A hand-over with the WeChat Work result per contact");
        admin.MapPost("/hand-overs/{id:long}/retry", WeComAdminApi.RetryHandOver).RequireAuthorization(Policies.Admin).WithName("RetryHandOver").ProducesNotFound("转移记录不存在 / No such hand-over").WithSummary("Read WeChat Work's transfer results now and send again where it says to");
        return app;
    }
}
