using AutoMapper;
using OrderHub.Api.Catalog;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Notifications;
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
        // A frequently bought product with the store's own catalog view of it (price, stock) today.
        CreateMap<(FrequentItem Frequent, CatalogItem Item), FrequentItemDto>()
            .ForCtorParam(nameof(FrequentItemDto.TimesOrdered), o => o.MapFrom(s => s.Item1.TimesOrdered))
            .ForCtorParam(nameof(FrequentItemDto.LastQuantity), o => o.MapFrom(s => s.Item1.LastQuantity))
            .ForCtorParam(nameof(FrequentItemDto.LastOrderedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.Item1.LastOrderedAt)))
            .ForCtorParam(nameof(FrequentItemDto.Item), o => o.MapFrom(s => s.Item2));

        // Messages (NotificationsApi)
        CreateMap<InboxMessage, NotificationDto>()
            .ForCtorParam(nameof(NotificationDto.KindLabel), o => o.MapFrom(s => NotificationKind.Label(s.Kind)))
            .ForCtorParam(nameof(NotificationDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)))
            .ForCtorParam(nameof(NotificationDto.PushAt), o => o.MapFrom(s => ShanghaiTime.Format(s.PushAtMs)));
        CreateMap<KindPreference, NotificationPreferenceDto>();

        // The agent's stores and share links (AgentApi)
        CreateMap<AgentCustomerRow, AgentApi.AgentCustomerDto>()
            .ForCtorParam(nameof(AgentApi.AgentCustomerDto.BalanceText), o => o.MapFrom(s => Money.Format(s.BalanceFen)))
            .ForCtorParam(nameof(AgentApi.AgentCustomerDto.LastOrderAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastOrderAt)));
        CreateMap<ShareLink, AgentApi.ShareLinkDto>()
            .ForCtorParam(nameof(AgentApi.ShareLinkDto.Path), o => o.MapFrom(s => SharePath(s)))
            .ForCtorParam(nameof(AgentApi.ShareLinkDto.ExpiresAt), o => o.MapFrom(s => ShanghaiTime.Format(s.ExpiresAtMs)));
    }

    /// <summary>The mini-program page a share link opens: the product's or the promotion's, with the share code.</summary>
    private static string SharePath(ShareLink link) => link.Sku is not null
        ? $"pages/product/index?sku={Uri.EscapeDataString(link.Sku)}&share={link.Code}"
        : $"pages/promotion/index?id={link.PromotionId}&share={link.Code}";
}
