using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Notifications;
using OrderHub.Application.Data;
using OrderHub.Application.Ordering;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;
using OrderHub.WeChat;

namespace OrderHub.Application.WeChat;

public sealed record TemplateInfo(
    [property: Description("模板键：OrderApproved、OrderRejected、OrderShipped… / Template key: OrderApproved, OrderRejected, OrderShipped…")] string Key,
    [property: Description("微信订阅消息模板 id (传给 wx.requestSubscribeMessage) / WeChat template id, for wx.requestSubscribeMessage")] string TemplateId);

public sealed record SubscriptionState(
    [property: Description("模板键 / Template key")] string Key,
    [property: Description("微信订阅消息模板 id / WeChat template id")] string TemplateId,
    [property: Description("还可以发送的条数 / Messages still allowed")] int Remaining);

/// <summary>
/// WeChat one-time subscriptions (一次性订阅): the mini-program asks with wx.requestSubscribeMessage and reports what the
/// user allowed; every "allow" permits one message of that template, so acceptances are counted.
/// </summary>
public sealed class WeChatSubscriptions(Db db, TimeProvider clock, WeChatSettings settings)
{
    public const string CustomerUser = "customer_user";

    /// <summary>The configured templates, for wx.requestSubscribeMessage (tmplIds).</summary>
    public IReadOnlyList<TemplateInfo> Templates() =>
        settings.Templates.Where(t => !string.IsNullOrWhiteSpace(t.Value.TemplateId)).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TemplateInfo(t.Key, t.Value.TemplateId)).ToList();

    /// <summary>
    /// Records the templates the user allowed. <paramref name="accepted"/> names templates by settings key or template id
    /// and must be among <paramref name="asked"/> when that is given; refused ones change nothing.
    /// </summary>
    public async Task<IReadOnlyList<SubscriptionState>> RecordAsync(string userKind, long userId, IReadOnlyList<string>? asked, IReadOnlyList<string> accepted, CancellationToken ct = default)
    {
        var templates = Templates();
        string? KeyOf(string s) => templates.FirstOrDefault(t => string.Equals(t.Key, s, StringComparison.OrdinalIgnoreCase) || t.TemplateId == s)?.Key;
        var unknown = (asked ?? []).Concat(accepted).Where(s => KeyOf(s) is null).Distinct().ToList();
        if (unknown.Count > 0)
            throw AppProblem.BadRequest($"未配置的消息模板：{string.Join(", ", unknown)}", $"Unknown subscribe-message templates: {string.Join(", ", unknown)}");
        var askedKeys = asked is null ? null : asked.Select(s => KeyOf(s)!).ToHashSet();
        var keys = accepted.Select(s => KeyOf(s)!).ToList();
        if (askedKeys is not null && askedKeys.Count > 0 && keys.Any(k => !askedKeys.Contains(k)))
            throw AppProblem.BadRequest("accepted 中的模板必须在 templateKeys 中", "accepted may only name templates listed in templateKeys");

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        foreach (var key in keys)
            await c.ExecuteAsync("""
                INSERT INTO wechat_subscriptions (user_kind, user_id, template_key, remaining, accepted_total, updated_at)
                VALUES (@userKind, @userId, @key, 1, 1, @now)
                ON CONFLICT (user_kind, user_id, template_key) DO UPDATE
                SET remaining = wechat_subscriptions.remaining + 1, accepted_total = wechat_subscriptions.accepted_total + 1, updated_at = excluded.updated_at
                """, new { userKind, userId, key, now }, tx);
        await tx.CommitAsync(ct);
        return await StateAsync(userKind, userId, ct);
    }

    public async Task<IReadOnlyList<SubscriptionState>> StateAsync(string userKind, long userId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var counts = (await c.QueryAsync<(string Key, int Remaining)>(
            "SELECT template_key, remaining FROM wechat_subscriptions WHERE user_kind = @userKind AND user_id = @userId", new { userKind, userId }))
            .ToDictionary(r => r.Key, r => r.Remaining, StringComparer.OrdinalIgnoreCase);
        return Templates().Select(t => new SubscriptionState(t.Key, t.TemplateId, counts.GetValueOrDefault(t.Key))).ToList();
    }
}

