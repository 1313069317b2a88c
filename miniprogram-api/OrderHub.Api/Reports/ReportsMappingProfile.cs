using AutoMapper;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Reports;
using OrderHub.Application.Visits;
using OrderHub.Domain;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

/// <summary>Reports, insight, alerts and visits → API contract (AutoMapper at the API boundary only).</summary>
public sealed class ReportsMappingProfile : Profile
{
    public ReportsMappingProfile()
    {
        // Visits: picture addresses come from the request's ImageStore (MappingContext.Map passes it).
        CreateMap<Visit, VisitDto>()
            .ForCtorParam(nameof(VisitDto.KindLabel), o => o.MapFrom(s => VisitKinds.Label(s.Kind)))
            .ForCtorParam(nameof(VisitDto.At), o => o.MapFrom(s => ShanghaiTime.Format(s.AtMs)))
            .ForCtorParam(nameof(VisitDto.PhotoUrls), o => o.MapFrom((s, ctx) =>
                (IReadOnlyList<string>)[.. s.Photos.Select(p => MappingContext.Images(ctx).Url(p)), .. s.PhotoUrls]))
            .ForCtorParam(nameof(VisitDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
        CreateMap<OrderHub.Application.Media.StoredImage, VisitPhotoDto>()
            .ForCtorParam(nameof(VisitPhotoDto.Url), o => o.MapFrom((s, ctx) => MappingContext.Images(ctx).Url(s)))
            .ForCtorParam(nameof(VisitPhotoDto.ThumbnailUrl), o => o.MapFrom((s, ctx) => MappingContext.Images(ctx).ThumbnailUrl(s)));

        CreateMap<SalesRow, SalesRowDto>()
            .ForCtorParam(nameof(SalesRowDto.RevenueText), o => o.MapFrom(s => Money.Format(s.RevenueFen)));
        CreateMap<SalesTotals, SalesTotalsDto>()
            .ForCtorParam(nameof(SalesTotalsDto.RevenueText), o => o.MapFrom(s => Money.Format(s.RevenueFen)));
        CreateMap<SalesReport, SalesReportDto>()
            .ForCtorParam(nameof(SalesReportDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.From)))
            .ForCtorParam(nameof(SalesReportDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.To)))
            .ForCtorParam(nameof(SalesReportDto.GroupBy), o => o.MapFrom(s => SalesGroupByNames.ByName.First(x => x.Value == s.GroupBy).Key))
            .ForCtorParam(nameof(SalesReportDto.Basis), o => o.MapFrom(s => s.GroupBy.IsLineBased() ? "lines" : "orders"));

        CreateMap<TopProduct, TopProductDto>()
            .ForCtorParam(nameof(TopProductDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)));
        CreateMap<(ReportPeriod Period, IReadOnlyList<TopProduct> Items), TopProductsDto>()
            .ForCtorParam(nameof(TopProductsDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.Item1.From)))
            .ForCtorParam(nameof(TopProductsDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.Item1.To)))
            .ForCtorParam(nameof(TopProductsDto.Items), o => o.MapFrom(s => s.Item2));

        CreateMap<AgeingBuckets, AgeingBucketsDto>()
            .ForCtorParam(nameof(AgeingBucketsDto.TotalText), o => o.MapFrom(s => Money.Format(s.TotalFen)));
        CreateMap<CustomerAgeing, CustomerAgeingDto>()
            .ForCtorParam(nameof(CustomerAgeingDto.BalanceText), o => o.MapFrom(s => Money.Format(s.BalanceFen)));
        CreateMap<AgeingReport, AgeingReportDto>()
            .ForCtorParam(nameof(AgeingReportDto.AsOf), o => o.MapFrom(s => ReportCalendar.DayKey(s.AsOf)));

        CreateMap<KeyCustomer, KeyCustomerDto>()
            .ForCtorParam(nameof(KeyCustomerDto.RevenueText), o => o.MapFrom(s => Money.Format(s.RevenueFen)))
            .ForCtorParam(nameof(KeyCustomerDto.Entered), o => o.MapFrom(s => s.New));
        CreateMap<KeyCustomerChange, KeyCustomerChangeDto>();
        CreateMap<KeyCustomersReport, KeyCustomersDto>()
            .ForCtorParam(nameof(KeyCustomersDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.From)))
            .ForCtorParam(nameof(KeyCustomersDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.To)))
            .ForCtorParam(nameof(KeyCustomersDto.PreviousFrom), o => o.MapFrom(s => ReportCalendar.DayKey(s.PreviousPeriod.From)))
            .ForCtorParam(nameof(KeyCustomersDto.PreviousTo), o => o.MapFrom(s => ReportCalendar.DayKey(s.PreviousPeriod.To)))
            .ForCtorParam(nameof(KeyCustomersDto.TotalRevenueText), o => o.MapFrom(s => Money.Format(s.TotalRevenueFen)))
            .ForCtorParam(nameof(KeyCustomersDto.KeyCount), o => o.MapFrom(s => s.Key.Count))
            .ForCtorParam(nameof(KeyCustomersDto.Customers), o => o.MapFrom(s => s.Key));

        CreateMap<AgentPerformance, AgentPerformanceDto>()
            .ForCtorParam(nameof(AgentPerformanceDto.AttributedText), o => o.MapFrom(s => Money.Format(s.AttributedFen)));
        CreateMap<AgentPerformanceReport, AgentsReportDto>()
            .ForCtorParam(nameof(AgentsReportDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.From)))
            .ForCtorParam(nameof(AgentsReportDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.To)));

        CreateMap<RevenueFigure, RevenueDto>()
            .ForCtorParam(nameof(RevenueDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.From)))
            .ForCtorParam(nameof(RevenueDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.To)))
            .ForCtorParam(nameof(RevenueDto.RevenueText), o => o.MapFrom(s => Money.Format(s.RevenueFen)));
        CreateMap<InsightItem, InsightItemDto>()
            .ForCtorParam(nameof(InsightItemDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)));
        CreateMap<CadenceAlert, AlertReasonDto>()
            .ForCtorParam(nameof(AlertReasonDto.Kind), o => o.MapFrom(s => AlertKind(s.Kind)));
        CreateMap<Cadence, CadenceDto>()
            .ForCtorParam(nameof(CadenceDto.LastOrderDate), o => o.MapFrom(s => DayOrNull(s.LastOrderDay)));
        CreateMap<CustomerInsight, InsightDto>()
            .ForCtorParam(nameof(InsightDto.AsOf), o => o.MapFrom(s => ReportCalendar.DayKey(s.AsOf)))
            .ForCtorParam(nameof(InsightDto.LastOrderAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastOrderAtMs)))
            .ForCtorParam(nameof(InsightDto.LastOrderText), o => o.MapFrom(s => s.LastOrderFen == null ? null : Money.Format(s.LastOrderFen.Value)))
            .ForCtorParam(nameof(InsightDto.ReceivableText), o => o.MapFrom(s => Money.Format(s.ReceivableFen)))
            .ForCtorParam(nameof(InsightDto.LastContactAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastContactAtMs)));
        CreateMap<CustomerAlert, AlertDto>()
            .ForCtorParam(nameof(AlertDto.Kind), o => o.MapFrom(s => AlertKind(s.Alert.Kind)))
            .ForCtorParam(nameof(AlertDto.ReasonZh), o => o.MapFrom(s => s.Alert.ReasonZh))
            .ForCtorParam(nameof(AlertDto.ReasonEn), o => o.MapFrom(s => s.Alert.ReasonEn))
            .ForCtorParam(nameof(AlertDto.UsualIntervalDays), o => o.MapFrom(s => s.Alert.UsualIntervalDays))
            .ForCtorParam(nameof(AlertDto.DaysSinceLastOrder), o => o.MapFrom(s => s.Alert.DaysSinceLastOrder))
            .ForCtorParam(nameof(AlertDto.OverdueAfterDays), o => o.MapFrom(s => s.Alert.OverdueAfterDays))
            .ForCtorParam(nameof(AlertDto.LastOrderDate), o => o.MapFrom(s => DayOrNull(s.LastOrderDay)))
            .ForCtorParam(nameof(AlertDto.LastOrderFen), o => o.MapFrom(s => s.Alert.LastOrderFen))
            .ForCtorParam(nameof(AlertDto.LastOrderText), o => o.MapFrom(s => Money.Format(s.Alert.LastOrderFen)))
            .ForCtorParam(nameof(AlertDto.PreviousMedianFen), o => o.MapFrom(s => s.Alert.PreviousMedianFen))
            .ForCtorParam(nameof(AlertDto.PreviousOrdersCompared), o => o.MapFrom(s => s.Alert.PreviousOrdersCompared))
            .ForCtorParam(nameof(AlertDto.LastContactAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastContactAtMs)));

        CreateMap<StorePurchaseMonth, StorePurchaseMonthDto>()
            .ForCtorParam(nameof(StorePurchaseMonthDto.Label), o => o.MapFrom(s => MonthLabel(s.Month)))
            .ForCtorParam(nameof(StorePurchaseMonthDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)));
        CreateMap<StorePurchaseCategory, StorePurchaseCategoryDto>()
            .ForCtorParam(nameof(StorePurchaseCategoryDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)));
        CreateMap<StorePurchases, StorePurchasesDto>()
            .ForCtorParam(nameof(StorePurchasesDto.From), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.From)))
            .ForCtorParam(nameof(StorePurchasesDto.To), o => o.MapFrom(s => ReportCalendar.DayKey(s.Period.To)))
            .ForCtorParam(nameof(StorePurchasesDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)));
    }

    private static string AlertKind(CadenceAlertKind k) => k == CadenceAlertKind.Overdue ? "overdue" : "value_drop";
    private static string? DayOrNull(DateOnly? d) => d is { } day ? ReportCalendar.DayKey(day) : null;
    /// <summary>"2026-03" → "3月".</summary>
    private static string MonthLabel(string month) => $"{int.Parse(month[5..])}月";
}
