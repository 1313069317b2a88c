using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderHub.WeChat.Fakes;

// WeChat Work chat-commerce endpoints of the fake (issue #20): 联系我 contact ways and the add_external_contact callback
// they cause, welcome messages, temporary media, 群发 templates and results, JS-SDK tickets. Written from the published
// API (developer.work.weixin.qq.com); each rule names its page.
public sealed partial class FakeWeChatServer
{
    private readonly Dictionary<string, FakeContactWay> _contactWays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset IssuedAt, string UserId, string ExternalUserId, bool Used)> _welcomeCodes = new(StringComparer.Ordinal);
    private readonly List<FakeWelcomeMessage> _welcomes = [];
    private readonly HashSet<string> _media = new(StringComparer.Ordinal);
    private readonly List<FakeGroupMessage> _groupMessages = [];
    private int _ticketSerial;

    /// <summary>WeChat Work's callback sender (token and EncodingAESKey of 接收事件服务器) that events are sealed with.</summary>
    public FakeWeComCallbackSender Callbacks => _callbacks ??= new FakeWeComCallbackSender(Options.CorpId, Options.CallbackToken, Options.CallbackEncodingAesKey);
    private FakeWeComCallbackSender? _callbacks;

    /// <summary>The URL OrderHub configured as 接收事件服务器 (e.g. http://127.0.0.1:port/api/wecom/callback).</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>Contact ways created so far.</summary>
    public IReadOnlyList<FakeContactWay> ContactWays { get { lock (_gate) return _contactWays.Values.ToList(); } }

    /// <summary>Welcome messages accepted (send_welcome_msg).</summary>
    public IReadOnlyList<FakeWelcomeMessage> WelcomeMessages { get { lock (_gate) return _welcomes.ToList(); } }

    /// <summary>群发 tasks created (add_msg_template).</summary>
    public IReadOnlyList<FakeGroupMessage> GroupMessages { get { lock (_gate) return _groupMessages.ToList(); } }

    /// <summary>
    /// A customer scans the 联系我 QR <paramref name="configId"/> and adds its member (skip_verify: no confirmation). As WeChat
    /// Work does: the customer becomes the member's external contact, a WelcomeCode valid 20 seconds is issued, and the
    /// add_external_contact event (document/path/92130) is POSTed, signed and encrypted, to <see cref="CallbackUrl"/>.
    /// Returns OrderHub's answer with how long it took (WeChat Work waits 5 seconds, then retries; document/path/90930).
    /// </summary>
    public async Task<FakeCallbackOutcome> CustomerAddsThroughContactWayAsync(string configId, string externalUserId, string name, HttpClient http)
    {
        string xml;
        lock (_gate)
        {
            if (!_contactWays.TryGetValue(configId, out var way)) throw new InvalidOperationException("no such contact way " + configId);
            var member = way.Users[0];
            AddCustomer(member, externalUserId, name);
            var welcomeCode = IssueWelcomeCode(member, externalUserId);
            xml = FakeWeComCallbackSender.AddExternalContactXml(Options.CorpId, member, externalUserId, way.State, welcomeCode, _time.GetUtcNow());
        }
        return await PostCallbackAsync(Callbacks.Event(xml, _time.GetUtcNow()), http).ConfigureAwait(false);
    }

    /// <summary>A WelcomeCode as an add_external_contact event carries it: valid 20 seconds, for one send_welcome_msg.</summary>
    public string IssueWelcomeCode(string memberUserId, string externalUserId)
    {
        lock (_gate)
        {
            var code = RandomString(43);
            _welcomeCodes[code] = (_time.GetUtcNow(), memberUserId, externalUserId, false);
            return code;
        }
    }

    /// <summary>POSTs an already sealed callback (to replay one, or send a forged one) to <see cref="CallbackUrl"/>.</summary>
    public async Task<FakeCallbackOutcome> PostCallbackAsync(FakeCallbackPost post, HttpClient http)
    {
        if (CallbackUrl is null) throw new InvalidOperationException("CallbackUrl is not set");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(CallbackUrl + "?" + post.Query, new StringContent(post.Body, Encoding.UTF8, "text/xml")).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return new FakeCallbackOutcome((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started), post);
    }

    /// <summary>
    /// The sender of a 群发 confirms it in WeChat Work: each customer gets it (status 1) if still the sender's contact, else
    /// status 2; one who already got another 群发 (<see cref="CustomerAlreadyReceivedGroupMessage"/>) status 3.
    /// </summary>
    public void MemberConfirmsGroupMessage(string msgId)
    {
        lock (_gate)
        {
            var task = _groupMessages.Single(g => g.MsgId == msgId);
            var now = _time.GetUtcNow();
            foreach (var ext in task.ExternalUserIds)
            {
                var friend = _customers.TryGetValue(ext, out var c) && c.FollowedSince.ContainsKey(task.Sender);
                task.Results[ext] = (!friend ? 2 : _alreadyReceived.Contains(ext) ? 3 : 1, now);
            }
        }
    }

    /// <summary>
    /// 配置客户联系「联系我」方式 (document/path/92228): type 1 single / 2 multi, scene 1 mini-program / 2 QR, state ≤ 30
    /// characters, remark ≤ 30, user required; the answer has config_id and, for scene 2, qr_code.
    /// </summary>
    private FakeResponse AddContactWay(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var type = body["type"]?.GetValue<int>() ?? 0;
        var scene = body["scene"]?.GetValue<int>() ?? 0;
        if (type is not (1 or 2) || scene is not (1 or 2)) return Error(r, 40058, "invalid type or scene");
        var state = Str(body, "state");
        if (state is { Length: > 30 }) return Error(r, 40058, "state exceed max length 30");
        if (Str(body, "remark") is { Length: > 30 }) return Error(r, 40058, "remark exceed max length 30");
        if (body["user"] is not JsonArray users || users.Count == 0) return Error(r, 40003, "invalid userid");
        if (type == 1 && users.Count != 1) return Error(r, 40058, "single contact way takes one user");
        var configId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var way = new FakeContactWay(configId, users.Select(u => u!.GetValue<string>()).ToList(), state, body["skip_verify"]?.GetValue<bool>() ?? false,
            $"https://p.qpic.cn/wwhead/fake-{configId}/0");
        _contactWays[configId] = way;
        return Ok(new { errcode = 0, errmsg = "ok", config_id = configId, qr_code = way.QrCode });
    }

    /// <summary>
    /// 发送新客户欢迎语 (document/path/92137): "企业仅可在收到相关事件后20秒内调用，且只可调用一次"; a later call answers
    /// 41051 "externaluser has started chatting". At most 9 attachments; a miniprogram attachment needs title, pic_media_id
    /// (a live temporary media_id), appid and page ("必须以.html作为后缀"). An unknown or expired code: the page names no
    /// errcode for it; the fake answers 41051 as for a used one.
    /// </summary>
    private FakeResponse SendWelcome(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var code = Str(body, "welcome_code");
        if (code is null) return Error(r, 41051, "missing welcome_code");
        if (!_welcomeCodes.TryGetValue(code, out var issued) || issued.Used || _time.GetUtcNow() - issued.IssuedAt > TimeSpan.FromSeconds(20))
            return Error(r, 41051, "externaluser has started chatting");
        var attachments = body["attachments"] as JsonArray ?? [];
        if (attachments.Count > 9) return Error(r, 40058, "attachments exceed max count 9");
        string? text = body["text"]?["content"]?.GetValue<string>();
        if (text is not null && Encoding.UTF8.GetByteCount(text) > 4000) return Error(r, 40058, "text exceed max length 4000 bytes");
        var cards = new List<FakeMiniProgramCard>();
        foreach (var a in attachments)
        {
            if (CheckCard(r, a as JsonObject, out var card) is { } error) return error;
            cards.Add(card!);
        }
        _welcomeCodes[code] = issued with { Used = true };
        _welcomes.Add(new FakeWelcomeMessage(issued.UserId, issued.ExternalUserId, text, cards));
        return Ok(new { errcode = 0, errmsg = "ok" });
    }

    private FakeResponse? CheckCard(FakeRequest r, JsonObject? a, out FakeMiniProgramCard? card)
    {
        card = null;
        if (a is null || Str(a, "msgtype") != "miniprogram" || a["miniprogram"] is not JsonObject mp) return Error(r, 40058, "invalid attachment");
        var title = Str(mp, "title");
        var media = Str(mp, "pic_media_id");
        var appId = Str(mp, "appid");
        var page = Str(mp, "page");
        if (string.IsNullOrEmpty(title) || Encoding.UTF8.GetByteCount(title) > 64) return Error(r, 40058, "invalid miniprogram title");
        if (media is null || !_media.Contains(media)) return Error(r, 40007, "invalid media_id");
        if (appId != Options.AppId) return Error(r, 40013, "miniprogram appid not related to corp");
        if (page is null || !(page.Split('?')[0].EndsWith(".html", StringComparison.Ordinal))) return Error(r, 40058, "page should end with .html");
        card = new FakeMiniProgramCard(title, media, appId, page);
        return null;
    }

    /// <summary>上传临时素材 (document/path/90253): multipart form part "media", type image|voice|video|file; media_id lives 3 days.</summary>
    private FakeResponse MediaUpload(FakeRequest r)
    {
        if (r.Q("type") is not ("image" or "voice" or "video" or "file")) return Error(r, 40004, "invalid media type");
        if (r.Body is null || !r.Body.Contains("name=media", StringComparison.Ordinal)) return Error(r, 41005, "media data missing");
        var id = "3" + RandomString(60);
        _media.Add(id);
        return Ok(new { errcode = 0, errmsg = "ok", type = r.Q("type"), media_id = id, created_at = _time.GetUtcNow().ToUnixTimeSeconds().ToString() });
    }

    /// <summary>
    /// 创建企业群发 (document/path/92135): chat_type single, external_userid ≤ 10000, sender required for single;
    /// fail_list names customers who are not the sender's ("无效或无法发送的external_userid列表"); the task waits for the
    /// sender's confirmation. No text and no attachment: 40058 (不合法的参数; the page names no code of its own for it).
    /// </summary>
    private FakeResponse AddMsgTemplate(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        if ((Str(body, "chat_type") ?? "single") is not ("single" or "group")) return Error(r, 40058, "invalid chat_type");
        var sender = Str(body, "sender");
        if (string.IsNullOrEmpty(sender)) return Error(r, 40003, "invalid sender");
        if (body["external_userid"] is not JsonArray ids || ids.Count == 0) return Error(r, 41035, "missing external userid");
        if (ids.Count > 10_000) return Error(r, 40058, "external_userid exceed max count 10000");
        var cards = new List<FakeMiniProgramCard>();
        foreach (var a in body["attachments"] as JsonArray ?? [])
        {
            if (CheckCard(r, a as JsonObject, out var card) is { } error) return error;
            cards.Add(card!);
        }
        var text = body["text"]?["content"]?.GetValue<string>();
        if (string.IsNullOrEmpty(text) && cards.Count == 0) return Error(r, 40058, "text and attachments are both empty");
        if (text is not null && Encoding.UTF8.GetByteCount(text) > 4000) return Error(r, 40058, "text exceed max length 4000 bytes");
        var all = ids.Select(i => i!.GetValue<string>()).Distinct().ToList();
        var fail = all.Where(e => !(_customers.TryGetValue(e, out var c) && c.FollowedSince.ContainsKey(sender))).ToList();
        var msgId = "msg" + RandomString(24);
        _groupMessages.Add(new FakeGroupMessage(msgId, sender, all.Except(fail).ToList(), text, cards, new Dictionary<string, (int, DateTimeOffset)>())
            { CreatedAt = _time.GetUtcNow() });
        return Ok(new { errcode = 0, errmsg = "ok", fail_list = fail, msgid = msgId });
    }

    /// <summary>
    /// For this long after add_msg_template, reading its results answers 41063 (全局错误码: "群发消息正在被派发中，请稍后再试").
    /// Zero (the default): readable at once.
    /// </summary>
    public TimeSpan GroupMessageDispatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The customer already got another company 群发 today: its status becomes 3 when the sender confirms.</summary>
    public void CustomerAlreadyReceivedGroupMessage(string externalUserId) { lock (_gate) _alreadyReceived.Add(externalUserId); }
    private readonly HashSet<string> _alreadyReceived = new(StringComparer.Ordinal);

    private FakeResponse? FindTask(FakeRequest r, JsonObject body, out FakeGroupMessage? task)
    {
        task = _groupMessages.FirstOrDefault(g => g.MsgId == Str(body, "msgid"));
        if (task is null) return Error(r, 40058, "invalid msgid");
        if (_time.GetUtcNow() - task.CreatedAt < GroupMessageDispatchDelay) return Error(r, 41063, "group message is being dispatched, try again later");
        return null;
    }

    /// <summary>One page of a list by limit (1–1000, default 500 as the page says) and an opaque cursor (the offset here).</summary>
    private static (List<T> Page, string Next)? Paged<T>(JsonObject body, IReadOnlyList<T> all)
    {
        var limit = body["limit"]?.GetValue<int>() ?? 500;
        if (limit is < 1 or > 1000) return null;
        var offset = int.TryParse(Str(body, "cursor"), out var o) ? o : 0;
        var page = all.Skip(offset).Take(limit).ToList();
        return (page, offset + page.Count < all.Count ? (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
    }

    /// <summary>
    /// 获取企业群发成员执行结果 (document/path/93338): status 0 未发送, 1 已发送, 2 因客户不是好友导致发送失败, 3 因客户已经收到
    /// 其他群发消息导致发送失败; limit ≤ 1000 with next_cursor; userid must be the task's sender.
    /// </summary>
    private FakeResponse GroupMsgSendResult(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        if (FindTask(r, body, out var task) is { } error) return error;
        if (Str(body, "userid") != task!.Sender) return Error(r, 40003, "invalid userid");
        var list = task.ExternalUserIds.Select(e => task.Results.TryGetValue(e, out var res)
            ? new { external_userid = e, userid = task.Sender, status = res.Status, send_time = res.At.ToUnixTimeSeconds() }
            : new { external_userid = e, userid = task.Sender, status = 0, send_time = 0L }).ToList();
        if (Paged(body, list) is not { } page) return Error(r, 40058, "invalid limit");
        return Ok(new { errcode = 0, errmsg = "ok", send_list = page.Page, next_cursor = page.Next });
    }

    /// <summary>获取群发成员发送任务列表 (document/path/93338): per member status 0 未发送 / 2 已发送 and send_time; limit ≤ 1000.</summary>
    private FakeResponse GroupMsgTask(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        if (FindTask(r, body, out var task) is { } error) return error;
        var sent = task!.Results.Count > 0 || task.ExternalUserIds.Count == 0;
        var at = task.Results.Values.Select(v => v.At).DefaultIfEmpty(default).Max();
        var list = new[] { new { userid = task.Sender, status = sent ? 2 : 0, send_time = sent ? at.ToUnixTimeSeconds() : 0L } };
        if (Paged(body, list) is not { } page) return Error(r, 40058, "invalid limit");
        return Ok(new { errcode = 0, errmsg = "ok", task_list = page.Page, next_cursor = page.Next });
    }

    /// <summary>获取企业的jsapi_ticket / 获取应用的jsapi_ticket (document/path/90506): ticket, expires_in 7200.</summary>
    private FakeResponse JsApiTicket(FakeRequest r, string kind)
    {
        var ticket = $"{kind}-ticket-{++_ticketSerial}-{RandomString(16)}";
        if (kind == "corp") CorpJsApiTicket = ticket; else AgentJsApiTicket = ticket;
        return Ok(new { errcode = 0, errmsg = "ok", ticket, expires_in = 7200 });
    }

    /// <summary>The last 企业 jsapi_ticket issued (to check wx.config signatures in tests).</summary>
    public string? CorpJsApiTicket { get; private set; }

    /// <summary>The last 应用 jsapi_ticket issued (to check wx.agentConfig signatures in tests).</summary>
    public string? AgentJsApiTicket { get; private set; }
}

/// <summary>A 联系我 QR the fake created.</summary>
public sealed record FakeContactWay(string ConfigId, IReadOnlyList<string> Users, string? State, bool SkipVerify, string QrCode);

/// <summary>A mini-program card in a WeChat Work message.</summary>
public sealed record FakeMiniProgramCard(string Title, string PicMediaId, string AppId, string Page);

/// <summary>A welcome message the fake accepted.</summary>
public sealed record FakeWelcomeMessage(string UserId, string ExternalUserId, string? Text, IReadOnlyList<FakeMiniProgramCard> Cards);

/// <summary>A 群发 task and, once the sender confirmed, each customer's status.</summary>
public sealed record FakeGroupMessage(string MsgId, string Sender, IReadOnlyList<string> ExternalUserIds, string? Text,
    IReadOnlyList<FakeMiniProgramCard> Cards, Dictionary<string, (int Status, DateTimeOffset At)> Results)
{
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>OrderHub's answer to a callback POST, and how long it took.</summary>
public sealed record FakeCallbackOutcome(int HttpStatus, string Body, TimeSpan Elapsed, FakeCallbackPost Post);
