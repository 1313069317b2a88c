using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Notifications;

/// <summary>A message as its user sees it, with whether it was also pushed to WeChat (and if not, why).</summary>
/// <param name="Push">sent | pending | held | skipped | failed, or null when WeChat is not involved.</param>
public sealed record InboxMessage(long Id, string Kind, string Title, string Body, string? OrderNo, long CreatedAtMs, bool Read,
    string? Push, string? PushNote, long? PushAtMs);

public sealed record InboxPage(IReadOnlyList<InboxMessage> Items, long Unread, long? Next);

public sealed record KindPreference(string Kind, string Label, bool Pushed);

/// <summary>
/// A store user's 消息: the list (newest first, keyset paging), the unread count, marking one or all read, and which
/// kinds may be pushed to WeChat. Every call is scoped to the signed-in user: another user's message is "not found".
/// </summary>
public sealed class NotificationInbox(Db db, TimeProvider clock)
{
    public async Task<InboxPage> ListAsync(long userId, long? before, int limit, bool unreadOnly, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>("""
            SELECT n.id AS Id, n.kind AS Kind, n.title AS Title, n.body AS Body, o.order_no AS OrderNo, n.created_at AS CreatedAtMs,
                   n.read_at AS ReadAtMs, d.status AS Push, d.last_error AS PushError, d.next_attempt_at AS NextAttemptAt, d.sent_at AS SentAt
            FROM notifications n
            LEFT JOIN orders o ON o.id = n.order_id
            LEFT JOIN wechat_deliveries d ON d.notification_id = n.id
            WHERE n.customer_user_id = @userId AND (@before IS NULL OR n.id < @before) AND (@unreadOnly = FALSE OR n.read_at IS NULL)
            ORDER BY n.id DESC LIMIT @take
            """, new { userId, before, unreadOnly, take = limit + 1 })).AsList();
        var unread = await UnreadAsync(c, userId);
        var page = rows.Take(limit).Select(r => new InboxMessage(r.Id, r.Kind, r.Title, r.Body, r.OrderNo, r.CreatedAtMs, r.ReadAtMs is not null,
            r.Push, PushNote(r), r.Push == "sent" ? r.SentAt : r.Push == "pending" ? r.NextAttemptAt : null)).ToList();
        return new InboxPage(page, unread, rows.Count > limit ? page[^1].Id : null);
    }

    public async Task<long> UnreadCountAsync(long userId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await UnreadAsync(c, userId);
    }

    /// <summary>Marks one message read (again is fine). False when the user has no such message.</summary>
    public async Task<bool> MarkReadAsync(long userId, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var mine = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE id = @id AND customer_user_id = @userId", new { id, userId });
        if (mine == 0) return false;
        await c.ExecuteAsync("UPDATE notifications SET read_at = @now WHERE id = @id AND customer_user_id = @userId AND read_at IS NULL",
            new { id, userId, now = Now() });
        return true;
    }

    /// <summary>Marks every message up to <paramref name="upTo"/> (or all) read; returns how many changed.</summary>
    public async Task<int> MarkAllReadAsync(long userId, long? upTo, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE notifications SET read_at = @now WHERE customer_user_id = @userId AND read_at IS NULL AND (@upTo IS NULL OR id <= @upTo)",
            new { userId, upTo, now = Now() });
    }

    public async Task<IReadOnlyList<KindPreference>> PreferencesAsync(long userId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var muted = (await c.QueryAsync<string>("SELECT kind FROM notification_preferences WHERE customer_user_id = @userId AND muted = TRUE", new { userId })).ToHashSet();
        return NotificationKind.All.Select(k => new KindPreference(k, NotificationKind.Label(k), !muted.Contains(k))).ToList();
    }

    /// <summary>Turns WeChat pushes of the named kinds on or off; an unknown kind is a 400 naming it.</summary>
    public async Task<IReadOnlyList<KindPreference>> SetPreferencesAsync(long userId, IReadOnlyDictionary<string, bool> pushed, CancellationToken ct = default)
    {
        var unknown = pushed.Keys.Where(k => !NotificationKind.All.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw AppProblem.BadRequest($"未知的消息类型：{string.Join("、", unknown)}", $"Unknown message kind: {string.Join(", ", unknown)}; use one of {string.Join(", ", NotificationKind.All)}");
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        foreach (var (kind, on) in pushed)
            await c.ExecuteAsync("""
                INSERT INTO notification_preferences (customer_user_id, kind, muted, updated_at) VALUES (@userId, @kind, @muted, @now)
                ON CONFLICT (customer_user_id, kind) DO UPDATE SET muted = excluded.muted, updated_at = excluded.updated_at
                """, new { userId, kind, muted = !on, now = Now() }, tx);
        await tx.CommitAsync(ct);
        return await PreferencesAsync(userId, ct);
    }

    private static Task<long> UnreadAsync(System.Data.Common.DbConnection c, long userId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE customer_user_id = @userId AND read_at IS NULL", new { userId });

    /// <summary>The Chinese half of why a message was not pushed (held by the cap or a muted kind, or waiting out quiet hours).</summary>
    private static string? PushNote(Row r) => r.Push switch
    {
        "held" => r.PushError is { } e ? e.Split(" / ")[0] : "未推送",
        "pending" when r.PushError == PushPolicy.QuietNote => "免打扰时段，稍后推送",
        _ => null,
    };

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public string? OrderNo { get; init; }
        public long CreatedAtMs { get; init; }
        public long? ReadAtMs { get; init; }
        public string? Push { get; init; }
        public string? PushError { get; init; }
        public long? NextAttemptAt { get; init; }
        public long? SentAt { get; init; }
    }
}