public sealed record DispatchResult(int Enqueued, int Sent, int Skipped, int Retrying, int Failed);

/// <summary>
/// Sends notifications (proxy order placed, approved, rejected, shipped, statement ready…) as subscribe messages.
/// Each run first gives every new notification a delivery row, then works through the due ones: the notification kind
/// picks the template (Templates:&lt;Kind&gt;), the fields are filled from the order and store, one acceptance of the
/// user is consumed, and the message is sent. 43101 and "no acceptance" are recorded as skipped; transient errors are
/// retried with backoff, up to Dispatch:MaxAttempts. Orders never wait for this: it runs apart, after they commit.
/// </summary>
public sealed partial class SubscribeMessageDispatcher(Db db, TimeProvider clock, WeChatClients clients, NotificationOptions notices, ILogger<SubscribeMessageDispatcher> log)
{
    private WeChatSettings Settings => clients.WeChat;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public async Task<DispatchResult> DispatchDueAsync(CancellationToken ct = default)
    {
        if (!Settings.IsConfigured) return new DispatchResult(0, 0, 0, 0, 0);
        var d = Settings.Dispatch;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        int enqueued;
        List<DueRow> due;
        await using (var c = await db.OpenAsync(ct))
        {
            enqueued = await c.ExecuteAsync("""
                INSERT INTO wechat_deliveries (notification_id, status, attempts, next_attempt_at, created_at)
                SELECT n.id, 'pending', 0, @now, @now FROM notifications n
                WHERE n.created_at >= @since AND NOT EXISTS (SELECT 1 FROM wechat_deliveries d WHERE d.notification_id = n.id)
                ON CONFLICT (notification_id) DO NOTHING
                """, new { now, since = now - (long)TimeSpan.FromHours(Math.Max(1, d.MaxAgeHours)).TotalMilliseconds });
            due = (await c.QueryAsync<DueRow>(SelectDue + " LIMIT " + Math.Clamp(d.BatchSize, 1, 1000), new { now })).ToList();
        }

        int sent = 0, skipped = 0, retrying = 0, failed = 0;
        WeChatMiniProgramClient? client = null;
        foreach (var row in due)
        {
            ct.ThrowIfCancellationRequested();
            switch (await DeliverAsync(row, () => client ??= clients.MiniProgram(), ct))
            {
                case "sent": sent++; break;
                case "skipped": skipped++; break;
                case "failed": failed++; break;
                case "pending": retrying++; break;
            }
        }
        if (due.Count > 0)
            log.LogInformation("WeChat subscribe messages: {Sent} sent, {Skipped} skipped, {Retrying} to retry, {Failed} failed", sent, skipped, retrying, failed);
        return new DispatchResult(enqueued, sent, skipped, retrying, failed);
    }

