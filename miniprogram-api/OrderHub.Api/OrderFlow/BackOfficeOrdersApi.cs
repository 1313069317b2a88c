using AutoMapper;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Ordering;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Common;
using OrderHub.Application.Ordering;
using OrderHub.Application.Statements;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Api.OrderFlow;

/// <summary>
/// Back-office order queues and 订单流转 actions. Any staff member reads; each action is checked against the caller's role
/// by the order flow (clerk: 业务审核; finance: 财务审核 and credit override; warehouse: 出库, 发货; admin: all).
/// </summary>
public static class BackOfficeOrdersApi
{
    public sealed record CreditDto(long CreditLimitFen, long BalanceFen, long OpenOrdersFen, long AvailableFen, string AvailableText, bool Exceeded);
    public sealed record BackOfficeOrderDto(OrderDetailDto Order, long CustomerId, CreditDto Credit);
    public sealed record QueueCountDto(string Status, string Label, long Count);
    public sealed record BatchRequest(IReadOnlyList<long>? OrderIds);
    /// <summary>One order of a batch: ok, or why not (messageZh, and message "中文 / English").</summary>
    public sealed record BatchItemDto(long OrderId, string? OrderNo, bool Ok, string? Status, string? StatusLabel, string? Message, string? MessageZh);
    public sealed record BatchResultDto(string Action, int Succeeded, int Failed, bool Replayed, IReadOnlyList<BatchItemDto> Items);

    private const string OrderNotFound = "订单不存在 / No such order";
    private const string OrderConflict = "订单当前状态不能这样操作，或刚被他人处理 / The order's current status does not allow this, or someone else just changed it";

