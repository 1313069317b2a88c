using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.WeChat;
using OrderHub.WeChat;

namespace OrderHub.Application.ChatCommerce;

/// <summary>An agent's 联系我 QR as OrderHub keeps it.</summary>
public sealed record AgentContactWay(long Id, long AgentId, long? CustomerId, string State, string ConfigId, string QrCode);

/// <summary>What became of a callback.</summary>
public enum CallbackOutcome { Handled, AlreadyHandled, Ignored }

/// <summary>
/// 联系我 and the WeChat Work callback (issue #20). An agent's QR (add_contact_way) carries a state naming the agent and,
/// for a store's own QR, the store. When a store owner adds the agent through it, WeChat Work POSTs a signed, encrypted
/// change_external_contact / add_external_contact event: it is verified (signature, timestamp within
/// WeCom:Chat:ReplayWindowSeconds, nonce not seen before), decrypted, handled once per event, and answered at once; the
/// external contact is linked to the store, a store without an agent gets this one, and the welcome message with a card
/// that opens the store's catalog (with the agent's share code) goes out within WeChat Work's 20 seconds.
/// </summary>
public sealed class WeComCallbacks(Db db, WeChatClients clients, ChatCards cards, CardCover cover, TimeProvider clock, ILogger<WeComCallbacks> log)
{
    private WeComChatSettings S => clients.WeCom.Chat;

    private WeComCallbackCrypto Crypto() => S.CallbackConfigured && !string.IsNullOrWhiteSpace(clients.WeCom.CorpId)
        ? new WeComCallbackCrypto(S.CallbackToken, S.CallbackEncodingAesKey, clients.WeCom.CorpId)
        : throw new AppProblem(503, "未配置企业微信回调 (WeCom:Chat:CallbackToken / CallbackEncodingAesKey)", "The WeChat Work callback is not configured (WeCom:Chat:CallbackToken / CallbackEncodingAesKey)");

