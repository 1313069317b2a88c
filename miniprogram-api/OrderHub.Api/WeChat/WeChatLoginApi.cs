using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Data;
using OrderHub.Application.WeChat;
using OrderHub.WeChat;
using OrderHub.Domain.People;

namespace OrderHub.Api.WeChat;

/// <summary>Mini-program sign-in with wx.login, binding to a store, and subscribe-message acceptances.</summary>
public static class WeChatLoginApi
{
    public sealed record LoginRequest(
        [property: Description("wx.login (或企业微信 wx.qy.login) 得到的 code / The code from wx.login (or wx.qy.login in WeChat Work)")] string? Code);
    /// <summary>An unbound WeChat user: bind with <see cref="PendingToken"/> and an agent's binding code.</summary>
    public sealed record UnboundResponse(
        [property: Description("已绑定 (此处总是 false) / Bound (always false here)")] bool Bound,
        [property: Description("需要先绑定门店 / A store binding is needed first")] bool BindingRequired,
        [property: Description("提示，中文与英文 / The message in Chinese and English")] string Message,
        [property: Description("提示 (中文) / The message in Chinese")] string MessageZh,
        [property: Description("提示 (英文) / The message in English")] string MessageEn,
        [property: Description("绑定时带上的临时令牌 / Pending token to send with the binding")] string PendingToken,
        [property: Description("临时令牌过期时间 / When the pending token expires")] DateTimeOffset PendingTokenExpiresAt);
    public sealed record BindRequest(
        [property: Description("登录时得到的临时令牌 / The pending token from the login")] string? PendingToken,
        [property: Description("扫码进入时的 scene (含绑定码) / The scene the code was scanned with (holds the binding code)")] string? Scene,
        [property: Description("手工输入的绑定码 (与 scene 二选一) / A binding code typed in (or scene)")] string? Code,
        [property: Description("门店 id (可选，用于核对) / Store id (optional, checked against the code)")] long? CustomerId,
        [property: Description("绑定人姓名 / The person's name")] string? Name,
        [property: Description("绑定人手机号 / The person's mobile number")] string? Phone);
    public sealed record SubscribeRequest(
        [property: Description("本次请求订阅的模板键 / Template keys asked for")] IReadOnlyList<string>? TemplateKeys,
        [property: Description("用户同意的模板键 (每次同意可发一条) / Template keys the user accepted (one message each)")] IReadOnlyList<string>? Accepted);

    public sealed class Deps(WeChatClients clients, BindingCodes codes, PendingWeChatIdentity pending, Db db)
    {
        public WeChatClients Clients { get; } = clients;
        public BindingCodes Codes { get; } = codes;
        public PendingWeChatIdentity Pending { get; } = pending;
        public Db Db { get; } = db;
    }

    private const string UnboundZh = "尚未绑定门店，请扫描业务员提供的绑定码";
    private const string UnboundEn = "not bound yet: scan your agent's binding code";

