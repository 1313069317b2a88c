using System.Globalization;
using AutoMapper;
using OrderHub.Application.Statements;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Statements;

/// <summary>Statements, balances, customer accounts and ledger entries → API contract (AutoMapper at the API boundary only).</summary>
public sealed class StatementsMappingProfile : Profile
{
    public StatementsMappingProfile()
    {
        CreateMap<StatementCustomer, StatementCustomerDto>();
        CreateMap<StatementLine, StatementLineDto>()
            .ForCtorParam(nameof(StatementLineDto.Date), o => o.MapFrom(s => StatementPeriod.Format(s.Date)))
            .ForCtorParam(nameof(StatementLineDto.OccurredAt), o => o.MapFrom(s => ShanghaiTime.Format(s.OccurredAtMs)))
            .ForCtorParam(nameof(StatementLineDto.BalanceText), o => o.MapFrom(s => Money.Format(s.BalanceFen)));
        CreateMap<Statement, StatementDto>()
            .ForCtorParam(nameof(StatementDto.From), o => o.MapFrom(s => StatementPeriod.Format(s.Period.From)))
            .ForCtorParam(nameof(StatementDto.To), o => o.MapFrom(s => StatementPeriod.Format(s.Period.To)))
            .ForCtorParam(nameof(StatementDto.OpeningBalance), o => o.MapFrom(s => Amount(s.OpeningFen)))
            .ForCtorParam(nameof(StatementDto.DebitTotal), o => o.MapFrom(s => Amount(s.DebitTotalFen)))
            .ForCtorParam(nameof(StatementDto.CreditTotal), o => o.MapFrom(s => Amount(s.CreditTotalFen)))
            .ForCtorParam(nameof(StatementDto.ClosingBalance), o => o.MapFrom(s => Amount(s.ClosingFen)))
            .ForCtorParam(nameof(StatementDto.GeneratedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.GeneratedAtMs)));

        CreateMap<AccountBalance, BalanceDto>()
            .ForCtorParam(nameof(BalanceDto.Balance), o => o.MapFrom(s => Amount(s.BalanceFen)))
            .ForCtorParam(nameof(BalanceDto.OpenOrders), o => o.MapFrom(s => Amount(s.OpenOrdersFen)))
            .ForCtorParam(nameof(BalanceDto.CreditLimit), o => o.MapFrom(s => Amount(s.CreditLimitFen)))
            .ForCtorParam(nameof(BalanceDto.AvailableCredit), o => o.MapFrom(s => AmountOrNull(s.AvailableFen)))
            .ForCtorParam(nameof(BalanceDto.HasCreditLimit), o => o.MapFrom(s => s.CreditLimitFen > 0));

        CreateMap<CustomerAccountRow, CustomerListItemDto>()
            .ForCtorParam(nameof(CustomerListItemDto.CreditLimit), o => o.MapFrom(s => Amount(s.CreditLimitFen)))
            .ForCtorParam(nameof(CustomerListItemDto.Balance), o => o.MapFrom(s => Amount(s.BalanceFen)));
        CreateMap<CustomerAccountPage, CustomerListDto>();
        CreateMap<GroupInfo, CustomerGroupDto>();
        CreateMap<AgentInfo, CustomerAgentDto>();
        CreateMap<CustomerUserInfo, CustomerUserDto>();
        CreateMap<CustomerAccountDetail, CustomerDetailDto>()
            .ForCtorParam(nameof(CustomerDetailDto.CreditLimit), o => o.MapFrom(s => Amount(s.Balance.CreditLimitFen)))
            .ForCtorParam(nameof(CustomerDetailDto.Balance), o => o.MapFrom(s => Amount(s.Balance.BalanceFen)))
            .ForCtorParam(nameof(CustomerDetailDto.OpenOrderTotal), o => o.MapFrom(s => Amount(s.Balance.OpenOrdersFen)))
            .ForCtorParam(nameof(CustomerDetailDto.AvailableCredit), o => o.MapFrom(s => AmountOrNull(s.Balance.AvailableFen)))
            .ForCtorParam(nameof(CustomerDetailDto.ErpReceivable), o => o.MapFrom(s => Amount(s.ErpReceivableFen)));

        CreateMap<LedgerEntry, LedgerEntryDto>()
            .ForCtorParam(nameof(LedgerEntryDto.KindText), o => o.MapFrom(s => LedgerKinds.Label(s.Kind)))
            .ForCtorParam(nameof(LedgerEntryDto.AmountText), o => o.MapFrom(s => Money.Format(s.AmountFen)))
            .ForCtorParam(nameof(LedgerEntryDto.Date), o => o.MapFrom(s => ShanghaiTime.FromUnixMs(s.OccurredAtMs).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .ForCtorParam(nameof(LedgerEntryDto.OccurredAt), o => o.MapFrom(s => ShanghaiTime.Format(s.OccurredAtMs)))
            .ForCtorParam(nameof(LedgerEntryDto.Method), o => o.MapFrom(s => PaymentMethodOf(s)))
            .ForCtorParam(nameof(LedgerEntryDto.Note), o => o.MapFrom(s => NoteOf(s)))
            .ForCtorParam(nameof(LedgerEntryDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
        CreateMap<LedgerPage, LedgerPageDto>();
    }

    /// <summary>An amount in fen with its "¥" text: the one place an <see cref="AmountDto"/> is made.</summary>
    private static AmountDto Amount(long fen) => new(fen, Money.Format(fen));
    private static AmountDto? AmountOrNull(long? fen) => fen is { } f ? Amount(f) : null;

    /// <summary>A payment's note carries its method ("【…】 …"); other kinds' notes are as written.</summary>
    private static string? PaymentMethodOf(LedgerEntry e) => e.Kind == LedgerKinds.Payment ? PaymentMethods.SplitNote(e.Note).Method : null;
    private static string? NoteOf(LedgerEntry e) => e.Kind == LedgerKinds.Payment ? PaymentMethods.SplitNote(e.Note).Note : e.Note;
}
