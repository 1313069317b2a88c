using AutoMapper;
using OrderHub.Application.Insight;
using OrderHub.Domain.Insight;

namespace OrderHub.Api.Reports;

/// <summary>Insight-for-growth view records → API contract (AutoMapper at the API boundary only).</summary>
public sealed class InsightGrowthMappingProfile : Profile
{
    public InsightGrowthMappingProfile()
    {
        // 今日拜访: why this store is on the list (a slipped stage first, else the stage's own reason).
        CreateMap<StoreStage, VisitTodayDto>().ConvertUsing(s => new VisitTodayDto(s.CustomerId, s.Code, s.Name, Lifecycle.Label(s.Assessment.Stage),
            s.Slipped ? $"刚从{Lifecycle.Label(s.PreviousStage!.Value)}变为{Lifecycle.Label(s.Assessment.Stage)}：{s.Assessment.ReasonZh}" : s.Assessment.ReasonZh));
        CreateMap<RestockItem, RestockItemDto>().ConvertUsing(i => new RestockItemDto(i.ProductId, i.Sku, i.Name, i.Unit,
            i.Assessment.UsualIntervalDays ?? 0, i.Assessment.UsualQuantity ?? 0, i.Assessment.DaysSinceLastPurchase ?? 0,
            i.Assessment.LastPurchaseDay.HasValue ? ReportCalendar.DayKey(i.Assessment.LastPurchaseDay.Value) : "",
            i.Assessment.State.ToString(), i.Assessment.ReasonZh ?? "", i.Assessment.ReasonEn ?? ""));
        CreateMap<StoreStage, StoreStageDto>().ConvertUsing(s => new StoreStageDto(s.CustomerId, s.Code, s.Name,
            Lifecycle.Code(s.Assessment.Stage), Lifecycle.Label(s.Assessment.Stage), s.Assessment.ReasonZh, s.Assessment.ReasonEn,
            s.Assessment.DaysSinceLastOrder, s.Assessment.RecentOrderDays, s.Assessment.PreviousOrderDays,
            s.Assessment.RecentGrossProfitFen, s.Assessment.PreviousGrossProfitFen,
            s.PreviousStage.HasValue ? Lifecycle.Code(s.PreviousStage.Value) : null,
            s.ChangedOn.HasValue ? ReportCalendar.DayKey(s.ChangedOn.Value) : null, s.Slipped));
        CreateMap<LifecycleSummary, LifecycleDto>().ConvertUsing((s, _, ctx) => new LifecycleDto(
            s.Stages.OrderBy(kv => kv.Key).Select(kv => new StageCountDto(Lifecycle.Code(kv.Key), Lifecycle.Label(kv.Key), kv.Value)).ToList(),
            ctx.Mapper.Map<List<StoreStageDto>>(s.Stores)));
        CreateMap<ProfitRow, ProfitRowDto>().ConvertUsing(r => new ProfitRowDto(r.Key, r.Label, r.Orders, r.Figures.RevenueFen, r.Figures.CostFen,
            r.Figures.GrossProfitFen, r.Figures.Margin, r.Figures.LinesWithoutCost));
        CreateMap<ProfitReport, ProfitReportDto>().ConvertUsing((r, _, ctx) => new ProfitReportDto(ReportCalendar.DayKey(r.Period.From), ReportCalendar.DayKey(r.Period.To),
            r.GroupBy.ToString().ToLowerInvariant(), ctx.Mapper.Map<List<ProfitRowDto>>(r.Rows),
            new ProfitRowDto("total", "合计", r.Rows.Sum(x => x.Orders), r.Total.RevenueFen, r.Total.CostFen, r.Total.GrossProfitFen, r.Total.Margin, r.Total.LinesWithoutCost)));
        CreateMap<RetentionResult, RetentionDto>().ConvertUsing(r => new RetentionDto(
            r.Cohorts.Select(c => new CohortDto(ReportCalendar.MonthKey(c.Month), c.Stores,
                c.Retained.Select((x, i) => x.HasValue ? new CohortCellDto(x.Value.Months, x.Value.Stores, x.Value.Share) : new CohortCellDto(Cohorts.Offsets[i], null, null)).ToList())).ToList(),
            r.ChurnedStores, r.ChurnedRevenueFen));
        CreateMap<NamedGap, CrossSellGapDto>().ConvertUsing(g => new CrossSellGapDto(g.Gap.Kind.ToString(), g.Gap.Id, g.Name, g.CategoryName, g.Sku,
            g.Gap.PeersBuying, g.Gap.Peers, g.Gap.Adoption, g.Gap.AverageGrossProfitFen, g.Gap.ExpectedGrossProfitFen));
    }
}
