using OrderHub.Domain.People;

namespace OrderHub.Application.Returns;

/// <summary>
/// 退货流转: 待审核 → 待收货 → 待退款 → 已完成; or 已驳回 (at review) / 已取消 (before the goods are received).
/// Each status names what the return is waiting for.
/// </summary>
public static class ReturnStatus
{
    public const string PendingReview = "pending_review";
    public const string PendingReceipt = "pending_receipt";
    public const string PendingRefund = "pending_refund";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [PendingReview, PendingReceipt, PendingRefund, Completed, Rejected, Cancelled];

    /// <summary>Statuses whose quantities count against what is left to return of the order (everything not refused or withdrawn).</summary>
    public static readonly string[] Counting = [PendingReview, PendingReceipt, PendingRefund, Completed];

    public static bool IsKnown(string? s) => s is not null && All.Contains(s);

    public static string Label(string s) => s switch
    {
        PendingReview => "待审核",
        PendingReceipt => "待收货",
        PendingRefund => "待退款",
        Completed => "已完成",
        Rejected => "已驳回",
        Cancelled => "已取消",
        _ => s,
    };
}

public enum ReturnAction { Approve, Reject, Receive, Refund, Cancel }

/// <summary>Who moves a return, from which status, to which. Pure rules; <see cref="ReturnService"/> applies them atomically.</summary>
public static class ReturnFlowRules
{
    public static string? Next(string from, ReturnAction action) => (action, from) switch
    {
        (ReturnAction.Approve, ReturnStatus.PendingReview) => ReturnStatus.PendingReceipt,
        (ReturnAction.Reject, ReturnStatus.PendingReview) => ReturnStatus.Rejected,
        (ReturnAction.Receive, ReturnStatus.PendingReceipt) => ReturnStatus.PendingRefund,
        (ReturnAction.Refund, ReturnStatus.PendingRefund) => ReturnStatus.Completed,
        (ReturnAction.Cancel, ReturnStatus.PendingReview or ReturnStatus.PendingReceipt) => ReturnStatus.Cancelled,
        _ => null,
    };

    /// <summary>业务审核: clerk; 仓库收货: warehouse; 财务退款/冲账: finance; admin all. Stores and agents cancel their own.</summary>
    public static bool RoleMayEver(Role role, ReturnAction action) => action switch
    {
        ReturnAction.Approve or ReturnAction.Reject => role is Role.Clerk or Role.Admin,
        ReturnAction.Receive => role is Role.Warehouse or Role.Admin,
        ReturnAction.Refund => role is Role.Finance or Role.Admin,
        ReturnAction.Cancel => role is Role.Customer or Role.Agent or Role.Clerk or Role.Admin,
        _ => false,
    };

    /// <summary>Stores and agents withdraw a request only while it waits for review; staff until the goods are received.</summary>
    public static bool RoleMay(Role role, ReturnAction action, string from) =>
        RoleMayEver(role, action) && !(action == ReturnAction.Cancel && role is Role.Customer or Role.Agent && from != ReturnStatus.PendingReview);

    public static string Name(ReturnAction a) => a switch
    {
        ReturnAction.Approve => "approve",
        ReturnAction.Reject => "reject",
        ReturnAction.Receive => "receive",
        ReturnAction.Refund => "refund",
        _ => "cancel",
    };

    public static string Label(ReturnAction a) => a switch
    {
        ReturnAction.Approve => "审核通过",
        ReturnAction.Reject => "驳回",
        ReturnAction.Receive => "仓库收货",
        ReturnAction.Refund => "退款/冲账",
        _ => "取消",
    };
}
