using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderHub.Erp.Kingdee;

/// <summary>An ExecuteBillQuery request. [published] Parameters FormId, FieldKeys ("k1,k2"), FilterString, OrderString,
/// TopRowCount, StartRow, Limit, SubSystemId, sent as {"data":{...}}.</summary>
public sealed record KingdeeBillQuery(
    string FormId, IReadOnlyList<string> FieldKeys, string FilterString = "", string OrderString = "",
    int StartRow = 0, int Limit = 0);

public sealed record KingdeeEntity(long Id, string Number);

/// <summary>One entity (FBillHead, a sub-head or an entry entity 单据体) of a form's metadata.</summary>
public sealed record KingdeeEntityMetadata(string Key, string? PrimaryKeyField, IReadOnlyList<string> FieldKeys);

/// <summary>A form's metadata as QueryBusinessInfo answers it.</summary>
public sealed record KingdeeFormMetadata(string FormId, IReadOnlyList<KingdeeEntityMetadata> Entities)
{
    /// <summary>
    /// Whether a query key exists: a field key (the part before '.', so "FCustId.FNumber" checks FCustId), a primary key
    /// (FID, FMATERIALID…), or an entry id "{Entity}_FEntryID" of an entity the form has.
    /// </summary>
    public bool HasEntity(string entityKey) => Entities.Any(e => e.Key.Equals(entityKey, StringComparison.OrdinalIgnoreCase));

