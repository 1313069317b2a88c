using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.Reports;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

public sealed record StorePurchaseMonthDto(
    [property: Description("月份 yyyy-MM / Month, yyyy-MM")] string Month,
    [property: Description("月份文字，如 2026年11月 / The month as text")] string Label,
    [property: Description("订单数 / Orders")] long Orders,
    [property: Description("金额 (分，订单金额，满减后) / Amount in fen (order totals, after spend-and-save)")] long AmountFen,
    [property: Description("金额文字 / Amount as text")] string AmountText,
    [property: Description("数量 (不含赠品) / Quantity, free items excluded")] long Quantity);
public sealed record StorePurchaseCategoryDto(
    [property: Description("一级分类 id / Top-level category id")] long CategoryId,
    [property: Description("分类名称 / Category name")] string Name,
    [property: Description("含该分类商品的订单数 / Orders with items of the category")] long Orders,
    [property: Description("金额 (分，行金额，满减前) / Amount in fen (line amounts, before spend-and-save)")] long AmountFen,
    [property: Description("金额文字 / Amount as text")] string AmountText,
    [property: Description("数量 (不含赠品) / Quantity, free items excluded")] long Quantity);

/// <param name="AmountFen">What the store paid for the orders of the period (order totals, after 满减).</param>
/// <param name="Categories">By top-level category: line amounts before order-level 满减, quantities without 买赠 gifts.</param>
public sealed record StorePurchasesDto(
    [property: Description("开始日期 (上海时间) / First day (Asia/Shanghai)")] string From,
    [property: Description("结束日期 (上海时间) / Last day (Asia/Shanghai)")] string To,
    [property: Description("按月 / By month")] IReadOnlyList<StorePurchaseMonthDto> Months,
    [property: Description("按一级分类 / By top-level category")] IReadOnlyList<StorePurchaseCategoryDto> Categories,
    [property: Description("订单数 / Orders")] long Orders,
    [property: Description("金额 (分，订单金额，满减后) / Amount in fen (order totals, after spend-and-save)")] long AmountFen,
    [property: Description("金额文字 / Amount as text")] string AmountText,
    [property: Description("数量 (不含赠品) / Quantity, free items excluded")] long Quantity);

/// <summary>手机报表 for the store itself (the owner on the phone): what my store bought, by month and by category.</summary>
public static class StoreReportsApi
{
    public const int DefaultMonths = 6;

    public static IEndpointRouteBuilder MapStoreReportsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/reports").WithTags("Reports (store)").RequireAuthorization(Policies.Customer);
        mine.MapGet("/purchases", Purchases).WithName("MyPurchasesReport")
            .WithSummary("What my store bought by month and by top-level category: amounts in fen, quantities, orders (from/to: Shanghai dates, inclusive; default the last 6 months)");
        return app;
    }

    private static async Task<Results<Ok<StorePurchasesDto>, ValidationProblem, ProblemHttpResult>> Purchases(
        string? from, string? to, ClaimsPrincipal user, CustomerContextQuery customers, StorePurchasesReport report, TimeProvider clock, IMapper mapper)
    {
        var today = ShanghaiTime.Today(clock);
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            from = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - DefaultMonths).ToString("yyyy-MM-dd");
            to = today.ToString("yyyy-MM-dd");
        }
        var (period, errors) = ReportPeriod.Parse(from, to, today);
        if (period is null) return Problems.Validation(errors);
        var (customer, problem) = await StoreAccess.ResolveAsync(user, null, customers);
        if (problem is not null) return problem;
        var r = await report.ForStoreAsync(customer!.CustomerId, period);
        return TypedResults.Ok(mapper.Map<StorePurchasesDto>(r));
    }
}
