using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Data;
using OrderHub.Application.Insight;
using OrderHub.Application.Notifications;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Insight;
using OrderHub.WeChat;

namespace OrderHub.Application.ChatCommerce;

/// <summary>What the mini-program card of a 群发 opens (none: text only).</summary>
public static class MassCardKind
{
    public const string Catalog = "catalog";
    public const string Product = "product";
    public const string Promotion = "promotion";
    public const string CommunityPost = "community_post";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Catalog, Product, Promotion, CommunityPost };
}

/// <summary>A selected store's outcome of a 群发, one name each (the API shows these codes with a label).</summary>
public static class MassTargetStatus
{
    /// <summary>Held back by OrderHub before WeChat Work (opted out, daily cap, no contact, agent without WeChat Work userid).</summary>
    public const string Held = "held";
    /// <summary>Included; add_msg_template not answered yet (or to be tried again).</summary>
    public const string Pending = "pending";
    /// <summary>WeChat Work refused the contact (fail_list) or the whole task.</summary>
    public const string Rejected = "rejected";
    /// <summary>The agent has not confirmed it in WeChat Work yet (send_list status 0).</summary>
    public const string Waiting = "waiting";
    /// <summary>status 1 已发送.</summary>
    public const string Sent = "sent";
    /// <summary>status 2 因客户不是好友导致发送失败.</summary>
    public const string NotFriend = "not_friend";
    /// <summary>status 3 因客户已经收到其他群发消息导致发送失败.</summary>
    public const string AlreadyReceived = "already_received";

    public static string Label(string s) => s switch
    {
        Held => "未发送 (已拦下)",
        Pending => "待提交企业微信",
        Rejected => "企业微信拒绝",
        Waiting => "待业务员确认发送",
        Sent => "已发送",
        NotFriend => "客户已不是好友",
        AlreadyReceived => "客户今日已收到其他群发",
        _ => s,
    };

    public static string FromWeCom(GroupMessageStatus s) => s switch
    {
        GroupMessageStatus.Sent => Sent,
        GroupMessageStatus.NotAFriend => NotFriend,
        GroupMessageStatus.AlreadyReceivedAnother => AlreadyReceived,
        _ => Waiting,
    };

    /// <summary>A store's status from its contacts' (the best one: sent beats waiting beats the failures).</summary>
    public static string OfStore(IEnumerable<string> contacts)
    {
        var set = contacts.ToHashSet();
        foreach (var s in new[] { Sent, Waiting, Pending, AlreadyReceived, NotFriend, Rejected, Held })
            if (set.Contains(s)) return s;
        return Held;
    }
}

/// <summary>Which stores a 群发 goes to: every given filter must hold (an empty one is not a filter); at least one is needed.</summary>
public sealed record MassSelection(IReadOnlyList<long>? GroupIds, IReadOnlyList<string>? Regions, IReadOnlyList<string>? Stages, bool RestockDue,
    IReadOnlyList<long>? CustomerIds)
{
    public bool IsEmpty => (GroupIds?.Count ?? 0) == 0 && (Regions?.Count ?? 0) == 0 && (Stages?.Count ?? 0) == 0 && !RestockDue && (CustomerIds?.Count ?? 0) == 0;
}

public sealed record MassMessageInput(string? Text, string? CardKind, string? CardSubject, MassSelection Selection);

/// <summary>Who prepares the message: the office (staff id) or an agent (for its own stores only).</summary>
public sealed record MassMessageAuthor(string Kind, long Id)
{
    public static MassMessageAuthor Staff(long id) => new("staff", id);
    public static MassMessageAuthor Agent(long id) => new("agent", id);
    public long? AgentId => Kind == "agent" ? Id : null;
}

public sealed record MassMessageCounts(int Stores, int Sent, int Waiting, int Held, int Failed);

public sealed record MassMessageSummary(long Id, string CreatedByKind, long CreatedById, long? AgentId, string? Text, string? CardKind, string? CardSubject,
    long CreatedAtMs, MassMessageCounts Counts);

/// <summary>One selected store: its status (from its contacts), why it was held back or failed, and when it got the message.</summary>
public sealed record MassMessageStore(long CustomerId, string Code, string Name, string Status, string? Reason, int Contacts, int ContactsSent, long? SentAtMs);

