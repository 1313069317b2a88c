using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace OrderHub.WeChat;

// The chat-commerce APIs of 客户联系 (issue #20): 联系我 contact ways, welcome messages, temporary media for card covers,
// 群发 message templates and their results, and the JS-SDK tickets of the chat toolbar page. Sources in each comment
// (developer.work.weixin.qq.com).
public sealed partial class WeComExternalContactClient
{
    /// <summary>state of add_contact_way: at most 30 characters (document/path/92228).</summary>
    public const int MaxContactWayState = 30;

    /// <summary>
    /// 配置客户联系「联系我」方式 (POST /cgi-bin/externalcontact/add_contact_way, document/path/92228): a single-member QR
    /// (type 1, scene 2) whose <paramref name="state"/> (≤ 30 characters) comes back in the add_external_contact event.
    /// skip_verify: the customer is added without the member's confirmation.
    /// </summary>
    public async Task<ContactWay> AddContactWayAsync(string userId, string state, string? remark, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        if (state.Length > MaxContactWayState) throw new ArgumentOutOfRangeException(nameof(state), $"at most {MaxContactWayState} characters.");
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/add_contact_way", [],
            new AddContactWayRequest(1, 2, remark is { Length: > 30 } ? remark[..30] : remark, true, state, [userId]), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<AddContactWayResponse>(response);
        if (string.IsNullOrEmpty(body.ConfigId))
            throw new WeChatApiException(-1, "add_contact_way response without config_id", WeChatErrorKind.ServiceUnavailable, response.Api);
        return new ContactWay(body.ConfigId, body.QrCode ?? "");
    }

    /// <summary>
    /// 发送新客户欢迎语 (POST /cgi-bin/externalcontact/send_welcome_msg, document/path/92137): only within 20 seconds of the
    /// event that carried <paramref name="welcomeCode"/>, once; a second sender gets 41051.
    /// </summary>
    public async Task SendWelcomeMessageAsync(string welcomeCode, string? text, MiniProgramAttachment? card, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(welcomeCode);
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/send_welcome_msg", [],
            new WelcomeRequest(welcomeCode, string.IsNullOrWhiteSpace(text) ? null : new TextContent(text), card is null ? null : [Attachment.Of(card)]),
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        _core.ThrowIfError(response);
    }

    /// <summary>
    /// 上传临时素材 (POST /cgi-bin/media/upload?type=image, document/path/90253): multipart part "media"; the media_id
    /// lives 3 days. Mini-program cards need one as pic_media_id.
    /// </summary>
    public async Task<UploadedMedia> UploadImageAsync(byte[] image, string fileName, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/media/upload", [new("type", "image")],
            new WeChatUpload(image, fileName, contentType), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<MediaUploadResponse>(response);
        if (string.IsNullOrEmpty(body.MediaId))
            throw new WeChatApiException(-1, "media/upload response without media_id", WeChatErrorKind.ServiceUnavailable, response.Api);
        var created = long.TryParse(body.CreatedAt, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : _tokens.TimeProvider.GetUtcNow();
        return new UploadedMedia(body.MediaId, created.AddDays(3));
    }

    /// <summary>
    /// 创建企业群发 (POST /cgi-bin/externalcontact/add_msg_template, document/path/92135): the member
    /// <paramref name="sender"/> is asked in WeChat Work to confirm; at most 10000 customers. Returns the msgid and the
    /// customers that could not be included (not the sender's customers).
    /// </summary>
    public async Task<MessageTemplateResult> AddMessageTemplateAsync(string sender, IReadOnlyCollection<string> externalUserIds, string? text,
        MiniProgramAttachment? card, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sender);
        if (externalUserIds.Count is 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(externalUserIds), "pass 1–10000 customers.");
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/add_msg_template", [],
            new MsgTemplateRequest("single", externalUserIds.ToList(), sender, string.IsNullOrWhiteSpace(text) ? null : new TextContent(text),
                card is null ? null : [Attachment.Of(card)]), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<MsgTemplateResponse>(response);
        return new MessageTemplateResult(body.MsgId ?? "", body.FailList ?? []);
    }

