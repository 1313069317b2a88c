using AutoMapper;
using OrderHub.Application.Ordering;
using OrderHub.Domain;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Ordering;

/// <summary>Ordering view records → API contract (AutoMapper at the API boundary only).</summary>
public sealed class OrderingMappingProfile : Profile
{
    public OrderingMappingProfile()
    {
        CreateMap<QuoteLine, CartLineDto>()
            .ForCtorParam(nameof(CartLineDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)))
            .ForCtorParam(nameof(CartLineDto.Problem), o => o.MapFrom(s => s.Problem == QuantityProblem.None ? null : s.Problem.ToString()));
        CreateMap<ProductUnit, UnitChoiceDto>();
        CreateMap<Shortage, ShortageDto>();
        CreateMap<UnavailableItem, UnavailableDto>();
        CreateMap<CartView, CartDto>()
            .ForCtorParam(nameof(CartDto.Lines), o => o.MapFrom(s => s.Quote.Lines))
            .ForCtorParam(nameof(CartDto.GoodsFen), o => o.MapFrom(s => s.Quote.GoodsFen))
            .ForCtorParam(nameof(CartDto.DiscountFen), o => o.MapFrom(s => s.Quote.DiscountFen))
            .ForCtorParam(nameof(CartDto.DiscountName), o => o.MapFrom(s => s.Quote.DiscountName))
            .ForCtorParam(nameof(CartDto.TotalFen), o => o.MapFrom(s => s.Quote.TotalFen))
            .ForCtorParam(nameof(CartDto.TotalText), o => o.MapFrom(s => Money.Format(s.Quote.TotalFen)))
            .ForCtorParam(nameof(CartDto.Shortages), o => o.MapFrom(s => s.Quote.Shortages))
            .ForCtorParam(nameof(CartDto.CanSubmit), o => o.MapFrom(s => s.Quote.Lines.Count > 0 && s.Unavailable.Count == 0 && !s.Quote.HasQuantityProblems));

        CreateMap<OrderSummary, OrderSummaryDto>()
            .ForCtorParam(nameof(OrderSummaryDto.StatusLabel), o => o.MapFrom(s => OrderStatus.Label(s.Status)))
            .ForCtorParam(nameof(OrderSummaryDto.TotalText), o => o.MapFrom(s => Money.Format(s.TotalFen)))
            .ForCtorParam(nameof(OrderSummaryDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAt)));
        CreateMap<OrderLineView, OrderLineDto>()
            .ForCtorParam(nameof(OrderLineDto.UnitPriceText), o => o.MapFrom(s => Money.Format(s.UnitPriceFen)));
        CreateMap<OrderEventView, OrderEventDto>()
            .ForCtorParam(nameof(OrderEventDto.At), o => o.MapFrom(s => ShanghaiTime.Format(s.At)))
            .ForCtorParam(nameof(OrderEventDto.ToStatusLabel), o => o.MapFrom(s => s.ToStatus == null ? null : OrderStatus.Label(s.ToStatus)));
        CreateMap<OrderDetail, OrderDetailDto>()
            .ForCtorParam(nameof(OrderDetailDto.GoodsFen), o => o.MapFrom(s => s.Summary.GoodsFen));
        CreateMap<OrderInvoice, OrderInvoiceDto>();
        CreateMap<ReorderedItem, ReorderedItemDto>();
        CreateMap<ReorderResult, ReorderResultDto>();
    }
}