/// <summary>One agent's add_msg_template.</summary>
public sealed record MassMessageTask(long AgentId, string AgentName, string Sender, string? MsgId, string Status, string? Error, string? ShareCode);

public sealed record MassMessageDetail(MassMessageSummary Summary, IReadOnlyList<MassMessageStore> Stores, IReadOnlyList<MassMessageTask> Tasks);

public sealed record MassMessagePage(IReadOnlyList<MassMessageSummary> Items, long? Next);

/// <param name="Replayed">The Idempotency-Key was seen before: the first request's message.</param>
public sealed record MassMessageCreated(MassMessageDetail Message, bool Replayed);

/// <summary>
/// Messages to many stores through the agents' WeChat Work (企业群发, issue #20). The office or an agent picks stores by
/// customer group, region, lifecycle stage, due restock or ids; OrderHub finds each store's linked external contacts and
/// the agent who owns the store (its WeChat Work userid is the sender), holds back the stores that turned 业务员群发消息 off
/// (any of the store's users), that reached <c>Notifications:DailyPushCapPerStore</c> today (WeChat pushes sent plus
/// 群发 included), that have no contact or whose agent has no WeChat Work userid, and sends one add_msg_template per
/// agent (text and an optional mini-program card with that agent's share code). WeChat Work then asks each agent to
/// confirm in its app; <see cref="CheckDueAsync"/> (the <c>wecom-mass-message-results</c> work) reads the results back
/// (get_groupmsg_task, then get_groupmsg_send_result) and books each contact's status.
/// </summary>
public sealed class MassMessages(Db db, WeChatClients clients, CardCover cover, LifecycleService lifecycle, RestockService restock,
    NotificationOptions notices, TimeProvider clock, ILogger<MassMessages> log)
{
    public const int MaxText = 2000;
    public const int MaxTaskAttempts = 3;
    /// <summary>How often a task is read back while its agent has not confirmed, and for how long.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan FollowFor = TimeSpan.FromDays(3);

    private WeComChatSettings S => clients.WeCom.Chat;

    /// <summary>"column is one of @param" on either database (<see cref="Db"/>.InList).</summary>
    private string In(string column, string param) => db.Dialect.InList(column, param);

    /// <returns>Per-field errors, each "中文 / English"; empty when valid.</returns>
    public static Dictionary<string, string[]> Validate(MassMessageInput m)
    {
        var e = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(m.Text) && m.CardKind is null) e["text"] = ["请填写消息内容或选择卡片 / text or a card is required"];
        if (m.Text is { Length: > MaxText }) e["text"] = [$"消息最长 {MaxText} 字 / text must be at most {MaxText} characters"];
        if (m.CardKind is { } k && !MassCardKind.All.Contains(k))
            e["cardKind"] = ["卡片类型应为 catalog / product / promotion / community_post / cardKind must be catalog, product, promotion or community_post"];
        if (m.CardKind is MassCardKind.Product or MassCardKind.Promotion or MassCardKind.CommunityPost && string.IsNullOrWhiteSpace(m.CardSubject))
            e["cardSubject"] = ["请填写商品 sku、促销 id 或社区文章 id / cardSubject (sku, promotion id or post id) is required for this card"];
        if (m.Selection.IsEmpty) e["selection"] = ["请选择门店 (分组、区域、生命周期、待补货或门店) / choose the stores: groups, regions, stages, restockDue or customerIds"];
        foreach (var s in m.Selection.Stages ?? [])
            if (!Enum.TryParse<LifecycleStage>(s, true, out _)) e["selection.stages"] = [$"未知的生命周期阶段 {s} / unknown stage {s}; use {string.Join(", ", Enum.GetNames<LifecycleStage>())}"];
        if ((m.Selection.CustomerIds?.Count ?? 0) > 10_000) e["selection.customerIds"] = ["最多 10000 家门店 / at most 10000 stores"];
        return e;
    }

    /// <summary>The active stores the selection names (within the agent's stores for an agent).</summary>
    public async Task<IReadOnlyList<long>> SelectAsync(MassSelection sel, long? agentId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var stores = (await c.QueryAsync<(long Id, long? GroupId, string? Region)>(
            "SELECT id, group_id, region FROM customers WHERE active = TRUE AND (@agentId IS NULL OR agent_id = @agentId)", new { agentId })).ToList();
        IEnumerable<(long Id, long? GroupId, string? Region)> q = stores;
        if (sel.GroupIds is { Count: > 0 } groups) q = q.Where(s => s.GroupId is { } g && groups.Contains(g));
        if (sel.Regions is { Count: > 0 } regions) q = q.Where(s => s.Region is { } r && regions.Contains(r.Trim(), StringComparer.Ordinal));
        if (sel.CustomerIds is { Count: > 0 } ids) q = q.Where(s => ids.Contains(s.Id));
        if (sel.Stages is { Count: > 0 } names)
        {
            var wanted = names.Select(n => Enum.Parse<LifecycleStage>(n, true)).ToHashSet();
            var staged = (await lifecycle.ListAsync(new ReportScope(agentId), ct)).Stores.Where(s => wanted.Contains(s.Assessment.Stage)).Select(s => s.CustomerId).ToHashSet();
            q = q.Where(s => staged.Contains(s.Id));
        }
        if (sel.RestockDue)
        {
            var due = await restock.StoresDueAsync(ct);
            q = q.Where(s => due.Contains(s.Id));
        }
        return q.Select(s => s.Id).Order().ToList();
    }

    /// <summary>
    /// Records the message and each selected store's outcome, then sends one add_msg_template per agent. Validate first.
    /// A retry with the same Idempotency-Key answers the first message and sends nothing again.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for a different message.</exception>
    public async Task<MassMessageCreated> CreateAsync(MassMessageAuthor author, MassMessageInput m, string idempotencyKey, CancellationToken ct = default)
    {
        var scope = $"chat-mass:{author.Kind}:{author.Id}";
        var sel = m.Selection;
        var hash = Idempotency.Hash(m.Text, m.CardKind, m.CardSubject, Join(sel.GroupIds), Join(sel.Regions), Join(sel.Stages), sel.RestockDue, Join(sel.CustomerIds));
        await using var c = await db.OpenAsync(ct);
        if (await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) is { } done)
            return new MassMessageCreated((await GetAsync(done, author.AgentId, ct))!, true);

        await CheckCardSubjectAsync(c, m);
        var stores = await SelectAsync(sel, author.AgentId, ct);
        if (stores.Count == 0) throw new AppProblem(422, "没有符合条件的门店", "No store matches the selection", null);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var facts = await StoreFactsAsync(c, stores, now);

        long id;
        await using (var tx = await db.BeginWriteAsync(c, ct))
        {
            if (await Idempotency.LockAndFindAsync(c, tx, scope, idempotencyKey, hash) is { } raced)
            {
                await tx.RollbackAsync(ct);
                return new MassMessageCreated((await GetAsync(raced, author.AgentId, ct))!, true);
            }
            id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO chat_mass_messages (created_by_kind, created_by_id, agent_id, text, card_kind, card_subject, selection, created_at)
                VALUES (@Kind, @Id, @agentId, @text, @CardKind, @CardSubject, @selection, @now) RETURNING id
                """, new { author.Kind, author.Id, agentId = author.AgentId, text = string.IsNullOrWhiteSpace(m.Text) ? null : m.Text.Trim(), m.CardKind, m.CardSubject,
                    selection = JsonSerializer.Serialize(sel), now }, tx);
            var tasks = new Dictionary<long, long>();
            foreach (var f in facts)
            {
                if (f.HeldReason is { } reason)
                {
                    await c.ExecuteAsync("""
                        INSERT INTO chat_mass_message_targets (message_id, customer_id, external_user_id, status, reason, created_at)
                        VALUES (@id, @CustomerId, '', @held, @reason, @now)
                        """, new { id, f.CustomerId, held = MassTargetStatus.Held, reason, now }, tx);
                    continue;
                }
                if (!tasks.TryGetValue(f.AgentId!.Value, out var taskId))
                    tasks[f.AgentId.Value] = taskId = await c.ExecuteScalarAsync<long>("""
                        INSERT INTO chat_mass_message_tasks (message_id, agent_id, sender, status, next_check_at, created_at)
                        VALUES (@id, @agentId, @sender, 'pending', @now, @now) RETURNING id
                        """, new { id, agentId = f.AgentId, sender = f.Sender, now }, tx);
                foreach (var ext in f.Contacts)
                    await c.ExecuteAsync("""
                        INSERT INTO chat_mass_message_targets (message_id, customer_id, external_user_id, task_id, status, created_at)
                        VALUES (@id, @CustomerId, @ext, @taskId, @pending, @now)
                        """, new { id, f.CustomerId, ext, taskId, pending = MassTargetStatus.Pending, now }, tx);
            }
            if (!await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now))
            {
                await tx.RollbackAsync(ct);
                var first = await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) ?? throw new InvalidOperationException("idempotency key vanished");
                return new MassMessageCreated((await GetAsync(first, author.AgentId, ct))!, true);
            }
            await tx.CommitAsync(ct);
        }
        await SendPendingAsync(c, id, ct);
        return new MassMessageCreated((await GetAsync(id, author.AgentId, ct))!, false);
    }

    private sealed record StoreFacts(long CustomerId, long? AgentId, string? Sender, IReadOnlyList<string> Contacts, string? HeldReason);

    /// <summary>Per store: its agent and sender, its contacts, and why it is held back (the store's rules first).</summary>
    private async Task<List<StoreFacts>> StoreFactsAsync(DbConnection c, IReadOnlyList<long> stores, long now)
    {
        var result = new List<StoreFacts>();
        var dayStart = PushPolicy.DayStart(now);
        var cap = notices.DailyPushCapPerStore;
        foreach (var chunk in stores.Chunk(500))
        {
            var ids = chunk.ToArray();
            var info = (await c.QueryAsync<(long Id, long? AgentId, string? Sender, bool AgentActive)>($"""
                SELECT cu.id, cu.agent_id, a.wecom_userid, COALESCE(a.active, FALSE) FROM customers cu LEFT JOIN agents a ON a.id = cu.agent_id
                WHERE {In("cu.id", "ids")}
                """, new { ids })).ToDictionary(x => x.Id);
            var contacts = (await c.QueryAsync<(long CustomerId, string Ext)>(
                $"SELECT customer_id, external_user_id FROM wecom_contact_links WHERE {In("customer_id", "ids")} ORDER BY external_user_id", new { ids })).ToLookup(x => x.CustomerId, x => x.Ext);
            var muted = (await c.QueryAsync<long>($"""
                SELECT DISTINCT u.customer_id FROM notification_preferences p JOIN customer_users u ON u.id = p.customer_user_id
                WHERE {In("u.customer_id", "ids")} AND u.active = TRUE AND p.kind = @kind AND p.muted = TRUE
                """, new { ids, kind = NotificationKind.ChatMassMessage })).ToHashSet();
            var pushed = cap <= 0 ? new Dictionary<long, long>() : (await c.QueryAsync<(long CustomerId, long N)>($"""
                SELECT customer_id, CAST(SUM(n) AS BIGINT) FROM (
                    SELECT n.customer_id, COUNT(*) AS n FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id
                    WHERE {In("n.customer_id", "ids")} AND d.status = 'sent' AND d.sent_at >= @dayStart GROUP BY n.customer_id
                    UNION ALL
                    SELECT customer_id, COUNT(DISTINCT message_id) AS n FROM chat_mass_message_targets
                    WHERE {In("customer_id", "ids")} AND created_at >= @dayStart AND status <> '{MassTargetStatus.Held}' AND status <> '{MassTargetStatus.Rejected}'
                    GROUP BY customer_id) x GROUP BY customer_id
                """, new { ids, dayStart })).ToDictionary(x => x.CustomerId, x => x.N);
            foreach (var id in ids)
            {
                var i = info[id];
                var ext = contacts[id].ToList();
                string? held =
                    muted.Contains(id) ? "门店已关闭业务员群发消息 / the store turned mass messages off"
                    : cap > 0 && pushed.GetValueOrDefault(id) >= cap ? PushPolicy.CappedReason(cap)
                    : i.AgentId is null || !i.AgentActive ? "门店没有业务员 / the store has no agent"
                    : string.IsNullOrWhiteSpace(i.Sender) ? "业务员未设置企业微信账号 / the store's agent has no WeChat Work userid"
                    : ext.Count == 0 ? "门店未绑定企业微信联系人 / the store has no linked WeChat Work contact"
                    : null;
                result.Add(new StoreFacts(id, i.AgentId, i.Sender, ext, held));
            }
        }
        return result;
    }

    private static async Task CheckCardSubjectAsync(DbConnection c, MassMessageInput m)
    {
        var found = m.CardKind switch
        {
            MassCardKind.Product => await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products WHERE sku = @CardSubject AND active = TRUE", new { m.CardSubject }) > 0,
            MassCardKind.Promotion => long.TryParse(m.CardSubject, out var pid) && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM promotions WHERE id = @pid AND active = TRUE", new { pid }) > 0,
            MassCardKind.CommunityPost => long.TryParse(m.CardSubject, out var post) && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM community_posts WHERE id = @post AND published_at IS NOT NULL", new { post }) > 0,
            _ => true,
        };
        if (!found) throw AppProblem.NotFound("卡片的商品、促销或社区文章不存在", "The card's product, promotion or community post was not found");
    }

    /// <summary>Sends the message's tasks that are still pending (at create, and again from the result work after a failure).</summary>
    private async Task SendPendingAsync(DbConnection c, long messageId, CancellationToken ct)
    {
        var message = await c.QuerySingleAsync<(string? Text, string? CardKind, string? CardSubject)>(
            "SELECT text, card_kind, card_subject FROM chat_mass_messages WHERE id = @messageId", new { messageId });
        var tasks = (await c.QueryAsync<(long Id, long AgentId, string Sender, string? ShareCode, int Attempts)>(
            "SELECT id, agent_id, sender, share_code, attempts FROM chat_mass_message_tasks WHERE message_id = @messageId AND status = 'pending'", new { messageId })).ToList();
        foreach (var t in tasks) await SendTaskAsync(c, messageId, t.Id, t.AgentId, t.Sender, t.ShareCode, t.Attempts, message, ct);
    }

    private async Task SendTaskAsync(DbConnection c, long messageId, long taskId, long agentId, string sender, string? shareCode, int attempts,
        (string? Text, string? CardKind, string? CardSubject) message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var contacts = (await c.QueryAsync<string>("SELECT external_user_id FROM chat_mass_message_targets WHERE task_id = @taskId", new { taskId })).ToList();
        try
        {
            var client = clients.WeComContacts();
            MiniProgramAttachment? card = null;
            if (message.CardKind is not null)
            {
                shareCode ??= await ShareCodeAsync(c, taskId, agentId, message.CardKind, message.CardSubject, now);
                var (page, title) = await CardPageAsync(c, message.CardKind, message.CardSubject, shareCode);
                card = new MiniProgramAttachment(Truncate(title, 64), await cover.MediaIdAsync(client, ct), clients.WeChat.AppId, WeComPage(page));
            }
            var result = await client.AddMessageTemplateAsync(sender, contacts, message.Text, card, ct);
            await using var tx = await db.BeginWriteAsync(c, ct);
            await c.ExecuteAsync("UPDATE chat_mass_message_tasks SET status = 'created', msgid = @MsgId, attempts = attempts + 1, error = NULL, next_check_at = @now WHERE id = @taskId",
                new { result.MsgId, now, taskId }, tx);
            await c.ExecuteAsync($"UPDATE chat_mass_message_targets SET status = '{MassTargetStatus.Waiting}' WHERE task_id = @taskId", new { taskId }, tx);
            if (result.FailList.Count > 0)
                await c.ExecuteAsync($"""
                    UPDATE chat_mass_message_targets SET status = '{MassTargetStatus.Rejected}', reason = @reason
                    WHERE task_id = @taskId AND {In("external_user_id", "fail")}
                    """, new { taskId, fail = result.FailList.ToArray(), reason = "企业微信：不是该业务员的客户或无法发送 / WeChat Work: not this agent's customer, or cannot be sent (fail_list)" }, tx);
            await tx.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is WeChatApiException or AppProblem or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var error = ex is WeChatApiException w ? WeChatErrors.Explain(w) : WeChatErrors.Shorten(ex.Message);
            var retry = ex is WeChatApiException { Kind: WeChatErrorKind.ServiceUnavailable or WeChatErrorKind.RateLimited } or HttpRequestException or TaskCanceledException
                        && attempts + 1 < MaxTaskAttempts;
            log.LogWarning("群发 task {TaskId} of message {MessageId} not created: {Error}", taskId, messageId, error);
            await c.ExecuteAsync("""
                UPDATE chat_mass_message_tasks SET status = @status, attempts = attempts + 1, error = @error, next_check_at = @next WHERE id = @taskId
                """, new { status = retry ? "pending" : "failed", error, next = now + (long)CheckEvery.TotalMilliseconds, taskId });
            if (!retry)
                await c.ExecuteAsync($"UPDATE chat_mass_message_targets SET status = '{MassTargetStatus.Rejected}', reason = @error WHERE task_id = @taskId", new { error, taskId });
        }
    }

    /// <summary>The card's share code for this agent (one per task; orders from the card count for the agent).</summary>
    private static async Task<string> ShareCodeAsync(DbConnection c, long taskId, long agentId, string kind, string? subject, long now)
    {
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        long? productId = kind == MassCardKind.Product ? await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @subject", new { subject }) : null;
        long? promotionId = kind == MassCardKind.Promotion && long.TryParse(subject, out var p) ? p : null;
        var expires = now + (long)ShareLinks.Lifetime.TotalMilliseconds;
        await c.ExecuteAsync("""
            INSERT INTO share_links (code, agent_id, product_id, promotion_id, customer_id, created_at, expires_at)
            VALUES (@code, @agentId, @productId, @promotionId, NULL, @now, @expires)
            """, new { code, agentId, productId, promotionId, now, expires });
        await c.ExecuteAsync("UPDATE chat_mass_message_tasks SET share_code = @code WHERE id = @taskId", new { code, taskId });
        return code;
    }

    private async Task<(string Page, string Title)> CardPageAsync(DbConnection c, string kind, string? subject, string code)
    {
        switch (kind)
        {
            case MassCardKind.Product:
                var name = await c.ExecuteScalarAsync<string>("SELECT name FROM products WHERE sku = @subject", new { subject }) ?? subject!;
                return ($"{S.ProductPage}?sku={Uri.EscapeDataString(subject!)}&share={code}", name);
            case MassCardKind.Promotion:
                var promo = await c.ExecuteScalarAsync<string>("SELECT name FROM promotions WHERE id = @id", new { id = long.Parse(subject!) }) ?? "促销";
                return ($"{S.PromotionPage}?promotionId={subject}&share={code}", promo);
            case MassCardKind.CommunityPost:
                var post = await c.ExecuteScalarAsync<string>("SELECT title FROM community_posts WHERE id = @id", new { id = long.Parse(subject!) }) ?? "经销商社区";
                return ($"{S.CommunityPostPage}?id={subject}&share={code}", post);
            default:
                return ($"{S.CatalogPage}?share={code}", S.WelcomeCardTitle);
        }
    }

    private static string WeComPage(string page) => page.Split('?', 2) is [var path, var query] ? $"{path}.html?{query}" : page + ".html";

    /// <summary>
    /// The result work: sends tasks still pending (after a passing failure), then reads back every created task that is due
    /// (get_groupmsg_task: has the agent sent it? then get_groupmsg_send_result) and books each contact's status. A task is
    /// done when no contact waits any more, or <see cref="FollowFor"/> after it was created.
    /// </summary>
    /// <returns>Tasks read back.</returns>
    public async Task<int> CheckDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        foreach (var messageId in await c.QueryAsync<long>(
                     "SELECT DISTINCT message_id FROM chat_mass_message_tasks WHERE status = 'pending' AND next_check_at <= @now", new { now }))
            await SendPendingAsync(c, messageId, ct);

        var due = (await c.QueryAsync<(long Id, string MsgId, string Sender, long CreatedAt)>("""
            SELECT id, msgid, sender, created_at FROM chat_mass_message_tasks WHERE status = 'created' AND next_check_at <= @now ORDER BY next_check_at LIMIT 200
            """, new { now })).ToList();
        var read = 0;
        foreach (var t in due)
        {
            try
            {
                var client = clients.WeComContacts();
                var members = await client.GetGroupMessageTasksAsync(t.MsgId, ct);
                var results = members.Any(m => m.UserId == t.Sender && m.Sent)
                    ? await client.GetGroupMessageSendResultsAsync(t.MsgId, t.Sender, ct)
                    : [];
                await using var tx = await db.BeginWriteAsync(c, ct);
                foreach (var r in results)
                    await c.ExecuteAsync($"""
                        UPDATE chat_mass_message_targets SET status = @status, sent_at = @sentAt
                        WHERE task_id = @Id AND external_user_id = @ExternalUserId AND status <> '{MassTargetStatus.Rejected}'
                        """, new { status = MassTargetStatus.FromWeCom(r.Status), sentAt = r.SentAt?.ToUnixTimeMilliseconds(), t.Id, r.ExternalUserId }, tx);
                var waiting = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM chat_mass_message_targets WHERE task_id = @Id AND status = '{MassTargetStatus.Waiting}'", new { t.Id }, tx);
                var finished = waiting == 0 || now - t.CreatedAt > (long)FollowFor.TotalMilliseconds;
                await c.ExecuteAsync("UPDATE chat_mass_message_tasks SET status = @status, checked_at = @now, next_check_at = @next, error = NULL WHERE id = @Id",
                    new { status = finished ? "done" : "created", now, next = now + (long)CheckEvery.TotalMilliseconds, t.Id }, tx);
                await tx.CommitAsync(ct);
                read++;
            }
            catch (Exception ex) when (ex is WeChatApiException or AppProblem or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // 41063 (still being dispatched), a passing fault: read again at the next check
                var error = ex is WeChatApiException w ? WeChatErrors.Explain(w) : WeChatErrors.Shorten(ex.Message);
                await c.ExecuteAsync("UPDATE chat_mass_message_tasks SET error = @error, checked_at = @now, next_check_at = @next WHERE id = @Id",
                    new { error, now, next = now + (long)CheckEvery.TotalMilliseconds, t.Id });
            }
        }
        return read;
    }

    /// <summary>Messages newest first (an agent's own only when <paramref name="agentId"/> is given); keyset cursor by id.</summary>
    public async Task<MassMessagePage> ListAsync(long? agentId, long? before, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<MessageRow>("""
            SELECT id AS Id, created_by_kind AS CreatedByKind, created_by_id AS CreatedById, agent_id AS AgentId, text AS Text, card_kind AS CardKind,
                   card_subject AS CardSubject, created_at AS CreatedAtMs
            FROM chat_mass_messages WHERE (@agentId IS NULL OR agent_id = @agentId) AND (@before IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @take
            """, new { agentId, before, take = limit + 1 })).ToList();
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var ids = rows.Select(r => r.Id).ToArray();
        var targets = ids.Length == 0 ? [] : (await c.QueryAsync<(long MessageId, long CustomerId, string Status)>(
            $"SELECT message_id, customer_id, status FROM chat_mass_message_targets WHERE {In("message_id", "ids")}", new { ids })).ToList();
        var byMessage = targets.ToLookup(t => t.MessageId);
        var items = rows.Select(r => r.ToSummary(Counts(byMessage[r.Id].GroupBy(t => t.CustomerId).Select(g => MassTargetStatus.OfStore(g.Select(x => x.Status)))))).ToList();
        return new MassMessagePage(items, more ? items[^1].Id : null);
    }

    /// <summary>One message with each store's outcome; null when it does not exist or is not this agent's.</summary>
    public async Task<MassMessageDetail?> GetAsync(long id, long? agentId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<MessageRow>("""
            SELECT id AS Id, created_by_kind AS CreatedByKind, created_by_id AS CreatedById, agent_id AS AgentId, text AS Text, card_kind AS CardKind,
                   card_subject AS CardSubject, created_at AS CreatedAtMs
            FROM chat_mass_messages WHERE id = @id AND (@agentId IS NULL OR agent_id = @agentId)
            """, new { id, agentId });
        if (row is null) return null;
        var targets = (await c.QueryAsync<(long CustomerId, string Code, string Name, string Ext, string Status, string? Reason, long? SentAt)>("""
            SELECT t.customer_id, cu.code, cu.name, t.external_user_id, t.status, t.reason, t.sent_at
            FROM chat_mass_message_targets t JOIN customers cu ON cu.id = t.customer_id WHERE t.message_id = @id ORDER BY cu.code, t.external_user_id
            """, new { id })).ToList();
        var stores = targets.GroupBy(t => (t.CustomerId, t.Code, t.Name)).Select(g =>
        {
            var status = MassTargetStatus.OfStore(g.Select(x => x.Status));
            var contacts = g.Where(x => x.Ext != "").ToList();
            var reason = status == MassTargetStatus.Sent ? null : g.Select(x => x.Reason).FirstOrDefault(r => r is not null);
            return new MassMessageStore(g.Key.CustomerId, g.Key.Code, g.Key.Name, status, reason, contacts.Count,
                contacts.Count(x => x.Status == MassTargetStatus.Sent), contacts.Where(x => x.Status == MassTargetStatus.Sent).Min(x => x.SentAt));
        }).ToList();
        var tasks = (await c.QueryAsync<MassMessageTask>("""
            SELECT t.agent_id AS AgentId, a.name AS AgentName, t.sender AS Sender, t.msgid AS MsgId, t.status AS Status, t.error AS Error, t.share_code AS ShareCode
            FROM chat_mass_message_tasks t JOIN agents a ON a.id = t.agent_id WHERE t.message_id = @id ORDER BY t.agent_id
            """, new { id })).ToList();
        return new MassMessageDetail(row.ToSummary(Counts(stores.Select(s => s.Status))), stores, tasks);
    }

    private static MassMessageCounts Counts(IEnumerable<string> storeStatuses)
    {
        var l = storeStatuses.ToList();
        return new MassMessageCounts(l.Count, l.Count(s => s == MassTargetStatus.Sent), l.Count(s => s is MassTargetStatus.Waiting or MassTargetStatus.Pending),
            l.Count(s => s == MassTargetStatus.Held), l.Count(s => s is MassTargetStatus.Rejected or MassTargetStatus.NotFriend or MassTargetStatus.AlreadyReceived));
    }

    private sealed class MessageRow
    {
        public long Id { get; init; }
        public string CreatedByKind { get; init; } = "";
        public long CreatedById { get; init; }
        public long? AgentId { get; init; }
        public string? Text { get; init; }
        public string? CardKind { get; init; }
        public string? CardSubject { get; init; }
        public long CreatedAtMs { get; init; }
        public MassMessageSummary ToSummary(MassMessageCounts counts) => new(Id, CreatedByKind, CreatedById, AgentId, Text, CardKind, CardSubject, CreatedAtMs, counts);
    }

    private static string Join<T>(IReadOnlyList<T>? xs) => xs is null ? "" : string.Join(',', xs.Select(x => x?.ToString()).Order(StringComparer.Ordinal));

    private static string Truncate(string s, int maxBytes)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(s) > maxBytes) s = s[..^1];
        return s;
    }
}

/// <summary>Reads back the agents' 群发 results from WeChat Work (see <see cref="MassMessages.CheckDueAsync"/>).</summary>
public sealed class CheckWeComMassMessages(MassMessages messages) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => await messages.CheckDueAsync(ct);
}

/// <summary>An agent's chat group and the welcome text its stores get.</summary>
public sealed record AgentChatGroup(long AgentId, string? ChatGroup, string WelcomeText);

/// <summary>Which welcome text an agent's stores get (agents.chat_group, WeCom:Chat:WelcomeByGroup).</summary>
public sealed class AgentChatGroups(Db db, WeComSettings weCom)
{
    /// <returns>The agent with its group, or null when there is no such agent.</returns>
    public async Task<AgentChatGroup?> SetAsync(long agentId, string? group, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (await c.ExecuteAsync("UPDATE agents SET chat_group = @group WHERE id = @agentId", new { group, agentId }) == 0) return null;
        var text = group is not null && weCom.Chat.WelcomeByGroup.TryGetValue(group, out var t) ? t : weCom.Chat.WelcomeText;
        return new AgentChatGroup(agentId, group, text);
    }
}
