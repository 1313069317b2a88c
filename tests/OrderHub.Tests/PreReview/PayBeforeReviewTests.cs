using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.PreReview;
using OrderHub.Domain.Ordering;
using OrderHub.Testing;
using OrderHub.Tests.Api;
using OrderHub.Tests.Payments;
using OrderHub.Tests.WeChat;

namespace OrderHub.Tests.PreReview;

/// <summary>
/// Pay before review (待付款, issue #16) on both databases, against the fake WeChat Pay of <see cref="PaymentsWorld"/>:
/// Payments:Mode prepay for the distributor, credit for group KA, either for group CHAIN. A 待付款 order goes to 业务审核
/// when it is paid in full (WeChat Pay notification or the prepaid balance), is cancelled with its stock released when it
/// stays unpaid, and money that lands on it after the cancellation is refunded, so the ledger nets to zero.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class PayBeforeReviewTests(string kind)
{
    private PaymentsWorld _w = null!;
    private readonly Dictionary<string, int> _used = [];

    [OneTimeSetUp]
    public async Task Start() => _w = await PaymentsWorld.StartAsync(kind, new()
    {
        ["Payments:Mode"] = "prepay",
        ["Payments:GroupModes:KA"] = "credit",
        ["Payments:GroupModes:CHAIN"] = "either",
        ["Payments:UnpaidCancelMinutes"] = "30",
    });

    [OneTimeTearDown] public async Task Stop() => await _w.DisposeAsync();

    /// <summary>A store of the group whose first user is signed in through WeChat (the payer), a different store each call.</summary>
    private async Task<(HttpClient Client, long CustomerId, long UserId)> StoreAsync(string group)
    {
        var n = _used[group] = _used.GetValueOrDefault(group) + 1;
        long customerId, userId;
        await using (var c = await _w.Host.Db.OpenAsync())
            (customerId, userId) = await c.QuerySingleAsync<(long, long)>("""
                SELECT cu.id, MIN(u.id) FROM customers cu JOIN customer_groups g ON g.id = cu.group_id
                JOIN customer_users u ON u.customer_id = cu.id AND u.active = TRUE
                WHERE cu.active = TRUE AND g.code = @group GROUP BY cu.id ORDER BY cu.id LIMIT 1 OFFSET @n
                """, new { group, n });
        var openId = $"o-prepay-{customerId}";
        await _w.Host.Exec("UPDATE customer_users SET wechat_openid = @openId, role = 'owner' WHERE id = @userId", new { openId, userId });
        return (await WeChatTestHost.WithTokenAsync(_w.Host, await _w.Wx.LoginAsync(openId)), customerId, userId);
    }

    private async Task<(string OrderNo, long OrderId, long TotalFen, string Status, long ProductId, long Qty)> OrderAsync(HttpClient store, long customerId, bool? payFirst = null)
    {
        var (sku, qty) = await _w.Wx.SellableItemAsync(customerId);
        await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = qty }));
        var addressId = await _w.Host.Scalar<long>("SELECT MIN(id) FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE", new { customerId });
        var summary = (await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, "/api/orders", new { addressId, payFirst }, "prepay-" + Guid.NewGuid().ToString("N")))).GetProperty("summary");
        var id = summary.GetProperty("id").GetInt64();
        var productId = await _w.Host.Scalar<long>("SELECT id FROM products WHERE sku = @sku", new { sku });
        return (summary.GetProperty("orderNo").GetString()!, id, summary.GetProperty("totalFen").GetInt64(), summary.GetProperty("status").GetString()!, productId, qty);
    }

    private Task<string> StatusAsync(long orderId) => _w.Host.Scalar<string>("SELECT status FROM orders WHERE id = @orderId", new { orderId });

    private Task<long> ReservedAsync(long customerId, long productId) => _w.Host.Scalar<long>(
        "SELECT s.reserved FROM stock s JOIN customers cu ON cu.warehouse_id = s.warehouse_id WHERE cu.id = @customerId AND s.product_id = @productId",
        new { customerId, productId });

    private async Task ExpireAsync()
    {
        using var scope = _w.Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ExpireUnpaidOrders>().RunAsync(CancellationToken.None);
    }

    [Test]
    public async Task A_prepay_order_waits_for_payment_and_the_wechat_pay_notification_moves_it_to_sales_review()
    {
        var (store, customerId, _) = await StoreAsync("SHOP");
        var account = await HttpAssert.Ok(await store.GetAsync("/api/store/account"));
        Assert.That(account.GetProperty("paymentMode").GetString(), Is.EqualTo("prepay"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (orderNo, orderId, total, status, productId, qty) = await OrderAsync(store, customerId);
        Assert.That(status, Is.EqualTo(OrderStatus.PendingPayment));
        var due = await _w.Host.Scalar<long>("SELECT payment_due_at FROM orders WHERE id = @orderId", new { orderId });
        Assert.That(due - before, Is.InRange(30 * 60_000L - 60_000, 30 * 60_000L + 60_000), "due 30 minutes after submit");
        Assert.That(await _w.Host.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @orderId", new { orderId }), Is.EqualTo(0), "not for the ERP while unpaid");

        var start = await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "pp-1"));
        var outTradeNo = PaymentsWorld.OutTradeNo(start);
        Assert.That(_w.Pay.Order(outTradeNo)!.Total, Is.EqualTo(total));
        Assert.That(await StatusAsync(orderId), Is.EqualTo(OrderStatus.PendingPayment), "a payment started is not a payment made");
        _w.Pay.Pay(outTradeNo);
        Assert.That((int)(await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));

        var detail = await HttpAssert.Ok(await store.GetAsync($"/api/orders/{orderNo}"));
        Assert.That(detail.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingSalesReview));
        var paid = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "paid");
        Assert.That(paid.GetProperty("actorKind").GetString(), Is.EqualTo("system"));
        Assert.That(paid.GetProperty("fromStatus").GetString(), Is.EqualTo(OrderStatus.PendingPayment));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Where(r => r.OrderId == orderId).Sum(r => r.AmountFen), Is.EqualTo(-total));
        // a late expiry run leaves it alone
        await _w.Host.Exec("UPDATE orders SET payment_due_at = 1 WHERE id = @orderId", new { orderId });
        await ExpireAsync();
        Assert.That(await StatusAsync(orderId), Is.EqualTo(OrderStatus.PendingSalesReview));
        Assert.That(await ReservedAsync(customerId, productId), Is.GreaterThanOrEqualTo(qty));
    }

    [Test]
    public async Task Paying_in_full_from_the_prepaid_balance_moves_the_order_at_once_a_part_does_not()
    {
        var (store, customerId, _) = await StoreAsync("SHOP");
        var (orderNo, orderId, total, status, _, _) = await OrderAsync(store, customerId);
        Assert.That(status, Is.EqualTo(OrderStatus.PendingPayment));
        var finance = await _w.Host.StaffAsync("finance");
        await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = total, reference = "转账 0042" }, "tr-" + orderId));

        // a part from the balance and the rest by WeChat Pay, never finished: still unpaid
        var (orderNo2, orderId2, total2, _, _, _) = await OrderAsync(store, customerId);
        await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo2}/payments", new { useBalanceFen = total2 / 2 }, "bal-part"));
        Assert.That(await StatusAsync(orderId2), Is.EqualTo(OrderStatus.PendingPayment));

        // the first order: its whole total is still in the balance (total - total2/2 is not enough unless total2 is tiny): top up what is missing
        var balance = await _w.PrepaidSumAsync(customerId);
        if (balance < total)
            await HttpAssert.Ok(await PaymentsWorld.PostKeyed(finance, $"/api/admin/customers/{customerId}/prepaid/transfers", new { amountFen = total - balance }, "tr2-" + orderId));
        await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { useBalanceFen = total }, "bal-full"));
        Assert.That(await StatusAsync(orderId), Is.EqualTo(OrderStatus.PendingSalesReview));
        Assert.That(await _w.PrepaidSumAsync(customerId), Is.EqualTo(0));
    }

    [Test]
    public async Task An_unpaid_order_is_cancelled_when_due_and_a_payment_racing_the_expiry_is_refunded()
    {
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            var (store, customerId, _) = await StoreAsync("SHOP");
            var (orderNo, orderId, total, _, productId, qty) = await OrderAsync(store, customerId);
            var reserved = await ReservedAsync(customerId, productId);
            // not yet due: nothing happens
            await ExpireAsync();
            Assert.That(await StatusAsync(orderId), Is.EqualTo(OrderStatus.PendingPayment));

            // the store presses pay, the order falls due, the expiry and WeChat Pay's notification race
            var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "race-1")));
            await _w.Host.Exec("UPDATE orders SET payment_due_at = 1 WHERE id = @orderId", new { orderId });
            _w.Pay.Pay(outTradeNo);
            var expiry = ExpireAsync();
            var notify = _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo));
            await expiry;
            Assert.That((int)(await notify).StatusCode, Is.EqualTo(204));
            await _w.Payments.FollowUpAsync();

            var status = await StatusAsync(orderId);
            var rows = (await _w.MoneyRowsAsync(customerId)).Where(r => r.OrderId == orderId).ToList();
            Assert.That(rows.Where(r => r.Kind == "payment").Sum(r => r.AmountFen), Is.EqualTo(-total), "the money is booked once");
            if (status == OrderStatus.Cancelled)
            {
                // the expiry won: stock released, the money refunded by the follow-up
                Assert.That(await ReservedAsync(customerId, productId), Is.EqualTo(reserved - qty));
                Assert.That(rows.Where(r => r.Kind == "refund").Sum(r => r.AmountFen), Is.EqualTo(total));
                Assert.That(_w.Pay.Order(outTradeNo)!.Refunded, Is.EqualTo(total));
            }
            else
            {
                // the payment won: the order went to review and keeps its stock and money
                Assert.That(status, Is.EqualTo(OrderStatus.PendingSalesReview));
                Assert.That(await ReservedAsync(customerId, productId), Is.EqualTo(reserved));
                Assert.That(rows.Where(r => r.Kind == "refund"), Is.Empty);
            }

            // without a payment: cancelled by 系统, stock released, the store told
            var (_, orderId2, _, _, productId2, qty2) = await OrderAsync(store, customerId);
            var reserved2 = await ReservedAsync(customerId, productId2);
            await _w.Host.Exec("UPDATE orders SET payment_due_at = 1 WHERE id = @orderId2", new { orderId2 });
            await ExpireAsync();
            Assert.That(await StatusAsync(orderId2), Is.EqualTo(OrderStatus.Cancelled));
            Assert.That(await ReservedAsync(customerId, productId2), Is.EqualTo(reserved2 - qty2));
            Assert.That(await _w.Host.Scalar<string>("SELECT actor_name FROM order_events WHERE order_id = @orderId2 AND to_status = 'cancelled'", new { orderId2 }), Is.EqualTo("系统"));
            Assert.That(await _w.Host.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @orderId2 AND kind = 'order_cancelled'", new { orderId2 }), Is.GreaterThan(0));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }

    [Test]
    public async Task The_payment_expiry_race_settles_both_ways_when_the_payment_is_booked_first()
    {
        // the deterministic half of the race: the notification lands before the expiry runs
        var (store, customerId, _) = await StoreAsync("SHOP");
        var (orderNo, orderId, total, _, _, _) = await OrderAsync(store, customerId);
        var outTradeNo = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo}/payments", new { }, "race-2")));
        await _w.Host.Exec("UPDATE orders SET payment_due_at = 1 WHERE id = @orderId", new { orderId });
        _w.Pay.Pay(outTradeNo);
        await _w.NotifyAsync(_w.Pay.TransactionNotification(outTradeNo));
        await ExpireAsync();
        Assert.That(await StatusAsync(orderId), Is.EqualTo(OrderStatus.PendingSalesReview));
        Assert.That((await _w.MoneyRowsAsync(customerId)).Where(r => r.OrderId == orderId).Sum(r => r.AmountFen), Is.EqualTo(-total));

        // and the other half: expired first, the money arrives later and goes back
        _w.Pay.RefundsSucceedAtOnce = true;
        try
        {
            var (orderNo2, orderId2, total2, _, _, _) = await OrderAsync(store, customerId);
            var no2 = PaymentsWorld.OutTradeNo(await HttpAssert.Ok(await PaymentsWorld.PostKeyed(store, $"/api/orders/{orderNo2}/payments", new { }, "race-3")));
            await _w.Host.Exec("UPDATE orders SET payment_due_at = 1 WHERE id = @orderId2", new { orderId2 });
            await ExpireAsync();
            Assert.That(await StatusAsync(orderId2), Is.EqualTo(OrderStatus.Cancelled));
            _w.Pay.Pay(no2);
            await _w.NotifyAsync(_w.Pay.TransactionNotification(no2));
            Assert.That(await StatusAsync(orderId2), Is.EqualTo(OrderStatus.Cancelled), "money on a cancelled order does not revive it");
            await _w.Payments.FollowUpAsync();
            var rows = (await _w.MoneyRowsAsync(customerId)).Where(r => r.OrderId == orderId2).ToList();
            Assert.That(rows.Where(r => r.Kind == "payment").Sum(r => r.AmountFen), Is.EqualTo(-total2));
            Assert.That(rows.Where(r => r.Kind == "refund").Sum(r => r.AmountFen), Is.EqualTo(total2));
        }
        finally { _w.Pay.RefundsSucceedAtOnce = false; }
    }

    [Test]
    public async Task Group_overrides_credit_goes_to_review_either_lets_the_store_choose()
    {
        var (ka, kaId, _) = await StoreAsync("KA");
        Assert.That((await HttpAssert.Ok(await ka.GetAsync("/api/store/account"))).GetProperty("paymentMode").GetString(), Is.EqualTo("credit"));
        Assert.That((await OrderAsync(ka, kaId, payFirst: true)).Status, Is.EqualTo(OrderStatus.PendingSalesReview), "credit ignores the choice");

        var (chain, chainId, _) = await StoreAsync("CHAIN");
        Assert.That((await HttpAssert.Ok(await chain.GetAsync("/api/store/account"))).GetProperty("paymentMode").GetString(), Is.EqualTo("either"));
        Assert.That((await OrderAsync(chain, chainId, payFirst: true)).Status, Is.EqualTo(OrderStatus.PendingPayment));
        Assert.That((await OrderAsync(chain, chainId, payFirst: false)).Status, Is.EqualTo(OrderStatus.PendingSalesReview));
        Assert.That((await OrderAsync(chain, chainId)).Status, Is.EqualTo(OrderStatus.PendingSalesReview));
    }

    [Test]
    public async Task A_clerks_large_order_in_prepay_waits_for_the_owner_then_for_payment_and_an_agents_proxy_order_pays_first_too()
    {
        var (owner, customerId, ownerId) = await StoreAsync("SHOP");
        var clerkId = await _w.Host.Scalar<long>("""
            INSERT INTO customer_users (customer_id, name, role, active, created_at, wechat_openid) VALUES (@customerId, '店员阿芳', 'clerk', TRUE, 0, @openId) RETURNING id
            """, new { customerId, openId = $"o-clerk-{customerId}" });
        var clerk = await WeChatTestHost.WithTokenAsync(_w.Host, await _w.Wx.LoginAsync($"o-clerk-{customerId}"));
        await HttpAssert.Ok(await owner.PutAsJsonAsync("/api/store/approval-threshold", new { aboveFen = 1 }));

        var (orderNo, orderId, total, status, _, _) = await OrderAsync(clerk, customerId);
        Assert.That(status, Is.EqualTo(OrderStatus.PendingOwnerApproval));
        await HttpAssert.Problem(await PaymentsWorld.PostKeyed(clerk, $"/api/orders/{orderNo}/payments", new { }, "too-early"), 409);
        var approved = await HttpAssert.Ok(await owner.PostAsync($"/api/orders/{orderNo}/owner-approve", null));
        Assert.That(approved.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingPayment));
        Assert.That(await _w.Host.Scalar<long?>("SELECT payment_due_at FROM orders WHERE id = @orderId", new { orderId }), Is.Not.Null);
        Assert.That(await _w.Host.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @orderId AND kind = 'order_awaits_payment' AND customer_user_id = @clerkId", new { orderId, clerkId }), Is.EqualTo(1));
        Assert.That(total, Is.GreaterThan(1));

        // an agent's proxy order: no owner approval, but the store's mode (prepay)
        var agentCode = await _w.Host.Scalar<string>("SELECT a.code FROM agents a JOIN customers cu ON cu.agent_id = a.id WHERE cu.id = @customerId", new { customerId });
        var agent = await _w.Host.AgentAsync(agentCode);
        var (sku, qty) = await _w.Wx.SellableItemAsync(customerId);
        await HttpAssert.Ok(await agent.PostAsJsonAsync($"/api/agent/customers/{customerId}/cart/items", new { sku, quantity = qty }));
        var proxy = await _w.Wx.SubmitAsync(agent, $"/api/agent/customers/{customerId}/orders", customerId, "proxy-prepay-" + customerId);
        Assert.That(proxy.GetProperty("summary").GetProperty("status").GetString(), Is.EqualTo(OrderStatus.PendingPayment));
        _ = ownerId;
    }
}
