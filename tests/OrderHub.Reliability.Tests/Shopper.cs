using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderHub.Reliability.Tests;

/// <summary>An acknowledged order: the key the client sent and the order the server answered with.</summary>
public sealed record Ack(string CustomerCode, string Key, string OrderNo, bool Replayed, long AckedAtMs, double SubmitMs, int Port);

/// <summary>What the clients met, summed over all of them.</summary>
public sealed class ClientStats
{
    private int _connectionErrors, _serverErrors, _retries, _replays, _refused;
    public int ConnectionErrors => _connectionErrors;
    public int ServerErrors => _serverErrors;
    /// <summary>Requests sent again (same Idempotency-Key for a submit) after no answer or a 5xx.</summary>
    public int Retries => _retries;
    /// <summary>Submits answered 200 + Idempotent-Replayed: the order had been made by an earlier attempt whose answer was lost.</summary>
    public int Replays => _replays;
    public int Refused => _refused;
    public readonly List<string> RefusedMessages = [];
    public void ConnectionError() => Interlocked.Increment(ref _connectionErrors);
    public void ServerError() => Interlocked.Increment(ref _serverErrors);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Replay() => Interlocked.Increment(ref _replays);
    public void Refuse(string why) { Interlocked.Increment(ref _refused); lock (RefusedMessages) RefusedMessages.Add(why); }
    public override string ToString() =>
        $"{ConnectionErrors} connection errors/timeouts, {ServerErrors} 5xx, {Retries} retries, {Replays} idempotent replays, {Refused} refused (409)";
}

/// <summary>
/// A store that orders over HTTP like the mini-program: sets the cart (PUT, idempotent), then submits with its own
/// Idempotency-Key. A request that gets no answer (connection refused/reset, timeout) or a 5xx is sent again — a submit with
/// the SAME key — until the server acknowledges it (201, or 200 with Idempotent-Replayed). Any other answer fails the test.
/// </summary>
public sealed class Shopper(string customerCode, long customerId, string sku, long quantity)
{
    public string CustomerCode { get; } = customerCode;
    public long CustomerId { get; } = customerId;
    public string Sku { get; } = sku;
    public long Quantity { get; } = quantity;
    public string? Token { get; set; }
    public long AddressId { get; set; }

    /// <summary>Development login and the first delivery address, on <paramref name="baseUrl"/>.</summary>
    public async Task SignInAsync(HttpClient http, OrderHub.Testing.ServerProcess node)
    {
        Token = await node.TokenAsync(http, new { customerCode = CustomerCode });
        using var req = Request(HttpMethod.Get, node.BaseUrl + "/api/addresses");
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        AddressId = JsonDocument.Parse(body).RootElement[0].GetProperty("id").GetInt64();
    }

    /// <summary>
    /// One order with <paramref name="key"/>; <paramref name="baseUrl"/> is asked before every attempt (a client behind a
    /// load balancer may land on another node). Null when the server refused it (409, e.g. short stock).
    /// </summary>
    public async Task<Ack?> OrderAsync(HttpClient http, Func<string> baseUrl, string key, ClientStats stats, DateTime deadline)
    {
        await SendUntilAnsweredAsync(http, () =>
        {
            var r = Request(HttpMethod.Put, $"{baseUrl()}/api/cart/items/{Uri.EscapeDataString(Sku)}");
            r.Content = JsonContent.Create(new { quantity = Quantity });
            return r;
        }, stats, deadline, HttpStatusCode.OK);

        var sw = Stopwatch.StartNew();
        var (status, body, replayed, port) = await SendUntilAnsweredAsync(http, () =>
        {
            var r = Request(HttpMethod.Post, baseUrl() + "/api/orders");
            r.Headers.Add("Idempotency-Key", key);
            r.Content = JsonContent.Create(new { addressId = AddressId });
            return r;
        }, stats, deadline, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict);
        if (status == HttpStatusCode.Conflict)
        {
            stats.Refuse($"{CustomerCode} {key}: {body}");
            return null;
        }
        if (status == HttpStatusCode.OK)
        {
            Assert.That(replayed, Is.True, $"200 without Idempotent-Replayed for {key}: {body}");
            stats.Replay();
        }
        var no = JsonDocument.Parse(body).RootElement.GetProperty("summary").GetProperty("orderNo").GetString()!;
        return new Ack(CustomerCode, key, no, replayed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sw.Elapsed.TotalMilliseconds, port);
    }

    private HttpRequestMessage Request(HttpMethod method, string url)
    {
        var r = new HttpRequestMessage(method, url);
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return r;
    }

    private static async Task<(HttpStatusCode Status, string Body, bool Replayed, int Port)> SendUntilAnsweredAsync(
        HttpClient http, Func<HttpRequestMessage> make, ClientStats stats, DateTime deadline, params HttpStatusCode[] expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                stats.Retry();
                if (DateTime.UtcNow > deadline) Assert.Fail("a request was still not acknowledged at the test's deadline");
                await Task.Delay(150 + Random.Shared.Next(250));
            }
            using var req = make();
            HttpResponseMessage res;
            try { res = await http.SendAsync(req); }
            catch (HttpRequestException) { stats.ConnectionError(); continue; }
            catch (TaskCanceledException) { stats.ConnectionError(); continue; }   // the client's timeout
            using (res)
            {
                string body;
                try { body = await res.Content.ReadAsStringAsync(); }
                catch (HttpRequestException) { stats.ConnectionError(); continue; }  // died while sending the body
                catch (IOException) { stats.ConnectionError(); continue; }
                if ((int)res.StatusCode >= 500) { stats.ServerError(); continue; }   // 503 busy, or a node going down
                Assert.That(expected, Does.Contain(res.StatusCode), $"{req.Method} {req.RequestUri}: {(int)res.StatusCode} {body}");
                var replayed = res.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Contains("true");
                return (res.StatusCode, body, replayed, req.RequestUri!.Port);
            }
        }
    }
}
