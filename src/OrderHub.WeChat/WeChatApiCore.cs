using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.WeChat;

/// <summary>A file sent as multipart/form-data part "media" (temporary media upload).</summary>
internal sealed record WeChatUpload(byte[] Content, string FileName, string ContentType);

/// <summary>One HTTP exchange with WeChat, already checked for transport errors.</summary>
internal sealed record WeChatRawResponse(string Api, byte[] Body, string? ContentType, bool IsJson, int Errcode, string? Errmsg);

/// <summary>
/// The shared plumbing of both clients: URL building, JSON, errcode parsing, the access-token retry rule
/// (on 40001 / 42001 / 40014 the token is dropped, fetched again in normal mode and the call retried once when that gives
/// a different token; never a forced refresh) and redacted logging.
/// </summary>
internal sealed class WeChatApiCore
{
    private static readonly HashSet<int> TokenRejected = [40001, 42001, 40014];

    internal static readonly JsonSerializerOptions Json = new()
    {
        // Chinese stays readable in bodies; HTML-sensitive characters are still escaped
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly ILogger _logger;
    private readonly string _service;
    private readonly Func<IEnumerable<string?>> _secrets;

    public WeChatApiCore(HttpClient http, string baseUrl, ILogger? logger, string service, Func<IEnumerable<string?>> secrets)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(baseUrl) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
            throw new ArgumentException("ApiBaseUrl must be an absolute URL.", nameof(baseUrl));
        _http = http;
        _baseUrl = baseUrl.TrimEnd('/');
        _logger = logger ?? NullLogger.Instance;
        _service = service;
        _secrets = secrets;
    }

    public AccessTokenCache? Tokens { get; init; }

    /// <summary>Told the outcome of every exchange (API path, errcode with -1 for transport failures, its kind). For a health view.</summary>
    public Action<string, int, WeChatErrorKind>? Observe { get; init; }

    private static readonly HashSet<string> TokenPaths = ["cgi-bin/token", "cgi-bin/stable_token", "cgi-bin/gettoken"];

    private void Report(string path, int errcode) =>
        Observe?.Invoke(path, errcode, errcode == 0 ? WeChatErrorKind.Unknown : TokenPaths.Contains(path) ? KindOfTokenError(errcode) : WeChatApiException.KindOf(errcode));

    /// <summary>This app's slot in <see cref="Tokens"/>.</summary>
    public string TokenKey { get; init; } = "";

