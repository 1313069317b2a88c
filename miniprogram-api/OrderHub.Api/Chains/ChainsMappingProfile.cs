using AutoMapper;
using OrderHub.Api.Statements;
using OrderHub.Application.Chains;
using OrderHub.Application.Statements;
using OrderHub.Domain;

namespace OrderHub.Api.Chains;

/// <summary>Chains → API contract (AutoMapper at the API boundary only).</summary>
public sealed class ChainsMappingProfile : Profile
{
    public ChainsMappingProfile()
    {
        CreateMap<ChainBranch, ChainBranchDto>();
        CreateMap<ChainStatementBranch, ChainStatementStoreDto>();
        CreateMap<ChainStatement, ChainStatementDto>()
            .ForCtorParam(nameof(ChainStatementDto.HeadOffice), o => o.MapFrom(s => new StatementCustomerDto(s.HeadOffice.Id, s.HeadOffice.Code, s.HeadOffice.Name)))
            .ForCtorParam(nameof(ChainStatementDto.From), o => o.MapFrom(s => StatementPeriod.Format(s.Period.From)))
            .ForCtorParam(nameof(ChainStatementDto.To), o => o.MapFrom(s => StatementPeriod.Format(s.Period.To)))
            .ForCtorParam(nameof(ChainStatementDto.Stores), o => o.MapFrom(s => s.Branches))
            .ForCtorParam(nameof(ChainStatementDto.ClosingText), o => o.MapFrom(s => Money.Format(s.ClosingFen)));
    }
}
