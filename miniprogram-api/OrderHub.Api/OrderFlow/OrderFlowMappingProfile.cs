using AutoMapper;
using OrderHub.Api.Ordering;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using static OrderHub.Api.OrderFlow.BackOfficeOrdersApi;

namespace OrderHub.Api.OrderFlow;

/// <summary>The back office's order views, queue counts and batch results → API contract (AutoMapper at the API boundary only).</summary>
public sealed class OrderFlowMappingProfile : Profile
{
    public OrderFlowMappingProfile()
    {
        CreateMap<BatchItemResult, BatchItemDto>();
        CreateMap<BatchResult, BatchResultDto>();
        CreateMap<KeyValuePair<string, long>, QueueCountDto>()
            .ForCtorParam(nameof(QueueCountDto.Status), o => o.MapFrom(s => s.Key))
            .ForCtorParam(nameof(QueueCountDto.Label), o => o.MapFrom(s => OrderStatus.Label(s.Key)))
            .ForCtorParam(nameof(QueueCountDto.Count), o => o.MapFrom(s => s.Value));
        // One order for a reviewer: the order and the store's credit exposure without this order.
        CreateMap<(OrderDetail Order, CreditCheck.Exposure Exposure), BackOfficeOrderDto>()
            .ForCtorParam(nameof(BackOfficeOrderDto.Order), o => o.MapFrom(s => s.Item1))
            .ForCtorParam(nameof(BackOfficeOrderDto.CustomerId), o => o.MapFrom(s => s.Item1.Summary.CustomerId))
            .ForCtorParam(nameof(BackOfficeOrderDto.Credit), o => o.MapFrom(s => Credit(s.Item2, s.Item1.Summary.TotalFen)));
    }

    /// <summary>No credit limit (0) is "不限" with an unbounded availability; an order above what is available exceeds it.</summary>
    private static CreditDto Credit(CreditCheck.Exposure e, long orderTotalFen)
    {
        var available = e.CreditLimitFen <= 0 ? long.MaxValue : e.AvailableFen;
        return new(e.CreditLimitFen, e.BalanceFen, e.OpenOrdersFen, available,
            e.CreditLimitFen <= 0 ? "不限" : Money.Format(available), orderTotalFen > available);
    }
}
