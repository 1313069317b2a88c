using AutoMapper;
using OrderHub.Application.Insight;
using OrderHub.Domain.Insight;

namespace OrderHub.Api.Reports;

/// <summary>Agent scorecard view records → API contract (AutoMapper at the API boundary only).</summary>
public sealed class AgentScorecardMappingProfile : Profile
{
    public AgentScorecardMappingProfile()
    {
        CreateMap<ScorecardStore, ScorecardStoreDto>();
        CreateMap<ScorecardCategory, ScorecardCategoryDto>();
        CreateMap<ScorecardRow, ScorecardRowDto>().ConvertUsing((r, _, ctx) => new ScorecardRowDto(r.Rank, r.AgentId, r.Code, r.Name, r.Active,
            r.Profit.RevenueFen, r.Profit.CostFen, r.Profit.GrossProfitFen, r.Profit.Margin, r.Profit.LinesWithoutCost, r.PreviousGrossProfitFen,
            r.ActiveStores, r.MovedToSelfOrdering.Count, ctx.Mapper.Map<List<ScorecardStoreDto>>(r.MovedToSelfOrdering),
            r.CategoriesGrown.Count, ctx.Mapper.Map<List<ScorecardCategoryDto>>(r.CategoriesGrown), r.StoreVisits, r.Calls));
        CreateMap<AgentScorecard, AgentScorecardDto>().ConvertUsing((s, _, ctx) => new AgentScorecardDto(
            ReportCalendar.DayKey(s.Period.From), ReportCalendar.DayKey(s.Period.To), ReportCalendar.DayKey(s.Previous.From), ReportCalendar.DayKey(s.Previous.To),
            s.Agents.Count, ctx.Mapper.Map<List<ScorecardRowDto>>(s.Agents)));
    }
}
