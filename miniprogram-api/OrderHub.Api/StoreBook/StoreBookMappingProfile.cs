using AutoMapper;
using OrderHub.Api.Ordering;
using OrderHub.Application.Customers;
using static OrderHub.Api.StoreBook.StoreBookApi;

namespace OrderHub.Api.StoreBook;

/// <summary>A store's invoice titles and delivery addresses → API contract (AutoMapper at the API boundary only).</summary>
public sealed class StoreBookMappingProfile : Profile
{
    public StoreBookMappingProfile()
    {
        CreateMap<InvoiceTitle, InvoiceTitleDto>()
            .ForCtorParam(nameof(InvoiceTitleDto.KindText), o => o.MapFrom(s => InvoiceTitles.KindText(s.Kind)));
        CreateMap<DeliveryAddress, AddressDto>();
    }
}
