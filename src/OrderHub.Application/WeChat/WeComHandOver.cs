using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.WeChat;

namespace OrderHub.Application.WeChat;

public sealed record LinkedCustomer(long Id, string Code, string Name);
public sealed record WeComContact(string ExternalUserId, string? Name, int Type, string? CorpName, LinkedCustomer? Customer, LinkedCustomer? Suggested);

/// <summary>An agent's WeChat Work external contacts (the store owners it added), each with the store it is linked to.</summary>
public sealed class WeComContacts(Db db, TimeProvider clock, WeChatClients clients)
{
    public async Task<IReadOnlyList<WeComContact>> ListAsync(long agentId, CancellationToken ct = default)
    {
        string? userId;
        await using (var c = await db.OpenAsync(ct))
        {
            var agent = await c.QuerySingleOrDefaultAsync<(long Id, string? WecomUserId)?>("SELECT id, wecom_userid FROM agents WHERE id = @agentId", new { agentId })
                ?? throw AppProblem.NotFound("业务员不存在", "No such agent");
            userId = agent.WecomUserId;
        }
        if (string.IsNullOrWhiteSpace(userId))
            throw AppProblem.Conflict("该业务员未设置企业微信账号 (wecom_userid)", "This agent has no WeChat Work user id (wecom_userid)");
        var client = clients.WeComContacts();
        IReadOnlyList<string> ids;
        List<ExternalContact> details;
        try
        {
            // batch/get_by_user: 100 customers a call, not one externalcontact/get per customer
            details = (await client.GetCustomersOfMembersAsync([userId], ct)).Select(r => r.Contact)
                .DistinctBy(c => c.ExternalUserId).ToList();
            ids = details.Select(d => d.ExternalUserId).ToList();
        }
        catch (WeChatApiException ex) when (ex.Kind == WeChatErrorKind.NotExternalContact)
        {
            return [];
        }
        catch (WeChatApiException ex)
        {
            throw WeChatErrors.ToProblem(ex);
        }

        await using var conn = await db.OpenAsync(ct);
        var links = (await conn.QueryAsync<(string ExternalUserId, long Id, string Code, string Name)>("""
            SELECT l.external_user_id, c.id, c.code, c.name FROM wecom_contact_links l JOIN customers c ON c.id = l.customer_id
            """)).Where(l => ids.Contains(l.ExternalUserId)).ToDictionary(l => l.ExternalUserId, l => new LinkedCustomer(l.Id, l.Code, l.Name));
        var result = new List<WeComContact>();
        foreach (var d in details)
        {
            LinkedCustomer? suggested = null;
            if (!links.ContainsKey(d.ExternalUserId) && !string.IsNullOrEmpty(d.UnionId))
            {
                // the same person bound in the mini-program (same unionid) suggests the store
                var s = await conn.QueryFirstOrDefaultAsync<(long Id, string Code, string Name)?>("""
                    SELECT c.id, c.code, c.name FROM customer_users u JOIN customers c ON c.id = u.customer_id
                    WHERE u.wechat_unionid = @unionId AND u.active = TRUE ORDER BY u.id
                    """, new { unionId = d.UnionId });
                if (s is { } x) suggested = new LinkedCustomer(x.Id, x.Code, x.Name);
            }
            result.Add(new WeComContact(d.ExternalUserId, d.Name, d.Type, d.CorpName, links.GetValueOrDefault(d.ExternalUserId), suggested));
        }
        return result;
    }

    public async Task<LinkedCustomer> LinkAsync(string externalUserId, long customerId, long? staffId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(externalUserId) || externalUserId.Length > 128)
            throw AppProblem.BadRequest("external_userid 无效", "externalUserId is not valid");
        await using var c = await db.OpenAsync(ct);
        var customer = await c.QuerySingleOrDefaultAsync<(long Id, string Code, string Name)?>("SELECT id, code, name FROM customers WHERE id = @customerId", new { customerId })
            ?? throw AppProblem.NotFound("客户不存在", "No such customer");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await c.ExecuteAsync("""
            INSERT INTO wecom_contact_links (external_user_id, customer_id, linked_by, created_at, updated_at) VALUES (@externalUserId, @customerId, @staffId, @now, @now)
            ON CONFLICT (external_user_id) DO UPDATE SET customer_id = excluded.customer_id, linked_by = excluded.linked_by, updated_at = excluded.updated_at
            """, new { externalUserId, customerId, staffId, now });
        return new LinkedCustomer(customer.Id, customer.Code, customer.Name);
    }
}

