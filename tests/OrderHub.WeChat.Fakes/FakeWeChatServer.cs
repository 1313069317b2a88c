using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderHub.WeChat.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (free port) that speaks the published WeChat mini-program and WeCom
/// (customer contact) server protocols, for tests. Both hosts are served on one port: point
/// <c>WeChatOptions.ApiBaseUrl</c> and <c>WeComOptions.ApiBaseUrl</c> at <see cref="BaseUrl"/>
/// (or use <see cref="CreateWeChatOptions"/> / <see cref="CreateWeComOptions"/>).
///
/// Mini-program: GET /cgi-bin/token, GET /sns/jscode2session, POST /wxa/getwxacodeunlimit,
/// POST /cgi-bin/message/subscribe/send.
/// WeCom: GET /cgi-bin/gettoken, GET /cgi-bin/externalcontact/list, GET /cgi-bin/externalcontact/get,
/// POST /cgi-bin/externalcontact/resigned/transfer_customer, POST /cgi-bin/externalcontact/resigned/transfer_result.
///
/// Behaviour: codes from <see cref="IssueCode"/> work once (40163 after), unknown codes 40029;
/// <see cref="RateLimitNext"/> answers the next n API calls with 45011; <see cref="ExpireTokens"/> makes issued
/// tokens answer 42001, <see cref="InvalidateTokens"/> 40001 (mini-program) / 40014 (WeCom); subscribe send
/// without <see cref="AcceptTemplate"/> answers 43101 (each acceptance allows one message); every request is in <see cref="Calls"/>.
/// </summary>
public sealed partial class FakeWeChatServer : IAsyncDisposable
{
    private const string MiniProgramRealm = "mp";
    private const string WeComRealm = "wecom";

    private readonly object _gate = new();
    private readonly WebApplication _app;
    private readonly TimeProvider _time;

    private readonly List<RecordedCall> _calls = [];
    private readonly Dictionary<string, FakeToken> _tokens = new(StringComparer.Ordinal);
    private int _rateLimitRemaining;
    private int _failRemaining;
    private int _failStatus = 500;
    private int _tokenSerial;
    private string? _stableCurrent;
    private readonly List<DateTimeOffset> _forcedRefreshes = [];

    private sealed class FakeToken(string realm, DateTimeOffset expiresAt)
    {
        public string Realm { get; } = realm;
        /// <summary>Issued by stable_token (isolated from getAccessToken's tokens).</summary>
        public bool Stable { get; set; }
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
        public bool Invalidated { get; set; }
        /// <summary>Replaced by a newer getAccessToken token: after the 5-minute grace it answers 40001 "not latest".</summary>
        public bool Retired { get; set; }
    }

    private FakeWeChatServer(WebApplication app, FakeWeChatServerOptions options)
    {
        _app = app;
        Options = options;
        _time = options.TimeProvider;
        _knownPages.Add("pages/index/index");
    }

    public FakeWeChatServerOptions Options { get; }

    /// <summary>http://127.0.0.1:PORT, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static async Task<FakeWeChatServer> StartAsync(FakeWeChatServerOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeWeChatServer(app, options ?? new FakeWeChatServerOptions());
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Client options for the mini-program API of this fake.</summary>
    public WeChatOptions CreateWeChatOptions() => new() { ApiBaseUrl = BaseUrl, AppId = Options.AppId, AppSecret = Options.AppSecret };

    /// <summary>Client options for the WeCom API of this fake.</summary>
    public WeComOptions CreateWeComOptions() => new() { ApiBaseUrl = BaseUrl, CorpId = Options.CorpId, Secret = Options.CorpSecret };

    // ---------------------------------------------------------------- test controls: all endpoints

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<RecordedCall> Calls { get { lock (_gate) return _calls.ToList(); } }

    /// <summary>Requests to one path, e.g. "/cgi-bin/token".</summary>
    public IReadOnlyList<RecordedCall> CallsTo(string path) { lock (_gate) return _calls.Where(c => c.Path == path).ToList(); }

    /// <summary>How many mini-program tokens were requested (GET /cgi-bin/token and POST /cgi-bin/stable_token together).</summary>
    public int TokenRequests => CallsTo("/cgi-bin/token").Count + CallsTo("/cgi-bin/stable_token").Count;

    /// <summary>How many stable_token calls asked for force_refresh = true (WeChat allows 20 a day).</summary>
    public int ForcedRefreshes { get { lock (_gate) return _forcedRefreshes.Count; } }

    /// <summary>How many WeCom tokens were requested (GET /cgi-bin/gettoken).</summary>
    public int WeComTokenRequests => CallsTo("/cgi-bin/gettoken").Count;

