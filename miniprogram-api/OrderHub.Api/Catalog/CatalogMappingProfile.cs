using AutoMapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Pricing;
using OrderHub.Domain;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Catalog;

/// <summary>Catalog view records → API contract. AutoMapper is used only here, at the API boundary.</summary>
public sealed class CatalogMappingProfile : Profile
{
    public CatalogMappingProfile()
    {
        CreateMap<ResolvedPrice, PriceDto>()
            .ForCtorParam(nameof(PriceDto.Fen), o => o.MapFrom(s => s.UnitPriceFen))
            .ForCtorParam(nameof(PriceDto.Text), o => o.MapFrom(s => Money.Format(s.UnitPriceFen)))
            .ForCtorParam(nameof(PriceDto.Source), o => o.MapFrom(s => PriceSourceNames.Of(s.Source)));
        CreateMap<PriceTier, TierDto>()
            .ForCtorParam(nameof(TierDto.Text), o => o.MapFrom(s => Money.Format(s.PriceFen)));
        CreateMap<PromotionBadge, PromotionBadgeDto>()
            .ForCtorParam(nameof(PromotionBadgeDto.EndsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.EndsAtMs)));
        CreateMap<StockInfo, StockDto>();
        CreateMap<LastPaid, LastPaidDto>()
            .ForCtorParam(nameof(LastPaidDto.Text), o => o.MapFrom(s => Money.Format(s.PriceFen)))
            .ForCtorParam(nameof(LastPaidDto.PaidAt), o => o.MapFrom(s => ShanghaiTime.Format(s.PaidAtMs)));
        CreateMap<CatalogUnit, UnitDto>();
        CreateMap<CatalogItem, CatalogItemDto>();
        CreateMap<CatalogItem, CatalogItemDetailDto>();
        CreateMap<CatalogPage, CatalogPageDto>();
        CreateMap<CatalogFacets, CatalogFacetsDto>();
        CreateMap<CategoryFacet, CategoryFacetDto>();
        CreateMap<CategoryNode, CategoryDto>();
        CreateMap<BrandCount, BrandDto>();
        CreateMap<PromotedProduct, PromotedProductDto>()
            .ForCtorParam(nameof(PromotedProductDto.Product), o => o.MapFrom(s => s.Item))
            .ForCtorParam(nameof(PromotedProductDto.SpecialPriceText), o => o.MapFrom(s => s.SpecialPriceFen == null ? null : Money.Format(s.SpecialPriceFen.Value)));
        CreateMap<StorePromotion, StorePromotionDto>()
            .ForCtorParam(nameof(StorePromotionDto.StartsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.StartsAtMs)))
            .ForCtorParam(nameof(StorePromotionDto.EndsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.EndsAtMs)));
    }
}