    /// <summary>A 联系我 QR for the agent, or for the agent and one of its stores; the same one again if it exists.</summary>
    public async Task<AgentContactWay> ContactWayAsync(long agentId, long? customerId, CancellationToken ct = default)
    {
        var state = customerId is { } s ? $"oh:a{agentId}:s{s}" : $"oh:a{agentId}";
        await using var c = await db.OpenAsync(ct);
        var existing = await c.QuerySingleOrDefaultAsync<AgentContactWay>(
            "SELECT id, agent_id AS AgentId, customer_id AS CustomerId, state, config_id AS ConfigId, qr_code AS QrCode FROM wecom_contact_ways WHERE state = @state", new { state });
        if (existing is not null) return existing;
        var agent = await c.QuerySingleAsync<(string? UserId, string Name)>("SELECT wecom_userid, name FROM agents WHERE id = @agentId", new { agentId });
        if (string.IsNullOrWhiteSpace(agent.UserId))
            throw new AppProblem(409, "该业务员未设置企业微信账号 (wecom_userid)", "This agent has no WeChat Work userid", null);
        var way = await clients.WeComContacts().AddContactWayAsync(agent.UserId, state, $"OrderHub {agent.Name}", ct);
        await c.ExecuteAsync("""
            INSERT INTO wecom_contact_ways (agent_id, customer_id, state, config_id, qr_code, created_at)
            VALUES (@agentId, @customerId, @state, @ConfigId, @QrCode, @now) ON CONFLICT (state) DO NOTHING
            """, new { agentId, customerId, state, way.ConfigId, way.QrCode, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        // two requests at once: the first row wins and both answer it
        return await c.QuerySingleAsync<AgentContactWay>(
            "SELECT id, agent_id AS AgentId, customer_id AS CustomerId, state, config_id AS ConfigId, qr_code AS QrCode FROM wecom_contact_ways WHERE state = @state", new { state });
    }

    /// <summary>URL verification (GET): the plaintext of echostr, or a refusal.</summary>
    public string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echoStr)
    {
        if (msgSignature is null || timestamp is null || nonce is null || echoStr is null) throw Refused("缺少参数", "Missing parameters");
        try { return Crypto().VerifyUrl(msgSignature, timestamp, nonce, echoStr); }
        catch (WeComCallbackException ex) { throw Refused("签名或密文不正确", "Bad signature or ciphertext", ex.Error); }
    }

    /// <summary>An event POST: verified, checked against replays, decrypted, handled once.</summary>
    public async Task<CallbackOutcome> ReceiveAsync(string? msgSignature, string? timestamp, string? nonce, string body, CancellationToken ct = default)
    {
        if (msgSignature is null || timestamp is null || nonce is null || nonce.Length > 64) throw Refused("缺少参数", "Missing parameters");
        string xml;
        try { xml = Crypto().DecryptMessage(msgSignature, timestamp, nonce, body); }
        catch (WeComCallbackException ex) { throw Refused("签名或密文不正确", "Bad signature or ciphertext", ex.Error); }
        var now = clock.GetUtcNow();
        if (!long.TryParse(timestamp, out var sentAt) || Math.Abs(now.ToUnixTimeSeconds() - sentAt) > S.ReplayWindowSeconds)
            throw Refused("回调时间戳超出允许范围", "The callback's timestamp is outside the allowed window");

        await using var c = await db.OpenAsync(ct);
        var nowMs = now.ToUnixTimeMilliseconds();
        await c.ExecuteAsync("DELETE FROM wecom_callback_nonces WHERE received_at < @old", new { old = nowMs - 2_000L * S.ReplayWindowSeconds });
        if (await c.ExecuteAsync("INSERT INTO wecom_callback_nonces (nonce, sent_at, received_at) VALUES (@nonce, @sentAt, @nowMs) ON CONFLICT DO NOTHING",
                new { nonce, sentAt, nowMs }) == 0)
            throw Refused("重复的回调 (重放)", "This callback was received before (replay)");

        var ev = Read(xml);
        if (ev.Event != "change_external_contact" || ev.ChangeType != "add_external_contact" || ev.UserId is null || ev.ExternalUserId is null)
            return CallbackOutcome.Ignored;
        return await HandleAddAsync(c, ev, nowMs, ct);
    }

    private async Task<CallbackOutcome> HandleAddAsync(System.Data.Common.DbConnection c, ContactEvent ev, long nowMs, CancellationToken ct)
    {
        var eventKey = $"{ev.ChangeType}:{ev.UserId}:{ev.ExternalUserId}:{ev.CreateTime}";
        var way = ev.State is null ? null : await c.QuerySingleOrDefaultAsync<(long AgentId, long? CustomerId, string? UserId, string Name, string? Group)?>("""
            SELECT w.agent_id, w.customer_id, a.wecom_userid, a.name, a.chat_group FROM wecom_contact_ways w JOIN agents a ON a.id = w.agent_id
            WHERE w.state = @State AND a.active = TRUE
            """, new { ev.State });
        // the QR must be this member's: a state copied onto another member's QR links nothing
        if (way is { } w0 && w0.UserId != ev.UserId) way = null;
        long? customerId = null;
        string outcome;
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            if (await c.ExecuteAsync("""
                    INSERT INTO wecom_contact_events (event_key, change_type, wecom_userid, external_user_id, state, outcome, received_at)
                    VALUES (@eventKey, @ChangeType, @UserId, @ExternalUserId, @State, 'pending', @nowMs) ON CONFLICT DO NOTHING
                    """, new { eventKey, ev.ChangeType, ev.UserId, ev.ExternalUserId, ev.State, nowMs }, tx) == 0)
            {
                await tx.RollbackAsync(ct);
                return CallbackOutcome.AlreadyHandled;
            }
            if (way is not { } w) outcome = "unknown_state";
            else if (w.CustomerId is { } store)
            {
                customerId = store;
                await c.ExecuteAsync("""
                    INSERT INTO wecom_contact_links (external_user_id, customer_id, linked_by, created_at, updated_at) VALUES (@ExternalUserId, @store, NULL, @nowMs, @nowMs)
                    ON CONFLICT (external_user_id) DO UPDATE SET customer_id = excluded.customer_id, updated_at = excluded.updated_at
                    """, new { ev.ExternalUserId, store, nowMs }, tx);
                await c.ExecuteAsync("UPDATE customers SET agent_id = @AgentId WHERE id = @store AND agent_id IS NULL", new { w.AgentId, store }, tx);
                outcome = "linked";
            }
            else
            {
                customerId = await c.ExecuteScalarAsync<long?>("SELECT customer_id FROM wecom_contact_links WHERE external_user_id = @ExternalUserId", new { ev.ExternalUserId }, tx);
                outcome = "agent_only";
            }
            await c.ExecuteAsync("UPDATE wecom_contact_events SET outcome = @outcome, agent_id = @agentId, customer_id = @customerId WHERE event_key = @eventKey",
                new { outcome, agentId = way?.AgentId, customerId, eventKey }, tx);
            await tx.CommitAsync(ct);
        }

        if (ev.WelcomeCode is not null && way is { } a)
        {
            var (status, error) = await SendWelcomeAsync(c, ev.WelcomeCode, a.AgentId, a.Name, a.Group, customerId, ct);
            await c.ExecuteAsync("UPDATE wecom_contact_events SET welcome_status = @status, welcome_error = @error WHERE event_key = @eventKey", new { status, error, eventKey });
        }
        return CallbackOutcome.Handled;
    }

