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
        var details = new List<ExternalContact>();
        try
        {
            ids = await client.ListExternalContactsAsync(userId, ct);
            foreach (var id in ids) details.Add((await client.GetExternalContactAsync(id, null, ct)).Contact);
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
/// 离职一键转移: when an agent leaves, one transaction moves its stores and open proxy carts to another agent, deactivates
/// it and records one row per linked WeChat Work contact; after the commit WeChat Work's resigned/transfer_customer is
/// called for those contacts, and <see cref="FollowUpAsync"/> (an endpoint and a job) reads transfer_result and retries
/// where WeChat Work says to (not yet taken over, no record, takeover member at its limit, transient errors).
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
    /// Never throws for WeChat trouble: it is written on the contacts and tried again by the next follow-up.
    /// </summary>
    public async Task FollowUpAsync(long handOverId, bool force, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var h = await c.QuerySingleOrDefaultAsync<(long Id, string? FromWecom, string? ToWecom)?>(
            "SELECT id, from_wecom_userid, to_wecom_userid FROM agent_hand_overs WHERE id = @handOverId", new { handOverId })
            ?? throw AppProblem.NotFound("转移记录不存在", "No such hand-over");
        var open = (await c.QueryAsync<(string Ext, string Status, int Attempts)>("""
            SELECT external_user_id, status, attempts FROM agent_hand_over_contacts
            WHERE hand_over_id = @handOverId AND status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL AND (@force OR next_check_at <= @now)
            """, new { handOverId, now, force })).ToList();
        if (open.Count == 0) return;

        var retryAt = now + (long)TimeSpan.FromMinutes(Math.Max(1, clients.WeCom.HandOverCheckMinutes)).TotalMilliseconds;
        if (string.IsNullOrWhiteSpace(h.FromWecom) || string.IsNullOrWhiteSpace(h.ToWecom) || !clients.WeCom.IsConfigured)
        {
            var why = !clients.WeCom.IsConfigured ? "企业微信未启用 / WeChat Work is not enabled" : "业务员未设置企业微信账号 / an agent has no wecom_userid";
            await c.ExecuteAsync("UPDATE agent_hand_over_contacts SET last_error = @why, next_check_at = @retryAt, updated_at = @now WHERE hand_over_id = @handOverId AND status = 'pending'",
                new { why, retryAt, now, handOverId });
            return;
        }
        var (fromUser, toUser) = (h.FromWecom!, h.ToWecom!);
        var client = clients.WeComContacts();
        try
        {
            // 1. what WeChat Work knows: completed, waiting (with the takeover time), refused, limit reached, no record
            var states = (await client.GetAllResignedTransferResultsAsync(fromUser, toUser, ct)).ToDictionary(s => s.ExternalUserId);
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
                        // no record (yet): pending and retryable failures are sent (again)
                        if (status is "pending" or "failed" or "waiting") toSend.Add(ext);
                        break;
                }
            }
            // 2. send (again) in batches of 100
            foreach (var batch in toSend.Chunk(WeComExternalContactClient.MaxCustomersPerTransfer))
            {
                await c.ExecuteAsync("UPDATE agent_hand_over_contacts SET attempts = attempts + 1 WHERE hand_over_id = @handOverId AND " + db.Dialect.InList("external_user_id", "batch"),
                    new { handOverId, batch });
                var outcomes = await client.TransferResignedCustomersAsync(fromUser, toUser, batch, ct);
                foreach (var o in outcomes)
                {
                    if (o.Errcode == 0)
                        await SetAsync(c, handOverId, o.ExternalUserId, "waiting", 0, null, now, null, now); // started: read its state right below
                    else if (RetryableErrcodes.Contains(o.Errcode))
                        await SetAsync(c, handOverId, o.ExternalUserId, "failed", o.Errcode, null, retryAt, $"errcode {o.Errcode}: 稍后重试 / will retry", now);
                    else
                        await SetAsync(c, handOverId, o.ExternalUserId, "failed", o.Errcode, null, null, WeChatErrors.Shorten(
                            $"errcode {o.Errcode}: {WeChatApiException.Describe(o.Kind).Zh} / {WeChatApiException.Describe(o.Kind).En}"), now);
                }
            }
            // 3. the takeover time of what was just started
            if (toSend.Count > 0)
            {
                var after = (await client.GetAllResignedTransferResultsAsync(fromUser, toUser, ct)).ToDictionary(s => s.ExternalUserId);
                foreach (var ext in toSend)
                    if (after.TryGetValue(ext, out var s) && s.Status == CustomerTransferStatus.Waiting)
                        await SetAsync(c, handOverId, ext, "waiting", 0, s.TakeoverTime, Math.Max(retryAt, s.TakeoverTime?.ToUnixTimeMilliseconds() ?? 0), null, now);
                    else if (after.TryGetValue(ext, out s) && s.Status == CustomerTransferStatus.Completed)
                        await SetAsync(c, handOverId, ext, "completed", 0, s.TakeoverTime, null, null, now);
            }
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

    /// <summary>Follows up every hand-over with contacts due (for the job).</summary>
    public async Task<int> FollowUpDueAsync(CancellationToken ct = default)
    {
        if (!clients.WeCom.IsConfigured) return 0;
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
            ids = (await c.QueryAsync<long>("""
                SELECT DISTINCT hand_over_id FROM agent_hand_over_contacts
                WHERE status IN ('pending', 'waiting', 'failed') AND next_check_at IS NOT NULL AND next_check_at <= @now
                """, new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() })).ToList();
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
