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

/// <summary>The successful outcome of Save / Submit / Audit: Result.ResponseStatus.SuccessEntitys.</summary>
public sealed record KingdeeOperationResult(IReadOnlyList<KingdeeEntity> SuccessEntities);

/// <summary>
/// Typed client for the K/3 Cloud WebAPI over one HttpClient. Logs in on first use (LoginByAppSecret when an
/// app id/secret is configured, else ValidateUser), keeps the session cookie itself, and logs in again once when
/// Kingdee answers that the session is lost. Errors: network failures, timeouts, HTTP 5xx, a refused login →
/// <see cref="ErpUnavailableException"/>; a ResponseStatus with IsSuccess=false → <see cref="ErpRejectedException"/>
/// carrying Kingdee's messages.
/// </summary>
/// <remarks>
/// The session cookie is sent by hand, so give it an HttpClient whose handler has UseCookies=false
/// (a handler with a CookieContainer also works: it then carries the same cookie). The HttpClient's own Timeout
/// should be at least <see cref="KingdeeOptions.Timeout"/>.
/// </remarks>
public sealed class KingdeeWebApiClient
{
    private readonly HttpClient _http;
    private readonly KingdeeOptions _options;
    private readonly Uri _baseUri;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private volatile string? _session;

    public KingdeeWebApiClient(HttpClient http, KingdeeOptions options)
    {
        options.Validate();
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

    private async Task<string> EnsureSessionAsync(string? stale, CancellationToken ct)
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

    private async Task<string> LoginCoreAsync(CancellationToken ct)
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

            var session = ReadSessionCookie(response) ?? json?["KDSVCSessionId"]?.ToString();
            if (string.IsNullOrEmpty(session))
                throw new ErpUnavailableException("Kingdee login succeeded but returned no kdservice-sessionid.");
            _session = session;
            LoginCount++;
            return session;
        }
    }

    private static string? ReadSessionCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values)) return null;
        foreach (var header in values)
        {
            var first = header.Split(';', 2)[0].Trim();
            var eq = first.IndexOf('=');
            if (eq > 0 && first[..eq].Trim().Equals(KingdeeProtocol.SessionCookie, StringComparison.OrdinalIgnoreCase))
                return first[(eq + 1)..].Trim();
        }
        return null;
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

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string stub, JsonObject body, string? session, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, stub))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (session is not null)
            request.Headers.TryAddWithoutValidation("Cookie", $"{KingdeeProtocol.SessionCookie}={session}");

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
}
