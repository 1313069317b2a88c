using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Notifications;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Ordering;

public sealed record NotificationDto(
    [property: Description("消息 id / Message id")] long Id,
    [property: Description("类型：proxy_order_placed、order_approved、order_rejected、order_cancelled、order_shipped、statement_ready / Kind")] string Kind,
    [property: Description("类型文字，如 订单已发货 / The kind as text")] string KindLabel,
    [property: Description("标题 / Title")] string Title,
    [property: Description("内容 / Text")] string Body,
    [property: Description("相关订单号；没有为 null / The order it is about; null if none")] string? OrderNo,
    [property: Description("时间 (上海时间) / When (Asia/Shanghai)")] string CreatedAt,
    [property: Description("已读 / Read")] bool Read,
    [property: Description("微信推送：sent 已推送、pending 待推送、held 未推送 (上限或已关闭)、skipped 未订阅、failed 失败；未涉及微信为 null / WeChat push: sent, pending, held (cap or turned off), skipped (not subscribed), failed; null when WeChat is not involved")] string? Push,
    [property: Description("未推送的原因 (中文)，如 今日微信提醒已达上限 / Why it was not pushed, in Chinese")] string? PushNote,
    [property: Description("推送时间或预计推送时间 (上海时间) / When it was or will be pushed (Asia/Shanghai)")] string? PushAt);

public sealed record UnreadCountDto(
    [property: Description("未读条数 / Unread messages")] long Unread);

public sealed record MarkedReadDto(
    [property: Description("本次标为已读的条数 / Messages marked read now")] int Marked,
    [property: Description("剩余未读条数 / Unread messages left")] long Unread);

public sealed record NotificationPreferenceDto(
    [property: Description("消息类型 / Message kind")] string Kind,
    [property: Description("类型名称 / The kind as text")] string Label,
    [property: Description("推送微信提醒 / Pushed to WeChat")] bool Pushed);

public sealed record NotificationPreferencesRequest(
    [property: Description("消息类型 → 是否推送微信提醒；未列出的保持不变 / Kind → whether it is pushed to WeChat; kinds not named keep their setting")] Dictionary<string, bool>? Pushed);

public sealed record MarkAllReadRequest(
    [property: Description("只把 id 不大于它的消息标为已读 (即列表所显示的)；省略为全部 / Mark read only messages up to this id (what the list showed); all when omitted")] long? UpTo);

/// <summary>消息: a store user's messages, read marks and which kinds are also pushed to WeChat.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.Customer);
        g.MapGet("", List).WithName("ListNotifications")
            .WithSummary("Messages for this user, newest first (proxy orders, approvals, rejections, shipments, statements), with whether each was pushed to WeChat; older pages with before=<id>");
        g.MapGet("/unread-count", Unread).WithName("UnreadNotifications").WithSummary("How many messages this user has not read");
        g.MapPost("/{id:long}/read", MarkRead).WithName("MarkNotificationRead").ProducesNotFound("消息不存在 / No such message").WithSummary("Mark one message read (again is harmless)");
        g.MapPost("/read-all", MarkAllRead).WithName("MarkAllNotificationsRead").WithSummary("Mark every message (up to upTo) read; repeating it is harmless");
        g.MapGet("/preferences", Preferences).WithName("NotificationPreferences").WithSummary("Which kinds of message are also pushed to WeChat");
        g.MapPut("/preferences", SetPreferences).WithName("SetNotificationPreferences").WithSummary("Turn WeChat pushes of some kinds on or off (the messages stay in the list)");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationDto>>, ValidationProblem>> List(ClaimsPrincipal user, long? before, int? limit, bool? unread, NotificationInbox inbox, IMapper mapper)
    {
        if (limit is < 1 or > 100) return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = ["limit 必须在 1 到 100 之间 / limit must be between 1 and 100"] });
        var page = await inbox.ListAsync(user.UserId_(), before, limit ?? 50, unread ?? false);
        return TypedResults.Ok(mapper.Map<IReadOnlyList<NotificationDto>>(page.Items));
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

    private static async Task<Ok<IReadOnlyList<NotificationPreferenceDto>>> Preferences(ClaimsPrincipal user, NotificationInbox inbox, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<NotificationPreferenceDto>>(await inbox.PreferencesAsync(user.UserId_())));

    private static async Task<Results<Ok<IReadOnlyList<NotificationPreferenceDto>>, ValidationProblem>> SetPreferences(
        NotificationPreferencesRequest? body, ClaimsPrincipal user, NotificationInbox inbox, IMapper mapper)
    {
        if (body?.Pushed is not { Count: > 0 } pushed)
            return Problems.Validation(new Dictionary<string, string[]> { ["pushed"] = ["请指定要设置的消息类型 / name at least one kind in pushed"] });
        var unknown = pushed.Keys.Where(k => !NotificationKind.All.Contains(k)).ToList();
        if (unknown.Count > 0)
            return Problems.Validation(new Dictionary<string, string[]> { ["pushed"] =
                [$"未知的消息类型：{string.Join("、", unknown)} / unknown kind {string.Join(", ", unknown)}; use one of {string.Join(", ", NotificationKind.All)}"] });
        return TypedResults.Ok(mapper.Map<IReadOnlyList<NotificationPreferenceDto>>(await inbox.SetPreferencesAsync(user.UserId_(), pushed)));
    }
}
