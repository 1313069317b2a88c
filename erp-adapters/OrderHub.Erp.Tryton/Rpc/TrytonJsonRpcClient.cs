using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OrderHub.Erp.Tryton.Rpc;

/// <summary>
/// Minimal Tryton 6.0 JSON-RPC client: session login, the user's context on every call,
/// <c>__class__</c> value encoding and error mapping.
/// </summary>
/// <remarks>
/// Error mapping: connection failures, timeouts, HTTP 5xx/429 and Tryton's <c>ConcurrencyException</c>
/// become <see cref="ErpUnavailableException"/>; Tryton's <c>UserError</c> becomes <see cref="ErpRejectedException"/>;
/// <c>UserWarning</c> becomes <see cref="TrytonUserWarningException"/>; anything else <see cref="TrytonRpcException"/>.
/// An expired session (HTTP 401) triggers one fresh login and one retry.
/// </remarks>
public sealed class TrytonJsonRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TrytonOptions _options;
    private readonly Uri _endpoint;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private volatile string? _authorization;
    private long _requestId;

    public TrytonJsonRpcClient(TrytonOptions options, HttpClient? http = null)
    {
        _options = options;
        _ownsHttp = http is null;
        // Timeouts are applied per request (see SendAsync) so they can be told apart from caller cancellation;
        // a caller-supplied HttpClient should have a Timeout of at least TimeoutSeconds.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = new Uri($"{options.Url.TrimEnd('/')}/{Uri.EscapeDataString(options.Database)}/");
    }

    public int UserId { get; private set; }

    /// <summary>How many times this client logged in (diagnostics; a renewed session counts).</summary>
    public int Logins { get; private set; }

    /// <summary>The user's preferences (company, language, …) as read after login; sent with every call.</summary>
    public IReadOnlyDictionary<string, object?> Context { get; private set; } = new Dictionary<string, object?>();

    public int CompanyId => Context.TryGetValue("company", out var c) && c is long id ? (int)id
        : throw new InvalidOperationException("The Tryton user has no current company.");

    /// <summary>The user's current company, logging in first if needed.</summary>
    public async Task<int> CompanyIdAsync(CancellationToken ct)
    {
        if (_authorization is null) await EnsureLoggedInAsync(null, ct);
        return CompanyId;
    }

    public async Task LoginAsync(CancellationToken ct)
    {
        await _loginLock.WaitAsync(ct);
        try
        {
            await LoginCoreAsync(ct);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    /// <summary>Reads the user's preferences again (after changing the user's company, say).</summary>
    public async Task RefreshContextAsync(CancellationToken ct)
    {
        var prefs = await CallAsync("model.res.user.get_preferences", [true], null, ct);
        Context = (Dictionary<string, object?>)prefs!;
    }

    /// <summary>
    /// Calls <paramref name="method"/> with <paramref name="args"/>; the context (preferences merged with
    /// <paramref name="extraContext"/>) is appended as the last parameter, which is where Tryton looks for it.
    /// </summary>
    public async Task<object?> CallAsync(string method, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?>? extraContext, CancellationToken ct)
    {
        if (_authorization is null) await EnsureLoggedInAsync(null, ct);
        var sentWith = _authorization;
        var (status, body) = await SendAsync(method, WithContext(args, extraContext), sentWith, ct);
        if (status == HttpStatusCode.Unauthorized)
        {
            await EnsureLoggedInAsync(sentWith, ct);
            (status, body) = await SendAsync(method, WithContext(args, extraContext), _authorization, ct);
        }
        return Unwrap(method, status, body);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _loginLock.Dispose();
    }

    private List<object?> WithContext(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? extra)
    {
        var context = new Dictionary<string, object?>(Context);
        if (extra is not null)
            foreach (var (k, v) in extra) context[k] = v;
        return [.. args, context];
    }

    /// <summary>Logs in unless another caller already replaced the session that failed.</summary>
    private async Task EnsureLoggedInAsync(string? failedAuthorization, CancellationToken ct)
    {
        await _loginLock.WaitAsync(ct);
        try
        {
            if (_authorization is null || _authorization == failedAuthorization) await LoginCoreAsync(ct);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private async Task LoginCoreAsync(CancellationToken ct)
    {
        var parameters = new Dictionary<string, object?> { ["password"] = _options.Password };
        var (status, body) = await SendAsync("common.db.login",
            [_options.Username, parameters, _options.Language], authorization: null, ct);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            throw new ErpUnavailableException(
                $"Tryton refused the login of '{_options.Username}' on database '{_options.Database}' (HTTP {(int)status}); check the Tryton options.");
        var result = Unwrap("common.db.login", status, body) as List<object?>
            ?? throw new ErpUnavailableException("Tryton login returned no session.");
        UserId = checked((int)(long)result[0]!);
        Logins++;
        var token = $"{_options.Username}:{UserId}:{result[1]}";
        _authorization = "Session " + Convert.ToBase64String(Encoding.UTF8.GetBytes(token));
        var prefs = await SendAsync("model.res.user.get_preferences", [true, new Dictionary<string, object?>()], _authorization, ct);
        Context = (Dictionary<string, object?>)Unwrap("model.res.user.get_preferences", prefs.Status, prefs.Body)!;
    }

    private async Task<(HttpStatusCode Status, JsonDocument? Body)> SendAsync(
        string method, IReadOnlyList<object?> parameters, string? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new ByteArrayContent(Serialize(method, parameters)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                throw new ErpUnavailableException($"Tryton {method}: HTTP {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null);
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return (response.StatusCode, await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token));
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ErpUnavailableException($"Tryton {method}: no answer within {_options.TimeoutSeconds} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new ErpUnavailableException($"Tryton {method}: cannot reach {_endpoint} ({e.Message}).", e);
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            throw new ErpUnavailableException($"Tryton {method}: connection lost ({e.Message}).", e);
        }
    }

    private byte[] Serialize(string method, IReadOnlyList<object?> parameters)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("method", method);
            w.WritePropertyName("params");
            TrytonJson.Write(w, parameters);
            w.WriteNumber("id", Interlocked.Increment(ref _requestId));
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static object? Unwrap(string method, HttpStatusCode status, JsonDocument? body)
    {
        if (body is null)
            throw status == HttpStatusCode.Unauthorized
                ? new ErpUnavailableException($"Tryton {method}: session refused even after a fresh login.")
                : new TrytonRpcException(method, $"HTTP {(int)status}");
        using (body)
        {
            var root = body.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                throw MapError(method, TrytonJson.Read(error));
            return root.TryGetProperty("result", out var result) ? TrytonJson.Read(result) : null;
        }
    }

    /// <summary>Tryton errors are <c>[kind, args]</c>, e.g. <c>["UserError", [message, description, domain]]</c>.</summary>
    private static Exception MapError(string method, object? error)
    {
        if (error is not List<object?> { Count: >= 1 } parts || parts[0] is not string kind)
            return new TrytonRpcException(method, Convert.ToString(error) ?? "unknown error");
        var args = parts.Count > 1 ? parts[1] : null;
        var argList = args as List<object?> ?? [];
        string Arg(int i) => i < argList.Count ? Convert.ToString(argList[i]) ?? "" : "";
        return kind switch
        {
            "UserError" => new ErpRejectedException(
                $"Tryton {method}: {Arg(0)}{(Arg(1).Length > 0 ? " - " + Arg(1) : "")}"),
            "UserWarning" => new TrytonUserWarningException(method, Arg(0), $"{Arg(1)} {Arg(2)}".Trim()),
            "ConcurrencyException" => new ErpUnavailableException($"Tryton {method}: {args}"),
            "LoginException" => new TrytonRpcException(method, $"login needs '{Arg(0)}': {Arg(1)}"),
            // Other server exceptions are [str(exception), traceback]: keep the message, drop the traceback.
            _ => new TrytonRpcException(method, kind),
        };
    }
}