    /// <summary>
    /// 获取群发成员发送任务列表 (POST /cgi-bin/externalcontact/get_groupmsg_task, document/path/93338), all pages: per member
    /// whether it has sent the 群发 (status 0 未发送, 2 已发送) and when.
    /// </summary>
    public async Task<IReadOnlyList<GroupMessageTask>> GetGroupMessageTasksAsync(string msgId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(msgId);
        var all = new List<GroupMessageTask>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/get_groupmsg_task", [],
                new TaskListRequest(msgId, 1000, cursor), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            var body = _core.ReadJson<TaskListResponse>(response);
            all.AddRange((body.TaskList ?? []).Select(t => new GroupMessageTask(t.UserId ?? "", t.Status == 2, t.SendTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(t.SendTime) : null)));
            cursor = string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, response.Api);
        } while (cursor is not null);
        return all;
    }

    /// <summary>获取企业群发成员执行结果 (POST /cgi-bin/externalcontact/get_groupmsg_send_result, document/path/93338), all pages.</summary>
    public async Task<IReadOnlyList<GroupMessageSendResult>> GetGroupMessageSendResultsAsync(string msgId, string userId, CancellationToken cancellationToken = default)
    {
        var all = new List<GroupMessageSendResult>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/get_groupmsg_send_result", [],
                new SendResultRequest(msgId, userId, 1000, cursor), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            var body = _core.ReadJson<SendResultResponse>(response);
            all.AddRange((body.SendList ?? []).Select(r => new GroupMessageSendResult(r.ExternalUserId ?? "", r.UserId ?? userId, (GroupMessageStatus)r.Status,
                r.SendTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(r.SendTime) : null)));
            cursor = string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, response.Api);
        } while (cursor is not null);
        return all;
    }

    /// <summary>
    /// The tickets of the chat toolbar page: 企业的 jsapi_ticket (GET /cgi-bin/get_jsapi_ticket) for wx.config and 应用的
    /// jsapi_ticket (GET /cgi-bin/ticket/get?type=agent_config) for wx.agentConfig (document/path/90506); each lives 7200 s and
    /// is cached like the access token (their calls are rate-limited).
    /// </summary>
    public async Task<(string CorpTicket, string AgentTicket)> GetJsApiTicketsAsync(CancellationToken cancellationToken = default)
    {
        var corp = await _tokens.GetAsync(_core.TokenKey + ":jsapi", ct => FetchTicketAsync("cgi-bin/get_jsapi_ticket", [], ct), cancellationToken).ConfigureAwait(false);
        var agent = await _tokens.GetAsync(_core.TokenKey + ":agent_config", ct => FetchTicketAsync("cgi-bin/ticket/get", [new("type", "agent_config")], ct), cancellationToken).ConfigureAwait(false);
        return (corp, agent);
    }

    /// <summary>
    /// The JS-SDK signature as published (document/path/90506 "JS-SDK使用权限签名算法"): SHA1 of
    /// "jsapi_ticket=…&amp;noncestr=…&amp;timestamp=…&amp;url=…" (keys in ASCII order, url without its #fragment).
    /// </summary>
    public static string JsApiSignature(string ticket, string nonceStr, long timestamp, string url)
    {
        var hash = url.IndexOf('#');
        var page = hash >= 0 ? url[..hash] : url;
        var plain = $"jsapi_ticket={ticket}&noncestr={nonceStr}&timestamp={timestamp}&url={page}";
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(plain))).ToLowerInvariant();
    }

    private async Task<AccessToken> FetchTicketAsync(string path, List<KeyValuePair<string, string?>> query, CancellationToken ct)
    {
        var response = await _core.SendWithTokenAsync(HttpMethod.Get, path, query, null, FetchTokenAsync, ct).ConfigureAwait(false);
        var body = _core.ReadJson<TicketResponse>(response);
        return WeChatApiCore.ToAccessToken(body.Ticket, body.ExpiresIn, _tokens.TimeProvider, response.Api);
    }

    private sealed record AddContactWayRequest(
        [property: JsonPropertyName("type")] int Type, [property: JsonPropertyName("scene")] int Scene,
        [property: JsonPropertyName("remark")] string? Remark, [property: JsonPropertyName("skip_verify")] bool SkipVerify,
        [property: JsonPropertyName("state")] string State, [property: JsonPropertyName("user")] List<string> User);
    private sealed record AddContactWayResponse([property: JsonPropertyName("config_id")] string? ConfigId, [property: JsonPropertyName("qr_code")] string? QrCode);
    private sealed record TextContent([property: JsonPropertyName("content")] string Content);
    private sealed record MiniProgramBody(
        [property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("pic_media_id")] string PicMediaId,
        [property: JsonPropertyName("appid")] string AppId, [property: JsonPropertyName("page")] string Page);
    private sealed record Attachment([property: JsonPropertyName("msgtype")] string MsgType, [property: JsonPropertyName("miniprogram")] MiniProgramBody MiniProgram)
    {
        public static Attachment Of(MiniProgramAttachment c) => new("miniprogram", new MiniProgramBody(c.Title, c.PicMediaId, c.AppId, c.Page));
    }
    private sealed record WelcomeRequest([property: JsonPropertyName("welcome_code")] string WelcomeCode,
        [property: JsonPropertyName("text")] TextContent? Text, [property: JsonPropertyName("attachments")] List<Attachment>? Attachments);
    private sealed record MediaUploadResponse([property: JsonPropertyName("media_id")] string? MediaId, [property: JsonPropertyName("created_at")] string? CreatedAt);
    private sealed record MsgTemplateRequest(
        [property: JsonPropertyName("chat_type")] string ChatType, [property: JsonPropertyName("external_userid")] List<string> ExternalUserId,
        [property: JsonPropertyName("sender")] string Sender, [property: JsonPropertyName("text")] TextContent? Text,
        [property: JsonPropertyName("attachments")] List<Attachment>? Attachments);
    private sealed record MsgTemplateResponse([property: JsonPropertyName("msgid")] string? MsgId, [property: JsonPropertyName("fail_list")] List<string>? FailList);
    private sealed record SendResultRequest([property: JsonPropertyName("msgid")] string MsgId, [property: JsonPropertyName("userid")] string UserId,
        [property: JsonPropertyName("limit")] int Limit, [property: JsonPropertyName("cursor")] string? Cursor);
    private sealed record SendResultRow([property: JsonPropertyName("external_userid")] string? ExternalUserId,
        [property: JsonPropertyName("userid")] string? UserId, [property: JsonPropertyName("status")] int Status, [property: JsonPropertyName("send_time")] long SendTime);
    private sealed record SendResultResponse([property: JsonPropertyName("send_list")] List<SendResultRow>? SendList, [property: JsonPropertyName("next_cursor")] string? NextCursor);
    private sealed record TaskListRequest([property: JsonPropertyName("msgid")] string MsgId, [property: JsonPropertyName("limit")] int Limit,
        [property: JsonPropertyName("cursor")] string? Cursor);
    private sealed record TaskRow([property: JsonPropertyName("userid")] string? UserId, [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("send_time")] long SendTime);
    private sealed record TaskListResponse([property: JsonPropertyName("task_list")] List<TaskRow>? TaskList, [property: JsonPropertyName("next_cursor")] string? NextCursor);
    private sealed record TicketResponse([property: JsonPropertyName("ticket")] string? Ticket, [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>A 联系我 QR of one member: its config_id (to change or delete it) and the QR picture's URL.</summary>
public sealed record ContactWay(string ConfigId, string QrCode);

/// <summary>
/// A mini-program card in WeChat Work messages: title (≤ 64 bytes), the cover's temporary media_id, the mini-program's
/// AppID (associated with the company) and the page, which WeChat Work wants with an ".html" suffix ("pages/x/index.html?a=1").
/// </summary>
public sealed record MiniProgramAttachment(string Title, string PicMediaId, string AppId, string Page);

/// <summary>A temporary media_id and when WeChat Work forgets it (3 days after upload).</summary>
public sealed record UploadedMedia(string MediaId, DateTimeOffset ExpiresAt);

/// <summary>add_msg_template's answer: the task's msgid and the customers left out.</summary>
public sealed record MessageTemplateResult(string MsgId, IReadOnlyList<string> FailList);

/// <summary>send_list[].status of get_groupmsg_send_result.</summary>
public enum GroupMessageStatus
{
    NotSent = 0,
    Sent = 1,
    NotAFriend = 2,
    AlreadyReceivedAnother = 3,
}

/// <summary>One customer's outcome of a 群发.</summary>
public sealed record GroupMessageSendResult(string ExternalUserId, string UserId, GroupMessageStatus Status, DateTimeOffset? SentAt);

/// <summary>One member's part of a 群发 (get_groupmsg_task): whether it confirmed and sent it, and when.</summary>
public sealed record GroupMessageTask(string UserId, bool Sent, DateTimeOffset? SentAt);
