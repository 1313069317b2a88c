using Microsoft.Extensions.Logging;

namespace OrderHub.WeChat;

/// <summary>
/// Typed client for WeCom customer contact (external contact) APIs on qyapi.weixin.qq.com: list and read a
/// member's customers, hand the customers of a member who left over to another member, and follow that handover.
/// Uses the customer-contact secret. Safe to use from many threads.
/// </summary>
public sealed class WeComExternalContactClient
{
    /// <summary>resigned/transfer_customer takes at most 100 customers per call.</summary>
    public const int MaxCustomersPerTransfer = 100;

    private readonly WeComOptions _options;
    private readonly WeChatApiCore _core;
    private readonly AccessTokenCache _tokens;

    public WeComExternalContactClient(HttpClient httpClient, WeComOptions options, AccessTokenCache? tokenCache = null,
        ILogger<WeComExternalContactClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CorpId)) throw new ArgumentException("WeComOptions.CorpId is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.Secret)) throw new ArgumentException("WeComOptions.Secret is required.", nameof(options));
        _options = options;
        _tokens = tokenCache ?? new AccessTokenCache(options.TokenRefreshMargin, timeProvider);
        _core = new WeChatApiCore(httpClient, options.ApiBaseUrl, logger, "wecom", () => [options.Secret]) { Tokens = _tokens, TokenKey = WeComTokenKey(options) };
    }

    /// <summary>The external_userid of every customer the member added (GET /cgi-bin/externalcontact/list).</summary>
    public async Task<IReadOnlyList<string>> ListExternalContactsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var response = await _core.SendWithTokenAsync(HttpMethod.Get, "cgi-bin/externalcontact/list", [new("userid", userId)], null,
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        return _core.ReadJson<ExternalContactListResponse>(response).ExternalUserIds ?? [];
    }

    /// <summary>One customer and the members following them (GET /cgi-bin/externalcontact/get), one page per cursor.</summary>
    public async Task<ExternalContactDetails> GetExternalContactAsync(string externalUserId, string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalUserId);
        var response = await _core.SendWithTokenAsync(HttpMethod.Get, "cgi-bin/externalcontact/get",
            [new("external_userid", externalUserId), new("cursor", string.IsNullOrEmpty(cursor) ? null : cursor)], null,
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<ExternalContactGetResponse>(response);
        if (body.ExternalContact is null)
            throw new WeChatApiException(-1, "response without external_contact", WeChatErrorKind.ServiceUnavailable, response.Api);
        return new ExternalContactDetails(body.ExternalContact, body.FollowUser ?? [], string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor);
    }

    /// <summary>
    /// Hands the customers of a member who left (<paramref name="handoverUserId"/>) to <paramref name="takeoverUserId"/>
    /// (POST /cgi-bin/externalcontact/resigned/transfer_customer). The call as a whole can succeed while single
    /// customers fail: check each outcome's Errcode. Errcode 0 starts a takeover that completes within 24 hours.
    /// </summary>
    public async Task<IReadOnlyList<CustomerTransferOutcome>> TransferResignedCustomersAsync(string handoverUserId,
        string takeoverUserId, IReadOnlyCollection<string> externalUserIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handoverUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(takeoverUserId);
        ArgumentNullException.ThrowIfNull(externalUserIds);
        if (externalUserIds.Count is 0 or > MaxCustomersPerTransfer)
            throw new ArgumentOutOfRangeException(nameof(externalUserIds), externalUserIds.Count, $"pass 1–{MaxCustomersPerTransfer} customers per call.");
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/resigned/transfer_customer", [],
            new TransferCustomerRequest(handoverUserId, takeoverUserId, externalUserIds.ToList()),
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<TransferCustomerResponse>(response);
        return (body.Customer ?? []).Select(c => new CustomerTransferOutcome(c.ExternalUserId, c.Errcode)).ToList();
    }

    /// <summary>Takeover status of the customers moved from one member to another (POST .../resigned/transfer_result), one page.</summary>
    public async Task<CustomerTransferResultPage> GetResignedTransferResultAsync(string handoverUserId, string takeoverUserId,
        string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handoverUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(takeoverUserId);
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/resigned/transfer_result", [],
            new TransferResultRequest(handoverUserId, takeoverUserId, string.IsNullOrEmpty(cursor) ? null : cursor),
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<TransferResultResponse>(response);
        var customers = (body.Customer ?? []).Select(c => new CustomerTransferState(
            c.ExternalUserId,
            Enum.IsDefined(typeof(CustomerTransferStatus), c.Status) ? (CustomerTransferStatus)c.Status : CustomerTransferStatus.Unknown,
            c.TakeoverTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(c.TakeoverTime) : null)).ToList();
        return new CustomerTransferResultPage(customers, string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor);
    }

    /// <summary>All pages of <see cref="GetResignedTransferResultAsync"/>.</summary>
    public async Task<IReadOnlyList<CustomerTransferState>> GetAllResignedTransferResultsAsync(string handoverUserId, string takeoverUserId,
        CancellationToken cancellationToken = default)
    {
        var all = new List<CustomerTransferState>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetResignedTransferResultAsync(handoverUserId, takeoverUserId, cursor, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Customers);
            cursor = page.NextCursor;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, "cgi-bin/externalcontact/resigned/transfer_result");
        } while (cursor is not null);
        return all;
    }

    // WeCom issues one token per (corp, secret); the key holds a hash of the secret, never the secret
    private static string WeComTokenKey(WeComOptions options) =>
        $"wecom:{options.CorpId}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.Secret)))[..16]}";

    private async Task<AccessToken> FetchTokenAsync(CancellationToken ct)
    {
        var response = await _core.SendAsync(HttpMethod.Get, "cgi-bin/gettoken",
            [new("corpid", _options.CorpId), new("corpsecret", _options.Secret)], null, ct).ConfigureAwait(false);
        _core.ThrowIfTokenError(response);
        var body = _core.ReadJson<WeComTokenResponse>(response);
        return WeChatApiCore.ToAccessToken(body.AccessToken, body.ExpiresIn, _tokens.TimeProvider, response.Api);
    }
}
