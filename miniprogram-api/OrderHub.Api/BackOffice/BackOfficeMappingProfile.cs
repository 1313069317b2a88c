using System.Globalization;
using AutoMapper;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Application.Staff;
using OrderHub.Domain;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.People;
using OrderHub.Domain.Promotions;
using OrderHub.Domain.Time;
using static OrderHub.Api.BackOffice.BackOfficeAdminApi;
using static OrderHub.Api.BackOffice.CatalogAdminApi;
using static OrderHub.Api.BackOffice.StaffApi;

namespace OrderHub.Api.BackOffice;

/// <summary>The console's dashboard, agents, catalog administration and staff → API contract (AutoMapper at the API boundary only).</summary>
public sealed class BackOfficeMappingProfile : Profile
{
    public BackOfficeMappingProfile()
    {
        // A promotion's items are listed only on the one-promotion answers; lists leave them null.
        AllowNullCollections = true;

        // Dashboard and agents (BackOfficeAdminApi)
        CreateMap<DashboardTotals, TotalsDto>()
            .ForCtorParam(nameof(TotalsDto.Revenue), o => o.MapFrom(s => Fen(s.RevenueFen)));
        CreateMap<DashboardDay, DayDto>()
            .ForCtorParam(nameof(DayDto.Date), o => o.MapFrom(s => Day(s.Day)))
            .ForCtorParam(nameof(DayDto.Revenue), o => o.MapFrom(s => Fen(s.RevenueFen)));
        CreateMap<DashboardChannel, ChannelDto>()
            .ForCtorParam(nameof(ChannelDto.Label), o => o.MapFrom(s => s.Channel == "proxy" ? "代客下单" : "自助订货"))
            .ForCtorParam(nameof(ChannelDto.Revenue), o => o.MapFrom(s => Fen(s.RevenueFen)));
        CreateMap<DashboardCustomer, TopCustomerDto>()
            .ForCtorParam(nameof(TopCustomerDto.Revenue), o => o.MapFrom(s => Fen(s.RevenueFen)));
        CreateMap<Dashboard, DashboardDto>()
            .ForCtorParam(nameof(DashboardDto.Today), o => o.MapFrom(s => Day(s.Today)))
            .ForCtorParam(nameof(DashboardDto.Month), o => o.MapFrom(s => s.MonthTotals))
            .ForCtorParam(nameof(DashboardDto.Days), o => o.MapFrom(s => s.MonthDays))
            .ForCtorParam(nameof(DashboardDto.Channels), o => o.MapFrom(s => s.MonthChannels))
            .ForCtorParam(nameof(DashboardDto.Open), o => o.MapFrom(s => OpenQueues(s.OpenByStatus)));
        CreateMap<AgentRow, AgentDto>();
        CreateMap<AgentCustomerBrief, AgentCustomerDto>()
            .ForCtorParam(nameof(AgentCustomerDto.Balance), o => o.MapFrom(s => Fen(s.BalanceFen)))
            .ForCtorParam(nameof(AgentCustomerDto.LastOrderAt), o => o.MapFrom(s => ShanghaiTime.Format(s.LastOrderAt)));

        // Catalog administration (CatalogAdminApi); product pictures come from the request's ImageStore (MappingContext).
        CreateMap<AdminProductRow, ProductDto>()
            .ForCtorParam(nameof(ProductDto.BasePriceText), o => o.MapFrom(s => Money.Format(s.BasePriceFen)))
            .ForCtorParam(nameof(ProductDto.Available), o => o.MapFrom(s => s.OnHand - s.Reserved))
            .ForCtorParam(nameof(ProductDto.ImageUrl), o => o.MapFrom((s, ctx) => s.ImageFile == null ? null : MappingContext.Images(ctx).UrlOf(s.ImageFile)))
            .ForCtorParam(nameof(ProductDto.ThumbnailUrl), o => o.MapFrom((s, ctx) => s.ImageFile == null ? null : MappingContext.Images(ctx).UrlOf(s.ImageThumb ?? s.ImageFile)));
        CreateMap<AdminStockRow, StockDto>()
            .ForCtorParam(nameof(StockDto.Available), o => o.MapFrom(s => s.OnHand - s.Reserved))
            .ForCtorParam(nameof(StockDto.Low), o => o.MapFrom(s => s.OnHand - s.Reserved < 2 * s.PackSize))
            .ForCtorParam(nameof(StockDto.UpdatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.UpdatedAtMs)));
        CreateMap<CategoryRow, CategoryDto>()
            .ForCtorParam(nameof(CategoryDto.Depth), o => o.MapFrom(s => Math.Max(0, s.Path.Count(ch => ch == '/') - 2)));
        CreateMap<ProductContentRow, ProductContentDto>()
            .ForCtorParam(nameof(ProductContentDto.Description), o => o.MapFrom(s => s.Content.Description))
            .ForCtorParam(nameof(ProductContentDto.SellingPoints), o => o.MapFrom(s => s.Content.SellingPoints))
            .ForCtorParam(nameof(ProductContentDto.Tags), o => o.MapFrom(s => s.Content.Tags))
            .ForCtorParam(nameof(ProductContentDto.IsNew), o => o.MapFrom(s => s.Content.IsNew))
            .ForCtorParam(nameof(ProductContentDto.IsHot), o => o.MapFrom(s => s.Content.IsHot))
            .ForCtorParam(nameof(ProductContentDto.SortOrder), o => o.MapFrom(s => s.Content.SortOrder))
            .ForCtorParam(nameof(ProductContentDto.UpdatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.UpdatedAtMs)));
        CreateMap<AssortmentRuleRow, RuleDto>()
            .ForCtorParam(nameof(RuleDto.EffectLabel), o => o.MapFrom(s => AssortmentEffect.Label(s.Effect)))
            .ForCtorParam(nameof(RuleDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
        CreateMap<PriceListRow, PriceListDto>();
        CreateMap<PriceListItemRow, PriceListItemDto>()
            .ForCtorParam(nameof(PriceListItemDto.BasePriceText), o => o.MapFrom(s => Money.Format(s.BasePriceFen)))
            .ForCtorParam(nameof(PriceListItemDto.PriceText), o => o.MapFrom(s => Money.Format(s.PriceFen)))
            .ForCtorParam(nameof(PriceListItemDto.UpdatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.UpdatedAtMs)));
        CreateMap<PromotionItemRow, PromotionItemDto>()
            .ForCtorParam(nameof(PromotionItemDto.SpecialPriceText), o => o.MapFrom(s => s.SpecialPriceFen == null ? null : Money.Format(s.SpecialPriceFen.Value)));
        // The state (live, upcoming…) is as of the request's now (MappingContext.MapAt).
        CreateMap<PromotionRow, PromotionDto>()
            .ForCtorParam(nameof(PromotionDto.KindLabel), o => o.MapFrom(s => PromotionKind.Label(s.Kind)))
            .ForCtorParam(nameof(PromotionDto.TargetLabel), o => o.MapFrom(s => TargetLabel(s)))
            .ForCtorParam(nameof(PromotionDto.StartsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.StartsAtMs)))
            .ForCtorParam(nameof(PromotionDto.EndsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.EndsAtMs)))
            .ForCtorParam(nameof(PromotionDto.State), o => o.MapFrom((s, ctx) => StateOf(s, MappingContext.NowMs(ctx)).State))
            .ForCtorParam(nameof(PromotionDto.StateLabel), o => o.MapFrom((s, ctx) => StateOf(s, MappingContext.NowMs(ctx)).Label))
            .ForCtorParam(nameof(PromotionDto.ItemCount), o => o.MapFrom(s => s.Items))
            .ForCtorParam(nameof(PromotionDto.Items), o => o.MapFrom(s => (IReadOnlyList<PromotionItemRow>?)null));
        CreateMap<(PromotionRow Promotion, IReadOnlyList<PromotionItemRow> Items), PromotionDto>()
            .ConvertUsing((s, _, ctx) => ctx.Mapper.Map<PromotionDto>(s.Promotion) with { Items = ctx.Mapper.Map<IReadOnlyList<PromotionItemDto>>(s.Items) });

        // Staff (StaffApi): a lock shows only while it lasts (as of the request's now).
        CreateMap<StaffMember, StaffDto>()
            .ForCtorParam(nameof(StaffDto.RoleLabel), o => o.MapFrom(s => RoleLabel(s.Role)))
            .ForCtorParam(nameof(StaffDto.LockedUntil), o => o.MapFrom((s, ctx) =>
                s.LockedUntilMs is { } l && l > MappingContext.NowMs(ctx) ? ShanghaiTime.Format(l) : null))
            .ForCtorParam(nameof(StaffDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
    }

    /// <summary>An amount in fen with its "¥" text: the one place a <see cref="MoneyDto"/> is made.</summary>
    private static MoneyDto Fen(long fen) => new(fen, Money.Format(fen));
    private static string RoleLabel(string role) => Roles.Parse(role)?.Label() ?? role;
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every reserving status in flow order, with how many orders wait in it (0 when none).</summary>
    private static IReadOnlyList<OpenQueueDto> OpenQueues(IReadOnlyDictionary<string, long> open) =>
        OrderStatus.Reserving.Select(s => new OpenQueueDto(s, OrderStatus.Label(s), open.GetValueOrDefault(s))).ToList();

    private static string TargetLabel(PromotionRow p) => p.Target switch
    {
        PromotionTarget.Group => p.TargetGroupName ?? "客户等级",
        PromotionTarget.Customer => p.TargetCustomerName ?? "指定客户",
        _ => "全部客户",
    };

    private static (string State, string Label) StateOf(PromotionRow p, long now) =>
        !p.Active ? ("inactive", "已停用") : p.StartsAtMs > now ? ("upcoming", "未开始") : p.EndsAtMs <= now ? ("ended", "已结束") : ("live", "进行中");
}
