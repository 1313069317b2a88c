using Microsoft.Extensions.Logging;

namespace OrderHub.WeChat;

/// <summary>
/// Typed client for WeCom customer contact (external contact) APIs on qyapi.weixin.qq.com: list and read a
/// member's customers, hand a member's customers over to another member (resigned: the member left the company;
/// on-job: the member stays), follow that handover, and sign agents in from the mini-program inside WeChat Work.
/// Uses the secret of a self-built app listed under 客户联系 → API → 可调用应用 (companies created since 2023-12-01 cannot
/// use the 客户联系 secret); the app needs the server's IP among its trusted IPs (企业可信IP). Safe to use from many threads.
/// </summary>
public sealed partial class WeComExternalContactClient
{
    /// <summary>resigned/transfer_customer takes at most 100 customers per call.</summary>
    public const int MaxCustomersPerTransfer = 100;

    private readonly WeComOptions _options;
    private readonly WeChatApiCore _core;
    private readonly AccessTokenCache _tokens;

    public WeComExternalContactClient(HttpClient httpClient, WeComOptions options, AccessTokenCache? tokenCache = null,
        ILogger<WeComExternalContactClient>? logger = null, TimeProvider? timeProvider = null, Action<string, int, WeChatErrorKind>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CorpId)) throw new ArgumentException("WeComOptions.CorpId is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.Secret)) throw new ArgumentException("WeComOptions.Secret is required.", nameof(options));
        _options = options;
        _tokens = tokenCache ?? new AccessTokenCache(options.TokenRefreshMargin, timeProvider);
        _core = new WeChatApiCore(httpClient, options.ApiBaseUrl, logger, "wecom", () => [options.Secret]) { Tokens = _tokens, TokenKey = WeComTokenKey(options), Observe = observe };
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
        return new CustomerTransferResultPage(ToStates(body), string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor);
    }

    /// <summary>All pages of <see cref="GetResignedTransferResultAsync"/>.</summary>
    public Task<IReadOnlyList<CustomerTransferState>> GetAllResignedTransferResultsAsync(string handoverUserId, string takeoverUserId,
        CancellationToken cancellationToken = default) =>
        AllTransferResultsAsync("cgi-bin/externalcontact/resigned/transfer_result", handoverUserId, takeoverUserId, cancellationToken);

    /// <summary>
    /// Every customer of the members (POST /cgi-bin/externalcontact/batch/get_by_user, at most 100 members and 100 rows a
    /// page), one row per member and customer, all pages: one call per 100 customers instead of one get per customer.
    /// </summary>
    public async Task<IReadOnlyList<MemberCustomer>> GetCustomersOfMembersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count is 0 or > 100) throw new ArgumentOutOfRangeException(nameof(userIds), userIds.Count, "pass 1–100 members per call.");
        var all = new List<MemberCustomer>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/batch/get_by_user", [],
                new BatchGetByUserRequest(userIds.ToList(), cursor, 100), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            var body = _core.ReadJson<BatchGetByUserResponse>(response);
            foreach (var row in body.ExternalContactList ?? [])
                if (row.ExternalContact is not null && row.FollowInfo is not null) all.Add(new MemberCustomer(row.ExternalContact, row.FollowInfo));
            cursor = string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, response.Api);
        } while (cursor is not null);
        return all;
    }

    /// <summary>
    /// The customers of members who left the company and are not handed over yet, all pages
    /// (POST /cgi-bin/externalcontact/get_unassigned_list). A member appears here only after leaving in WeChat Work.
    /// </summary>
    public async Task<IReadOnlyList<UnassignedCustomer>> GetUnassignedCustomersAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<UnassignedCustomer>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/get_unassigned_list", [],
                new UnassignedListRequest(cursor, 1000), FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            var body = _core.ReadJson<UnassignedListResponse>(response);
            all.AddRange((body.Info ?? []).Select(i => new UnassignedCustomer(i.HandoverUserId, i.ExternalUserId,
                i.DimissionTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(i.DimissionTime) : null)));
            cursor = string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor;
            if (body.IsLast || cursor is null) return all;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, response.Api);
        }
    }

    /// <summary>
    /// Hands customers of a member who stays in the company to another member (POST /cgi-bin/externalcontact/transfer_customer).
    /// Each customer is told with <paramref name="transferSuccessMessage"/> (at most 200 characters; null: WeChat Work's own text)
    /// and may refuse; otherwise the takeover happens after 24 hours. A customer can be handed over this way at most twice
    /// in 90 days (40128). Check each outcome's Errcode.
    /// </summary>
    public async Task<IReadOnlyList<CustomerTransferOutcome>> TransferOnJobCustomersAsync(string handoverUserId, string takeoverUserId,
        IReadOnlyCollection<string> externalUserIds, string? transferSuccessMessage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handoverUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(takeoverUserId);
        ArgumentNullException.ThrowIfNull(externalUserIds);
        if (externalUserIds.Count is 0 or > MaxCustomersPerTransfer)
            throw new ArgumentOutOfRangeException(nameof(externalUserIds), externalUserIds.Count, $"pass 1–{MaxCustomersPerTransfer} customers per call.");
        if (transferSuccessMessage is { Length: > 200 })
            throw new ArgumentOutOfRangeException(nameof(transferSuccessMessage), "at most 200 characters.");
        var response = await _core.SendWithTokenAsync(HttpMethod.Post, "cgi-bin/externalcontact/transfer_customer", [],
            new OnJobTransferRequest(handoverUserId, takeoverUserId, externalUserIds.ToList(), string.IsNullOrWhiteSpace(transferSuccessMessage) ? null : transferSuccessMessage),
            FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<TransferCustomerResponse>(response);
        return (body.Customer ?? []).Select(c => new CustomerTransferOutcome(c.ExternalUserId, c.Errcode)).ToList();
    }

    /// <summary>Takeover status of on-job transfers between two members (POST /cgi-bin/externalcontact/transfer_result), all pages.</summary>
    public Task<IReadOnlyList<CustomerTransferState>> GetAllOnJobTransferResultsAsync(string handoverUserId, string takeoverUserId,
        CancellationToken cancellationToken = default) =>
        AllTransferResultsAsync("cgi-bin/externalcontact/transfer_result", handoverUserId, takeoverUserId, cancellationToken);

    /// <summary>
    /// Exchanges the code of wx.qy.login in a mini-program opened inside WeChat Work for the member's corp and user id
    /// (GET /cgi-bin/miniprogram/jscode2session). The session key stays server-side.
    /// </summary>
    public async Task<WeComSession> MiniProgramCode2SessionAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var response = await _core.SendWithTokenAsync(HttpMethod.Get, "cgi-bin/miniprogram/jscode2session",
            [new("js_code", code), new("grant_type", "authorization_code")], null, FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        var body = _core.ReadJson<WeComCode2SessionResponse>(response);
        if (string.IsNullOrEmpty(body.UserId) || string.IsNullOrEmpty(body.CorpId))
            throw new WeChatApiException(-1, "jscode2session response without corpid/userid", WeChatErrorKind.ServiceUnavailable, response.Api);
        return new WeComSession(body.CorpId, body.UserId, body.SessionKey ?? "");
    }

    private async Task<IReadOnlyList<CustomerTransferState>> AllTransferResultsAsync(string path, string handoverUserId, string takeoverUserId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handoverUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(takeoverUserId);
        var all = new List<CustomerTransferState>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await _core.SendWithTokenAsync(HttpMethod.Post, path, [], new TransferResultRequest(handoverUserId, takeoverUserId, cursor),
                FetchTokenAsync, ct).ConfigureAwait(false);
            var body = _core.ReadJson<TransferResultResponse>(response);
            all.AddRange(ToStates(body));
            cursor = string.IsNullOrEmpty(body.NextCursor) ? null : body.NextCursor;
            if (++pages > 10_000) throw new WeChatApiException(-1, "too many pages", WeChatErrorKind.ServiceUnavailable, path);
        } while (cursor is not null);
        return all;
    }

    private static List<CustomerTransferState> ToStates(TransferResultResponse body) => (body.Customer ?? []).Select(c => new CustomerTransferState(
        c.ExternalUserId,
        Enum.IsDefined(typeof(CustomerTransferStatus), c.Status) ? (CustomerTransferStatus)c.Status : CustomerTransferStatus.Unknown,
        c.TakeoverTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(c.TakeoverTime) : null)).ToList();

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
