using System.Globalization;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Reports;
using OrderHub.Application.Visits;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;
using OrderHub.Domain.People;

namespace OrderHub.Api.Reports;

/// <summary>Customer insight, agent work (visits, cadence alerts, 80/20) and the reports API.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        // Agents: their own customers only; any other customer is a 404. Reports cover the agent's assigned customers.
        var agent = app.MapGroup("/api/agent").WithTags("Insight and reports (agent)").RequireAuthorization(Policies.Agent);
        agent.MapPost("/customers/{customerId:long}/visits", LogVisit).WithIdempotencyKey(optional: true).WithName("AgentLogVisit").ProducesStoreNotFound().WithSummary("Log a store visit (巡店) or follow-up call (回访); Idempotency-Key optional, honoured");
        agent.MapGet("/customers/{customerId:long}/visits", AgentVisits).WithName("AgentVisits").ProducesStoreNotFound().WithSummary("A store's visits and calls, newest first (keyset paging: before)");
        agent.MapGet("/customers/{customerId:long}/insight", AgentInsight).WithName("AgentCustomerInsight").ProducesStoreNotFound().WithSummary("What to know about one of my stores: revenue, orders, cadence, receivable, contact, top items");
        agent.MapGet("/alerts", Alerts).WithName("AgentAlerts").WithSummary("My stores whose ordering is overdue or whose order value dropped, with the reason");
        agent.MapGet("/reports/sales", Sales).WithName("AgentSalesReport").WithSummary("Sales of my stores (groupBy=day|week|month|category|brand|region|agent|customerGroup)");
        agent.MapGet("/reports/top-products", TopProducts).WithName("AgentTopProducts").WithSummary("Best-selling products in my stores");
        agent.MapGet("/reports/receivables-ageing", Ageing).WithName("AgentReceivablesAgeing").WithSummary("What my stores owe, by age (FIFO), as of today");
        agent.MapGet("/reports/key-customers", KeyCustomers).WithName("AgentKeyCustomers").WithSummary("80/20 of my stores by revenue, and who entered or left the key set");
        agent.MapGet("/reports/agents", AgentSelf).WithName("AgentOwnPerformance").WithSummary("My own attributed revenue, conversions, visits and calls");

        // Back office (and the owner on the phone): every customer.
        var admin = app.MapGroup("/api/admin").WithTags("Insight and reports (back office)").RequireAuthorization(Policies.Staff);
        admin.MapGet("/customers/{id:long}/insight", AdminInsight).WithName("AdminCustomerInsight").ProducesNotFound("客户不存在 / No such customer").WithSummary("What to know about one customer");
        admin.MapGet("/customers/{id:long}/visits", AdminVisits).WithName("AdminCustomerVisits").ProducesNotFound("客户不存在 / No such customer").WithSummary("A customer's visits and calls, newest first");
        admin.MapGet("/reports/sales", Sales).WithName("AdminSalesReport").WithSummary("Sales by day, week, month, category, brand, region, agent or customer group (filters agentId, groupId, region)");
        admin.MapGet("/reports/top-products", TopProducts).WithName("AdminTopProducts").WithSummary("Best-selling products of a period");
        admin.MapGet("/reports/receivables-ageing", Ageing).WithName("AdminReceivablesAgeing").WithSummary("Receivables by age 0–30 / 31–60 / 61–90 / 90+ days (FIFO), per customer and in total, as of today");
        admin.MapGet("/reports/key-customers", KeyCustomers).WithName("AdminKeyCustomers").WithSummary("80/20: the customers that make 80% of revenue, and who entered or left since the previous period");
        admin.MapGet("/reports/agents", Agents).WithName("AdminAgentsReport").WithSummary("Per agent: attributed revenue (proxy / owner / share link), customers converted to self-ordering, visits and calls");
        return app;
    }

    /// <summary>The services every insight and report handler uses, bound from DI as one bundle.</summary>
    public sealed class Deps(VisitLog visits, CustomerInsightQuery insight, CadenceAlerts alerts, SalesReports sales, ReceivablesAgeingReport ageing,
        KeyCustomersQuery keyCustomers, AgentPerformanceQuery agents, CustomerContextQuery customers, TimeProvider clock,
        OrderHub.Application.Media.ImageStore images, IMapper mapper)
    {
        public OrderHub.Application.Media.ImageStore Images { get; } = images;
        public VisitLog Visits { get; } = visits;
        public CustomerInsightQuery Insight { get; } = insight;
        public CadenceAlerts Alerts { get; } = alerts;
        public SalesReports Sales { get; } = sales;
        public ReceivablesAgeingReport Ageing { get; } = ageing;
        public KeyCustomersQuery KeyCustomers { get; } = keyCustomers;
        public AgentPerformanceQuery Agents { get; } = agents;
        public CustomerContextQuery Customers { get; } = customers;
        public TimeProvider Clock { get; } = clock;
        public IMapper Mapper { get; } = mapper;
        public DateOnly Today => ShanghaiTime.Today(Clock);
    }

    public const int DefaultVisitPage = 50;
    public const int MaxVisitPage = 200;
    public const int DefaultTopProducts = 10;
    public const int DefaultAgeingCustomers = 200;
    public const int MaxAgeingCustomers = 10_000;

    // ---- visits ------------------------------------------------------------------------------------------------------

    private static async Task<Results<Created<VisitDto>, ValidationProblem, ProblemHttpResult>> LogVisit(
        long customerId, VisitRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        string? key = null;
        if (http.Request.Headers.ContainsKey(IdempotencyHeader.Name))
        {
            var (k, problem) = IdempotencyHeader.Read(http.Request);
            if (problem is not null) return problem;
            key = k;
        }
        // Ownership first: another agent's store is a 404 whatever the body says.
        var agentId = http.User.UserId_();
        if ((await StoreAccess.ResolveAsync(http.User, customerId, d.Customers)).Problem is { } denied) return denied;
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交拜访记录 / Send the visit as JSON"] });
        var now = d.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        long? at = null;
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(body.At))
        {
            if (TryParseInstant(body.At, out var ms)) at = ms;
            else errors["at"] = ["时间格式应为 ISO 8601，如 2026-12-15T10:30:00+08:00 / at must be an ISO 8601 time like 2026-12-15T10:30:00+08:00"];
        }
        var input = new VisitInput(body.Kind, at, body.Latitude, body.Longitude, body.Note, body.PhotoUrls, body.PhotoIds);
        foreach (var (field, messages) in VisitLog.Validate(input, now)) errors[field] = messages;
        // An agent attaches only photos it uploaded itself (another agent's, a product image or an unknown id is refused).
        if (!errors.ContainsKey("photoIds") && body.PhotoIds is { Count: > 0 } ids && await d.Visits.NotOwnPhotosAsync(agentId, ids) is { Count: > 0 } foreign)
            errors["photoIds"] = [$"照片 {string.Join(", ", foreign)} 不是您上传的巡店照片 / photos {string.Join(", ", foreign)} are not visit photos you uploaded"];
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var result = await d.Visits.RecordAsync(agentId, customerId, input, key);
            if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created($"/api/agent/customers/{customerId}/visits", d.Mapper.Map<VisitDto>(result.Visit, d.Images));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<VisitPageDto>, ValidationProblem, ProblemHttpResult>> AgentVisits(
        long customerId, long? before, int? limit, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        if (PageErrors(before, limit) is { } errors) return Problems.Validation(errors);
        if ((await StoreAccess.ResolveAsync(user, customerId, d.Customers)).Problem is { } denied) return denied;
        return await VisitPage(customerId, before, limit, d);
    }

    private static async Task<Results<Ok<VisitPageDto>, ValidationProblem, ProblemHttpResult>> AdminVisits(long id, long? before, int? limit, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        if (PageErrors(before, limit) is { } errors) return Problems.Validation(errors);
        if ((await StoreAccess.ResolveAsync(user, id, d.Customers)).Problem is { } denied) return denied;
        return await VisitPage(id, before, limit, d);
    }

    private static async Task<Ok<VisitPageDto>> VisitPage(long customerId, long? before, int? limit, Deps d)
    {
        var (items, next) = await d.Visits.ListAsync(customerId, before, limit ?? DefaultVisitPage);
        return TypedResults.Ok(new VisitPageDto(items.Select(v => d.Mapper.Map<VisitDto>(v, d.Images)).ToList(), next));
    }

    private static Dictionary<string, string[]>? PageErrors(long? before, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is { } l && (l < 1 || l > MaxVisitPage)) errors["limit"] = [$"limit 必须在 1 到 {MaxVisitPage} 之间 / limit must be between 1 and {MaxVisitPage}"];
        if (before is <= 0) errors["before"] = ["分页游标无效 / before is not a valid cursor"];
        return errors.Count > 0 ? errors : null;
    }

    /// <summary>ISO 8601; a time without an offset is Beijing time.</summary>
    private static bool TryParseInstant(string text, out long ms)
    {
        ms = 0;
        if (text.Length > 40 || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt)) return false;
        var dto = dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.FromHours(8))
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        ms = dto.ToUnixTimeMilliseconds();
        return true;
    }

    // ---- insight and alerts ------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<InsightDto>, ProblemHttpResult>> AgentInsight(long customerId, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        if ((await StoreAccess.ResolveAsync(user, customerId, d.Customers)).Problem is { } denied) return denied;
        return await d.Insight.GetAsync(ReportScope.OfAgent(user.UserId_()), customerId) is { } i ? TypedResults.Ok(d.Mapper.Map<InsightDto>(i)) : NoSuchCustomer();
    }

    private static async Task<Results<Ok<InsightDto>, ProblemHttpResult>> AdminInsight(long id, [AsParameters] Deps d) =>
        await d.Insight.GetAsync(ReportScope.All, id) is { } i ? TypedResults.Ok(d.Mapper.Map<InsightDto>(i)) : NoSuchCustomer();

    private static async Task<Ok<IReadOnlyList<AlertDto>>> Alerts(ClaimsPrincipal user, [AsParameters] Deps d) =>
        TypedResults.Ok<IReadOnlyList<AlertDto>>(d.Mapper.Map<List<AlertDto>>(await d.Alerts.ForAgentAsync(user.UserId_())));

    // ---- reports (the same handlers serve /api/admin/reports and, scoped to the agent's customers, /api/agent/reports) --

    private static ReportScope ScopeOf(ClaimsPrincipal user) => user.Role() == Roles.Agent ? ReportScope.OfAgent(user.UserId_()) : ReportScope.All;

    private static async Task<Results<Ok<SalesReportDto>, ValidationProblem, ProblemHttpResult>> Sales(
        string? from, string? to, string? groupBy, long? agentId, long? groupId, string? region, long? categoryId, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        var name = string.IsNullOrWhiteSpace(groupBy) ? "day" : groupBy.Trim();
        if (!SalesGroupByNames.ByName.TryGetValue(name, out var g))
            errors["groupBy"] = [$"分组方式应为 {SalesGroupByNames.Names} 之一 / groupBy must be one of {SalesGroupByNames.Names}"];
        if (agentId is <= 0) errors["agentId"] = ["agentId 必须为正数 / agentId must be positive"];
        if (groupId is <= 0) errors["groupId"] = ["groupId 必须为正数 / groupId must be positive"];
        if (region is { Length: > 64 }) errors["region"] = ["区域名过长 / region is too long"];
        if (categoryId is <= 0) errors["categoryId"] = ["categoryId 必须为正数 / categoryId must be positive"];
        else if (categoryId is not null && g != SalesGroupBy.Category) errors["categoryId"] = ["categoryId 仅用于 groupBy=category / categoryId applies to groupBy=category only"];
        if (errors.Count > 0 || period is null) return Problems.Validation(errors);
        var report = await d.Sales.SalesAsync(ScopeOf(user), period, g, new SalesFilter(agentId, groupId, string.IsNullOrWhiteSpace(region) ? null : region.Trim(), categoryId));
        return TypedResults.Ok(d.Mapper.Map<SalesReportDto>(report));
    }

    private static async Task<Results<Ok<TopProductsDto>, ValidationProblem>> TopProducts(
        string? from, string? to, int? limit, long? agentId, long? groupId, string? region, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (limit is { } l && (l < 1 || l > SalesReports.MaxTopProducts))
            errors["limit"] = [$"limit 必须在 1 到 {SalesReports.MaxTopProducts} 之间 / limit must be between 1 and {SalesReports.MaxTopProducts}"];
        if (agentId is <= 0) errors["agentId"] = ["agentId 必须为正数 / agentId must be positive"];
        if (groupId is <= 0) errors["groupId"] = ["groupId 必须为正数 / groupId must be positive"];
        if (region is { Length: > 64 }) errors["region"] = ["区域名过长 / region is too long"];
        if (errors.Count > 0 || period is null) return Problems.Validation(errors);
        var items = await d.Sales.TopProductsAsync(ScopeOf(user), period, new SalesFilter(agentId, groupId, string.IsNullOrWhiteSpace(region) ? null : region.Trim()), limit ?? DefaultTopProducts);
        return TypedResults.Ok(d.Mapper.Map<(ReportPeriod, IReadOnlyList<TopProduct>), TopProductsDto>((period, items)));
    }

    private static async Task<Results<Ok<AgeingReportDto>, ValidationProblem>> Ageing(int? limit, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        if (limit is { } l && (l < 1 || l > MaxAgeingCustomers))
            return Problems.Validation(new() { ["limit"] = [$"limit 必须在 1 到 {MaxAgeingCustomers} 之间 / limit must be between 1 and {MaxAgeingCustomers}"] });
        return TypedResults.Ok(d.Mapper.Map<AgeingReportDto>(await d.Ageing.GetAsync(ScopeOf(user), limit ?? DefaultAgeingCustomers)));
    }

    private static async Task<Results<Ok<KeyCustomersDto>, ValidationProblem>> KeyCustomers(string? from, string? to, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        return TypedResults.Ok(d.Mapper.Map<KeyCustomersDto>(await d.KeyCustomers.GetAsync(ScopeOf(user), period)));
    }

    private static async Task<Results<Ok<AgentsReportDto>, ValidationProblem>> Agents(string? from, string? to, long? agentId, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (agentId is <= 0) errors["agentId"] = ["agentId 必须为正数 / agentId must be positive"];
        if (errors.Count > 0 || period is null) return Problems.Validation(errors);
        return TypedResults.Ok(d.Mapper.Map<AgentsReportDto>(await d.Agents.GetAsync(period, agentId)));
    }

    private static async Task<Results<Ok<AgentsReportDto>, ValidationProblem>> AgentSelf(string? from, string? to, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        return TypedResults.Ok(d.Mapper.Map<AgentsReportDto>(await d.Agents.GetAsync(period, user.UserId_())));
    }

    private static ProblemHttpResult NoSuchCustomer() => Problems.NotFound("客户不存在", "No such customer");
}