    private async Task<(string Status, string? Error)> SendWelcomeAsync(System.Data.Common.DbConnection c, string welcomeCode, long agentId, string agentName, string? group,
        long? customerId, CancellationToken ct)
    {
        // WeChat Work accepts the welcome message for 20 seconds after the event and waits 5 for our answer: keep within 4
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(4));
        try
        {
            var storeName = customerId is null ? "" : await c.ExecuteScalarAsync<string>("SELECT name FROM customers WHERE id = @customerId", new { customerId }) ?? "";
            var template = group is not null && S.WelcomeByGroup.TryGetValue(group, out var t) ? t : S.WelcomeText;
            var text = template.Replace("{agentName}", agentName).Replace("{storeName}", storeName);
            var client = clients.WeComContacts();
            MiniProgramAttachment? attachment = null;
            if (customerId is { } store && !string.IsNullOrWhiteSpace(clients.WeChat.AppId))
            {
                var card = await cards.CreateAsync(agentId, store, ChatCardKind.Welcome, null, budget.Token);
                attachment = new MiniProgramAttachment(card.Title, await cover.MediaIdAsync(client, budget.Token), clients.WeChat.AppId, card.WeComPage);
            }
            await client.SendWelcomeMessageAsync(welcomeCode, text, attachment, budget.Token);
            return ("sent", null);
        }
        catch (WeChatApiException ex)
        {
            log.LogWarning("WeChat Work welcome message not sent: {Error}", WeChatErrors.Explain(ex));
            return ("failed", WeChatErrors.Explain(ex));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ("failed", "timed out (WeChat Work's 20-second window)");
        }
    }

    private sealed record ContactEvent(string? Event, string? ChangeType, string? UserId, string? ExternalUserId, string? State, string? WelcomeCode, string? CreateTime);

    private static ContactEvent Read(string xml) => new(
        WeComCallbackCrypto.ReadElement(xml, "Event"), WeComCallbackCrypto.ReadElement(xml, "ChangeType"), WeComCallbackCrypto.ReadElement(xml, "UserID"),
        WeComCallbackCrypto.ReadElement(xml, "ExternalUserID"), WeComCallbackCrypto.ReadElement(xml, "State"), WeComCallbackCrypto.ReadElement(xml, "WelcomeCode"),
        WeComCallbackCrypto.ReadElement(xml, "CreateTime"));

    private static AppProblem Refused(string zh, string en, WeComCallbackError error = WeComCallbackError.None) =>
        new(403, $"企业微信回调被拒绝：{zh}", $"WeChat Work callback refused: {en}",
            error == WeComCallbackError.None ? null : new Dictionary<string, object?> { ["wxBizMsgCryptError"] = (int)error });
}