    internal static async Task<Results<SignInHttpResult, Ok<UnboundResponse>, ValidationProblem, ProblemHttpResult>> Login(LoginRequest body, HttpContext http, [AsParameters] Deps d, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 128)
            return Problems.Validation(new() { ["code"] = ["请提供 wx.login 返回的 code / code from wx.login is required"] });
        WeChatSession session;
        try
        {
            session = await d.Clients.MiniProgram().Code2SessionAsync(body.Code.Trim(), ct);
        }
        catch (WeChatApiException ex)
        {
            return WeChatProblem(http, ex);
        }
        // the session_key stays here: OrderHub does not need it and never returns it
        if (await d.Codes.AccountOfAsync(session.OpenId, ct) is { } account
            && await AuthApi.Identity.ReloadAsync(d.Db, account.Role, account.UserId) is { } who)
            return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);

        var (token, expires) = d.Pending.Protect(new WeChatIdentity(session.OpenId, session.UnionId));
        return TypedResults.Ok(new UnboundResponse(false, true, $"{UnboundZh} / {UnboundEn}", UnboundZh, UnboundEn, token, expires));
    }

    private const string NoAgentZh = "该企业微信账号未关联业务员，请让管理员在业务员资料中填写企业微信账号 (wecom_userid)";
    private const string NoAgentEn = "This WeChat Work account is not linked to an agent; ask an administrator to set the agent's WeChat Work user id (wecom_userid)";

    /// <summary>
    /// An agent opens the mini-program inside WeChat Work: wx.qy.login gives a code, WeChat Work's miniprogram/jscode2session
    /// its corp and user id, and the active agent with that wecom_userid gets OrderHub tokens (the same sign-in as /login).
    /// Another company's member or an unknown user id is a 403; the session key never leaves the server.
    /// </summary>
    internal static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> WorkLogin(LoginRequest body, HttpContext http, [AsParameters] Deps d, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 128)
            return Problems.Validation(new() { ["code"] = ["请提供 wx.qy.login 返回的 code / code from wx.qy.login is required"] });
        WeComSession session;
        try
        {
            session = await d.Clients.WeComContacts().MiniProgramCode2SessionAsync(body.Code.Trim(), ct);
        }
        catch (WeChatApiException ex)
        {
            return WeChatProblem(http, ex);
        }
        if (!string.Equals(session.CorpId, d.Clients.WeCom.CorpId, StringComparison.Ordinal))
            return Problems.Forbidden(NoAgentZh, NoAgentEn);
        if (await d.Codes.AgentOfWeComUserAsync(session.UserId, ct) is { } agentId
            && await AuthApi.Identity.ReloadAsync(d.Db, Roles.Agent, agentId) is { } who)
            return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
        return Problems.Forbidden(NoAgentZh, NoAgentEn);
    }

    internal static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> Bind(BindRequest body, [AsParameters] Deps d, CancellationToken ct)
    {
        var codeOrScene = !string.IsNullOrWhiteSpace(body.Scene) ? body.Scene : body.Code;
        if (string.IsNullOrWhiteSpace(body.PendingToken) || string.IsNullOrWhiteSpace(codeOrScene))
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(body.PendingToken)) errors["pendingToken"] = ["请先调用微信登录 / log in with WeChat first (pendingToken from /api/wechat/login)"];
            if (string.IsNullOrWhiteSpace(codeOrScene)) errors["scene"] = ["请提供绑定码 / scene or code of the binding code is required"];
            return Problems.Validation(errors);
        }
        if (d.Pending.Unprotect(body.PendingToken) is not { } wx)
            return Problems.Unauthorized("微信登录已过期，请重新登录后再绑定", "The WeChat login has expired or is invalid; log in again, then bind");
        var result = await d.Codes.RedeemAsync(wx.OpenId, wx.UnionId, codeOrScene, body.CustomerId, body.Name, body.Phone, ct);
        var who = await AuthApi.Identity.ReloadAsync(d.Db, Roles.Customer, result.CustomerUserId);
        if (who is null) return Problems.Forbidden("门店或用户已停用", "The store or user is not active");
        return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    internal static Ok<IReadOnlyList<TemplateInfo>> Templates(WeChatSubscriptions subscriptions) => TypedResults.Ok(subscriptions.Templates());

    internal static async Task<Ok<IReadOnlyList<SubscriptionState>>> Subscriptions(ClaimsPrincipal user, WeChatSubscriptions subscriptions, CancellationToken ct) =>
        TypedResults.Ok(await subscriptions.StateAsync(WeChatSubscriptions.CustomerUser, user.UserId_(), ct));

    internal static async Task<Results<Ok<IReadOnlyList<SubscriptionState>>, ValidationProblem>> Subscribe(SubscribeRequest body, ClaimsPrincipal user, WeChatSubscriptions subscriptions, CancellationToken ct)
    {
        if (body.Accepted is null || body.Accepted.Count > 20 || (body.TemplateKeys?.Count ?? 0) > 20)
            return Problems.Validation(new() { ["accepted"] = ["请提供用户同意的模板 (最多 20 个) / accepted (at most 20 templates) is required"] });
        return TypedResults.Ok(await subscriptions.RecordAsync(WeChatSubscriptions.CustomerUser, user.UserId_(), body.TemplateKeys, body.Accepted, ct));
    }

    /// <summary>A WeChat error as a problem: 400 for a bad or used code, 429 with Retry-After, 503 when WeChat is down.</summary>
    internal static ProblemHttpResult WeChatProblem(HttpContext http, WeChatApiException ex)
    {
        var p = WeChatErrors.ToProblem(ex);
        if (p.Status == 429) http.Response.Headers.RetryAfter = "60";
        if (p.Status == 503) http.Response.Headers.RetryAfter = "30";
        return Problems.Of(p.Status, p.Zh, p.En, p.Extensions);
    }
}
