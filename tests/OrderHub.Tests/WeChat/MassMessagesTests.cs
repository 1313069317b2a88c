using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.ChatCommerce;
using OrderHub.Application.Insight;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>
/// 群发 (issue #20) end to end against the fake WeChat Work (written from the published protocol: add_msg_template,
/// get_groupmsg_task, get_groupmsg_send_result, access tokens): the office selects stores by group and lifecycle stage;
/// stores that turned mass messages off, reached the daily cap, have no contact or whose agent has no WeChat Work userid
/// are held back and listed with why; one task per agent; the result work books what each agent's confirmation did.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class MassMessagesTests(string kind)
{
    private WeChatTestHost _wx = null!;
    private long _groupId;
    private string _tag = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _wx = await WeChatTestHost.StartAsync(kind, new() { ["Notifications:DailyPushCapPerStore"] = "2" });
        _tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        _groupId = await _wx.Host.Scalar<long>("INSERT INTO customer_groups (code, name) VALUES (@code, '群发测试') RETURNING id", new { code = "MASS" + _tag });
    }

    [OneTimeTearDown] public async Task Stop() => await _wx.DisposeAsync();

    private MassMessages Service => _wx.Host.Services.GetRequiredService<MassMessages>();

    /// <summary>A store with no orders (stage New), one owner, optionally a linked WeChat Work contact.</summary>
    private async Task<long> NewStoreAsync(string suffix, long agentId, long? groupId, string? contact)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = await _wx.Host.Scalar<long>("""
            INSERT INTO customers (code, name, group_id, agent_id, warehouse_id, credit_limit_fen, region, active, created_at, updated_at)
            VALUES (@code, @name, @groupId, @agentId, (SELECT MIN(id) FROM warehouses), 0, '华东', TRUE, @now, @now) RETURNING id
            """, new { code = $"MS{_tag}{suffix}", name = $"群发店{suffix}", groupId, agentId, now });
        await _wx.Host.Exec("INSERT INTO customer_users (customer_id, name, role, active, created_at) VALUES (@id, '店长', 'owner', TRUE, @now)", new { id, now });
        if (contact is not null)
            await _wx.Host.Exec("INSERT INTO wecom_contact_links (external_user_id, customer_id, linked_by, created_at, updated_at) VALUES (@contact, @id, NULL, @now, @now)",
                new { contact, id, now });
        return id;
    }

    private async Task<(string Code, long Id, string UserId)> AgentAsync(int index, bool withUserId = true)
    {
        var (code, id, _) = await _wx.AgentAndStoreAsync(index, 0);
        var userId = withUserId ? $"mass-{index}-{_tag}" : null;
        await _wx.Host.Exec("UPDATE agents SET wecom_userid = @userId WHERE id = @id", new { userId, id });
        return (code, id, userId ?? "");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, object body, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(req);
    }

    private static Dictionary<long, (string Status, string? Reason)> Stores(JsonElement detail) =>
        detail.GetProperty("stores").EnumerateArray().ToDictionary(s => s.GetProperty("customerId").GetInt64(),
            s => (s.GetProperty("status").GetString()!, s.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : s.GetProperty("reason").GetString()));

    private static (int Stores, int Sent, int Waiting, int Held, int Failed) Counts(JsonElement detail)
    {
        var c = detail.GetProperty("summary").GetProperty("counts");
        return (c.GetProperty("stores").GetInt32(), c.GetProperty("sent").GetInt32(), c.GetProperty("waiting").GetInt32(), c.GetProperty("held").GetInt32(), c.GetProperty("failed").GetInt32());
    }

    [Test]
    public async Task The_office_selects_by_group_and_stage_holds_back_who_must_not_get_it_and_books_each_agents_results()
    {
        var a = await AgentAsync(0);
        var b = await AgentAsync(1);
        var c = await AgentAsync(2, withUserId: false);
        var ext = (string s) => $"wm{s}{_tag}";
        // agent A: one that gets it, one that turned 群发 off, one linked here but not A's contact in WeChat Work
        var a1 = await NewStoreAsync("A1", a.Id, _groupId, ext("A1"));
        var a2 = await NewStoreAsync("A2", a.Id, _groupId, ext("A2"));
        var a3 = await NewStoreAsync("A3", a.Id, _groupId, ext("A3"));
        // agent B: one that already got another company 群发 today, one without a contact; agent C has no WeChat Work userid
        var b1 = await NewStoreAsync("B1", b.Id, _groupId, ext("B1"));
        var b2 = await NewStoreAsync("B2", b.Id, _groupId, null);
        var c1 = await NewStoreAsync("C1", c.Id, _groupId, ext("C1"));
        // not selected: a store of the group past stage New (it has orders), and a New store outside the group
        // (a demo store that ordered once, 400 days ago: 流失 Churned, ≥ Lifecycle:ChurnedDays 90)
        var (_, _, older) = await _wx.AgentAndStoreAsync(0, 1);
        var olderCode = await _wx.Host.Scalar<string>("SELECT code FROM customers WHERE id = @older", new { older });
        var owner = await _wx.Host.CustomerAsync(olderCode);
        var (sku, qty) = await _wx.SellableItemAsync(older);
        await HttpAssert.Ok(await owner.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        await _wx.SubmitAsync(owner, "/api/orders", older, "old-" + _tag);
        await _wx.Host.Exec("UPDATE orders SET created_at = created_at - @back WHERE customer_id = @older", new { back = 400L * 86_400_000, older });
        await _wx.Host.Exec("UPDATE customers SET group_id = @g WHERE id = @older", new { g = _groupId, older });
        var stage = (await _wx.Host.Services.GetRequiredService<LifecycleService>().ListAsync(ReportScope.All)).Stores.Single(s => s.CustomerId == older).Assessment.Stage;
        Assert.That(stage, Is.EqualTo(LifecycleStage.Churned));
        var outside = await NewStoreAsync("Z1", a.Id, null, ext("Z1"));

        _wx.Fake.AddCustomer(a.UserId, ext("A1"), "甲店老板");
        _wx.Fake.AddCustomer(a.UserId, ext("A2"), "乙店老板");
        _wx.Fake.AddCustomer(a.UserId, ext("Z1"), "外店老板");
        _wx.Fake.AddCustomer(b.UserId, ext("B1"), "丙店老板");
        _wx.Fake.AddCustomer(c.UserId == "" ? "nobody" : c.UserId, ext("C1"), "丁店老板");
        _wx.Fake.CustomerAlreadyReceivedGroupMessage(ext("B1"));
        await _wx.Host.Exec("""
            INSERT INTO notification_preferences (customer_user_id, kind, muted, updated_at)
            SELECT id, 'chat_mass_message', TRUE, 0 FROM customer_users WHERE customer_id = @a2
            """, new { a2 });

        var office = await _wx.Host.StaffAsync("clerk");
        var request = new { text = "本周新品到货，点卡片订货", cardKind = "catalog", selection = new { groupIds = new[] { _groupId }, stages = new[] { "New" } } };
        var key = "mass-" + _tag;
        var res = await PostAsync(office, "/api/admin/chat/mass-messages", request, key);
        Assert.That((int)res.StatusCode, Is.EqualTo(201), await res.Content.ReadAsStringAsync());
        var created = await HttpAssert.Ok(res);
        var id = created.GetProperty("summary").GetProperty("id").GetInt64();

        var stores = Stores(created);
        Assert.That(stores.Keys, Is.EquivalentTo(new[] { a1, a2, a3, b1, b2, c1 }), "group ∧ stage New: not the older store, not the store outside the group");
        Assert.That(stores.Keys, Does.Not.Contain(older).And.Not.Contain(outside));
        Assert.That(stores[a1].Status, Is.EqualTo("waiting"));
        Assert.That(stores[b1].Status, Is.EqualTo("waiting"));
        Assert.That(stores[a2], Is.EqualTo(("held", (string?)"门店已关闭业务员群发消息 / the store turned mass messages off")));
        Assert.That(stores[b2].Status, Is.EqualTo("held"));
        Assert.That(stores[b2].Reason, Does.StartWith("门店未绑定企业微信联系人"));
        Assert.That(stores[c1].Reason, Does.StartWith("业务员未设置企业微信账号"));
        Assert.That(stores[a3].Status, Is.EqualTo("rejected"), "WeChat Work's fail_list: not agent A's customer");
        Assert.That(Counts(created), Is.EqualTo((6, 0, 2, 3, 1)));

        // one add_msg_template per agent, sender = its userid, only its contacts, the card with that agent's share code
        var tasks = _wx.Fake.GroupMessages.Where(g => g.Sender == a.UserId || g.Sender == b.UserId).ToList();
        Assert.That(tasks.Select(t => (t.Sender, string.Join(",", t.ExternalUserIds))),
            Is.EquivalentTo(new[] { (a.UserId, ext("A1")), (b.UserId, ext("B1")) }));
        var taskA = tasks.Single(t => t.Sender == a.UserId);
        var shareA = created.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("agentId").GetInt64() == a.Id).GetProperty("shareCode").GetString();
        Assert.That(taskA.Text, Is.EqualTo("本周新品到货，点卡片订货"));
        Assert.That(taskA.Cards.Single().Page, Is.EqualTo($"pages/products/index.html?share={shareA}"));
        Assert.That(await _wx.Host.Scalar<long>("SELECT agent_id FROM share_links WHERE code = @shareA", new { shareA }), Is.EqualTo(a.Id));

        // a retry with the same key answers the same message and sends nothing again; the key with another body is refused
        var replay = await PostAsync(office, "/api/admin/chat/mass-messages", request, key);
        Assert.That((int)replay.StatusCode, Is.EqualTo(200));
        Assert.That(replay.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((await HttpAssert.Ok(replay)).GetProperty("summary").GetProperty("id").GetInt64(), Is.EqualTo(id));
        Assert.That(_wx.Fake.GroupMessages.Count(g => g.Sender == a.UserId || g.Sender == b.UserId), Is.EqualTo(2));
        await HttpAssert.Problem(await PostAsync(office, "/api/admin/chat/mass-messages", request with { text = "另一条" }, key), 422);

        // before the agents confirm, the result work finds nothing sent
        await Service.CheckDueAsync();
        Assert.That(Counts(await HttpAssert.Ok(await office.GetAsync($"/api/admin/chat/mass-messages/{id}"))), Is.EqualTo((6, 0, 2, 3, 1)));

        // both confirm in WeChat Work; the work (due again after its interval) books 1 已发送 and 3 因客户已经收到其他群发消息
        _wx.Fake.MemberConfirmsGroupMessage(taskA.MsgId);
        _wx.Fake.MemberConfirmsGroupMessage(tasks.Single(t => t.Sender == b.UserId).MsgId);
        await _wx.Host.Exec("UPDATE chat_mass_message_tasks SET next_check_at = 0 WHERE message_id = @id", new { id });
        Assert.That(await Service.CheckDueAsync(), Is.EqualTo(2));
        var detail = await HttpAssert.Ok(await office.GetAsync($"/api/admin/chat/mass-messages/{id}"));
        stores = Stores(detail);
        Assert.That(stores[a1].Status, Is.EqualTo("sent"));
        Assert.That(stores[b1].Status, Is.EqualTo("already_received"));
        Assert.That(Counts(detail), Is.EqualTo((6, 1, 0, 3, 2)));
        var a1Row = detail.GetProperty("stores").EnumerateArray().Single(s => s.GetProperty("customerId").GetInt64() == a1);
        Assert.That(a1Row.GetProperty("sentAt").GetString(), Does.StartWith(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd")));
        Assert.That(detail.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("status").GetString()), Is.All.EqualTo("done"));

        var list = await HttpAssert.Ok(await office.GetAsync("/api/admin/chat/mass-messages"));
        Assert.That(list.GetProperty("items")[0].GetProperty("id").GetInt64(), Is.EqualTo(id));
    }

    [Test]
    public async Task An_agent_sends_only_to_its_own_stores_the_daily_cap_holds_the_third_and_others_messages_stay_hidden()
    {
        var a = await AgentAsync(3);
        var b = await AgentAsync(4);
        var ext = $"wmD1{_tag}";
        var d1 = await NewStoreAsync("D1", a.Id, null, ext);
        var e1 = await NewStoreAsync("E1", b.Id, null, null);
        _wx.Fake.AddCustomer(a.UserId, ext, "戊店老板");
        var agentA = await _wx.Host.AgentAsync(a.Code);
        var agentB = await _wx.Host.AgentAsync(b.Code);

        // the cap is 2 a day (Notifications:DailyPushCapPerStore): the third 群发 to the store today is held back
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            var m = await HttpAssert.Ok(await PostAsync(agentA, "/api/agent/chat/mass-messages",
                new { text = $"第{i}条", selection = new { customerIds = new[] { d1 } } }, $"cap-{_tag}-{i}"));
            ids.Add(m.GetProperty("summary").GetProperty("id").GetInt64());
            var store = Stores(m)[d1];
            if (i < 3) Assert.That(store.Status, Is.EqualTo("waiting"), $"message {i}");
            else Assert.That(store, Is.EqualTo(("held", (string?)"今日微信提醒已达上限 (2 条) / today's cap of 2 WeChat messages is reached")));
        }
        Assert.That(_wx.Fake.GroupMessages.Count(g => g.Sender == a.UserId), Is.EqualTo(2));

        // another agent's store by id: 404 as if it did not exist; a selection of its own stores only reaches its own
        await HttpAssert.Problem(await PostAsync(agentA, "/api/agent/chat/mass-messages", new { text = "x", selection = new { customerIds = new[] { e1 } } }, $"foreign-{_tag}"), 404);
        var regional = await HttpAssert.Ok(await PostAsync(agentB, "/api/agent/chat/mass-messages", new { text = "华东的老板们好", selection = new { regions = new[] { "华东" } } }, $"region-{_tag}"));
        var reached = Stores(regional).Keys.ToList();
        Assert.That(reached, Does.Contain(e1));
        Assert.That(await _wx.Host.Scalar<long>($"SELECT COUNT(*) FROM customers WHERE id IN ({string.Join(",", reached)}) AND agent_id <> @b", new { b = b.Id }), Is.Zero);

        // each agent sees its own messages only
        var listA = await HttpAssert.Ok(await agentA.GetAsync("/api/agent/chat/mass-messages"));
        Assert.That(listA.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Is.EquivalentTo(ids));
        var listB = await HttpAssert.Ok(await agentB.GetAsync("/api/agent/chat/mass-messages"));
        Assert.That(listB.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).Intersect(ids), Is.Empty);
        await HttpAssert.Problem(await agentB.GetAsync($"/api/agent/chat/mass-messages/{ids[0]}"), 404);
        await HttpAssert.Ok(await agentA.GetAsync($"/api/agent/chat/mass-messages/{ids[0]}"));

        // nothing to send is refused before anything is stored
        await HttpAssert.Problem(await PostAsync(agentA, "/api/agent/chat/mass-messages", new { selection = new { customerIds = new[] { d1 } } }, $"empty-{_tag}"), 400);
        await HttpAssert.Problem(await PostAsync(agentA, "/api/agent/chat/mass-messages", new { text = "x", selection = new { stages = new[] { "Sleepy" } } }, $"stage-{_tag}"), 400);
    }

    [Test]
    public async Task A_chat_card_retried_with_its_Idempotency_Key_is_the_same_card_with_the_same_share_code()
    {
        var (agentCode, _, store) = await _wx.AgentAndStoreAsync(1, 0);
        var agent = await _wx.Host.AgentAsync(agentCode);
        var before = await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM chat_cards WHERE customer_id = @store", new { store });
        var key = "card-" + _tag;
        var first = await HttpAssert.Ok(await PostAsync(agent, "/api/agent/chat/cards", new { customerId = store, kind = "usual_order" }, key));
        var again = await HttpAssert.Ok(await PostAsync(agent, "/api/agent/chat/cards", new { customerId = store, kind = "usual_order" }, key));
        Assert.That(again.GetProperty("code").GetString(), Is.EqualTo(first.GetProperty("code").GetString()));
        Assert.That(again.GetProperty("weComPage").GetString(), Is.EqualTo(first.GetProperty("weComPage").GetString()));
        Assert.That(again.GetProperty("expiresAt").GetString(), Is.EqualTo(first.GetProperty("expiresAt").GetString()));
        Assert.That(await _wx.Host.Scalar<long>("SELECT COUNT(*) FROM chat_cards WHERE customer_id = @store", new { store }), Is.EqualTo(before + 1));
        // another card under the same key is refused; without a key every send is a new card
        await HttpAssert.Problem(await PostAsync(agent, "/api/agent/chat/cards", new { customerId = store, kind = "order_status", subject = "none" }, key), 422);
        var fresh = await HttpAssert.Ok(await agent.PostAsJsonAsync("/api/agent/chat/cards", new { customerId = store, kind = "usual_order" }));
        Assert.That(fresh.GetProperty("code").GetString(), Is.Not.EqualTo(first.GetProperty("code").GetString()));
    }

    [Test]
    public async Task The_admin_sets_an_agents_chat_group_and_its_welcome_text_follows()
    {
        var (_, agentId, _) = await _wx.AgentAndStoreAsync(0, 0);
        var admin = await _wx.Host.StaffAsync("admin");
        var set = await HttpAssert.Ok(await admin.PutAsJsonAsync($"/api/admin/agents/{agentId}/chat-group", new { chatGroup = "烟酒" }));
        Assert.That(set.GetProperty("chatGroup").GetString(), Is.EqualTo("烟酒"));
        Assert.That(await _wx.Host.Scalar<string>("SELECT chat_group FROM agents WHERE id = @agentId", new { agentId }), Is.EqualTo("烟酒"));
        var cleared = await HttpAssert.Ok(await admin.PutAsJsonAsync($"/api/admin/agents/{agentId}/chat-group", new { chatGroup = "" }));
        Assert.That(cleared.GetProperty("welcomeText").GetString(), Does.Contain("{agentName}"), "the default welcome text");
        Assert.That(await _wx.Host.Scalar<string?>("SELECT chat_group FROM agents WHERE id = @agentId", new { agentId }), Is.Null);
        await HttpAssert.Problem(await admin.PutAsJsonAsync("/api/admin/agents/987654321/chat-group", new { chatGroup = "x" }), 404);
    }
}
