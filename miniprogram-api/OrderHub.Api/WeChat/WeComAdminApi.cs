using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>Back office: statement-ready messages, agents' WeChat Work contacts, and 离职转移 (hand-over).</summary>
public static class WeComAdminApi
{
    public sealed record StatementReadyRequest(DateOnly? From, DateOnly? To);
    public sealed record StatementReadyResponse(int Notified);
    public sealed record LinkRequest(long CustomerId);
    public sealed record LinkResponse(string ExternalUserId, LinkedCustomer Customer);
    public sealed record HandOverRequest(long ToAgentId);

    internal static async Task<Results<Ok<StatementReadyResponse>, ValidationProblem>> StatementReady(long id, StatementReadyRequest body, StatementReadyNotices notices, CancellationToken ct)
    {
        if (body.From is not { } from || body.To is not { } to)
            return Problems.Validation(new() { ["from"] = ["请提供对账期间 from / to (yyyy-MM-dd) / from and to (yyyy-MM-dd) are required"] });
        return TypedResults.Ok(new StatementReadyResponse(await notices.NotifyAsync(id, from, to, ct)));
    }

    /// <summary>The health page's WeChat part: per app enabled, configured, and ok or the configuration error to fix.</summary>
    internal static Ok<WeChatHealthView> Health(WeChatClients clients) => TypedResults.Ok(clients.Health.View(clients.WeChat, clients.WeCom));

    internal static async Task<Ok<IReadOnlyList<WeComContact>>> Contacts(long agentId, WeComContacts contacts, CancellationToken ct) =>
        TypedResults.Ok(await contacts.ListAsync(agentId, ct));

    internal static async Task<Ok<LinkResponse>> Link(string externalUserId, LinkRequest body, ClaimsPrincipal user, WeComContacts contacts, CancellationToken ct) =>
        TypedResults.Ok(new LinkResponse(externalUserId, await contacts.LinkAsync(externalUserId, body.CustomerId, user.UserId_(), ct)));

    /// <summary>
    /// Moves everything in one transaction, then (after the commit) asks WeChat Work to transfer the linked contacts.
    /// WeChat Work trouble never undoes the hand-over: it is recorded per contact and followed up.
    /// </summary>
    internal static async Task<Results<Created<HandOverView>, Ok<HandOverView>, ProblemHttpResult>> HandOver(long agentId, HandOverRequest body, HttpContext http,
        AgentHandOver handOver, ILogger<AgentHandOver> log, CancellationToken ct)
    {
        var (key, problem) = IdempotencyHeader.Read(http.Request);
        if (problem is not null) return problem;
        var (id, replayed) = await handOver.StartAsync(agentId, body.ToAgentId, http.User.UserId_(), key!, ct);
        if (!replayed)
        {
            try { await handOver.FollowUpAsync(id, force: true, CancellationToken.None); }
            catch (Exception ex) { log.LogWarning(ex, "Hand-over {Id}: WeChat Work transfer not started; the follow-up job retries", id); }
        }
        var view = (await handOver.GetAsync(id, ct))!;
        if (replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(view);
        }
        return TypedResults.Created($"/api/admin/hand-overs/{id}", view);
    }

    internal static async Task<Results<Ok<HandOverView>, ProblemHttpResult>> GetHandOver(long id, AgentHandOver handOver, CancellationToken ct) =>
        await handOver.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound("转移记录不存在", "No such hand-over");

    internal static async Task<Results<Ok<HandOverView>, ProblemHttpResult>> RetryHandOver(long id, AgentHandOver handOver, CancellationToken ct)
    {
        await handOver.FollowUpAsync(id, force: true, ct);
        return await handOver.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound("转移记录不存在", "No such hand-over");
    }
}
