using System.Text;
using System.Text.Json.Nodes;

namespace OrderHub.WeChat.Fakes;

// WeCom customer-contact endpoints of the fake (qyapi.weixin.qq.com).
public sealed partial class FakeWeChatServer
{
    private readonly Dictionary<string, FakeCustomer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _customersByMember = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _transferErrors = new(StringComparer.Ordinal);
    private readonly List<FakeTransfer> _transfers = [];
    private readonly Dictionary<string, DateTimeOffset> _departed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _onJobTransfersOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _systemTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string UserId, bool Used)> _workCodes = new(StringComparer.Ordinal);

    /// <summary>
    /// False: customer-contact calls answer 60020 as for an app without 企业可信IP. Source: developer.work.weixin.qq.com
    /// 全局错误码 60020 "不安全的访问IP" and 自建应用 → 企业可信IP: apps created after 2022-06-20 must list the server's IP.
    /// </summary>
    public bool TrustedIpConfigured { get; set; } = true;

    /// <summary>
    /// False: the self-built app is not under 客户联系 → API → 可调用应用, so customer-contact calls answer 48002
    /// ("API接口无权限调用", 全局错误码).
    /// </summary>
    public bool AppInCallableApps { get; set; } = true;

    /// <summary>The member left the company in WeChat Work (resigned/* works for their customers only from now on).</summary>
    public void MemberLeaves(string userId) { lock (_gate) _departed[userId] = _time.GetUtcNow(); }

    /// <summary>A wx.qy.login code of WeChat Work member <paramref name="userId"/>, for one miniprogram/jscode2session.</summary>
    public string IssueWorkCode(string userId)
    {
        lock (_gate)
        {
            var code = RandomString(32);
            _workCodes[code] = (userId, false);
            return code;
        }
    }

    private sealed record FakeCustomer(string ExternalUserId, string Name, string? UnionId, int Type, Dictionary<string, long> FollowedSince);

    /// <summary>Customers per transfer_result page (WeCom: up to 1000); lower it to test paging.</summary>
    public int TransferResultPageSize { get; set; } = 1000;

    /// <summary>Makes <paramref name="externalUserId"/> a customer of member <paramref name="memberUserId"/>.</summary>
    public void AddCustomer(string memberUserId, string externalUserId, string name, string? unionId = null, int type = 1)
    {
        lock (_gate)
        {
            if (!_customers.TryGetValue(externalUserId, out var customer))
                _customers[externalUserId] = customer = new FakeCustomer(externalUserId, name, unionId, type, new Dictionary<string, long>(StringComparer.Ordinal));
            customer.FollowedSince[memberUserId] = _time.GetUtcNow().ToUnixTimeSeconds();
            var list = _customersByMember.TryGetValue(memberUserId, out var l) ? l : _customersByMember[memberUserId] = [];
            if (!list.Contains(externalUserId)) list.Add(externalUserId);
        }
    }

    /// <summary>transfer_customer answers this per-customer errcode for <paramref name="externalUserId"/> (e.g. 40129, 40096).</summary>
    public void FailTransferOf(string externalUserId, int errcode) { lock (_gate) _transferErrors[externalUserId] = errcode; }

    /// <summary>transfer_customer handles <paramref name="externalUserId"/> normally again.</summary>
    public void ClearTransferFailure(string externalUserId) { lock (_gate) _transferErrors.Remove(externalUserId); }

    /// <summary>Moves a started handover to another state (e.g. <see cref="FakeTransferStatus.Completed"/>, as if 24 h passed).</summary>
    public void SetTransferStatus(string externalUserId, int status)
    {
        lock (_gate)
        {
            for (var i = 0; i < _transfers.Count; i++)
            {
                var t = _transfers[i];
                if (t.ExternalUserId != externalUserId) continue;
                _transfers[i] = t with { Status = status, TakeoverTime = status == FakeTransferStatus.Completed ? _time.GetUtcNow() : t.TakeoverTime };
                if (status == FakeTransferStatus.Completed && _customers.TryGetValue(externalUserId, out var customer))
                {
                    customer.FollowedSince.Remove(t.HandoverUserId);
                    customer.FollowedSince[t.TakeoverUserId] = _time.GetUtcNow().ToUnixTimeSeconds();
                    if (_customersByMember.TryGetValue(t.HandoverUserId, out var from)) from.Remove(externalUserId);
                    var to = _customersByMember.TryGetValue(t.TakeoverUserId, out var l) ? l : _customersByMember[t.TakeoverUserId] = [];
                    if (!to.Contains(externalUserId)) to.Add(externalUserId);
                }
            }
        }
    }

    /// <summary>Handovers started so far.</summary>
    public IReadOnlyList<FakeTransfer> Transfers { get { lock (_gate) return _transfers.ToList(); } }

    private FakeResponse WeComToken(FakeRequest r)
    {
        if (r.Q("corpid") is null) return Error(r, 41002, "corpid missing");
        if (r.Q("corpsecret") is null) return Error(r, 41004, "corpsecret missing");
        if (r.Q("corpid") != Options.CorpId) return Error(r, 40013, "invalid corpid");
        if (r.Q("corpsecret") == Options.SystemAppSecret)
        {
            var systemToken = IssueToken(WeComRealm);
            _systemTokens.Add(systemToken);
            return Ok(new { errcode = 0, errmsg = "ok", access_token = systemToken, expires_in = Options.TokenLifetimeSeconds });
        }
        if (r.Q("corpsecret") != Options.CorpSecret) return Error(r, 40001, "invalid credential");
        return Ok(new { errcode = 0, errmsg = "ok", access_token = IssueToken(WeComRealm), expires_in = Options.TokenLifetimeSeconds });
    }

    /// <summary>The configuration rules every customer-contact call meets first (see <see cref="TrustedIpConfigured"/>, <see cref="AppInCallableApps"/>).</summary>
    private FakeResponse CustomerContact(FakeRequest r, Func<FakeRequest, FakeResponse> next)
    {
        if (!TrustedIpConfigured) return Error(r, 60020, "not allow to access from your ip, hint: [fake], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=60020");
        if (!AppInCallableApps || (r.Q("access_token") is { } t && _systemTokens.Contains(t)))
            return Error(r, 48002, "api forbidden, more info at https://open.work.weixin.qq.com/devtool/query?e=48002");
        return next(r);
    }

    private FakeResponse ExternalContactList(FakeRequest r)
    {
        var userId = r.Q("userid");
        if (userId is null) return Error(r, 40003, "invalid userid");
        if (!_customersByMember.TryGetValue(userId, out var list) || list.Count == 0) return Error(r, 84061, "not external contact");
        return Ok(new { errcode = 0, errmsg = "ok", external_userid = list.ToArray() });
    }

    private FakeResponse ExternalContactGet(FakeRequest r)
    {
        var id = r.Q("external_userid");
        if (id is null || !_customers.TryGetValue(id, out var c)) return Error(r, 40096, "invalid external userid");
        return Ok(new
        {
            errcode = 0,
            errmsg = "ok",
            external_contact = new { external_userid = c.ExternalUserId, name = c.Name, type = c.Type, gender = 0, unionid = c.UnionId, avatar = "" },
            follow_user = c.FollowedSince.Select(f => new { userid = f.Key, remark = "", description = "", createtime = f.Value, add_way = 1, state = "" }).ToArray(),
            next_cursor = "",
        });
    }

    private FakeResponse TransferCustomer(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var handover = Str(body, "handover_userid");
        var takeover = Str(body, "takeover_userid");
        if (string.IsNullOrEmpty(handover)) return Error(r, 40003, "invalid handover userid");
        if (string.IsNullOrEmpty(takeover)) return Error(r, 40003, "invalid takeover userid");
        if (!body.TryGetPropertyValue("external_userid", out var idsNode) || idsNode is not JsonArray ids || ids.Count == 0)
            return Error(r, 41035, "missing external userid");
        if (ids.Count > 100) return Error(r, 40058, "external_userid exceed max count 100");

        var results = new List<object>();
        foreach (var node in ids)
        {
            var id = node?.GetValue<string>() ?? "";
            int code;
            if (_transferErrors.TryGetValue(id, out var forced)) code = forced;
            // "handover_userid必须是已离职用户" (分配离职成员的客户); 40097 "该成员尚未离职" in the errcode table
            else if (!_departed.ContainsKey(handover)) code = 40097;
            else if (!_customers.TryGetValue(id, out var customer) || !customer.FollowedSince.ContainsKey(handover)) code = 40096;
            else
            {
                code = 0;
                _transfers.RemoveAll(t => t.ExternalUserId == id && t.HandoverUserId == handover);
                _transfers.Add(new FakeTransfer(handover, takeover, id, FakeTransferStatus.Waiting, _time.GetUtcNow().AddHours(24)));
            }
            results.Add(new { external_userid = id, errcode = code });
        }
        return Ok(new { errcode = 0, errmsg = "ok", customer = results });
    }

    private FakeResponse TransferResult(FakeRequest r) => TransferResultOf(r, onJob: false);

    private FakeResponse TransferResultOf(FakeRequest r, bool onJob)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var handover = Str(body, "handover_userid");
        var takeover = Str(body, "takeover_userid");
        if (string.IsNullOrEmpty(handover) || string.IsNullOrEmpty(takeover)) return Error(r, 40003, "invalid userid");
        var offset = 0;
        var cursor = Str(body, "cursor");
        if (!string.IsNullOrEmpty(cursor))
        {
            try { offset = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor))); }
            catch (FormatException) { return Error(r, 40058, "invalid cursor"); }
        }
        var matching = _transfers.Where(t => t.OnJob == onJob && t.HandoverUserId == handover && t.TakeoverUserId == takeover).ToList();
        var page = matching.Skip(offset).Take(TransferResultPageSize)
            .Select(t => new { external_userid = t.ExternalUserId, status = t.Status, takeover_time = t.TakeoverTime.ToUnixTimeSeconds() })
            .ToArray();
        var next = offset + page.Length < matching.Count ? Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Length).ToString())) : "";
        return Ok(new { errcode = 0, errmsg = "ok", customer = page, next_cursor = next });
    }

    /// <summary>
    /// 分配在职成员的客户 (POST /cgi-bin/externalcontact/transfer_customer). Source: developer.work.weixin.qq.com/document/path/92125:
    /// at most 100 customers a call; transfer_success_msg at most 200 characters; the customer is told and may refuse,
    /// otherwise the takeover happens after 24 hours; "为保障客户服务体验，90个自然日内，在职成员的每位客户仅可被转接2次".
    /// Per-customer errcodes from the global table: 40128 客户转接过于频繁, 40129 当前客户正在转接中, 40130 原跟进人与接手人一样,
    /// 40131 handover_userid 并不是外部联系人的跟进人. A member who already left is no longer in the address book: 60111.
    /// </summary>
    private FakeResponse OnJobTransferCustomer(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var handover = Str(body, "handover_userid");
        var takeover = Str(body, "takeover_userid");
        if (string.IsNullOrEmpty(handover) || string.IsNullOrEmpty(takeover)) return Error(r, 40003, "invalid userid");
        if (_departed.ContainsKey(handover)) return Error(r, 60111, "invalid string value `" + handover + "`. userid not found");
        if (Str(body, "transfer_success_msg") is { Length: > 200 }) return Error(r, 40058, "transfer_success_msg exceed max length 200");
        if (!body.TryGetPropertyValue("external_userid", out var idsNode) || idsNode is not JsonArray ids || ids.Count == 0)
            return Error(r, 41035, "missing external userid");
        if (ids.Count > 100) return Error(r, 40058, "external_userid exceed max count 100");
        var now = _time.GetUtcNow();
        var results = new List<object>();
        foreach (var node in ids)
        {
            var id = node?.GetValue<string>() ?? "";
            int code;
            var recent = _onJobTransfersOf.TryGetValue(id, out var times) ? times.Count(t => now - t < TimeSpan.FromDays(90)) : 0;
            if (_transferErrors.TryGetValue(id, out var forced)) code = forced;
            else if (handover == takeover) code = 40130;
            else if (!_customers.TryGetValue(id, out var customer)) code = 40096;
            else if (!customer.FollowedSince.ContainsKey(handover)) code = 40131;
            else if (_transfers.Any(t => t.ExternalUserId == id && t.Status == FakeTransferStatus.Waiting)) code = 40129;
            else if (recent >= 2) code = 40128;
            else
            {
                code = 0;
                (_onJobTransfersOf.TryGetValue(id, out var l) ? l : _onJobTransfersOf[id] = []).Add(now);
                _transfers.RemoveAll(t => t.ExternalUserId == id && t.HandoverUserId == handover && t.OnJob);
                _transfers.Add(new FakeTransfer(handover, takeover, id, FakeTransferStatus.Waiting, now.AddHours(24), OnJob: true));
            }
            results.Add(new { external_userid = id, errcode = code });
        }
        return Ok(new { errcode = 0, errmsg = "ok", customer = results });
    }

    /// <summary>查询客户接替状态 (POST /cgi-bin/externalcontact/transfer_result), on-job transfers; same shape as resigned/transfer_result.</summary>
    private FakeResponse OnJobTransferResult(FakeRequest r) => TransferResultOf(r, onJob: true);

    /// <summary>
    /// 获取待分配的离职成员列表 (POST /cgi-bin/externalcontact/get_unassigned_list). Source: developer.work.weixin.qq.com/document/path/92124:
    /// body { cursor, page_size (default and max 1000) }; answer info[] of { handover_userid, external_userid, dimission_time },
    /// is_last and next_cursor. Lists every customer of departed members not yet handed over.
    /// </summary>
    private FakeResponse UnassignedList(FakeRequest r)
    {
        var body = ParseBody(r) ?? new JsonObject();
        var pageSize = body.TryGetPropertyValue("page_size", out var ps) && ps is JsonValue psv && psv.TryGetValue<int>(out var n) ? n : 1000;
        if (pageSize is < 1 or > 1000) return Error(r, 40058, "page_size should be 1~1000");
        var offset = 0;
        if (Str(body, "cursor") is { Length: > 0 } cursor)
        {
            try { offset = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor))); }
            catch (FormatException) { return Error(r, 40058, "invalid cursor"); }
        }
        var all = _departed.OrderBy(d => d.Key, StringComparer.Ordinal)
            .SelectMany(d => (_customersByMember.TryGetValue(d.Key, out var l) ? l : [])
                .Where(ext => !_transfers.Any(t => t.ExternalUserId == ext && t.HandoverUserId == d.Key && !t.OnJob
                                                   && t.Status is FakeTransferStatus.Waiting or FakeTransferStatus.Completed))
                .Select(ext => new { handover_userid = d.Key, external_userid = ext, dimission_time = d.Value.ToUnixTimeSeconds() }))
            .ToList();
        var page = all.Skip(offset).Take(Math.Min(pageSize, UnassignedListPageSize)).ToArray();
        var isLast = offset + page.Length >= all.Count;
        return Ok(new
        {
            errcode = 0, errmsg = "ok", info = page, is_last = isLast,
            next_cursor = isLast ? "" : Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Length).ToString())),
        });
    }

    /// <summary>Largest get_unassigned_list page the fake gives, whatever page_size asks (lower it to test paging).</summary>
    public int UnassignedListPageSize { get; set; } = 1000;

    /// <summary>Largest batch/get_by_user page the fake gives, whatever limit asks (lower it to test paging).</summary>
    public int BatchGetPageSize { get; set; } = 100;

    /// <summary>
    /// 批量获取客户详情 (POST /cgi-bin/externalcontact/batch/get_by_user). Source: developer.work.weixin.qq.com/document/path/92994:
    /// body { userid_list (at most 100), cursor, limit (at most 100) }; answer external_contact_list[] of
    /// { external_contact, follow_info } (one row per member and customer) and next_cursor.
    /// </summary>
    private FakeResponse BatchGetByUser(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        if (!body.TryGetPropertyValue("userid_list", out var usersNode) || usersNode is not JsonArray users || users.Count == 0)
            return Error(r, 40003, "invalid userid_list");
        if (users.Count > 100) return Error(r, 40058, "userid_list exceed max count 100");
        var limit = body.TryGetPropertyValue("limit", out var ln) && ln is JsonValue lv && lv.TryGetValue<int>(out var li) ? li : 50;
        if (limit is < 1 or > 100) return Error(r, 40058, "limit should be 1~100");
        var offset = 0;
        if (Str(body, "cursor") is { Length: > 0 } cursor)
        {
            try { offset = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor))); }
            catch (FormatException) { return Error(r, 40058, "invalid cursor"); }
        }
        var rows = users.Select(u => u?.GetValue<string>() ?? "")
            .SelectMany(u => (_customersByMember.TryGetValue(u, out var l) ? l : []).Select(ext => (User: u, Customer: _customers[ext])))
            .ToList();
        var page = rows.Skip(offset).Take(Math.Min(limit, BatchGetPageSize)).Select(x => new
        {
            external_contact = new { external_userid = x.Customer.ExternalUserId, name = x.Customer.Name, type = x.Customer.Type, gender = 0, unionid = x.Customer.UnionId, avatar = "" },
            follow_info = new { userid = x.User, remark = "", description = "", createtime = x.Customer.FollowedSince.GetValueOrDefault(x.User), add_way = 1, state = "" },
        }).ToArray();
        var next = offset + page.Length < rows.Count ? Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Length).ToString())) : "";
        return Ok(new { errcode = 0, errmsg = "ok", external_contact_list = page, next_cursor = next });
    }

    /// <summary>
    /// 企业微信小程序登录 code2Session (GET /cgi-bin/miniprogram/jscode2session?access_token&amp;js_code&amp;grant_type=authorization_code).
    /// Source: developer.work.weixin.qq.com/document/path/91507: answers corpid, userid, session_key; a code works once (40029 after).
    /// </summary>
    private FakeResponse WorkCode2Session(FakeRequest r)
    {
        if (r.Q("grant_type") != "authorization_code") return Error(r, 40002, "invalid grant_type");
        var code = r.Q("js_code");
        if (code is null) return Error(r, 41008, "missing code");
        if (!_workCodes.TryGetValue(code, out var issued) || issued.Used) return Error(r, 40029, "invalid code");
        _workCodes[code] = (issued.UserId, true);
        return Ok(new { errcode = 0, errmsg = "ok", corpid = Options.CorpId, userid = issued.UserId, session_key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) });
    }
}