public sealed record HandOverContact(string ExternalUserId, long CustomerId, string CustomerName, string Status, int? Errcode, string? TakeoverAt, int Attempts, string? LastError);
public sealed record HandOverView(long Id, long FromAgentId, string FromAgentName, long ToAgentId, string ToAgentName, int CustomersMoved, int CartLinesMoved,
    string CreatedAt, IReadOnlyList<HandOverContact> Contacts);

/// <summary>
/// 离职一键转移: when an agent leaves (or moves to other work), one transaction moves its stores and open proxy carts to
/// another agent, deactivates it and records one row per linked WeChat Work contact; after the commit WeChat Work's
/// resigned/transfer_customer (member left the company) or on-job transfer_customer (member stays) is called, and
/// <see cref="FollowUpAsync"/> (an endpoint and a job) reads the transfer results and retries where WeChat Work says to
/// (not yet taken over, no record, takeover member at its limit, transient errors).
/// </summary>
public sealed class AgentHandOver(Db db, TimeProvider clock, WeChatClients clients, ILogger<AgentHandOver> log)
{
    // per-contact errcodes of transfer_customer worth sending again later: system busy, frequency limits
    private static readonly HashSet<int> RetryableErrcodes = [-1, 45009, 45011, 45033];

    public async Task<(long Id, bool Replayed)> StartAsync(long fromAgentId, long toAgentId, long? staffId, string idempotencyKey, CancellationToken ct = default)
    {
        if (fromAgentId == toAgentId) throw AppProblem.BadRequest("不能转移给同一个业务员", "Hand over to a different agent");
        await using var c = await db.OpenAsync(ct);
        const string scope = "wechat.hand_over";
        var hash = Idempotency.Hash(fromAgentId, toAgentId);
        if (await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) is { } done) return (done, true);

