using System.Text.Json.Nodes;
using QRCoder;

namespace OrderHub.WeChat.Fakes;

// Mini-program endpoints of the fake (api.weixin.qq.com).
public sealed partial class FakeWeChatServer
{
    private readonly Dictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string OpenId, string TemplateId), int> _acceptances = [];
    private readonly HashSet<string> _knownPages = new(StringComparer.Ordinal);
    private readonly List<SentSubscribeMessage> _sent = [];
    private readonly List<QrCodeRequest> _qrRequests = [];
    private long _msgSerial = 1_000_000;

    private sealed class IssuedCode(string openId, string? unionId)
    {
        public string OpenId { get; } = openId;
        public string? UnionId { get; } = unionId;
        public bool Used { get; set; }
        public string? SessionKey { get; set; }
    }

    /// <summary>A wx.login code for this user, valid for one jscode2session exchange.</summary>
    public string IssueCode(string openId, string? unionId = null)
    {
        lock (_gate)
        {
            var code = RandomString(32);
            _codes[code] = new IssuedCode(openId, unionId);
            return code;
        }
    }

    /// <summary>The session_key the fake gave out for a code (null before the exchange).</summary>
    public string? SessionKeyIssuedFor(string code) { lock (_gate) return _codes.TryGetValue(code, out var c) ? c.SessionKey : null; }

    /// <summary>The user tapped "allow" for this template <paramref name="times"/> times: that many messages may be sent.</summary>
    public void AcceptTemplate(string openId, string templateId, int times = 1)
    {
        lock (_gate)
            _acceptances[(openId, templateId)] = _acceptances.GetValueOrDefault((openId, templateId)) + times;
    }

    /// <summary>
    /// Content-Type of getwxacodeunlimit's image (default image/png, a real QR code PNG). Anything else answers a
    /// stand-in body that starts with the JPEG SOI/APP0 marker and ends with EOI: labelled as WeChat labels it, not decodable.
    /// </summary>
    public string QrCodeContentType { get; set; } = "image/png";

    private static readonly byte[] JpegStandIn = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];

    /// <summary>A released page that getwxacodeunlimit accepts with check_path=true ("pages/index/index" is known from the start).</summary>
    public void AddPage(string page) { lock (_gate) _knownPages.Add(page); }

    /// <summary>Subscribe messages accepted, oldest first.</summary>
    public IReadOnlyList<SentSubscribeMessage> SentMessages { get { lock (_gate) return _sent.ToList(); } }

    /// <summary>QR code requests answered with an image, oldest first.</summary>
    public IReadOnlyList<QrCodeRequest> QrCodeRequests { get { lock (_gate) return _qrRequests.ToList(); } }

    private FakeResponse MpToken(FakeRequest r)
    {
        if (r.Q("grant_type") != "client_credential") return Error(r, 40002, "invalid grant_type");
        if (r.Q("appid") is null) return Error(r, 41002, "appid missing");
        if (r.Q("secret") is null) return Error(r, 41004, "appsecret missing");
        if (r.Q("appid") != Options.AppId) return Error(r, 40013, "invalid appid");
        if (r.Q("secret") != Options.AppSecret) return Error(r, 40125, "invalid appsecret");
        return Ok(new { access_token = IssueClassicMpToken(), expires_in = Options.TokenLifetimeSeconds });
    }

    /// <summary>
    /// getStableAccessToken (POST /cgi-bin/stable_token, JSON body). Source: developers.weixin.qq.com, 获取稳定版接口调用凭据:
    /// normal mode (force_refresh false, the default) returns the current token while it is valid and gives a new one only in
    /// its last 5 minutes, the old one staying valid until it expires ("普通模式下平台会提前5分钟更新access_token … 新旧
    /// access_token都可用"); force_refresh true retires the current token at once, is limited to 20 a day and needs 30 s
    /// between calls ("强制刷新模式每天限用20次且需间隔30秒", sooner "不会刷新"). Isolated from getAccessToken's tokens.
    /// Over the daily limit WeChat answers 45009 (reach max api daily quota limit).
    /// </summary>
    private FakeResponse MpStableToken(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        if (Str(body, "grant_type") != "client_credential") return Error(r, 40002, "invalid grant_type");
        var appId = Str(body, "appid");
        var secret = Str(body, "secret");
        if (appId is null) return Error(r, 41002, "appid missing");
        if (secret is null) return Error(r, 41004, "appsecret missing");
        if (appId != Options.AppId) return Error(r, 40013, "invalid appid");
        if (secret != Options.AppSecret) return Error(r, 40125, "invalid appsecret");
        var force = body.TryGetPropertyValue("force_refresh", out var f) && f is JsonValue fv && fv.TryGetValue<bool>(out var fb) && fb;
        var now = _time.GetUtcNow();
        FakeToken? current = _stableCurrent is not null && _tokens.TryGetValue(_stableCurrent, out var c) && !c.Invalidated && now < c.ExpiresAt ? c : null;

        if (force)
        {
            if (_forcedRefreshes.Count > 0 && now - _forcedRefreshes[^1] < TimeSpan.FromSeconds(30) && current is not null)
                return StableTokenAnswer(_stableCurrent!, current, now); // within 30 s: not refreshed
            if (_forcedRefreshes.Count(t => t.Date == now.Date) >= 20) return Error(r, 45009, "reach max api daily quota limit");
            _forcedRefreshes.Add(now);
            if (current is not null) current.Invalidated = true;
            current = null;
        }
        if (current is null || current.ExpiresAt - now <= TimeSpan.FromMinutes(5))
        {
            _stableCurrent = IssueToken(MiniProgramRealm);
            current = _tokens[_stableCurrent];
            current.Stable = true;
        }
        return StableTokenAnswer(_stableCurrent!, current, now);
    }

    private static FakeResponse StableTokenAnswer(string value, FakeToken token, DateTimeOffset now) =>
        Ok(new { access_token = value, expires_in = (int)(token.ExpiresAt - now).TotalSeconds });

    private FakeResponse Code2Session(FakeRequest r)
    {
        if (r.Q("appid") is null) return Error(r, 41002, "appid missing");
        if (r.Q("secret") is null) return Error(r, 41004, "appsecret missing");
        if (r.Q("appid") != Options.AppId) return Error(r, 40013, "invalid appid");
        if (r.Q("secret") != Options.AppSecret) return Error(r, 40125, "invalid appsecret");
        if (r.Q("grant_type") != "authorization_code") return Error(r, 40002, "invalid grant_type");
        var code = r.Q("js_code");
        if (code is null) return Error(r, 41008, "missing code");
        if (!_codes.TryGetValue(code, out var issued)) return Error(r, 40029, "invalid code");
        if (issued.Used) return Error(r, 40163, "code been used");
        issued.Used = true;
        issued.SessionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        return issued.UnionId is null
            ? Ok(new { openid = issued.OpenId, session_key = issued.SessionKey })
            : Ok(new { openid = issued.OpenId, session_key = issued.SessionKey, unionid = issued.UnionId });
    }

    private FakeResponse UnlimitedQrCode(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 40169, "invalid length for scene, or the data is not json string");
        var scene = Str(body, "scene");
        // Source: getUnlimitedQRCode (getwxacodeunlimit): scene "最大32个可见字符，只支持数字，大小写英文以及部分特殊字符：
        // !#$&'()*+,/:;=?@-._~，其它字符请自行编码为合法字符（因不支持%，中文无法使用 urlencode 处理）"; errcodes 40169
        // (invalid length for scene) and 40129 (invalid scene) from its error table.
        if (string.IsNullOrEmpty(scene) || scene.Length > 32) return Error(r, 40169, "invalid length for scene, or the data is not json string");
        if (scene.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || "!#$&'()*+,/:;=?@-._~".Contains(ch)))) return Error(r, 40129, "invalid scene");
        var page = Str(body, "page");
        var checkPath = !(body.TryGetPropertyValue("check_path", out var cp) && cp is JsonValue cpv && cpv.TryGetValue<bool>(out var b) && !b);
        var envVersion = Str(body, "env_version") ?? "release";
        var width = body.TryGetPropertyValue("width", out var w) && w is JsonValue wv && wv.TryGetValue<int>(out var wi) ? wi : 430;
        if (envVersion is not ("release" or "trial" or "develop")) return Error(r, 40097, "invalid args");
        if (checkPath && !string.IsNullOrEmpty(page) && !_knownPages.Contains(page)) return Error(r, 41030, "invalid page");

        _qrRequests.Add(new QrCodeRequest(scene, page, width, checkPath, envVersion));
        var content = $"https://mp.weixin.qq.com/a/{Options.AppId}?page={page ?? ""}&scene={scene}";
        using var data = new QRCodeGenerator().CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var pixelsPerModule = Math.Max(1, width / (data.ModuleMatrix.Count + 2));
        // The published page says only that the image comes back as a buffer, not its format: clients must take the
        // Content-Type WeChat answers with. QrCodeContentType lets a test choose it.
        if (QrCodeContentType != "image/png")
            return new FakeResponse(200, QrCodeContentType, [.. JpegStandIn, .. System.Text.Encoding.ASCII.GetBytes(content), 0xFF, 0xD9], 0);
        var png = new PngByteQRCode(data).GetGraphic(pixelsPerModule);
        return new FakeResponse(200, "image/png", png, 0);
    }

    private FakeResponse SubscribeSend(FakeRequest r)
    {
        var body = ParseBody(r);
        if (body is null) return Error(r, 47001, "data format error");
        var toUser = Str(body, "touser");
        var templateId = Str(body, "template_id");
        if (string.IsNullOrEmpty(toUser)) return Error(r, 40003, "invalid openid");
        if (string.IsNullOrEmpty(templateId)) return Error(r, 40037, "invalid template id");
        var state = Str(body, "miniprogram_state");
        if (state is not (null or "developer" or "trial" or "formal")) return Error(r, 47003, "argument invalid! miniprogram_state");
        if (!body.TryGetPropertyValue("data", out var dataNode) || dataNode is not JsonObject dataObj)
            return Error(r, 47003, "argument invalid! data is empty");
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in dataObj)
        {
            if (value is not JsonObject item || Str(item, "value") is not { } text)
                return Error(r, 47003, $"argument invalid! data.{key}.value is empty");
            if (FakeSubscribeFieldRules.Check(key, text) is { } problem)
                return Error(r, 47003, $"argument invalid! data.{key}.value {problem}");
            data[key] = text;
        }

        var remaining = _acceptances.GetValueOrDefault((toUser, templateId));
        if (remaining <= 0) return Error(r, 43101, "user refuse to accept the msg");
        _acceptances[(toUser, templateId)] = remaining - 1;
        var msgId = ++_msgSerial;
        _sent.Add(new SentSubscribeMessage(toUser, templateId, Str(body, "page"), data, state, Str(body, "lang"), msgId));
        return Ok(new { errcode = 0, errmsg = "ok", msgid = msgId });
    }
}
