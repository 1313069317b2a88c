using OrderHub.Domain.People;
using OrderHub.Application.Common;
using OrderHub.Application.OrderFlow;
using OrderHub.Domain.Ordering;
using OrderHub.Testing;

namespace OrderHub.Tests.Ordering;

/// <summary>订单流转 on both databases: every legal and illegal move per role, switched-off steps, credit, shipping, concurrency.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class OrderFlowTests(string kind)
{
    private OrderingWorld _w = null!;

    [SetUp] public async Task NewWorld() => _w = await OrderingWorld.CreateAsync(kind);

    private async Task<long> NewOrder() => (await _w.OrderAsync("C4", ("B-002", 24))).OrderId;   // 24 × ¥12.00 = ¥288.00

    [Test]
    public async Task A_clerk_finance_and_warehouse_take_an_order_from_submitted_to_received()
    {
        var id = await NewOrder();
        Assert.That(await _w.ActAs("clerk", id, OrderAction.ApproveSales), Is.EqualTo(OrderStatus.PendingFinanceReview));
        Assert.That(await _w.ActAs("finance", id, OrderAction.ApproveFinance), Is.EqualTo(OrderStatus.PendingOutbound));
        Assert.That(await _w.ActAs("warehouse", id, OrderAction.Outbound), Is.EqualTo(OrderStatus.PendingShipment));
        Assert.That(await _w.Reserved("B-002"), Is.EqualTo(24), "still reserved until it leaves");
        Assert.That(await _w.ActAs("warehouse", id, OrderAction.Ship), Is.EqualTo(OrderStatus.Shipped));
        var customer = await _w.Customer("C4");
        var received = await _w.OrderFlow.ActAsync(new OrderActionRequest(id, OrderAction.Receive, new Actor("customer_user", 1, "老板"), Role.Customer, OrderScope.OfCustomer(customer.CustomerId)));
        Assert.That(received, Is.EqualTo(OrderStatus.Received));

        var order = (await _w.Queries.GetAsync(OrderScope.Any, id, null))!;
        Assert.Multiple(async () =>
        {
            Assert.That(order.Timeline.Select(e => e.ToStatus), Is.EqualTo(new[]
                { "pending_sales_review", "pending_finance_review", "pending_outbound", "pending_shipment", "shipped", "received" }));
            Assert.That(order.Timeline.Select(e => e.ActorName).Skip(1).Take(3), Is.EqualTo(new[] { "clerk", "finance", "warehouse" }));
            Assert.That(await _w.Reserved("B-002"), Is.Zero, "reservation ends at shipping");
            Assert.That(await _w.OnHand("B-002"), Is.EqualTo(76), "100 - 24");
            Assert.That(await _w.Scalar<long>("SELECT amount_fen FROM ledger_entries WHERE order_id = @id AND kind = 'order'", new { id }), Is.EqualTo(24 * 1200), "the store owes the order total");
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM notifications WHERE order_id = @id AND kind IN ('order_approved', 'order_shipped')", new { id }), Is.EqualTo(2));
            Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @id", new { id }), Is.EqualTo(1), "queued for the ERP after finance review");
        });
    }

    [TestCase("customer", OrderAction.ApproveSales)]
    [TestCase("agent", OrderAction.ApproveSales)]
    [TestCase("warehouse", OrderAction.ApproveSales)]
    [TestCase("finance", OrderAction.ApproveSales)]
    [TestCase("clerk", OrderAction.ApproveFinance)]
    [TestCase("warehouse", OrderAction.ApproveFinance)]
    [TestCase("clerk", OrderAction.Ship)]
    [TestCase("finance", OrderAction.Outbound)]
    [TestCase("warehouse", OrderAction.Reject)]
    [TestCase("finance", OrderAction.Reject)]    // finance rejects at its own step, not at sales review
    [TestCase("warehouse", OrderAction.Cancel)]
    [TestCase("clerk", OrderAction.Receive)]
    public async Task The_wrong_role_is_refused_with_403_and_nothing_changes(string role, OrderAction action)
    {
        var id = await NewOrder();
        await Refused.With(403, () => _w.ActAs(role, id, action, "原因"));
        Assert.That(await _w.StatusOf(id), Is.EqualTo(OrderStatus.PendingSalesReview));
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @id", new { id }), Is.EqualTo(1));
    }

    [TestCase(OrderAction.ApproveFinance)]
    [TestCase(OrderAction.Outbound)]
    [TestCase(OrderAction.Ship)]
    [TestCase(OrderAction.Receive)]
    public async Task A_move_that_skips_a_step_is_a_409(OrderAction action)
    {
        var id = await NewOrder();
        var p = await Refused.With(409, () => _w.ActAs("admin", id, action));
        Assert.That(p.Zh, Does.Contain("待业务审核"));
        Assert.That(await _w.StatusOf(id), Is.EqualTo(OrderStatus.PendingSalesReview));
    }

    [Test]
    public async Task Ended_orders_cannot_move_again()
    {
        var id = await NewOrder();
        await _w.ActAs("clerk", id, OrderAction.Reject, "价格有误");
        // every action an admin may take at all (the owner's approval and "paid" are the store's and the system's)
        foreach (var action in Enum.GetValues<OrderAction>().Where(a => OrderFlowRules.RoleMayEver(OrderHub.Domain.People.Role.Admin, a)))
            await Refused.With(409, () => _w.ActAs("admin", id, action, "x"));
    }

    [Test]
    public async Task Finance_rejects_at_its_step_and_the_reservation_is_released()
    {
        var id = await NewOrder();
        await _w.ActAs("clerk", id, OrderAction.ApproveSales);
        await Refused.With(400, () => _w.ActAs("finance", id, OrderAction.Reject, "  "));
        await Refused.With(409, () => _w.ActAs("clerk", id, OrderAction.Reject, "clerk is past its step"));
        Assert.That(await _w.ActAs("finance", id, OrderAction.Reject, "客户欠款未结"), Is.EqualTo(OrderStatus.Rejected));
        var order = (await _w.Queries.GetAsync(OrderScope.Any, id, null))!;
        Assert.Multiple(async () =>
        {
            Assert.That(order.RejectReason, Is.EqualTo("客户欠款未结"));
            Assert.That(await _w.Reserved("B-002"), Is.Zero);
            Assert.That(await _w.Scalar<string>("SELECT body FROM notifications WHERE order_id = @id AND kind = 'order_rejected'", new { id }), Does.Contain("客户欠款未结"));
        });
    }

    [Test]
    public async Task A_store_cancels_its_order_while_in_review_but_not_after()
    {
        var customer = await _w.Customer("C4");
        var asStore = (long id, OrderAction a) => _w.OrderFlow.ActAsync(new OrderActionRequest(id, a, new Actor("customer_user", 1, "老板"), Role.Customer, OrderScope.OfCustomer(customer.CustomerId), "不要了"));
        var first = await NewOrder();
        Assert.That(await asStore(first, OrderAction.Cancel), Is.EqualTo(OrderStatus.Cancelled));
        Assert.That(await _w.Reserved("B-002"), Is.Zero);

        var second = await NewOrder();
        await _w.ActAs("clerk", second, OrderAction.ApproveSales);
        await _w.ActAs("finance", second, OrderAction.ApproveFinance);
        await Refused.With(409, () => asStore(second, OrderAction.Cancel));
        Assert.That(await _w.ActAs("clerk", second, OrderAction.Cancel, "客户电话取消"), Is.EqualTo(OrderStatus.Cancelled), "the desk may still cancel before outbound");
        Assert.That(await _w.Scalar<string>("SELECT status FROM outbox WHERE aggregate_id = @second", new { second }), Is.EqualTo("cancelled"), "an unsent ERP push is withdrawn");

        var other = await _w.Customer("C1");
        var third = await NewOrder();
        await Refused.With(404, () => _w.OrderFlow.ActAsync(new OrderActionRequest(third, OrderAction.Cancel, new Actor("customer_user", 9, "别人"), Role.Customer, OrderScope.OfCustomer(other.CustomerId))));
    }

    [Test]
    public async Task An_agent_may_only_touch_orders_of_its_own_stores()
    {
        var id = await NewOrder();   // C4 belongs to AG2
        var ag1 = await _w.Scalar<long>("SELECT id FROM agents WHERE code = 'AG1'");
        var ag2 = await _w.Scalar<long>("SELECT id FROM agents WHERE code = 'AG2'");
        await Refused.With(404, () => _w.OrderFlow.ActAsync(new OrderActionRequest(id, OrderAction.Cancel, new Actor("agent", ag1, "甲"), Role.Agent, OrderScope.OfAgent(ag1))));
        Assert.That(await _w.OrderFlow.ActAsync(new OrderActionRequest(id, OrderAction.Cancel, new Actor("agent", ag2, "乙"), Role.Agent, OrderScope.OfAgent(ag2))), Is.EqualTo(OrderStatus.Cancelled));
    }

    [Test]
    public async Task Two_staff_approving_at_once_cannot_both_win()
    {
        var id = await NewOrder();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try { await _w.ActAs("clerk", id, OrderAction.ApproveSales); return 200; }
            catch (AppProblem p) { return p.Status; }
        }));
        Assert.That(results.Count(r => r == 200), Is.EqualTo(1));
        Assert.That(results.Where(r => r != 200), Is.All.EqualTo(409));
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @id AND action = 'approve_sales'", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Past_the_credit_limit_finance_must_override_explicitly()
    {
        await _w.Exec("UPDATE customers SET credit_limit_fen = 20000 WHERE code = 'C4'");   // ¥200 < ¥288
        var id = await NewOrder();
        Assert.That(await _w.Scalar<bool>("SELECT credit_exceeded FROM orders WHERE id = @id", new { id }), Is.True, "flagged at submit");
        await _w.ActAs("clerk", id, OrderAction.ApproveSales);
        var p = await Refused.With(409, () => _w.ActAs("finance", id, OrderAction.ApproveFinance));
        Assert.That(p.Zh, Does.Contain("超出信用额度"));
        Assert.That(p.Extensions!["needsOverride"], Is.EqualTo(true));
        Assert.That(await _w.ActAs("finance", id, OrderAction.ApproveFinance, financeOverride: true), Is.EqualTo(OrderStatus.PendingOutbound));
        var order = (await _w.Queries.GetAsync(OrderScope.Any, id, null))!;
        Assert.That(order.Summary.FinanceOverride, Is.True);
        Assert.That(order.Timeline.Last().Note, Does.Contain("财务特批"));
    }

    [Test]
    public async Task Debt_counts_against_credit()
    {
        await _w.Exec("UPDATE customers SET credit_limit_fen = 100000 WHERE code = 'C4'");   // ¥1000
        var customerId = (await _w.Customer("C4")).CustomerId;
        await _w.Exec("INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, created_by, created_at) VALUES (@customerId, 'opening', 80000, 0, 't', 0)", new { customerId });
        var id = await NewOrder();   // 800 owed + 288 > 1000
        await _w.ActAs("clerk", id, OrderAction.ApproveSales);
        await Refused.With(409, () => _w.ActAs("finance", id, OrderAction.ApproveFinance));
        await _w.Exec("INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, created_by, created_at) VALUES (@customerId, 'payment', -50000, 0, 't', 0)", new { customerId });
        Assert.That(await _w.ActAs("finance", id, OrderAction.ApproveFinance), Is.EqualTo(OrderStatus.PendingOutbound), "after a payment it fits");
    }

    [Test]
    public async Task Switched_off_reviews_are_skipped_and_the_order_goes_to_the_erp_at_once()
    {
        _w.Flow.SalesReview = false;
        var financeOnly = await NewOrder();
        Assert.That(await _w.StatusOf(financeOnly), Is.EqualTo(OrderStatus.PendingFinanceReview));
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @financeOnly", new { financeOnly }), Is.Zero);

        _w.Flow.FinanceReview = false;
        var none = await NewOrder();
        Assert.That(await _w.StatusOf(none), Is.EqualTo(OrderStatus.PendingOutbound));
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @none", new { none }), Is.EqualTo(1));

        _w.Flow.SalesReview = true;
        var salesOnly = await NewOrder();
        Assert.That(await _w.ActAs("clerk", salesOnly, OrderAction.ApproveSales), Is.EqualTo(OrderStatus.PendingOutbound));
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @salesOnly", new { salesOnly }), Is.EqualTo(1));
    }

    [TestCase(ErpPushPoint.Submit, 1, 1)]
    [TestCase(ErpPushPoint.SalesReview, 0, 1)]
    [TestCase(ErpPushPoint.FinanceReview, 0, 0)]
    public async Task The_erp_push_point_is_configurable(ErpPushPoint point, int afterSubmit, int afterSales)
    {
        _w.Flow.ErpPushAfter = point;
        var id = await NewOrder();
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @id", new { id }), Is.EqualTo(afterSubmit));
        await _w.ActAs("clerk", id, OrderAction.ApproveSales);
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @id", new { id }), Is.EqualTo(afterSales));
        await _w.ActAs("finance", id, OrderAction.ApproveFinance);
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE aggregate_id = @id", new { id }), Is.EqualTo(1), "always queued once approved, never twice");
    }
}