    public bool Knows(string queryKey)
    {
        var key = queryKey.Split('.')[0].Trim();
        if (key.EndsWith("_FEntryID", StringComparison.OrdinalIgnoreCase))
        {
            var entity = key[..^"_FEntryID".Length];
            return Entities.Any(e => e.Key.Equals(entity, StringComparison.OrdinalIgnoreCase));
        }
        return key.Equals("FID", StringComparison.OrdinalIgnoreCase)
               || Entities.Any(e => string.Equals(e.PrimaryKeyField, key, StringComparison.OrdinalIgnoreCase)
                                    || e.FieldKeys.Contains(key, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>The successful outcome of Save / Submit / Audit: Result.ResponseStatus.SuccessEntitys.</summary>
public sealed record KingdeeOperationResult(IReadOnlyList<KingdeeEntity> SuccessEntities);

/// <summary>
/// Typed client for the K/3 Cloud WebAPI over one HttpClient. Logs in on first use (LoginByAppSecret when an
/// app id/secret is configured, else ValidateUser), keeps the whole cookie jar of the session itself (every cookie the
/// login set — kdservice-sessionid, ASP.NET_SessionId, a load balancer's node cookie — and any a later answer sets or
/// refreshes), and logs in again once when Kingdee answers that the session is lost.
/// Errors: network failures, timeouts, HTTP 5xx, a refused login →
/// <see cref="ErpUnavailableException"/>; a ResponseStatus with IsSuccess=false → <see cref="ErpRejectedException"/>
/// carrying Kingdee's messages.
/// </summary>
/// <remarks>
/// The cookies are sent by hand, so give it an HttpClient whose handler has UseCookies=false
/// (a handler with a CookieContainer also works: it then carries the same cookies). The HttpClient's own Timeout
/// should be at least <see cref="KingdeeOptions.Timeout"/>.
/// </remarks>
public sealed class KingdeeWebApiClient
{
    private readonly HttpClient _http;
    private readonly KingdeeOptions _options;
    private readonly Uri _baseUri;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private volatile CookieJar? _session;

    public KingdeeWebApiClient(HttpClient http, KingdeeOptions options)
    {
        options.ThrowIfInvalid();
        _http = http;
        _options = options;
        var url = options.ServerUrl.EndsWith('/') ? options.ServerUrl : options.ServerUrl + "/";
        _baseUri = new Uri(url, UriKind.Absolute);
    }

    /// <summary>Number of successful logins so far (diagnostics).</summary>
    public int LoginCount { get; private set; }

    // ---------------------------------------------------------------- login

    public async Task LoginAsync(CancellationToken ct)
    {
        await _loginLock.WaitAsync(ct).ConfigureAwait(false);
        try { await LoginCoreAsync(ct).ConfigureAwait(false); }
        finally { _loginLock.Release(); }
    }

    private async Task<CookieJar> EnsureSessionAsync(CookieJar? stale, CancellationToken ct)
    {
        var current = _session;
        if (current is not null && current != stale) return current;
        await _loginLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            current = _session;
            if (current is not null && current != stale) return current; // someone else logged in meanwhile
            return await LoginCoreAsync(ct).ConfigureAwait(false);
        }
        finally { _loginLock.Release(); }
    }

    private async Task<CookieJar> LoginCoreAsync(CancellationToken ct)
    {
        var o = _options;
        JsonObject body = o.UsesAppSecret
            ? new JsonObject { ["acctID"] = o.AcctId, ["username"] = o.Username, ["appId"] = o.AppId, ["appSecret"] = o.AppSecret, ["lcid"] = o.Lcid }
            : new JsonObject { ["acctID"] = o.AcctId, ["username"] = o.Username, ["password"] = o.Password, ["lcid"] = o.Lcid };
        var stub = o.UsesAppSecret ? KingdeeProtocol.LoginByAppSecret : KingdeeProtocol.ValidateUser;

        var (response, text) = await SendAsync(stub, body, session: null, ct).ConfigureAwait(false);
        using (response)
        {
            JsonNode? json;
            try { json = JsonNode.Parse(text); }
            catch (JsonException e) { throw new ErpUnavailableException($"Kingdee login answered something that is not JSON: {Clip(text)}", e); }

            var resultType = json?["LoginResultType"]?.GetValueKind() == JsonValueKind.Number ? json!["LoginResultType"]!.GetValue<int>() : int.MinValue;
            if (resultType != KingdeeProtocol.LoginSuccess)
            {
                // A refused login is a configuration fault, not a refused document: the order may be retried once fixed.
                var msg = json?["Message"]?.ToString();
                throw new ErpUnavailableException($"Kingdee refused the login of '{o.Username}' to data centre '{o.AcctId}' (LoginResultType {resultType}): {msg}");
            }

            var session = new CookieJar();
            session.Take(response);
            if (!session.Has(KingdeeProtocol.SessionCookie))
            {
                // Some versions put the session only in the body; it travels as the same cookie.
                var id = json?["KDSVCSessionId"]?.ToString();
                if (string.IsNullOrEmpty(id))
                    throw new ErpUnavailableException("Kingdee login succeeded but returned no kdservice-sessionid.");
                session.Set(KingdeeProtocol.SessionCookie, id);
            }
            _session = session;
            LoginCount++;
            return session;
        }
    }

    // ---------------------------------------------------------------- operations

    public async Task<IReadOnlyList<KingdeeRow>> ExecuteBillQueryAsync(KingdeeBillQuery query, CancellationToken ct)
    {
        var data = new JsonObject
        {
            ["FormId"] = query.FormId,
            ["FieldKeys"] = string.Join(",", query.FieldKeys),
            ["FilterString"] = query.FilterString,
            ["OrderString"] = query.OrderString,
            ["TopRowCount"] = 0,
            ["StartRow"] = query.StartRow,
            ["Limit"] = query.Limit,
            ["SubSystemId"] = "",
        };
        var json = await CallAsync(KingdeeProtocol.ExecuteBillQuery, new JsonObject { ["data"] = data }, ct).ConfigureAwait(false);

        // [published] Success: [[v1, v2, ...], ...]. Failure: [[{"Result":{"ResponseStatus":{...}}}]].
        if (json is not JsonArray rows || FindResponseStatus(json) is not null)
            throw StatusError(json, $"ExecuteBillQuery {query.FormId}");
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < query.FieldKeys.Count; i++) index.TryAdd(query.FieldKeys[i], i);

        var result = new List<KingdeeRow>(rows.Count);
        using var doc = JsonDocument.Parse(json.ToJsonString());
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
                throw new ErpUnavailableException($"ExecuteBillQuery {query.FormId}: unexpected row {Clip(row.GetRawText())}");
            var values = row.EnumerateArray().Select(v => v.Clone()).ToArray();
            result.Add(new KingdeeRow(index, values));
        }
        return result;
    }

    /// <summary>
    /// This data centre's metadata of a form: its entities and the field keys of each (QueryBusinessInfo). Used by the
    /// adapter's start-up check to find field keys a data centre does not have before a pull fails on them.
    /// </summary>
    public async Task<KingdeeFormMetadata> QueryBusinessInfoAsync(string formId, CancellationToken ct)
    {
        var json = await CallAsync(KingdeeProtocol.QueryBusinessInfo, new JsonObject { ["data"] = new JsonObject { ["FormId"] = formId } }, ct).ConfigureAwait(false);
        var status = FindResponseStatus(json);
        if (status is not null && status["IsSuccess"]?.GetValue<bool>() != true) throw StatusError(json, $"QueryBusinessInfo {formId}");
        var data = json?["Result"]?["NeedReturnData"] ?? throw new ErpUnavailableException($"QueryBusinessInfo {formId}: no NeedReturnData in {Clip(json?.ToJsonString())}");
        var entities = new List<KingdeeEntityMetadata>();
        if (data["Entrys"] is JsonArray entrys)
            foreach (var e in entrys)
            {
                var fields = e?["Fields"] is JsonArray fs
                    ? fs.Select(f => f?["Key"]?.ToString()).Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToList()
                    : [];
                entities.Add(new KingdeeEntityMetadata(e?["Key"]?.ToString() ?? "", e?["EntryPkFieldName"]?.ToString(), fields));
            }
        return new KingdeeFormMetadata(formId, entities);
    }

    /// <summary>[published] Save: {"formid":F,"data":{"Model":{...},...}} → Result.ResponseStatus with SuccessEntitys [{Id, Number}].</summary>
    public Task<KingdeeOperationResult> SaveAsync(string formId, JsonObject model, CancellationToken ct)
    {
        var data = new JsonObject
        {
            ["NeedUpDateFields"] = new JsonArray(),
            ["NeedReturnFields"] = new JsonArray(),
            ["IsDeleteEntry"] = "true",
            ["SubSystemId"] = "",
            ["IsVerifyBaseDataField"] = "true",
            ["IsAutoSubmitAndAudit"] = "false",
            ["Model"] = model,
        };
        return OperationAsync(KingdeeProtocol.Save, formId, data, "Save", ct);
    }

    /// <summary>[published] Submit: data {"Numbers":[...]} (or "Ids":"1,2").</summary>
    public Task<KingdeeOperationResult> SubmitAsync(string formId, IEnumerable<string> numbers, CancellationToken ct) =>
        OperationAsync(KingdeeProtocol.Submit, formId, NumbersData(numbers), "Submit", ct);

    /// <summary>[published] Audit: data {"Numbers":[...]} (or "Ids":"1,2").</summary>
    public Task<KingdeeOperationResult> AuditAsync(string formId, IEnumerable<string> numbers, CancellationToken ct) =>
        OperationAsync(KingdeeProtocol.Audit, formId, NumbersData(numbers), "Audit", ct);

    private static JsonObject NumbersData(IEnumerable<string> numbers) =>
        new() { ["Numbers"] = new JsonArray(numbers.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()) };

    private async Task<KingdeeOperationResult> OperationAsync(string stub, string formId, JsonObject data, string what, CancellationToken ct)
    {
        var json = await CallAsync(stub, new JsonObject { ["formid"] = formId, ["data"] = data }, ct).ConfigureAwait(false);
        var status = FindResponseStatus(json) ?? throw new ErpUnavailableException($"{what} {formId}: no ResponseStatus in {Clip(json?.ToJsonString())}");
        if (status["IsSuccess"]?.GetValue<bool>() != true) throw StatusError(json, $"{what} {formId}");
        var entities = new List<KingdeeEntity>();
        if (status["SuccessEntitys"] is JsonArray list)
            foreach (var e in list)
                entities.Add(new KingdeeEntity(ReadLong(e?["Id"]), e?["Number"]?.ToString() ?? ""));
        return new KingdeeOperationResult(entities);
    }

    private static long ReadLong(JsonNode? n) => n switch
    {
        null => 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
        _ => long.TryParse(n.ToString(), out var l) ? l : 0,
    };

    // ---------------------------------------------------------------- plumbing

    /// <summary>Posts with the session, logging in first if needed and once more if Kingdee says the session is lost.</summary>
    private async Task<JsonNode?> CallAsync(string stub, JsonObject body, CancellationToken ct)
    {
        var session = await EnsureSessionAsync(null, ct).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var (response, text) = await SendAsync(stub, body, session, ct).ConfigureAwait(false);
            response.Dispose();
            JsonNode? json;
            try { json = JsonNode.Parse(text); }
            catch (JsonException e) { throw new ErpUnavailableException($"Kingdee answered something that is not JSON: {Clip(text)}", e); }

            if (IsSessionLost(json) && attempt == 0)
            {
                // The request was refused before it ran, so sending it again cannot duplicate anything.
                session = await EnsureSessionAsync(session, ct).ConfigureAwait(false);
                continue;
            }
            if (IsSessionLost(json))
                throw new ErpUnavailableException("Kingdee keeps answering that the session is lost, even right after a new login.");
            return json;
        }
    }

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string stub, JsonObject body, CookieJar? session, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, stub))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (session?.Header() is { Length: > 0 } cookies)
            request.Headers.TryAddWithoutValidation("Cookie", cookies);

        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new ErpUnavailableException($"Kingdee did not answer {ShortName(stub)} within {_options.Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new ErpUnavailableException($"Kingdee cannot be reached for {ShortName(stub)}: {e.Message}", e);
        }

        session?.Take(response); // a balancer may set or refresh its cookie on any answer
        if (!response.IsSuccessStatusCode)
        {
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            throw new ErpUnavailableException($"Kingdee answered HTTP {status} to {ShortName(stub)}: {Clip(text)}");
        }
        return (response, text);
    }

    internal static bool IsSessionLost(JsonNode? json)
    {
        var status = FindResponseStatus(json);
        if (status is null || status["IsSuccess"]?.GetValue<bool>() == true) return false;
        if (status["MsgCode"] is JsonValue mc && mc.GetValueKind() == JsonValueKind.Number && mc.GetValue<int>() == KingdeeProtocol.SessionLostMsgCode)
            return true;
        return Messages(status).Any(m => m.Contains(KingdeeProtocol.SessionLostMessage, StringComparison.Ordinal));
    }

    /// <summary>Finds Result.ResponseStatus in {"Result":...} or [[{"Result":...}]].</summary>
    internal static JsonObject? FindResponseStatus(JsonNode? json)
    {
        var node = json;
        while (node is JsonArray a && a.Count > 0) node = a[0];
        return node is JsonObject o && o["Result"] is JsonObject r && r["ResponseStatus"] is JsonObject s ? s : null;
    }

    private static IEnumerable<string> Messages(JsonObject status) =>
        status["Errors"] is JsonArray errors
            ? errors.Select(e => e?["Message"]?.ToString()).Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m!)
            : [];

    private static Exception StatusError(JsonNode? json, string what)
    {
        var status = FindResponseStatus(json);
        if (status is null) return new ErpUnavailableException($"{what}: unexpected answer {Clip(json?.ToJsonString())}");
        var messages = status["Errors"] is JsonArray errors
            ? errors.Select(e =>
            {
                var field = e?["FieldName"]?.ToString();
                var msg = e?["Message"]?.ToString();
                return string.IsNullOrEmpty(field) ? msg : $"{field}: {msg}";
            }).Where(m => !string.IsNullOrWhiteSpace(m)).ToList()
            : [];
        var text = messages.Count > 0 ? string.Join("; ", messages) : $"ErrorCode {status["ErrorCode"]}";
        return new ErpRejectedException($"Kingdee rejected {what}: {text}");
    }

    private static string ShortName(string stub)
    {
        var parts = stub.Split('.');
        return parts.Length >= 3 ? parts[^3] : stub;
    }

    private static string Clip(string? s) => s is null ? "" : s.Length <= 300 ? s : s[..300] + "…";

    /// <summary>
    /// The cookies of one login, sent back on every call. [issue #22 review] The login sets kdservice-sessionid and
    /// ASP.NET_SessionId, and a data centre behind a load balancer adds its own (sticky node) cookies; sending only
    /// kdservice-sessionid lands the call on a session or node that does not know it ("会话信息已丢失").
    /// </summary>
    private sealed class CookieJar
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public bool Has(string name) { lock (_lock) return _cookies.ContainsKey(name); }

        public void Set(string name, string value) { lock (_lock) _cookies[name] = value; }

        /// <summary>Takes every Set-Cookie of an answer; an expired or emptied cookie is dropped.</summary>
        public void Take(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var values)) return;
            foreach (var header in values)
            {
                var parts = header.Split(';');
                var first = parts[0].Trim();
                var eq = first.IndexOf('=');
                if (eq <= 0) continue;
                var name = first[..eq].Trim();
                var value = first[(eq + 1)..].Trim();
                var expired = value.Length == 0 || parts.Skip(1).Any(a =>
                    a.Trim().StartsWith("Max-Age=", StringComparison.OrdinalIgnoreCase) && a.Trim()[8..] is var age && int.TryParse(age, out var n) && n <= 0);
                lock (_lock)
                {
                    if (expired) _cookies.Remove(name);
                    else _cookies[name] = value;
                }
            }
        }

        public string Header() { lock (_lock) return string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")); }
    }
}