    private async Task<string?> DeliverAsync(DueRow row, Func<WeChatMiniProgramClient> client, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        // claim: whoever moves next_attempt_at first owns this attempt (another node or run skips it)
        var claimed = await c.ExecuteAsync("""
            UPDATE wechat_deliveries SET attempts = attempts + 1, next_attempt_at = @lease
            WHERE notification_id = @id AND status = 'pending' AND next_attempt_at = @seen
            """, new { id = row.NotificationId, seen = row.NextAttemptAt, lease = now + (long)Lease.TotalMilliseconds });
        if (claimed == 0) return null;
        var attempts = row.Attempts + 1;

        var template = Settings.TemplateForKind(row.Kind);
        if (template is null) return await FinishAsync(c, row, "skipped", null, null, $"no template configured for {row.Kind}", null);
        var (key, t) = template.Value;
        if (row.UserActive == 0 || string.IsNullOrEmpty(row.OpenId))
            return await FinishAsync(c, row, "skipped", key, null, "the user has no WeChat openid", null);

        // The store's own rules come before WeChat's: a kind the user turned off, quiet hours, the store's daily cap.
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notification_preferences WHERE customer_user_id = @userId AND kind = @kind AND muted = TRUE",
                new { userId = row.UserId, kind = row.Kind }) > 0)
            return await FinishAsync(c, row, "held", key, null, PushPolicy.MutedReason, null);
        if (PushPolicy.QuietUntil(notices, now) is { } quietUntil)
        {
            // not an attempt: wait for the end of quiet hours
            await c.ExecuteAsync("""
                UPDATE wechat_deliveries SET attempts = attempts - 1, next_attempt_at = @quietUntil, last_error = @note
                WHERE notification_id = @id AND status = 'pending'
                """, new { quietUntil, note = PushPolicy.QuietNote, id = row.NotificationId });
            return "pending";
        }
        var cap = notices.DailyPushCapPerStore;
        if (cap > 0 && await c.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM wechat_deliveries d JOIN notifications n ON n.id = d.notification_id
                WHERE n.customer_id = @customerId AND d.status = 'sent' AND d.sent_at >= @dayStart
                """, new { customerId = row.CustomerId, dayStart = PushPolicy.DayStart(now) }) >= cap)
            return await FinishAsync(c, row, "held", key, null, PushPolicy.CappedReason(cap), null);

        var reserved = await c.ExecuteAsync("""
            UPDATE wechat_subscriptions SET remaining = remaining - 1, updated_at = @now
            WHERE user_kind = 'customer_user' AND user_id = @userId AND template_key = @key AND remaining > 0
            """, new { now, userId = row.UserId, key });
        if (reserved == 0)
            return await FinishAsync(c, row, "skipped", key, 43101, "43101: the user has not accepted this template (no acceptance left)", null);

        var values = Values(row);
        var page = string.IsNullOrWhiteSpace(t.Page) ? null : Render(t.Page, values, Uri.EscapeDataString);
        try
        {
            // each value valid for its field type (thing, time, amount, phrase…) or a SubscribeFieldException below
            var data = t.Fields.ToDictionary(f => f.Key, f => SubscribeMessageFields.Format(f.Key, Render(f.Value, values)));
            var msgId = await client().SendSubscribeMessageAsync(row.OpenId!, t.TemplateId, page, data, Settings.State, ct);
            return await FinishAsync(c, row, "sent", key, 0, null, msgId?.ToString(CultureInfo.InvariantCulture));
        }
        catch (WeChatApiException ex) when (ex.Kind == WeChatErrorKind.SubscribeRefused)
        {
            // WeChat knows better than our count: nothing is left for this template
            await c.ExecuteAsync("UPDATE wechat_subscriptions SET remaining = 0 WHERE user_kind = 'customer_user' AND user_id = @userId AND template_key = @key",
                new { userId = row.UserId, key });
            return await FinishAsync(c, row, "skipped", key, ex.Errcode, WeChatErrors.Shorten(ex.Message), null);
        }
        catch (SubscribeFieldException ex)
        {
            // a value that cannot be valid for its field (a template's Fields mapping or the data): never sent, not retried
            await c.ExecuteAsync("UPDATE wechat_subscriptions SET remaining = remaining + 1 WHERE user_kind = 'customer_user' AND user_id = @userId AND template_key = @key",
                new { userId = row.UserId, key });
            log.LogWarning("WeChat subscribe message for notification {Id} not sent: {Error}", row.NotificationId, ex.Message);
            return await FinishAsync(c, row, "failed", key, null, WeChatErrors.Shorten(ex.Message), null);
        }
        catch (Exception ex) when (ex is WeChatApiException or AppProblem or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // not delivered: give the acceptance back
            await c.ExecuteAsync("UPDATE wechat_subscriptions SET remaining = remaining + 1 WHERE user_kind = 'customer_user' AND user_id = @userId AND template_key = @key",
                new { userId = row.UserId, key });
            var wx = ex as WeChatApiException;
            // a configuration error (wrong secret, IP not whitelisted) is not retried: the health endpoint says what to fix
            var transient = wx is null ? ex is not AppProblem : WeChatErrors.IsTransient(wx.Kind);
            var error = wx is not null && WeChatApiException.IsConfigurationError(wx.Kind) ? WeChatErrors.Explain(wx) : WeChatErrors.Shorten(ex.Message);
            if (!transient || attempts >= Math.Max(1, Settings.Dispatch.MaxAttempts))
            {
                log.LogWarning("WeChat subscribe message for notification {Id} failed for good after {Attempts} attempts: {Error}", row.NotificationId, attempts, error);
                return await FinishAsync(c, row, "failed", key, wx?.Errcode, error, null);
            }
            var delay = TimeSpan.FromSeconds(Math.Min(3600, Math.Max(1, Settings.Dispatch.RetryBaseSeconds) * Math.Pow(2, attempts - 1)));
            await c.ExecuteAsync("""
                UPDATE wechat_deliveries SET template_key = @key, errcode = @errcode, last_error = @error, next_attempt_at = @next
                WHERE notification_id = @id AND status = 'pending'
                """, new { key, errcode = wx?.Errcode, error, next = now + (long)delay.TotalMilliseconds, id = row.NotificationId });
            return "pending";
        }
    }

    private async Task<string> FinishAsync(System.Data.Common.DbConnection c, DueRow row, string status, string? key, int? errcode, string? error, string? msgId)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await c.ExecuteAsync("""
            UPDATE wechat_deliveries SET status = @status, template_key = @key, errcode = @errcode, last_error = @error, msg_id = @msgId,
                   sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END
            WHERE notification_id = @id
            """, new { status, key, errcode, error, msgId, now, id = row.NotificationId });
        return status;
    }

    /// <summary>The placeholders a template's fields and page may use.</summary>
    private static Dictionary<string, string> Values(DueRow r)
    {
        var v = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kind"] = r.Kind,
            ["title"] = r.Title,
            ["body"] = r.Body,
            ["customerName"] = r.CustomerName,
            ["customerCode"] = r.CustomerCode,
            ["userName"] = r.UserName,
            ["time"] = Minutes(r.CreatedAt),
            ["orderNo"] = r.OrderNo ?? "",
            ["orderId"] = r.OrderId?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["total"] = r.TotalFen is { } t ? Money.Format(t) : "",
            ["totalYuan"] = r.TotalFen is { } y ? (y / 100m).ToString("0.00", CultureInfo.InvariantCulture) : "",
            ["status"] = r.OrderStatus is { } s ? OrderStatus.Label(s) : "",
            ["orderTime"] = r.OrderCreatedAt is { } oc ? Minutes(oc) : "",
            ["reason"] = r.RejectReason ?? r.CancelReason ?? "",
            ["agentName"] = r.AgentName ?? "",
        };
        if (!string.IsNullOrEmpty(r.Params))
        {
            try
            {
                foreach (var (k, val) in JsonSerializer.Deserialize<Dictionary<string, string>>(r.Params) ?? []) v[k] = val;
            }
            catch (JsonException) { /* a bad params column only loses its placeholders */ }
        }
        return v;
    }

    private static string Minutes(long ms) => ShanghaiTime.FromUnixMs(ms).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    public static string Render(string pattern, IReadOnlyDictionary<string, string> values, Func<string, string>? encode = null) =>
        Placeholder().Replace(pattern, m => values.TryGetValue(m.Groups[1].Value, out var v) ? (encode is null ? v : encode(v)) : "");

    private const string SelectDue = """
        SELECT d.notification_id AS NotificationId, d.attempts AS Attempts, d.next_attempt_at AS NextAttemptAt, d.params AS Params,
               n.kind AS Kind, n.title AS Title, n.body AS Body, n.created_at AS CreatedAt, n.customer_user_id AS UserId,
               u.wechat_openid AS OpenId, u.name AS UserName, CASE WHEN u.active = TRUE THEN 1 ELSE 0 END AS UserActive,
               c.name AS CustomerName, c.code AS CustomerCode, n.customer_id AS CustomerId,
               o.id AS OrderId, o.order_no AS OrderNo, o.total_fen AS TotalFen, o.status AS OrderStatus, o.created_at AS OrderCreatedAt,
               o.reject_reason AS RejectReason, o.cancel_reason AS CancelReason, a.name AS AgentName
        FROM wechat_deliveries d
        JOIN notifications n ON n.id = d.notification_id
        JOIN customer_users u ON u.id = n.customer_user_id
        JOIN customers c ON c.id = n.customer_id
        LEFT JOIN orders o ON o.id = n.order_id
        LEFT JOIN agents a ON a.id = o.agent_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= @now
        ORDER BY d.next_attempt_at, d.notification_id
        """;

    private sealed class DueRow
    {
        public long CustomerId { get; init; }
        public long NotificationId { get; init; }
        public int Attempts { get; init; }
        public long NextAttemptAt { get; init; }
        public string? Params { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public long CreatedAt { get; init; }
        public long UserId { get; init; }
        public string? OpenId { get; init; }
        public string UserName { get; init; } = "";
        public long UserActive { get; init; }
        public string CustomerName { get; init; } = "";
        public string CustomerCode { get; init; } = "";
        public long? OrderId { get; init; }
        public string? OrderNo { get; init; }
        public long? TotalFen { get; init; }
        public string? OrderStatus { get; init; }
        public long? OrderCreatedAt { get; init; }
        public string? RejectReason { get; init; }
        public string? CancelReason { get; init; }
        public string? AgentName { get; init; }
    }
}

/// <summary>对账单已出: tells every user of a store that a period statement is ready (kind statement_ready).</summary>
public sealed class StatementReadyNotices(Db db, TimeProvider clock)
{
    /// <returns>How many users were notified.</returns>
    public async Task<int> NotifyAsync(long customerId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw AppProblem.BadRequest("结束日期不能早于开始日期", "to must not be before from");
        await using var c = await db.OpenAsync(ct);
        var name = await c.ExecuteScalarAsync<string?>("SELECT name FROM customers WHERE id = @customerId", new { customerId })
            ?? throw AppProblem.NotFound("客户不存在", "No such customer");
        var balance = await c.ExecuteScalarAsync<long?>("SELECT SUM(amount_fen) FROM ledger_entries WHERE customer_id = @customerId AND occurred_at < @end",
            new { customerId, end = ShanghaiTime.StartOfDayMs(to.AddDays(1)) }) ?? 0;
        string f = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // {from} and {to} carry the time of day, so they fit time fields (a 24-hour time is required there) as well as
        // date and thing fields; {fromDate} / {toDate} are the bare dates
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var @params = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["from"] = f + " 00:00", ["to"] = t + " 23:59", ["fromDate"] = f, ["toDate"] = t, ["period"] = $"{f} 至 {t}", ["balance"] = Money.Format(balance),
            ["balanceYuan"] = (balance / 100m).ToString("0.00", CultureInfo.InvariantCulture),
        });
        await using var tx = await db.BeginWriteAsync(c, ct);
        await OrderJournal.NotifyStoreAsync(c, tx, customerId, null, NotificationKind.StatementReady, "对账单已出",
            $"{name} {f} 至 {t} 的对账单已生成，期末余额 {Money.Format(balance)}。", now);
        // the period rides along for the message's fields
        var n = await c.ExecuteAsync("""
            INSERT INTO wechat_deliveries (notification_id, status, attempts, next_attempt_at, params, created_at)
            SELECT n.id, 'pending', 0, @now, @params, @now FROM notifications n
            WHERE n.customer_id = @customerId AND n.kind = 'statement_ready' AND n.created_at = @now
              AND NOT EXISTS (SELECT 1 FROM wechat_deliveries d WHERE d.notification_id = n.id)
            """, new { customerId, now, @params }, tx);
        await tx.CommitAsync(ct);
        return n;
    }
}
