using AutoMapper;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.Warehouse;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;
using static OrderHub.Api.Warehouse.WarehousePaperApi;

namespace OrderHub.Api.Warehouse;

/// <summary>Pick lists and delivery notes → API contract (AutoMapper at the API boundary only).</summary>
public sealed class WarehouseMappingProfile : Profile
{
    public WarehouseMappingProfile()
    {
        CreateMap<PaperOrder, PaperOrderDto>()
            .ForCtorParam(nameof(PaperOrderDto.StatusLabel), o => o.MapFrom(s => OrderStatus.Label(s.Status)))
            .ForCtorParam(nameof(PaperOrderDto.TotalText), o => o.MapFrom(s => Money.Format(s.TotalFen)))
            .ForCtorParam(nameof(PaperOrderDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAt)))
            .ForCtorParam(nameof(PaperOrderDto.InvoiceKindText), o => o.MapFrom(s => s.InvoiceKind == null ? null : InvoiceTitles.KindText(s.InvoiceKind)));
        CreateMap<PickRow, PickRowDto>();
        CreateMap<PaperLine, PaperLineDto>();
        CreateMap<DeliveryNote, DeliveryNoteDto>();
        // Printed at the request's now (MappingContext.MapAt).
        CreateMap<PickList, PickListDto>()
            .ForCtorParam(nameof(PickListDto.PrintedAt), o => o.MapFrom((_, ctx) => ShanghaiTime.Format(MappingContext.NowMs(ctx))));
    }
}
