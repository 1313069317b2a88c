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
        if (r.Q("corpsecret") != Options.CorpSecret) return Error(r, 40001, "invalid credential");
        return Ok(new { errcode = 0, errmsg = "ok", access_token = IssueToken(WeComRealm), expires_in = Options.TokenLifetimeSeconds });
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

    private FakeResponse TransferResult(FakeRequest r)
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
        var matching = _transfers.Where(t => t.HandoverUserId == handover && t.TakeoverUserId == takeover).ToList();
        var page = matching.Skip(offset).Take(TransferResultPageSize)
            .Select(t => new { external_userid = t.ExternalUserId, status = t.Status, takeover_time = t.TakeoverTime.ToUnixTimeSeconds() })
            .ToArray();
        var next = offset + page.Length < matching.Count ? Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Length).ToString())) : "";
        return Ok(new { errcode = 0, errmsg = "ok", customer = page, next_cursor = next });
    }
}