    /// <summary>Calls an API that takes the access token as query parameter, with the refresh-and-retry-once rule.</summary>
    public async Task<WeChatRawResponse> SendWithTokenAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string?>> query,
        object? body, Func<CancellationToken, Task<AccessToken>> fetchToken, CancellationToken ct)
    {
        var tokens = Tokens ?? throw new InvalidOperationException("No token cache configured.");
        var queryList = query.ToList();
        string? rejected = null;
        WeChatRawResponse? firstResponse = null;
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetAsync(TokenKey, fetchToken, ct).ConfigureAwait(false);
            // the token endpoint (stable_token, normal mode) handed back the token WeChat just refused: a retry would fail
            // the same way, and forcing a refresh is limited to 20 a day, so the refusal goes to the caller
            if (rejected is not null && token == rejected) return firstResponse!;
            var withToken = new List<KeyValuePair<string, string?>>(queryList.Count + 1) { new("access_token", token) };
            withToken.AddRange(queryList);
            var response = await SendAsync(method, path, withToken, body, ct).ConfigureAwait(false);
            if (response.IsJson && TokenRejected.Contains(response.Errcode) && attempt == 1)
            {
                _logger.LogInformation("WeChat {Service} {Api}: access token rejected (errcode {Errcode}); fetching the current one and retrying once",
                    _service, path, response.Errcode);
                tokens.Invalidate(TokenKey, token);
                rejected = token;
                firstResponse = response;
                continue;
            }
            return response;
        }
    }

    /// <summary>One HTTP call. Throws <see cref="WeChatApiException"/> (ServiceUnavailable) for transport failures only.</summary>
    public async Task<WeChatRawResponse> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string?>> query,
        object? body, CancellationToken ct)
    {
        var uri = BuildUri(path, query);
        using var request = new HttpRequestMessage(method, uri);
        if (body is WeChatUpload upload)
        {
            // multipart/form-data with one part "media" (media/upload): built per attempt, as a sent content is disposed
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(upload.Content);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(upload.ContentType);
            form.Add(file, "media", upload.FileName);
            request.Content = form;
        }
        else if (body is not null)
        {
            var json = JsonSerializer.Serialize(body, body.GetType(), Json);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage httpResponse;
        try
        {
            httpResponse = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            _logger.LogWarning("WeChat {Service} {Method} {Url} failed: {Error}", _service, method, Redact(uri.ToString()), ex.GetType().Name);
            Report(path, -1);
            throw new WeChatApiException(-1, $"network error ({ex.GetType().Name})", WeChatErrorKind.ServiceUnavailable, path);
        }

        using (httpResponse)
        {
            var bytes = await httpResponse.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!httpResponse.IsSuccessStatusCode)
            {
                _logger.LogWarning("WeChat {Service} {Method} {Url} -> HTTP {Status} in {ElapsedMs} ms",
                    _service, method, Redact(uri.ToString()), (int)httpResponse.StatusCode, elapsedMs);
                Report(path, -1);
                throw new WeChatApiException(-1, $"HTTP {(int)httpResponse.StatusCode}", WeChatErrorKind.ServiceUnavailable, path);
            }

            var contentType = httpResponse.Content.Headers.ContentType?.MediaType;
            var isJson = LooksLikeJson(contentType, bytes);
            int errcode = 0;
            string? errmsg = null;
            if (isJson)
            {
                try
                {
                    using var doc = JsonDocument.Parse(bytes);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        if (doc.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number)
                            errcode = code.GetInt32();
                        if (doc.RootElement.TryGetProperty("errmsg", out var msg) && msg.ValueKind == JsonValueKind.String)
                            errmsg = Redact(msg.GetString());
                    }
                }
                catch (JsonException)
                {
                    _logger.LogWarning("WeChat {Service} {Method} {Url} -> unreadable JSON", _service, method, Redact(uri.ToString()));
                    throw new WeChatApiException(-1, "unreadable JSON response", WeChatErrorKind.ServiceUnavailable, path);
                }
            }

            var level = errcode == 0 ? LogLevel.Debug : LogLevel.Warning;
            _logger.Log(level, "WeChat {Service} {Method} {Url} -> HTTP {Status}, errcode {Errcode} {Errmsg} in {ElapsedMs} ms",
                _service, method, Redact(uri.ToString()), (int)httpResponse.StatusCode, errcode, errmsg ?? "", elapsedMs);
            Report(path, errcode);
            return new WeChatRawResponse(path, bytes, contentType, isJson, errcode, errmsg);
        }
    }

    /// <summary>Throws for a non-zero errcode, else deserializes the JSON body.</summary>
    public T ReadJson<T>(WeChatRawResponse response)
    {
        ThrowIfError(response);
        if (!response.IsJson)
            throw new WeChatApiException(-1, "expected a JSON response", WeChatErrorKind.ServiceUnavailable, response.Api);
        try
        {
            return JsonSerializer.Deserialize<T>(response.Body, Json)
                   ?? throw new WeChatApiException(-1, "empty JSON response", WeChatErrorKind.ServiceUnavailable, response.Api);
        }
        catch (JsonException)
        {
            throw new WeChatApiException(-1, "unexpected JSON shape", WeChatErrorKind.ServiceUnavailable, response.Api);
        }
    }

    public void ThrowIfError(WeChatRawResponse response)
    {
        if (response.Errcode != 0)
            throw new WeChatApiException(response.Errcode, response.Errmsg, WeChatApiException.KindOf(response.Errcode), response.Api);
    }

    /// <summary>Errors of the token endpoints: a bad secret there is a configuration problem, not an expired token.</summary>
    public void ThrowIfTokenError(WeChatRawResponse response)
    {
        if (response.Errcode == 0) return;
        throw new WeChatApiException(response.Errcode, response.Errmsg, KindOfTokenError(response.Errcode), response.Api);
    }

    private static WeChatErrorKind KindOfTokenError(int errcode) => errcode switch
    {
        40001 or 40013 or 40125 or 40164 or 41002 or 41004 or 40091 => WeChatErrorKind.InvalidCredentials,
        _ => WeChatApiException.KindOf(errcode),
    };

    public string Redact(string? text) => WeChatRedaction.RedactText(text, _secrets().Append(Tokens?.CurrentValue(TokenKey)));

    private Uri BuildUri(string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var sb = new StringBuilder(_baseUrl).Append('/').Append(path.TrimStart('/'));
        var separator = '?';
        foreach (var (key, value) in query)
        {
            if (value is null) continue;
            sb.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new Uri(sb.ToString(), UriKind.Absolute);
    }

    private static bool LooksLikeJson(string? mediaType, byte[] body)
    {
        if (mediaType is not null && (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)))
            return true;
        if (mediaType is not null && mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            return false;
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'{';
        }
        return false;
    }

    public static AccessToken ToAccessToken(string? value, int expiresInSeconds, TimeProvider time, string api)
    {
        if (string.IsNullOrEmpty(value) || expiresInSeconds <= 0)
            throw new WeChatApiException(-1, "token response without access_token/expires_in", WeChatErrorKind.ServiceUnavailable, api);
        return new AccessToken(value, time.GetUtcNow().AddSeconds(expiresInSeconds));
    }
}
