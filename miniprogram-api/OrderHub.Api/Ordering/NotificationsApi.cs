using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Notifications;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Ordering;

/// <param name="Push">Whether it was also pushed to WeChat: sent | pending | held | skipped | failed; null when not (yet) involved.</param>
/// <param name="PushNote">Why it was not pushed, in Chinese (今日微信提醒已达上限 …, 已关闭该类微信提醒, 免打扰时段，稍后推送).</param>
public sealed record NotificationDto(long Id, string Kind, string KindLabel, string Title, string Body, string? OrderNo, string CreatedAt, bool Read,
    string? Push, string? PushNote, string? PushAt);

public sealed record UnreadCountDto(long Unread);
public sealed record MarkedReadDto(int Marked, long Unread);
public sealed record NotificationPreferenceDto(string Kind, string Label, bool Pushed);
/// <param name="Pushed">Kind → whether it is pushed to WeChat; kinds not named keep their setting.</param>
public sealed record NotificationPreferencesRequest(Dictionary<string, bool>? Pushed);
/// <param name="UpTo">Mark read only messages up to this id (what the list showed); all when omitted.</param>
public sealed record MarkAllReadRequest(long? UpTo);

/// <summary>消息: a store user's messages, read marks and which kinds are also pushed to WeChat.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.Customer);
        g.MapGet("", List).WithName("ListNotifications")
            .WithSummary("Messages for this user, newest first (proxy orders, approvals, rejections, shipments, statements), with whether each was pushed to WeChat; older pages with before=<id>");
        g.MapGet("/unread-count", Unread).WithName("UnreadNotifications").WithSummary("How many messages this user has not read");
        g.MapPost("/{id:long}/read", MarkRead).WithName("MarkNotificationRead").WithSummary("Mark one message read (again is harmless)");
        g.MapPost("/read-all", MarkAllRead).WithName("MarkAllNotificationsRead").WithSummary("Mark every message (up to upTo) read; repeating it is harmless");
        g.MapGet("/preferences", Preferences).WithName("NotificationPreferences").WithSummary("Which kinds of message are also pushed to WeChat");
        g.MapPut("/preferences", SetPreferences).WithName("SetNotificationPreferences").WithSummary("Turn WeChat pushes of some kinds on or off (the messages stay in the list)");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationDto>>, ValidationProblem>> List(ClaimsPrincipal user, long? before, int? limit, bool? unread, NotificationInbox inbox)
    {
        if (limit is < 1 or > 100) return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = ["limit 必须在 1 到 100 之间 / limit must be between 1 and 100"] });
        var page = await inbox.ListAsync(user.UserId_(), before, limit ?? 50, unread ?? false);
        return TypedResults.Ok<IReadOnlyList<NotificationDto>>(page.Items.Select(m => new NotificationDto(m.Id, m.Kind, NotificationKind.Label(m.Kind), m.Title, m.Body,
            m.OrderNo, ShanghaiTime.Format(m.CreatedAtMs), m.Read, m.Push, m.PushNote, ShanghaiTime.Format(m.PushAtMs))).ToList());
    }

    private static async Task<Ok<UnreadCountDto>> Unread(ClaimsPrincipal user, NotificationInbox inbox) =>
        TypedResults.Ok(new UnreadCountDto(await inbox.UnreadCountAsync(user.UserId_())));

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(long id, ClaimsPrincipal user, NotificationInbox inbox) =>
        await inbox.MarkReadAsync(user.UserId_(), id) ? TypedResults.NoContent() : Problems.NotFound("消息不存在", "No such message");

    private static async Task<Ok<MarkedReadDto>> MarkAllRead(MarkAllReadRequest? body, ClaimsPrincipal user, NotificationInbox inbox)
    {
        var marked = await inbox.MarkAllReadAsync(user.UserId_(), body?.UpTo);
        return TypedResults.Ok(new MarkedReadDto(marked, await inbox.UnreadCountAsync(user.UserId_())));
    }

    private static async Task<Ok<IReadOnlyList<NotificationPreferenceDto>>> Preferences(ClaimsPrincipal user, NotificationInbox inbox) =>
        TypedResults.Ok(Dto(await inbox.PreferencesAsync(user.UserId_())));

    private static async Task<Results<Ok<IReadOnlyList<NotificationPreferenceDto>>, ValidationProblem>> SetPreferences(
        NotificationPreferencesRequest? body, ClaimsPrincipal user, NotificationInbox inbox)
    {
        if (body?.Pushed is not { Count: > 0 } pushed)
            return Problems.Validation(new Dictionary<string, string[]> { ["pushed"] = ["请指定要设置的消息类型 / name at least one kind in pushed"] });
        var unknown = pushed.Keys.Where(k => !NotificationKind.All.Contains(k)).ToList();
        if (unknown.Count > 0)
            return Problems.Validation(new Dictionary<string, string[]> { ["pushed"] =
                [$"未知的消息类型：{string.Join("、", unknown)} / unknown kind {string.Join(", ", unknown)}; use one of {string.Join(", ", NotificationKind.All)}"] });
        return TypedResults.Ok(Dto(await inbox.SetPreferencesAsync(user.UserId_(), pushed)));
    }

    private static IReadOnlyList<NotificationPreferenceDto> Dto(IReadOnlyList<KindPreference> list) =>
        list.Select(p => new NotificationPreferenceDto(p.Kind, p.Label, p.Pushed)).ToList();
}
