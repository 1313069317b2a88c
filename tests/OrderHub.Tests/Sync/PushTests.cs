using OrderHub.Application.Sync;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>OrderHub → ERP through the outbox: one ERP order per OrderHub order, whatever fails on the way.</summary>
public sealed class PushTests
{
    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task An_approved_order_becomes_one_ERP_order(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var order = await w.OrderAsync("C00010");

        var run = await w.Push.PushDueAsync();
        var again = await w.Push.PushDueAsync();

        Assert.That(run, Is.EqualTo(new PushRunResult(1, 0, 0, 0)));
        Assert.That(again, Is.EqualTo(new PushRunResult(0, 0, 0, 0)));
        Assert.That(await w.ErpOrderCount(order.OrderNo), Is.EqualTo(1));
        var erpId = await w.ErpDesk.ScalarAsync<string>("SELECT erp_id FROM orders WHERE order_number = @OrderNo", order);
        Assert.That(await w.Scalar<string>("SELECT erp_order_id FROM orders WHERE id = @OrderId", order), Is.EqualTo(erpId));
        Assert.That(await w.Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @OrderId", order), Is.EqualTo("sent"));
        var lines = await w.Scalar<long>("SELECT COUNT(*) FROM order_lines WHERE order_id = @OrderId", order);
        Assert.That(await w.ErpDesk.ScalarAsync<long>("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_number = @OrderNo", order), Is.EqualTo(lines));
        Assert.That(await w.ErpDesk.ScalarAsync<long>("SELECT total_fen FROM orders WHERE order_number = @OrderNo", order),
            Is.EqualTo(await w.Scalar<long>("SELECT SUM(CASE WHEN is_gift THEN 0 ELSE quantity * unit_price_fen END) FROM order_lines WHERE order_id = @OrderId", order)));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @OrderId AND action = 'erp_pushed'", order), Is.EqualTo(1));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task ERP_down_keeps_the_order_queued_and_retries_later_with_backoff(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var order = await w.OrderAsync("C00010");
        var id = await w.OutboxIdOf(order.OrderId);
        w.Erp.Down = true;

        Assert.That((await w.Push.PushDueAsync()).Retrying, Is.EqualTo(1));
        Assert.That(await w.Scalar<long>("SELECT next_attempt_at FROM outbox WHERE id = @id", new { id }), Is.EqualTo(w.NowMs + 5_000));
        Assert.That(await w.Scalar<string>("SELECT status || ' ' || attempts || ' ' || last_error FROM outbox WHERE id = @id", new { id }),
            Does.StartWith("pending 1 ERP 不可用"));
        Assert.That(await w.Push.PushDueAsync(), Is.EqualTo(new PushRunResult(0, 0, 0, 0)), "not due before the backoff");

        w.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That((await w.Push.PushDueAsync()).Retrying, Is.EqualTo(1));
        Assert.That(await w.Scalar<long>("SELECT next_attempt_at FROM outbox WHERE id = @id", new { id }), Is.EqualTo(w.NowMs + 10_000), "doubled");
        w.PushOptions.BackoffMaxSeconds = 15;
        w.Clock.Advance(TimeSpan.FromSeconds(10));
        await w.Push.PushDueAsync();
        Assert.That(await w.Scalar<long>("SELECT next_attempt_at FROM outbox WHERE id = @id", new { id }), Is.EqualTo(w.NowMs + 15_000), "capped");

        w.Erp.Down = false;
        w.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.That((await w.Push.PushDueAsync()).Sent, Is.EqualTo(1));
        Assert.That(await w.ErpOrderCount(order.OrderNo), Is.EqualTo(1));
        Assert.That(await w.Scalar<string>("SELECT status FROM outbox WHERE id = @id", new { id }), Is.EqualTo("sent"));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task ERP_commits_then_times_out_and_the_retry_finds_the_order_instead_of_pushing_again(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var order = await w.OrderAsync("C00010");
        w.Erp.TimeOutAfterPush = true;

        Assert.That((await w.Push.PushDueAsync()).Retrying, Is.EqualTo(1));
        Assert.That(await w.ErpOrderCount(order.OrderNo), Is.EqualTo(1), "the ERP has it although OrderHub heard nothing");

        w.Erp.TimeOutAfterPush = false;
        w.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await w.Push.PushDueAsync()).Sent, Is.EqualTo(1));
        Assert.That(w.Erp.PushCalls, Is.EqualTo(1), "found, not pushed again");
        Assert.That(w.Erp.FindCalls, Is.EqualTo(2));
        Assert.That(await w.ErpOrderCount(order.OrderNo), Is.EqualTo(1));
        Assert.That(await w.Scalar<string>("SELECT erp_order_id FROM orders WHERE id = @OrderId", order), Is.Not.Null);
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_crash_after_sending_before_acknowledging_is_picked_up_after_the_lease_without_a_duplicate(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var order = await w.OrderAsync("C00010");
        var id = await w.OutboxIdOf(order.OrderId);

        // A sender claims the row, gets the order into the ERP, and dies before writing anything back.
        var claim = await w.Lease.TryClaimAsync(id, w.NowMs, TimeSpan.FromSeconds(w.PushOptions.LeaseSeconds), default);
        Assert.That(claim, Is.Not.Null);
        await w.Erp.PushOrderAsync((await new ErpOrderBuilder(w.Db).BuildAsync(order.OrderId, default))!.Order, default);

        Assert.That(await w.Lease.TryClaimAsync(id, w.NowMs, TimeSpan.FromMinutes(2), default), Is.Null, "a second sender cannot claim it");
        Assert.That(await w.Push.PushDueAsync(), Is.EqualTo(new PushRunResult(0, 0, 0, 0)), "held by the dead sender's lease");

        w.Clock.Advance(TimeSpan.FromSeconds(w.PushOptions.LeaseSeconds + 1));
        Assert.That((await w.Push.PushDueAsync()).Sent, Is.EqualTo(1));
        Assert.That(w.Erp.PushCalls, Is.EqualTo(1));
        Assert.That(await w.ErpOrderCount(order.OrderNo), Is.EqualTo(1));
        Assert.That(await w.Scalar<string>("SELECT status || ' ' || attempts FROM outbox WHERE id = @id", new { id }), Is.EqualTo("sent 2"));
    }

    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task A_poison_order_is_parked_while_the_next_one_goes_through_and_can_be_retried_by_hand(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var poison = await w.OrderAsync("C00010");
        var good = await w.OrderAsync("C00020");
        w.DemoErp.Options.RejectCustomerCodes.Add("C00010");

        var run = await w.Push.PushDueAsync();

        Assert.That(run, Is.EqualTo(new PushRunResult(1, 0, 1, 0)));
        Assert.That(await w.ErpOrderCount(good.OrderNo), Is.EqualTo(1));
        Assert.That(await w.ErpOrderCount(poison.OrderNo), Is.Zero);
        var parked = (await w.Outbox.ListAsync("failed", 10)).Single();
        Assert.That((parked.OrderNo, parked.LastError), Is.EqualTo((poison.OrderNo, "ERP 拒收 / ERP rejected: Customer C00010 is blocked in the ERP (信用冻结).")));
        Assert.That(await w.Scalar<string>("SELECT note FROM order_events WHERE order_id = @OrderId AND action = 'erp_rejected'", poison), Does.Contain("信用冻结"));
        Assert.That(await w.Push.PushDueAsync(), Is.EqualTo(new PushRunResult(0, 0, 0, 0)), "parked rows are not retried by themselves");

        // Someone unblocks the customer in the ERP and retries the message.
        w.DemoErp.Options.RejectCustomerCodes.Clear();
        var retried = await w.Outbox.RetryAsync(parked.Id);
        Assert.That((retried.Status, retried.Attempts), Is.EqualTo(("pending", 0)));
        Assert.That((await w.Push.PushDueAsync()).Sent, Is.EqualTo(1));
        Assert.That(await w.ErpOrderCount(poison.OrderNo), Is.EqualTo(1));
        var conflict = Assert.ThrowsAsync<OrderHub.Application.Common.AppProblem>(() => w.Outbox.RetryAsync(parked.Id));
        Assert.That(conflict!.Status, Is.EqualTo(409));
    }
}
