using System.ComponentModel;
using OrderHub.Application.Statements;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Statements;

// The statements API contract. Amounts are fen (integers) with a ready "¥" text; dates are Shanghai yyyy-MM-dd;
// times are Asia/Shanghai ISO-8601.

public sealed record AmountDto(
    [property: Description("金额 (分) / Amount in fen")] long Fen,
    [property: Description("金额文字，如 ¥1,234.50 / The amount as text, e.g. ¥1,234.50")] string Text);

public sealed record StatementCustomerDto(
    [property: Description("客户 id / Customer id")] long Id,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name);

public sealed record StatementLineDto(
    [property: Description("账目 id / Ledger entry id")] long EntryId,
    [property: Description("日期 (上海时间) yyyy-MM-dd / Date (Asia/Shanghai), yyyy-MM-dd")] string Date,
    [property: Description("发生时间 (上海时间) / When it happened (Asia/Shanghai)")] string OccurredAt,
    [property: Description("类型：opening 期初、order 订单、payment 收款、return 退货、credit 折让、adjustment 调整 / Kind: opening, order, payment, return, credit or adjustment")] string Kind,
    [property: Description("类型文字 / The kind as text")] string KindText,
    [property: Description("单据号 (订单号、收款单号…) / Reference (order number, receipt number…)")] string? Reference,
    [property: Description("备注 / Note")] string? Note,
    [property: Description("借方：应收增加 (分) / Debit: what the store owes more, in fen")] long DebitFen,
    [property: Description("贷方：应收减少 (分) / Credit: what the store owes less, in fen")] long CreditFen,
    [property: Description("该行后的余额 (分) / Balance after this line, in fen")] long BalanceFen,
    [property: Description("该行后的余额文字 / Balance after this line, as text")] string BalanceText);

public sealed record StatementDto(
    [property: Description("客户 / The customer")] StatementCustomerDto Customer,
    [property: Description("开始日期 yyyy-MM-dd (含) / First day, yyyy-MM-dd (inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (含) / Last day, yyyy-MM-dd (inclusive)")] string To,
    [property: Description("期初余额 / Opening balance")] AmountDto OpeningBalance,
    [property: Description("期间的账目 / The period's entries")] IReadOnlyList<StatementLineDto> Lines,
    [property: Description("借方合计 / Debit total")] AmountDto DebitTotal,
    [property: Description("贷方合计 / Credit total")] AmountDto CreditTotal,
    [property: Description("期末余额 (应收) / Closing balance (receivable)")] AmountDto ClosingBalance,
    [property: Description("生成时间 (上海时间) / Generated at (Asia/Shanghai)")] string GeneratedAt);

/// <param name="AvailableCredit">Credit limit less balance less open orders; null when no credit limit is set.</param>
public sealed record BalanceDto(
    [property: Description("欠款余额 (应收) / Balance owed (receivable)")] AmountDto Balance,
    [property: Description("未完成订单金额 / Open orders' total")] AmountDto OpenOrders,
    [property: Description("信用额度；0 为不限 / Credit limit; 0 when none is set")] AmountDto CreditLimit,
    [property: Description("可用额度 = 额度 - 余额 - 未完成订单；未设额度为 null / Credit limit less balance less open orders; null when no limit is set")] AmountDto? AvailableCredit,
    [property: Description("设有信用额度 / A credit limit is set")] bool HasCreditLimit);

public sealed record CustomerListItemDto(
    long Id, string Code, string Name, string? ContactName, string? Phone, string? Region, bool Active,
    long? GroupId, string? GroupName, long? AgentId, string? AgentName, AmountDto CreditLimit, AmountDto Balance);

public sealed record CustomerListDto(IReadOnlyList<CustomerListItemDto> Items, string? NextCursor);

public sealed record CustomerUserDto(long Id, string Name, string? Phone, string Role, bool Active);
public sealed record CustomerAgentDto(long Id, string Code, string Name, string? Phone);
public sealed record CustomerGroupDto(long Id, string Code, string Name);

public sealed record CustomerDetailDto(
    long Id, string Code, string Name, string? ContactName, string? Phone, string? Address, string? Region, bool Active,
    CustomerGroupDto? Group, CustomerAgentDto? Agent, IReadOnlyList<CustomerUserDto> Users,
    AmountDto CreditLimit, AmountDto Balance, AmountDto OpenOrderTotal, AmountDto? AvailableCredit, AmountDto ErpReceivable);

/// <summary>A ledger entry as written. AmountFen is signed as stored (payments and credits negative).</summary>
public sealed record LedgerEntryDto(
    long Id, long CustomerId, string Kind, string KindText, long AmountFen, string AmountText, string Date, string OccurredAt,
    string? Method, string? Reference, string? Note, long? OrderId, string CreatedBy, string CreatedAt);

public sealed record LedgerPageDto(IReadOnlyList<LedgerEntryDto> Items, string? NextCursor);

/// <summary>POST /api/admin/customers/{id}/payments. paidOn yyyy-MM-dd (today when omitted); method: bank_transfer|cash|wechat|alipay|cheque|acceptance|other.</summary>
public sealed record PaymentRequest(long? AmountFen, string? PaidOn, string? Method, string? Reference, string? Note);

/// <summary>POST /api/admin/customers/{id}/credits. kind: return|credit|adjustment; occurredOn yyyy-MM-dd optional (today).</summary>
public sealed record CreditRequest(string? Kind, long? AmountFen, string? Reference, string? Note, string? OccurredOn);
