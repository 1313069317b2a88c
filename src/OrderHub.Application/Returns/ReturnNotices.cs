using System.Data.Common;
using OrderHub.Application.Notifications;
using OrderHub.Application.Ordering;

namespace OrderHub.Application.Returns;

/// <summary>
/// What a store's users are told about their return (退货), in the transaction of the step: approved (send the goods back),
/// rejected (with the reason), received (the quantities the warehouse counted) and refunded (the credit and the money back).
/// Each is a message in every active user's 消息 (kind <c>return_*</c>, linked to the order); the WeChat subscribe-message
/// dispatch pushes it like the order messages — unless the user switched that kind off in 消息设置, in quiet hours, or
/// past the store's daily cap (PushPolicy). A store's own withdrawal tells nobody.
/// </summary>
public static class ReturnNotices
{
    /// <param name="note">What the step recorded on the return's timeline (receive: "实收 …"; refund: "冲账 …，退款 …").</param>
    public static Task NotifyAsync(DbConnection c, DbTransaction tx, ReturnView ret, ReturnAction action, string? reason, string? note, long nowMs)
    {
        var (kind, title, body) = action switch
        {
            ReturnAction.Approve => (NotificationKind.ReturnApproved, "退货审核通过",
                $"退货单 {ret.ReturnNo}（订单 {ret.OrderNo}）已审核通过，请把商品退回仓库。"),
            ReturnAction.Reject => (NotificationKind.ReturnRejected, "退货被驳回",
                $"退货单 {ret.ReturnNo}（订单 {ret.OrderNo}）被驳回：{reason}"),
            ReturnAction.Receive => (NotificationKind.ReturnReceived, "退货已收货",
                $"退货单 {ret.ReturnNo}（订单 {ret.OrderNo}）仓库已收货，{note}，等待财务退款。"),
            ReturnAction.Refund => (NotificationKind.ReturnRefunded, "退货已退款",
                $"退货单 {ret.ReturnNo}（订单 {ret.OrderNo}）已完成：{note}。"),
            _ => (null, "", ""),
        };
        return kind is null ? Task.CompletedTask : OrderJournal.NotifyStoreAsync(c, tx, ret.CustomerId, ret.OrderId, kind, title, body, nowMs);
    }
}