    public static IEndpointRouteBuilder MapBackOfficeOrdersApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin/orders").WithTags("Back office: orders").RequireAuthorization(Policies.Staff);
        g.MapGet("", List).WithName("AdminListOrders").WithSummary("Review queues: filter by status, customer, agent, channel, period (order date, or 发货 date with dateBy=shipped), search; newest first");
        g.MapGet("/download", Download).WithName("AdminDownloadOrders")
            .WithSummary("订单导出: the orders the list's filters select, one row per line, as a file (format=csv|xlsx; Chinese headers, yuan with two decimals)");
        g.MapPost("/batch/{action}", Batch).WithIdempotencyKey().WithName("AdminBatchOrderAction").ProducesNotFound("没有这个批量操作 / No such batch action").ProducesConflict("该批量操作仍在处理中 / This batch is still running")
            .WithSummary("批量审核 / 批量出库 / 批量发货: action approve-sales | approve-finance | outbound | ship on up to 200 orders, each through the order flow with its own checks; a result per order (Idempotency-Key required: a retry answers the first results)");
        g.MapGet("/counts", Counts).WithName("AdminOrderCounts").WithSummary("How many orders wait in each status");
        g.MapGet("/{id:long}", Get).WithName("AdminGetOrder").ProducesNotFound(OrderNotFound).WithSummary("Order detail with lines, prices and their sources, timeline, customer balance and credit");
        g.MapPost("/{id:long}/approve-sales", (long id, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.ApproveSales, null, false, h, d)).WithName("AdminApproveSales").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("业务审核通过 (clerk, admin)");
        g.MapPost("/{id:long}/approve-finance", (long id, FinanceApprovalRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.ApproveFinance, body?.Note, body?.Override ?? false, h, d))
            .WithName("AdminApproveFinance").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("财务审核通过 (finance, admin); override=true lets an order past the credit limit");
        g.MapPost("/{id:long}/outbound", (long id, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.Outbound, null, false, h, d)).WithName("AdminOutbound").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("出库 (warehouse, admin)");
        g.MapPost("/{id:long}/ship", (long id, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.Ship, null, false, h, d)).WithName("AdminShip").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("发货 (warehouse, admin): the customer's ledger is debited");
        g.MapPost("/{id:long}/reject", (long id, ReasonRequest body, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.Reject, body.Reason, false, h, d)).WithName("AdminReject").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("驳回 with a reason (clerk at 业务审核, finance at 财务审核, admin); releases the reservation");
        g.MapPost("/{id:long}/cancel", (long id, ReasonRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.Cancel, body?.Reason, false, h, d)).WithName("AdminCancel").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("取消 before outbound (clerk, admin)");
        g.MapPost("/{id:long}/receive", (long id, HttpContext h, [AsParameters] Deps d) => Act(id, OrderAction.Receive, null, false, h, d)).WithName("AdminReceive").ProducesNotFound(OrderNotFound).ProducesConflict(OrderConflict).WithSummary("收货 on the store's behalf (admin)");
        return app;
    }

    public sealed class Deps(OrderQueries queries, OrderFlowService flow, IMapper mapper, Db db, BatchOrderActions batch, OrderExport export, TimeProvider clock)
    {
        public BatchOrderActions Batch { get; } = batch;
        public OrderExport Export { get; } = export;
        public TimeProvider Clock { get; } = clock;
        public OrderQueries Queries { get; } = queries;
        public OrderFlowService Flow { get; } = flow;
        public IMapper Mapper { get; } = mapper;
        public Db Db { get; } = db;
    }

    private static async Task<Results<Ok<OrderPageDto>, ProblemHttpResult>> List(
        string? status, long? customerId, long? agentId, string? channel, string? from, string? to, string? dateBy, string? q, long? before, int? limit, [AsParameters] Deps d)
    {
        if (limit is < 1 or > 200) return Problems.BadRequest("limit 必须在 1 到 200 之间", "limit must be between 1 and 200");
        var (filter, problem) = Filter(status, customerId, agentId, channel, from, to, dateBy, q, before, limit ?? 50);
        if (problem is not null) return problem;
        var (items, next) = await d.Queries.ListAsync(OrderScope.Any, filter!);
        return TypedResults.Ok(new OrderPageDto(d.Mapper.Map<IReadOnlyList<OrderSummaryDto>>(items), next));
    }

    /// <summary>from/to are order dates (default) or, with dateBy=shipped, 发货 dates — what the gross-profit figures count by.</summary>
    private const string DateByOrdered = "ordered", DateByShipped = "shipped";

    /// <summary>The order list's filters, checked once for the list and the export.</summary>
    private static (OrderFilter? Filter, ProblemHttpResult? Problem) Filter(
        string? status, long? customerId, long? agentId, string? channel, string? from, string? to, string? dateBy, string? q, long? before, int limit)
    {
        if (dateBy is not null and not (DateByOrdered or DateByShipped))
            return (null, Problems.BadRequest("dateBy 只能是 ordered (下单日期) 或 shipped (发货日期)", "dateBy must be ordered or shipped"));
        if (status is not null && !OrderStatus.IsKnown(status)) return (null, Problems.BadRequest($"未知状态 {status}", $"Unknown status '{status}'"));
        if (channel is not null and not ("self" or "proxy")) return (null, Problems.BadRequest("channel 只能是 self 或 proxy", "channel must be self or proxy"));
        if (q is { Length: > 100 }) return (null, Problems.BadRequest("搜索词过长", "q is too long"));
        if (!TryDate(from, out var fromDay) || !TryDate(to, out var toDay))
            return (null, Problems.BadRequest("日期格式应为 yyyy-MM-dd", "Dates must look like yyyy-MM-dd"));
        return (new OrderFilter(status, customerId, agentId,
            fromDay is { } f ? ShanghaiTime.StartOfDayMs(f) : null, toDay is { } t ? ShanghaiTime.StartOfDayMs(t.AddDays(1)) : null,
            q, channel, before, limit, ByShipDate: dateBy == DateByShipped), null);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(
        string? status, long? customerId, long? agentId, string? channel, string? from, string? to, string? dateBy, string? q, string? format, [AsParameters] Deps d)
    {
        var fmt = string.IsNullOrWhiteSpace(format) ? "xlsx" : format.Trim().ToLowerInvariant();
        if (!StatementExport.Formats.Contains(fmt)) return Problems.BadRequest("文件格式应为 csv 或 xlsx", "format must be csv or xlsx");
        var (filter, problem) = Filter(status, customerId, agentId, channel, from, to, dateBy, q, null, OrderExport.MaxOrders);
        if (problem is not null) return problem;
        var rows = await d.Export.RowsAsync(filter!);
        if (rows is null)
            return Problems.BadRequest($"符合条件的订单超过 {OrderExport.MaxOrders} 个，请缩小日期范围或加筛选条件后分批导出",
                $"More than {OrderExport.MaxOrders} orders match; narrow the dates or filters and export in parts");
        var name = OrderExport.FileName(ShanghaiTime.Today(d.Clock), fmt);
        return fmt == "xlsx"
            ? TypedResults.File(OrderExport.ToXlsx(rows), StatementExport.XlsxContentType, name)
            : TypedResults.File(OrderExport.ToCsv(rows), StatementExport.CsvContentType, name);
    }

    private static async Task<Results<Ok<BatchResultDto>, ProblemHttpResult>> Batch(string action, BatchRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        if (!BatchOrderActions.Actions.ContainsKey(action))
            return Problems.NotFound($"没有批量操作 {action} (可用: approve-sales, approve-finance, outbound, ship)", $"No batch action '{action}' (approve-sales, approve-finance, outbound, ship)");
        if (body?.OrderIds is not { Count: > 0 } ids) return Problems.BadRequest("请选择订单", "orderIds must name at least one order");
        var caller = Caller.From(http.User);
        try
        {
            var r = await d.Batch.RunAsync(action, ids, caller.Actor, caller.Role, key!);
            return TypedResults.Ok(d.Mapper.Map<BatchResultDto>(r));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Ok<IReadOnlyList<QueueCountDto>>> Counts([AsParameters] Deps d) =>
        TypedResults.Ok(d.Mapper.Map<IReadOnlyList<QueueCountDto>>(await d.Queries.CountsAsync(OrderScope.Any)));

    private static async Task<Results<Ok<BackOfficeOrderDto>, ProblemHttpResult>> Get(long id, OrderHub.Application.Chains.ChainOptions chains, [AsParameters] Deps d)
    {
        var detail = await d.Queries.GetAsync(OrderScope.Any, id, null);
        if (detail is null) return Problems.NotFound("订单不存在", "Order not found");
        await using var c = await d.Db.OpenAsync();
        var e = await CreditCheck.ExposureAsync(c, null, detail.Summary.CustomerId, detail.Summary.Id, chains.CreditAt);
        return TypedResults.Ok(d.Mapper.Map<(OrderDetail, CreditCheck.Exposure), BackOfficeOrderDto>((detail, e)));
    }

    private static async Task<Ok<OrderDetailDto>> Act(long id, OrderAction action, string? reason, bool financeOverride, HttpContext http, Deps d)
    {
        var caller = Caller.From(http.User);
        await d.Flow.ActAsync(new OrderActionRequest(id, action, caller.Actor, caller.Role, OrderScope.Any, reason, financeOverride));
        return TypedResults.Ok(d.Mapper.Map<OrderDetailDto>(await d.Queries.GetAsync(OrderScope.Any, id, null)));
    }

    private static bool TryDate(string? s, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrEmpty(s)) return true;
        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", out var d)) return false;
        day = d;
        return true;
    }
}