    /// <summary>Issued tokens now answer 42001 (access_token expired).</summary>
    public void ExpireTokens()
    {
        lock (_gate)
            foreach (var token in _tokens.Values) token.ExpiresAt = _time.GetUtcNow().AddSeconds(-1);
    }

    /// <summary>Issued tokens now answer 40001 (mini-program: not latest) / 40014 (WeCom: invalid access_token).</summary>
    public void InvalidateTokens()
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Values) token.Invalidated = true;
            _stableCurrent = null; // as if someone force-refreshed: the next normal stable_token call gets a new one
        }
    }

    /// <summary>When true every API call answers 42001, even with a fresh token (to test that clients retry only once).</summary>
    public bool RejectAllTokens { get; set; }

    /// <summary>The next <paramref name="calls"/> API calls (not token calls) answer 45011.</summary>
    public void RateLimitNext(int calls) { lock (_gate) _rateLimitRemaining = calls; }

    /// <summary>The next <paramref name="calls"/> requests of any kind answer with HTTP <paramref name="httpStatus"/> and no JSON.</summary>
    public void FailNext(int calls, int httpStatus = 502) { lock (_gate) { _failRemaining = calls; _failStatus = httpStatus; } }

    /// <summary>When true, errmsg echoes the raw query string (as a careless gateway might) to test client redaction.</summary>
    public bool EchoQueryInErrmsg { get; set; }

    // ---------------------------------------------------------------- dispatch

    private async Task HandleAsync(HttpContext ctx)
    {
        string? body = null;
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }
        var path = ctx.Request.Path.Value ?? "/";
        var query = ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var request = new FakeRequest(ctx.Request.Method, path, query, body);

        FakeResponse response;
        lock (_gate)
        {
            response = Dispatch(request);
            _calls.Add(new RecordedCall(request.Method, path, query, body, response.HttpStatus, response.Errcode, _time.GetUtcNow()));
        }

        ctx.Response.StatusCode = response.HttpStatus;
        if (response.ContentType is not null) ctx.Response.ContentType = response.ContentType;
        await ctx.Response.Body.WriteAsync(response.Body).ConfigureAwait(false);
    }

    private sealed record FakeRequest(string Method, string Path, Dictionary<string, string> Query, string? Body)
    {
        public string? Q(string name) => Query.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    }

    private sealed record FakeResponse(int HttpStatus, string? ContentType, byte[] Body, int Errcode);

    // called under _gate
    private FakeResponse Dispatch(FakeRequest r)
    {
        if (_failRemaining > 0)
        {
            _failRemaining--;
            return new FakeResponse(_failStatus, "text/html", "<html>upstream error</html>"u8.ToArray(), -1);
        }

        return (r.Method, r.Path) switch
        {
            ("GET", "/cgi-bin/token") => MpToken(r),
            ("POST", "/cgi-bin/stable_token") => MpStableToken(r),
            ("GET", "/sns/jscode2session") => WithRateLimit(r, Code2Session),
            ("POST", "/wxa/getwxacodeunlimit") => WithRateLimit(r, rr => WithToken(rr, MiniProgramRealm, UnlimitedQrCode)),
            ("POST", "/cgi-bin/message/subscribe/send") => WithRateLimit(r, rr => WithToken(rr, MiniProgramRealm, SubscribeSend)),
            ("GET", "/cgi-bin/gettoken") => WeComToken(r),
            ("GET", "/cgi-bin/externalcontact/list") => WeComCall(r, ExternalContactList),
            ("GET", "/cgi-bin/externalcontact/get") => WeComCall(r, ExternalContactGet),
            ("POST", "/cgi-bin/externalcontact/batch/get_by_user") => WeComCall(r, BatchGetByUser),
            ("POST", "/cgi-bin/externalcontact/get_unassigned_list") => WeComCall(r, UnassignedList),
            ("POST", "/cgi-bin/externalcontact/resigned/transfer_customer") => WeComCall(r, TransferCustomer),
            ("POST", "/cgi-bin/externalcontact/resigned/transfer_result") => WeComCall(r, TransferResult),
            ("POST", "/cgi-bin/externalcontact/transfer_customer") => WeComCall(r, OnJobTransferCustomer),
            ("POST", "/cgi-bin/externalcontact/transfer_result") => WeComCall(r, OnJobTransferResult),
            ("POST", "/cgi-bin/externalcontact/add_contact_way") => WeComCall(r, AddContactWay),
            ("POST", "/cgi-bin/externalcontact/send_welcome_msg") => WeComCall(r, SendWelcome),
            ("POST", "/cgi-bin/externalcontact/add_msg_template") => WeComCall(r, AddMsgTemplate),
            ("POST", "/cgi-bin/externalcontact/get_groupmsg_send_result") => WeComCall(r, GroupMsgSendResult),
            ("POST", "/cgi-bin/externalcontact/get_groupmsg_task") => WeComCall(r, GroupMsgTask),
            ("POST", "/cgi-bin/media/upload") => WithRateLimit(r, rr => WithToken(rr, WeComRealm, MediaUpload)),
            ("GET", "/cgi-bin/get_jsapi_ticket") => WithRateLimit(r, rr => WithToken(rr, WeComRealm, x => JsApiTicket(x, "corp"))),
            ("GET", "/cgi-bin/ticket/get") when r.Q("type") == "agent_config" => WithRateLimit(r, rr => WithToken(rr, WeComRealm, x => JsApiTicket(x, "agent"))),
            ("GET", "/cgi-bin/miniprogram/jscode2session") => WithRateLimit(r, rr => WithToken(rr, WeComRealm, WorkCode2Session)),
            _ => new FakeResponse(404, "text/plain", "not found"u8.ToArray(), 0),
        };
    }

    private FakeResponse WeComCall(FakeRequest r, Func<FakeRequest, FakeResponse> next) =>
        WithRateLimit(r, rr => WithToken(rr, WeComRealm, rrr => CustomerContact(rrr, next)));

    private FakeResponse WithRateLimit(FakeRequest r, Func<FakeRequest, FakeResponse> next)
    {
        if (_rateLimitRemaining > 0)
        {
            _rateLimitRemaining--;
            return Error(r, 45011, "api minute-quota reach limit  mustslower  retry next minute");
        }
        return next(r);
    }

    private FakeResponse WithToken(FakeRequest r, string realm, Func<FakeRequest, FakeResponse> next)
    {
        var value = r.Q("access_token");
        if (value is null) return Error(r, 41001, "access_token missing");
        if (RejectAllTokens) return Error(r, 42001, "access_token expired");
        if (!_tokens.TryGetValue(value, out var token) || token.Realm != realm)
            return realm == MiniProgramRealm
                ? Error(r, 40001, "invalid credential, access_token is invalid or not latest")
                : Error(r, 40014, "invalid access_token");
        if (token.Invalidated)
            return realm == MiniProgramRealm
                ? Error(r, 40001, "invalid credential, access_token is invalid or not latest")
                : Error(r, 40014, "invalid access_token");
        if (_time.GetUtcNow() >= token.ExpiresAt)
            return token.Retired
                ? Error(r, 40001, "invalid credential, access_token is invalid or not latest")
                : Error(r, 42001, "access_token expired");
        return next(r);
    }

    private string IssueToken(string realm)
    {
        var value = $"{++_tokenSerial}_{RandomString(48)}";
        _tokens[value] = new FakeToken(realm, _time.GetUtcNow().AddSeconds(Options.TokenLifetimeSeconds));
        return value;
    }

    /// <summary>
    /// getAccessToken (GET /cgi-bin/token): every call issues a new token and the previous ones of the app stay valid
    /// for 5 more minutes only. Source: developers.weixin.qq.com, 小程序 服务端 getAccessToken, "重复获取将导致上次获取的
    /// access_token 失效" and the access_token guide: "在刷新过程中 … 5分钟内新老 access_token 都可用".
    /// </summary>
    private string IssueClassicMpToken()
    {
        var graceEnd = _time.GetUtcNow().AddMinutes(5);
        foreach (var old in _tokens.Values.Where(t => t.Realm == MiniProgramRealm && !t.Stable && t.ExpiresAt > graceEnd))
        {
            old.ExpiresAt = graceEnd;
            old.Retired = true;
        }
        return IssueToken(MiniProgramRealm);
    }

    private FakeResponse Error(FakeRequest r, int errcode, string errmsg)
    {
        var msg = $"{errmsg} rid: {RandomString(8).ToLowerInvariant()}-{RandomString(8).ToLowerInvariant()}";
        if (EchoQueryInErrmsg) msg += $" request: {r.Path}?{string.Join('&', r.Query.Select(q => $"{q.Key}={q.Value}"))}";
        return Json(new { errcode, errmsg = msg }, errcode);
    }

    private static FakeResponse Ok(object payload) => Json(payload, 0);

    private static FakeResponse Json(object payload, int errcode) =>
        new(200, "application/json; encoding=utf-8", JsonSerializer.SerializeToUtf8Bytes(payload), errcode);

    private static JsonObject? ParseBody(FakeRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Body)) return null;
        try { return JsonNode.Parse(r.Body) as JsonObject; }
        catch (JsonException) { return null; }
    }

    private static string? Str(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string RandomString(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
