using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.Insight;
using OrderHub.Application.Reports;
using OrderHub.Domain.Insight;
using OrderHub.Domain.People;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

/// <summary>
/// Insight for growth (issue #18): restock reminders for the store, lifecycle stages and today's visit list for the agent,
/// cross-sell gaps per store, gross profit and retention reports. An agent sees its own stores only (ReportScope / StoreAccess).
/// </summary>
public static class InsightGrowthApi
{
    public static IEndpointRouteBuilder MapInsightGrowthApi(this IEndpointRouteBuilder app)
    {
        var store = app.MapGroup("/api").WithTags("Insight for growth (store)").RequireAuthorization(Policies.Customer);
        store.MapGet("/restock", MyRestock).WithName("MyRestock").WithSummary("补货提醒: products my store buys regularly that are due, with the usual quantity to put in the cart");

        var agent = app.MapGroup("/api/agent").WithTags("Insight for growth (agent)").RequireAuthorization(Policies.Agent);
        agent.MapGet("/visit-today", VisitToday).WithName("AgentVisitToday").WithSummary("今日拜访: my stores to visit today and why (slipped stage, declining, dormant)");
        agent.MapGet("/lifecycle", Lifecycle_).WithName("AgentLifecycle").WithSummary("My stores' lifecycle stages (新客/成长/成熟/衰退/休眠/流失), those that just slipped first");
        agent.MapGet("/customers/{customerId:long}/cross-sell", AgentCrossSell).WithName("AgentCrossSell").ProducesStoreNotFound().WithSummary("品类空白: what stores like this one buy and it does not, by expected gross profit");
        agent.MapGet("/customers/{customerId:long}/restock", AgentRestock).WithName("AgentRestock").ProducesStoreNotFound().WithSummary("A store's due products (a proxy-order starting point)");
        agent.MapGet("/reports/gross-profit", GrossProfitReport_).WithName("AgentGrossProfit").WithSummary("Gross profit of my stores' shipped lines (groupBy=store|product|category|month)");
        agent.MapGet("/reports/retention", Retention).WithName("AgentRetention").WithSummary("Monthly cohorts of my new stores and the share still ordering after 1, 3, 6, 12 months");

        var admin = app.MapGroup("/api/admin").WithTags("Insight for growth (back office)").RequireAuthorization(Policies.Staff);
        admin.MapGet("/reports/lifecycle", Lifecycle_).WithName("AdminLifecycle").WithSummary("Every store's lifecycle stage, those that just slipped first");
        admin.MapGet("/reports/gross-profit", GrossProfitReport_).WithName("AdminGrossProfit").WithSummary("Gross profit and margin of shipped lines by store, agent, product, category or month (filter agentId)");
        admin.MapGet("/reports/retention", Retention).WithName("AdminRetention").WithSummary("Retention by monthly cohort of new stores, churned stores and their revenue");
        admin.MapGet("/customers/{id:long}/cross-sell", AdminCrossSell).WithName("AdminCrossSell").ProducesNotFound("客户不存在 / No such customer").WithSummary("A store's cross-sell gaps");
        return app;
    }

    /// <summary>The services the handlers use, bound from DI as one bundle.</summary>
    public sealed class Deps(RestockService restock, LifecycleService lifecycle, CrossSellQuery crossSell, GrossProfitReport profit,
        RetentionReport retention, CustomerContextQuery customers, IMapper mapper, TimeProvider clock)
    {
        public RestockService Restock { get; } = restock;
        public LifecycleService Lifecycle { get; } = lifecycle;
        public CrossSellQuery CrossSell { get; } = crossSell;
        public GrossProfitReport Profit { get; } = profit;
        public RetentionReport Retention { get; } = retention;
        public CustomerContextQuery Customers { get; } = customers;
        public IMapper Mapper { get; } = mapper;
        public TimeProvider Clock { get; } = clock;
        public DateOnly Today => ShanghaiTime.Today(Clock);
    }

    private static ReportScope ScopeOf(ClaimsPrincipal user) => user.Role() == Roles.Agent ? ReportScope.OfAgent(user.UserId_()) : ReportScope.All;

    private static async Task<Results<Ok<List<RestockItemDto>>, ProblemHttpResult>> MyRestock(ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, null, d.Customers);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<List<RestockItemDto>>(await d.Restock.DueForStoreAsync(customer!.CustomerId)));
    }

    private static async Task<Results<Ok<List<RestockItemDto>>, ProblemHttpResult>> AgentRestock(long customerId, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers, staffAllowed: false);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<List<RestockItemDto>>(await d.Restock.DueForStoreAsync(customer!.CustomerId)));
    }

    private static async Task<Ok<LifecycleDto>> Lifecycle_(ClaimsPrincipal user, [AsParameters] Deps d) =>
        TypedResults.Ok(d.Mapper.Map<LifecycleDto>(await d.Lifecycle.ListAsync(ScopeOf(user))));

    private static async Task<Ok<List<VisitTodayDto>>> VisitToday(ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var list = await d.Lifecycle.ListAsync(ReportScope.OfAgent(user.UserId_()));
        var visits = d.Mapper.Map<List<VisitTodayDto>>(list.Stores
            .Where(s => s.Slipped || s.Assessment.Stage is LifecycleStage.Declining or LifecycleStage.Dormant).ToList());
        return TypedResults.Ok(visits);
    }

    private static async Task<Results<Ok<List<CrossSellGapDto>>, ProblemHttpResult>> AgentCrossSell(long customerId, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, customerId, d.Customers, staffAllowed: false);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<List<CrossSellGapDto>>(await d.CrossSell.ForStoreAsync(customer!.CustomerId)));
    }

    private static async Task<Results<Ok<List<CrossSellGapDto>>, ProblemHttpResult>> AdminCrossSell(long id, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, id, d.Customers);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<List<CrossSellGapDto>>(await d.CrossSell.ForStoreAsync(customer!.CustomerId)));
    }

    private static async Task<Results<Ok<ProfitReportDto>, ValidationProblem>> GrossProfitReport_(
        string? from, string? to, string? groupBy, long? agentId, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        var name = string.IsNullOrWhiteSpace(groupBy) ? "store" : groupBy.Trim();
        if (!Enum.TryParse<ProfitGroupBy>(name, ignoreCase: true, out var by) || int.TryParse(name, out _))
            errors["groupBy"] = ["分组方式应为 store、agent、product、category、month 之一 / groupBy must be store, agent, product, category or month"];
        if (agentId is <= 0) errors["agentId"] = ["agentId 必须为正数 / agentId must be positive"];
        if (errors.Count > 0 || period is null) return Problems.Validation(errors);
        return TypedResults.Ok(d.Mapper.Map<ProfitReportDto>(await d.Profit.GetAsync(ScopeOf(user), period, by, agentId)));
    }

    private static async Task<Ok<RetentionDto>> Retention(ClaimsPrincipal user, [AsParameters] Deps d) =>
        TypedResults.Ok(d.Mapper.Map<RetentionDto>(await d.Retention.GetAsync(ScopeOf(user))));
}