        await using var tx = await db.BeginWriteAsync(c, ct);
        var from = await c.QuerySingleOrDefaultAsync<(long Id, string? Wecom)?>("SELECT id, wecom_userid FROM agents WHERE id = @fromAgentId", new { fromAgentId }, tx)
            ?? throw AppProblem.NotFound("业务员不存在", "No such agent");
        var to = await c.QuerySingleOrDefaultAsync<(long Id, string? Wecom, long Active)?>(
            "SELECT id, wecom_userid, CASE WHEN active = TRUE THEN 1 ELSE 0 END FROM agents WHERE id = @toAgentId", new { toAgentId }, tx)
            ?? throw AppProblem.NotFound("接手的业务员不存在", "No such agent to hand over to");
        if (to.Active == 0) throw AppProblem.Conflict("接手的业务员已停用", "The agent to hand over to is not active");

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // the contacts linked to the leaving agent's stores, read before the stores move
        var contacts = (await c.QueryAsync<(string ExternalUserId, long CustomerId)>("""
            SELECT l.external_user_id, l.customer_id FROM wecom_contact_links l JOIN customers c ON c.id = l.customer_id
            WHERE c.agent_id = @fromAgentId ORDER BY l.external_user_id
            """, new { fromAgentId }, tx)).ToList();
        var customers = await c.ExecuteAsync("UPDATE customers SET agent_id = @toAgentId, updated_at = @now WHERE agent_id = @fromAgentId",
            new { fromAgentId, toAgentId, now }, tx);
        // proxy carts: lines the new agent already has for the same store and item are added up
        await c.ExecuteAsync("""
            UPDATE cart_items SET quantity = quantity + (SELECT f.quantity FROM cart_items f WHERE f.owner_kind = 'agent' AND f.owner_id = @fromAgentId
                                                         AND f.customer_id = cart_items.customer_id AND f.product_id = cart_items.product_id),
                   updated_at = @now
            WHERE owner_kind = 'agent' AND owner_id = @toAgentId AND EXISTS (
                SELECT 1 FROM cart_items f WHERE f.owner_kind = 'agent' AND f.owner_id = @fromAgentId
                  AND f.customer_id = cart_items.customer_id AND f.product_id = cart_items.product_id)
            """, new { fromAgentId, toAgentId, now }, tx);
        var merged = await c.ExecuteAsync("""
            DELETE FROM cart_items WHERE owner_kind = 'agent' AND owner_id = @fromAgentId AND EXISTS (
                SELECT 1 FROM cart_items t WHERE t.owner_kind = 'agent' AND t.owner_id = @toAgentId
                  AND t.customer_id = cart_items.customer_id AND t.product_id = cart_items.product_id)
            """, new { fromAgentId, toAgentId }, tx);
        var moved = await c.ExecuteAsync("UPDATE cart_items SET owner_id = @toAgentId, updated_at = @now WHERE owner_kind = 'agent' AND owner_id = @fromAgentId",
            new { fromAgentId, toAgentId, now }, tx);
        await c.ExecuteAsync("UPDATE agents SET active = FALSE WHERE id = @fromAgentId", new { fromAgentId }, tx);

        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO agent_hand_overs (from_agent_id, to_agent_id, from_wecom_userid, to_wecom_userid, customers_moved, cart_lines_moved, created_by, created_at)
            VALUES (@fromAgentId, @toAgentId, @fromWecom, @toWecom, @customers, @lines, @staffId, @now) RETURNING id
            """, new { fromAgentId, toAgentId, fromWecom = from.Wecom, toWecom = to.Wecom, customers, lines = merged + moved, staffId, now }, tx);
        foreach (var (ext, customerId) in contacts)
            await c.ExecuteAsync("""
                INSERT INTO agent_hand_over_contacts (hand_over_id, external_user_id, customer_id, status, attempts, next_check_at, updated_at)
                VALUES (@id, @ext, @customerId, 'pending', 0, @now, @now)
                """, new { id, ext, customerId, now }, tx);
        if (!await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now))
        {
            await tx.RollbackAsync(ct);
            return ((await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null))!.Value, true);
        }
        await tx.CommitAsync(ct);
        log.LogInformation("Hand-over {Id}: agent {From} → {To}, {Customers} stores, {Lines} cart lines, {Contacts} WeCom contacts",
            id, fromAgentId, toAgentId, customers, merged + moved, contacts.Count);
        return (id, false);
    }

    /// <summary>
    /// Sends the hand-over's pending (and retryable failed) contacts to WeChat Work and reads back their takeover state.
    /// A member who left the company in WeChat Work (its customers are then in get_unassigned_list) is handed over with
    /// resigned/transfer_customer, and every one of its unassigned customers moves, also those never linked to a store;
    /// a member who stays is handed over with the on-job transfer_customer (the customer is told with
    /// WeCom:TransferSuccessMessage and may refuse; at most twice in 90 days per customer).
    /// Never throws for WeChat trouble: transient trouble is written on the contacts and tried again by the next follow-up;
    /// a configuration error (untrusted IP, app not allowed, wrong secret) marks them config_error, is shown on the health
    /// endpoint and waits for a retry after the distributor fixed it, instead of failing every hour.
    /// </summary>
    public async Task FollowUpAsync(long handOverId, bool force, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var h = await c.QuerySingleOrDefaultAsync<(long Id, string? FromWecom, string? ToWecom, string ToName)?>("""
            SELECT h.id, h.from_wecom_userid, h.to_wecom_userid, a.name FROM agent_hand_overs h JOIN agents a ON a.id = h.to_agent_id WHERE h.id = @handOverId
            """, new { handOverId })
            ?? throw AppProblem.NotFound("转移记录不存在", "No such hand-over");
        var open = (await c.QueryAsync<(string Ext, string Status, int Attempts)>("""
            SELECT external_user_id, status, attempts FROM agent_hand_over_contacts
            WHERE hand_over_id = @handOverId AND (
                (status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL AND (@force OR next_check_at <= @now))
                OR (@force AND status = 'config_error'))
            """, new { handOverId, now, force })).ToList();
        // forced (the hand-over itself, a retry by hand) it runs without linked contacts too: a departed member's unlinked customers move
        if (open.Count == 0 && !force) return;

        var retryAt = now + (long)TimeSpan.FromMinutes(Math.Max(1, clients.WeCom.HandOverCheckMinutes)).TotalMilliseconds;
        if (string.IsNullOrWhiteSpace(h.FromWecom) || string.IsNullOrWhiteSpace(h.ToWecom) || !clients.WeCom.IsConfigured)
        {
            var why = !clients.WeCom.IsConfigured ? "企业微信未启用 / WeChat Work is not enabled" : "业务员未设置企业微信账号 / an agent has no wecom_userid";
            await c.ExecuteAsync("UPDATE agent_hand_over_contacts SET last_error = @why, next_check_at = @retryAt, updated_at = @now WHERE hand_over_id = @handOverId AND status = 'pending'",
                new { why, retryAt, now, handOverId });
            return;
        }
        var (fromUser, toUser) = (h.FromWecom!, h.ToWecom!);
        var ours = (await c.QueryAsync<string>("SELECT external_user_id FROM agent_hand_over_contacts WHERE hand_over_id = @handOverId", new { handOverId }))
            .ToHashSet(StringComparer.Ordinal);
        var client = clients.WeComContacts();
        try
        {
            // 0. has the member left the company in WeChat Work? Then its customers are listed as unassigned
            var unassigned = (await client.GetUnassignedCustomersAsync(ct)).Where(u => u.HandoverUserId == fromUser).Select(u => u.ExternalUserId).ToList();
            var departed = unassigned.Count > 0;

            // 1. what WeChat Work knows (resigned and on-job records): completed, waiting (with the takeover time), refused, limit reached, no record
            var states = await StatesAsync(client, fromUser, toUser, ct);
            var toSend = new List<string>();
            foreach (var (ext, status, _) in open)
            {
                states.TryGetValue(ext, out var s);
                switch (s?.Status)
                {
                    case CustomerTransferStatus.Completed:
                        await SetAsync(c, handOverId, ext, "completed", 0, s.TakeoverTime, null, null, now);
                        break;
                    case CustomerTransferStatus.Waiting:
                        var check = Math.Max(retryAt, s.TakeoverTime?.ToUnixTimeMilliseconds() ?? 0);
                        await SetAsync(c, handOverId, ext, "waiting", 0, s.TakeoverTime, check, null, now);
                        break;
                    case CustomerTransferStatus.CustomerRefused:
                        await SetAsync(c, handOverId, ext, "refused", 0, s.TakeoverTime, null, "客户拒绝接替 / the customer refused the takeover", now);
                        break;
                    case CustomerTransferStatus.TakeoverLimitReached:
                        // WeChat Work says try again once the takeover member has room
                        toSend.Add(ext);
                        break;
                    default:
                        // no record (yet): pending, retryable failures and contacts held up by a configuration error are sent (again)
                        toSend.Add(ext);
                        break;
                }
            }
            // a departed member's customers that nobody linked to a store move as well: WeChat Work keeps that list
            var unlinked = departed ? unassigned.Where(e => !ours.Contains(e) && !states.ContainsKey(e)).ToList() : [];

            // 2. send (again) in batches of 100
            foreach (var batch in toSend.Concat(unlinked).Chunk(WeComExternalContactClient.MaxCustomersPerTransfer))
            {
                await c.ExecuteAsync("UPDATE agent_hand_over_contacts SET attempts = attempts + 1 WHERE hand_over_id = @handOverId AND " + db.Dialect.InList("external_user_id", "batch"),
                    new { handOverId, batch });
                var outcomes = await TransferAsync(client, departed, fromUser, toUser, h.ToName, batch, ct);
                foreach (var o in outcomes)
                {
                    if (!ours.Contains(o.ExternalUserId))
                    {
                        log.LogInformation("Hand-over {Id}: unlinked WeChat Work customer {Ext} of {From}: transfer errcode {Errcode}", handOverId, o.ExternalUserId, fromUser, o.Errcode);
                        continue;
                    }
                    if (o.Errcode is 0 or 40129) // started, or already being transferred: read its state right below
                        await SetAsync(c, handOverId, o.ExternalUserId, "waiting", 0, null, now, null, now);
                    else if (RetryableErrcodes.Contains(o.Errcode))
                        await SetAsync(c, handOverId, o.ExternalUserId, "failed", o.Errcode, null, retryAt, $"errcode {o.Errcode}: 稍后重试 / will retry", now);
                    else
                        await SetAsync(c, handOverId, o.ExternalUserId, "failed", o.Errcode, null, null, TransferError(o), now);
                }
            }
            // 3. the takeover time of what was just started
            if (toSend.Count > 0)
            {
                var after = await StatesAsync(client, fromUser, toUser, ct);
                foreach (var ext in toSend)
                    if (after.TryGetValue(ext, out var s) && s.Status == CustomerTransferStatus.Waiting)
                        await SetAsync(c, handOverId, ext, "waiting", 0, s.TakeoverTime, Math.Max(retryAt, s.TakeoverTime?.ToUnixTimeMilliseconds() ?? 0), null, now);
                    else if (after.TryGetValue(ext, out s) && s.Status == CustomerTransferStatus.Completed)
                        await SetAsync(c, handOverId, ext, "completed", 0, s.TakeoverTime, null, null, now);
            }
        }
        catch (WeChatApiException ex) when (WeChatApiException.IsConfigurationError(ex.Kind))
        {
            // only the distributor can fix this: no hourly retry; the health endpoint says what to change, a retry resumes
            log.LogWarning("Hand-over {Id}: WeChat Work configuration error, waiting for it to be fixed: {Error}", handOverId, ex.Message);
            await c.ExecuteAsync("""
                UPDATE agent_hand_over_contacts SET status = 'config_error', last_error = @error, errcode = @errcode, next_check_at = NULL, updated_at = @now
                WHERE hand_over_id = @handOverId AND (status = 'config_error' OR (status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL))
                """, new { error = WeChatErrors.Explain(ex), errcode = ex.Errcode, now, handOverId });
        }
        catch (WeChatApiException ex)
        {
            log.LogWarning("Hand-over {Id}: WeChat Work call failed, will retry: {Error}", handOverId, ex.Message);
            await c.ExecuteAsync("""
                UPDATE agent_hand_over_contacts SET last_error = @error, errcode = @errcode, next_check_at = @retryAt, updated_at = @now
                WHERE hand_over_id = @handOverId AND status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL
                """, new { error = WeChatErrors.Shorten(ex.Message), errcode = ex.Errcode, retryAt, now, handOverId });
        }
    }

    /// <summary>Takeover states from both result APIs (a customer has a record in one of them).</summary>
    private static async Task<Dictionary<string, CustomerTransferState>> StatesAsync(WeComExternalContactClient client, string fromUser, string toUser, CancellationToken ct)
    {
        var states = (await client.GetAllResignedTransferResultsAsync(fromUser, toUser, ct))
            .Where(s => s.Status is not (CustomerTransferStatus.NoRecord or CustomerTransferStatus.Unknown))
            .ToDictionary(s => s.ExternalUserId, StringComparer.Ordinal);
        foreach (var s in await client.GetAllOnJobTransferResultsAsync(fromUser, toUser, ct))
            if (s.Status is not (CustomerTransferStatus.NoRecord or CustomerTransferStatus.Unknown)) states.TryAdd(s.ExternalUserId, s);
        return states;
    }

    /// <summary>Resigned transfer for a member who left, else on-job (with the message); a member WeChat Work no longer knows (60111) left after all.</summary>
    private async Task<IReadOnlyList<CustomerTransferOutcome>> TransferAsync(WeComExternalContactClient client, bool departed, string fromUser, string toUser,
        string toName, IReadOnlyCollection<string> batch, CancellationToken ct)
    {
        if (departed) return await client.TransferResignedCustomersAsync(fromUser, toUser, batch, ct);
        var message = clients.WeCom.TransferSuccessMessage?.Replace("{agentName}", toName, StringComparison.Ordinal);
        if (message is { Length: > 200 }) message = message[..200];
        try
        {
            return await client.TransferOnJobCustomersAsync(fromUser, toUser, batch, message, ct);
        }
        catch (WeChatApiException ex) when (ex.Errcode == 60111)
        {
            return await client.TransferResignedCustomersAsync(fromUser, toUser, batch, ct);
        }
    }

    private static string TransferError(CustomerTransferOutcome o) => WeChatErrors.Shorten(o.Errcode switch
    {
        40097 => "errcode 40097: 该成员尚未在企业微信离职 / the member has not left the company in WeChat Work",
        40128 => "errcode 40128: 客户转接过于频繁（90天内每位客户最多转接2次）/ transferred too often (at most twice in 90 days)",
        40130 => "errcode 40130: 原跟进人与接手人一样 / the same member on both sides",
        40131 or 40096 => $"errcode {o.Errcode}: 该客户不是原业务员的企业微信客户 / not a WeChat Work customer of the leaving agent",
        _ => $"errcode {o.Errcode}: {WeChatApiException.Describe(o.Kind).Zh} / {WeChatApiException.Describe(o.Kind).En}",
    });

    /// <summary>Follows up every hand-over with contacts due (for the job).</summary>
    public async Task<int> FollowUpDueAsync(CancellationToken ct = default)
    {
        if (!clients.WeCom.IsConfigured) return 0;
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
            ids = (await c.QueryAsync<long>("""
                SELECT DISTINCT hand_over_id FROM agent_hand_over_contacts
                WHERE status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL AND next_check_at <= @now
                """, new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() })).ToList(); // config_error waits for a retry by hand
        foreach (var id in ids) await FollowUpAsync(id, false, ct);
        return ids.Count;
    }

    public async Task<HandOverView?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var h = await c.QuerySingleOrDefaultAsync<(long Id, long FromId, string FromName, long ToId, string ToName, int Customers, int Lines, long CreatedAt)?>("""
            SELECT h.id, h.from_agent_id, fa.name, h.to_agent_id, ta.name, h.customers_moved, h.cart_lines_moved, h.created_at
            FROM agent_hand_overs h JOIN agents fa ON fa.id = h.from_agent_id JOIN agents ta ON ta.id = h.to_agent_id WHERE h.id = @id
            """, new { id });
        if (h is not { } v) return null;
        var contacts = (await c.QueryAsync<(string Ext, long CustomerId, string Name, string Status, int? Errcode, long? TakeoverAt, int Attempts, string? LastError)>("""
            SELECT x.external_user_id, x.customer_id, cu.name, x.status, x.errcode, x.takeover_at, x.attempts, x.last_error
            FROM agent_hand_over_contacts x JOIN customers cu ON cu.id = x.customer_id WHERE x.hand_over_id = @id ORDER BY x.external_user_id
            """, new { id }))
            .Select(x => new HandOverContact(x.Ext, x.CustomerId, x.Name, x.Status, x.Errcode, Domain.Time.ShanghaiTime.Format(x.TakeoverAt), x.Attempts, x.LastError)).ToList();
        return new HandOverView(v.Id, v.FromId, v.FromName, v.ToId, v.ToName, v.Customers, v.Lines, Domain.Time.ShanghaiTime.Format(v.CreatedAt), contacts);
    }

    private static Task SetAsync(DbConnection c, long handOverId, string ext, string status, int? errcode, DateTimeOffset? takeover, long? nextCheck, string? error, long now) =>
        c.ExecuteAsync("""
            UPDATE agent_hand_over_contacts SET status = @status, errcode = @errcode, takeover_at = COALESCE(@takeoverAt, takeover_at),
                   next_check_at = @nextCheck, last_error = @error, updated_at = @now
            WHERE hand_over_id = @handOverId AND external_user_id = @ext
            """, new { handOverId, ext, status, errcode, takeoverAt = takeover?.ToUnixTimeMilliseconds(), nextCheck, error, now });
}
