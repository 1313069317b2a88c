using OrderHub.Domain.People;
using OrderHub.Domain.Ordering;
using static OrderHub.Domain.Ordering.OrderAction;
using static OrderHub.Domain.Ordering.OrderStatus;

namespace OrderHub.Tests.Ordering;

/// <summary>
/// Every (role, action, status) of 订单流转, with both reviews on. The legal moves are written out by hand from the
/// product rules; every other combination must be refused.
/// </summary>
public class OrderFlowMatrixTests
{
    private static readonly string[] RolesUnderTest = ["customer", "agent", "clerk", "finance", "warehouse", "admin"];

    private static readonly HashSet<(string Role, OrderAction Action, string From, string To)> Legal =
    [
        ("clerk", ApproveSales, PendingSalesReview, PendingFinanceReview),
        ("admin", ApproveSales, PendingSalesReview, PendingFinanceReview),
        ("finance", ApproveFinance, PendingFinanceReview, PendingOutbound),
        ("admin", ApproveFinance, PendingFinanceReview, PendingOutbound),
        ("warehouse", Outbound, PendingOutbound, PendingShipment),
        ("admin", Outbound, PendingOutbound, PendingShipment),
        ("warehouse", Ship, PendingOutbound, Shipped),
        ("warehouse", Ship, PendingShipment, Shipped),
        ("admin", Ship, PendingOutbound, Shipped),
        ("admin", Ship, PendingShipment, Shipped),
        ("customer", Receive, Shipped, Received),
        ("admin", Receive, Shipped, Received),
        ("clerk", Reject, PendingSalesReview, Rejected),
        ("finance", Reject, PendingFinanceReview, Rejected),
        ("admin", Reject, PendingSalesReview, Rejected),
        ("admin", Reject, PendingFinanceReview, Rejected),
        ("customer", Cancel, PendingSalesReview, Cancelled),
        ("customer", Cancel, PendingFinanceReview, Cancelled),
        ("agent", Cancel, PendingSalesReview, Cancelled),
        ("agent", Cancel, PendingFinanceReview, Cancelled),
        ("clerk", Cancel, PendingSalesReview, Cancelled),
        ("clerk", Cancel, PendingFinanceReview, Cancelled),
        ("clerk", Cancel, PendingOutbound, Cancelled),
        ("admin", Cancel, PendingSalesReview, Cancelled),
        ("admin", Cancel, PendingFinanceReview, Cancelled),
        ("admin", Cancel, PendingOutbound, Cancelled),
        // the store's own steps before 业务审核 (issues #16, #17): the owner approves or rejects a clerk's order (the service
        // also checks the store user is an owner); whoever may cancel in review may cancel there; payment is the system's
        ("customer", ApproveOwner, PendingOwnerApproval, PendingSalesReview),
        ("customer", Reject, PendingOwnerApproval, Rejected),
        ("admin", Reject, PendingOwnerApproval, Rejected),
        ("customer", Cancel, PendingOwnerApproval, Cancelled),
        ("customer", Cancel, PendingPayment, Cancelled),
        ("agent", Cancel, PendingOwnerApproval, Cancelled),
        ("agent", Cancel, PendingPayment, Cancelled),
        ("clerk", Cancel, PendingOwnerApproval, Cancelled),
        ("clerk", Cancel, PendingPayment, Cancelled),
        ("admin", Cancel, PendingOwnerApproval, Cancelled),
        ("admin", Cancel, PendingPayment, Cancelled),
    ];

    [Test]
    public void Exactly_the_listed_moves_are_allowed()
    {
        var flow = new OrderFlowOptions();
        var allowed = new List<(string, OrderAction, string, string)>();
        foreach (var role in RolesUnderTest)
        foreach (var action in Enum.GetValues<OrderAction>())
        foreach (var from in All)
            if (OrderFlowRules.Next(flow, from, action) is { } to && OrderFlowRules.RoleMay(Roles.Parse(role)!.Value, action, from))
                allowed.Add((role, action, from, to));
        Assert.That(allowed, Is.EquivalentTo(Legal));
    }

    [Test]
    public void With_finance_review_off_sales_approval_goes_straight_to_outbound()
    {
        var flow = new OrderFlowOptions { FinanceReview = false };
        Assert.That(OrderFlowRules.Next(flow, PendingSalesReview, ApproveSales), Is.EqualTo(PendingOutbound));
        Assert.That(OrderFlowRules.InitialStatus(new OrderFlowOptions { SalesReview = false }), Is.EqualTo(PendingFinanceReview));
        Assert.That(OrderFlowRules.InitialStatus(new OrderFlowOptions { SalesReview = false, FinanceReview = false }), Is.EqualTo(PendingOutbound));
    }
}
