using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrderHub.Domain.Ordering;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.PreReview;

/// <summary>
/// 店主 / 店员 (issue #17) on both databases: a clerk's order strictly above the owner's threshold waits for the owner
/// (待店主审核) with its stock reserved; only the owner approves (→ 业务审核) or rejects (stock released); clerks may not
/// manage users, the threshold or invoice titles; an agent's proxy order never waits for the owner.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class StoreOwnerApprovalTests(string kind)
{
    private ApiHost _host = null!;
    private int _nextStore;

    [OneTimeSetUp] public void Start() { _host = new ApiHost(kind); _ = _host.Server; }
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    /// <summary>A store with exactly one owner and one clerk (made here), each signed in.</summary>
    private async Task<Store> StoreAsync()
    {
        var n = Interlocked.Increment(ref _nextStore) * 7; // spread over the demo's stores, away from other fixtures' first ones
        await using var c = await _host.Db.OpenAsync();
        var (customerId, agentCode) = await c.QuerySingleAsync<(long, string)>("""
            SELECT cu.id, a.code FROM customers cu JOIN agents a ON a.id = cu.agent_id
            WHERE cu.active = TRUE AND EXISTS (SELECT 1 FROM customer_addresses ad WHERE ad.customer_id = cu.id AND ad.active = TRUE)
            ORDER BY cu.id LIMIT 1 OFFSET @n
            """, new { n });
        await c.ExecuteAsync("UPDATE customer_users SET active = FALSE WHERE customer_id = @customerId", new { customerId });
        var ownerId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO customer_users (customer_id, name, phone, role, active, created_at) VALUES (@customerId, '店主老陈', NULL, 'owner', TRUE, 0) RETURNING id
            """, new { customerId });
        var clerkId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO customer_users (customer_id, name, phone, role, active, created_at) VALUES (@customerId, '店员小李', NULL, 'clerk', TRUE, 0) RETURNING id
            """, new { customerId });
        return new Store(customerId, agentCode, ownerId, clerkId,
            await _host.SignInAsync(new { customerUserId = ownerId }), await _host.SignInAsync(new { customerUserId = clerkId }));
    }

    private sealed record Store(long CustomerId, string AgentCode, long OwnerId, long ClerkId, HttpClient Owner, HttpClient Clerk);

    /// <summary>Fills the client's cart with one sellable item (its MOQ) and returns the cart's total and what it reserves.</summary>
    private async Task<(long TotalFen, long ProductId, long Qty)> CartAsync(HttpClient client, long customerId, string cartUrl = "/api/cart")
    {
        await using var c = await _host.Db.OpenAsync();
        var candidates = await c.QueryAsync<(long, string, long)>("""
            SELECT p.id, p.sku, p.min_order_qty FROM customers cu JOIN stock s ON s.warehouse_id = cu.warehouse_id JOIN products p ON p.id = s.product_id
            WHERE cu.id = @customerId AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 20 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
            ORDER BY p.sku LIMIT 40
            """, new { customerId });
        long productId = 0, qty = 0;
        foreach (var (id, sku, moq) in candidates)
            if ((await client.PostAsJsonAsync($"{cartUrl}/items", new { sku, quantity = moq })).IsSuccessStatusCode) { (productId, qty) = (id, moq); break; }
        Assert.That(productId, Is.Not.EqualTo(0), $"no orderable item for store {customerId}");
        var cart = await HttpAssert.Ok(await client.GetAsync(cartUrl));
        return (cart.GetProperty("totalFen").GetInt64(), productId, qty);
    }

    private async Task<JsonElement> SubmitAsync(HttpClient client, long customerId, string url = "/api/orders")
    {
        var addressId = await _host.Scalar<long>("SELECT MIN(id) FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE", new { customerId });
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { addressId }) };
        req.Headers.Add("Idempotency-Key", "owner-" + Guid.NewGuid().ToString("N"));
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("summary");
    }

    private Task<long> ReservedAsync(long customerId, long productId) => _host.Scalar<long>(
        "SELECT s.reserved FROM stock s JOIN customers cu ON cu.warehouse_id = s.warehouse_id WHERE cu.id = @customerId AND s.product_id = @productId",
        new { customerId, productId });

    [Test]
    public async Task A_clerks_order_equal_to_the_threshold_goes_on_one_fen_above_waits_for_the_owner_who_approves_it_into_sales_review()
    {
        var s = await StoreAsync();
        var (total, productId, qty) = await CartAsync(s.Clerk, s.CustomerId);

        // the clerk may see its own account but not set the threshold
        var mine = await HttpAssert.Ok(await s.Clerk.GetAsync("/api/store/account"));
        Assert.That(mine.GetProperty("role").GetString(), Is.EqualTo("clerk"));
        Assert.That(mine.GetProperty("isOwner").GetBoolean(), Is.False);
        await HttpAssert.Problem(await s.Clerk.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = 1 }), 403);

        // equal to the threshold: does not wait
        var set = await HttpAssert.Ok(await s.Owner.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = total }));
        Assert.That(set.GetProperty("ownerApprovalAboveFen").GetInt64(), Is.EqualTo(total));
        var equal = await SubmitAsync(s.Clerk, s.CustomerId);
        Assert.That(equal.GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingSalesReview));

        // one fen below the total: waits for the owner, stock reserved as usual
        await HttpAssert.Ok(await s.Owner.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = total - 1 }));
        await CartAsync(s.Clerk, s.CustomerId);
        var before = await ReservedAsync(s.CustomerId, productId);
        var waiting = await SubmitAsync(s.Clerk, s.CustomerId);
        var orderNo = waiting.GetProperty("orderNo").GetString()!;
        Assert.That(waiting.GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingOwnerApproval));
        Assert.That(waiting.GetProperty("statusLabel").GetString(), Is.EqualTo("待店主审核"));
        Assert.That(await ReservedAsync(s.CustomerId, productId), Is.EqualTo(before + qty));
        // the owner is told, the clerk is not
        var orderId = waiting.GetProperty("id").GetInt64();
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @orderId AND kind = 'owner_approval_needed' AND customer_user_id = @OwnerId", new { orderId, s.OwnerId }), Is.EqualTo(1));
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @orderId AND kind = 'owner_approval_needed' AND customer_user_id = @ClerkId", new { orderId, s.ClerkId }), Is.EqualTo(0));
        // nor the back office's queue nor the ERP has it yet
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @orderId", new { orderId }), Is.EqualTo(0));
        var clerkStaff = await _host.StaffAsync("clerk");
        await HttpAssert.Problem(await clerkStaff.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null), 409);

        // the clerk cannot approve its own order
        await HttpAssert.Problem(await s.Clerk.PostAsync($"/api/orders/{orderNo}/owner-approve", null), 403);
        await HttpAssert.Problem(await s.Clerk.PostAsJsonAsync($"/api/orders/{orderNo}/owner-reject", new { reason = "自己驳回" }), 403);

        var approved = await HttpAssert.Ok(await s.Owner.PostAsync($"/api/orders/{orderNo}/owner-approve", null));
        Assert.That(approved.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingSalesReview));
        var step = approved.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "approve_owner");
        Assert.That(step.GetProperty("actorName").GetString(), Is.EqualTo("店主老陈"));
        Assert.That(step.GetProperty("fromStatus").GetString(), Is.EqualTo(OrderStatus.PendingOwnerApproval));
        Assert.That(await ReservedAsync(s.CustomerId, productId), Is.EqualTo(before + qty), "approval keeps the reservation");
        await HttpAssert.Problem(await s.Owner.PostAsync($"/api/orders/{orderNo}/owner-approve", null), 409);
        // now the back office reviews it as any order
        await HttpAssert.Ok(await clerkStaff.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null));

        // the owner's own order never waits, however large
        await CartAsync(s.Owner, s.CustomerId);
        Assert.That((await SubmitAsync(s.Owner, s.CustomerId)).GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingSalesReview));
    }

    [Test]
    public async Task The_owner_rejects_a_clerks_order_and_its_stock_is_released()
    {
        var s = await StoreAsync();
        await HttpAssert.Ok(await s.Owner.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = 1 }));
        var (_, productId, qty) = await CartAsync(s.Clerk, s.CustomerId);
        var before = await ReservedAsync(s.CustomerId, productId);
        var order = await SubmitAsync(s.Clerk, s.CustomerId);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        Assert.That(await ReservedAsync(s.CustomerId, productId), Is.EqualTo(before + qty));

        await HttpAssert.Problem(await s.Owner.PostAsJsonAsync($"/api/orders/{orderNo}/owner-reject", new { reason = "" }), 400);
        var rejected = await HttpAssert.Ok(await s.Owner.PostAsJsonAsync($"/api/orders/{orderNo}/owner-reject", new { reason = "这个月不进这么多" }));
        Assert.That(rejected.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo(OrderStatus.Rejected));
        Assert.That(await ReservedAsync(s.CustomerId, productId), Is.EqualTo(before), "rejection releases the reservation");
        var orderId = order.GetProperty("id").GetInt64();
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @orderId AND kind = 'order_rejected' AND customer_user_id = @ClerkId", new { orderId, s.ClerkId }), Is.EqualTo(1));

        // a clerk's order waiting for the owner may also be cancelled by the clerk
        await CartAsync(s.Clerk, s.CustomerId);
        var second = await SubmitAsync(s.Clerk, s.CustomerId);
        await HttpAssert.Ok(await s.Clerk.PostAsJsonAsync($"/api/orders/{second.GetProperty("orderNo").GetString()}/cancel", new { reason = "下错了" }));
        Assert.That(await ReservedAsync(s.CustomerId, productId), Is.EqualTo(before));
    }

    [Test]
    public async Task An_agents_proxy_order_skips_the_owners_approval()
    {
        var s = await StoreAsync();
        await HttpAssert.Ok(await s.Owner.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = 1 }));
        var agent = await _host.AgentAsync(s.AgentCode);
        await CartAsync(agent, s.CustomerId, $"/api/agent/customers/{s.CustomerId}/cart");
        var order = await SubmitAsync(agent, s.CustomerId, $"/api/agent/customers/{s.CustomerId}/orders");
        Assert.That(order.GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingSalesReview));
    }

    [Test]
    public async Task The_owner_manages_the_stores_users_and_invoice_titles_and_a_clerk_may_not()
    {
        var s = await StoreAsync();
        await HttpAssert.Problem(await s.Clerk.GetAsync("/api/store/users"), 403);
        var users = await HttpAssert.Ok(await s.Owner.GetAsync("/api/store/users"));
        Assert.That(users.EnumerateArray().Where(u => u.GetProperty("active").GetBoolean()).Select(u => (u.GetProperty("name").GetString(), u.GetProperty("roleLabel").GetString())),
            Is.EqualTo(new[] { ("店主老陈", "店主"), ("店员小李", "店员") }));

        // the last owner cannot step down; after promoting the clerk, it can
        await HttpAssert.Problem(await s.Owner.PutAsJsonAsync($"/api/store/users/{s.OwnerId}/role", new { role = "clerk" }), 409);
        await HttpAssert.Problem(await s.Owner.PutAsJsonAsync($"/api/store/users/{s.ClerkId}/role", new { role = "boss" }), 400);
        await HttpAssert.Problem(await s.Owner.PutAsJsonAsync($"/api/store/users/999999/role", new { role = "owner" }), 404);
        var promoted = await HttpAssert.Ok(await s.Owner.PutAsJsonAsync($"/api/store/users/{s.ClerkId}/role", new { role = "owner" }));
        Assert.That(promoted.GetProperty("role").GetString(), Is.EqualTo("owner"));
        await HttpAssert.Ok(await s.Owner.PutAsJsonAsync($"/api/store/users/{s.OwnerId}/role", new { role = "clerk" }));
        // roles are read per request: the former owner is now refused
        await HttpAssert.Problem(await s.Owner.GetAsync("/api/store/users"), 403);
        Assert.That((await HttpAssert.Ok(await s.Clerk.GetAsync("/api/store/account"))).GetProperty("isOwner").GetBoolean(), Is.True);

        // invoice titles: the owner (now the former clerk) adds one; the demoted user may list and pick it, not add or remove
        var title = new { kind = "normal", title = "广州某某商行", taxNo = "91440101MA5ABCDE1X" };
        var add = new HttpRequestMessage(HttpMethod.Post, "/api/invoice-titles") { Content = JsonContent.Create(title) };
        add.Headers.Add("Idempotency-Key", "title-" + Guid.NewGuid().ToString("N"));
        var created = await HttpAssert.Ok(await s.Clerk.SendAsync(add));
        var titleId = created.GetProperty("id").GetInt64();
        var denied = new HttpRequestMessage(HttpMethod.Post, "/api/invoice-titles") { Content = JsonContent.Create(title) };
        denied.Headers.Add("Idempotency-Key", "title-" + Guid.NewGuid().ToString("N"));
        await HttpAssert.Problem(await s.Owner.SendAsync(denied), 403);
        await HttpAssert.Problem(await s.Owner.DeleteAsync($"/api/invoice-titles/{titleId}"), 403);
        var listed = await HttpAssert.Ok(await s.Owner.GetAsync("/api/invoice-titles"));
        Assert.That(listed.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()), Does.Contain(titleId));

        // removing: not oneself; a removed user's sign-in stops working
        await HttpAssert.Problem(await s.Clerk.DeleteAsync($"/api/store/users/{s.ClerkId}"), 409);
        Assert.That((int)(await s.Clerk.DeleteAsync($"/api/store/users/{s.OwnerId}")).StatusCode, Is.EqualTo(204));
        Assert.That((int)(await s.Owner.GetAsync("/api/store/account")).StatusCode, Is.EqualTo(401));
        await HttpAssert.Problem(await s.Clerk.DeleteAsync($"/api/store/users/{s.OwnerId}"), 404);
    }
}
