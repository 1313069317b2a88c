using AutoMapper;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.BackOffice;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Statements;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Application.Staff;
using OrderHub.Application.Statements;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Promotions;
using OrderHub.Tests.Api;
using static OrderHub.Api.BackOffice.BackOfficeAdminApi;
using static OrderHub.Api.BackOffice.CatalogAdminApi;

namespace OrderHub.Tests.Architecture;

/// <summary>
/// The profiles' rules that no API test in this project reaches (the console's dashboard, promotions, staff and
/// categories are otherwise read only by the browser tests), with figures worked out by hand. The served app's mapper is
/// used, so these are the maps the endpoints run.
/// </summary>
public sealed class MappingProfileTests
{
    private ApiHost _host = null!;
    private IMapper _mapper = null!;

    // 2026-03-05 10:00 in Shanghai.
    private static readonly DateTimeOffset Now = new(2026, 3, 5, 2, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private sealed class At(DateTimeOffset now) : TimeProvider { public override DateTimeOffset GetUtcNow() => now; }

    [OneTimeSetUp]
    public void Start()
    {
        _host = new ApiHost();
        _mapper = _host.Services.GetRequiredService<IMapper>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private static PromotionRow Promo(bool active, long startsMs, long endsMs, string target = PromotionTarget.Group, string? groupName = null) => new()
    {
        Id = 7, Code = "P7", Name = "春季特价", Kind = PromotionKind.SpecialPrice, Target = target, TargetGroupName = groupName,
        StartsAtMs = startsMs, EndsAtMs = endsMs, Active = active, Items = 2,
    };

    [Test]
    public void A_promotions_state_is_as_of_the_requests_now_and_lists_leave_its_items_out()
    {
        var hour = 3_600_000L;
        var rows = new[]
        {
            Promo(true, NowMs - hour, NowMs + hour), Promo(true, NowMs + hour, NowMs + 2 * hour), Promo(true, NowMs - 2 * hour, NowMs),
            Promo(false, NowMs - hour, NowMs + hour, PromotionTarget.Customer), Promo(true, NowMs - hour, NowMs + hour, PromotionTarget.All, "ignored"),
        };
        var dtos = _mapper.MapAt<IReadOnlyList<PromotionDto>>(rows, new At(Now));
        // The end is exclusive: a promotion ending exactly now has ended.
        Assert.That(dtos.Select(d => (d.State, d.StateLabel)), Is.EqualTo(new[]
            { ("live", "进行中"), ("upcoming", "未开始"), ("ended", "已结束"), ("inactive", "已停用"), ("live", "进行中") }));
        Assert.That(dtos.Select(d => d.TargetLabel), Is.EqualTo(new[] { "客户等级", "客户等级", "客户等级", "指定客户", "全部客户" }));
        Assert.That(dtos[0].KindLabel, Is.EqualTo("特价"));
        Assert.That(dtos[0].StartsAt, Is.EqualTo("2026-03-05T09:00:00+08:00"));
        Assert.That(dtos[0].ItemCount, Is.EqualTo(2));
        Assert.That(dtos.Select(d => d.Items), Has.All.Null, "a list carries no items");

        var one = _mapper.MapAt<PromotionDto>((Promo(true, NowMs - hour, NowMs + hour, groupName: "A 类"), (IReadOnlyList<PromotionItemRow>)
            [new() { Sku = "S1", Name = "米", BasePriceFen = 1_500, SpecialPriceFen = 1_234 }, new() { Sku = "S2", Name = "面", BasePriceFen = 800 }]), new At(Now));
        Assert.That(one.TargetLabel, Is.EqualTo("A 类"));
        Assert.That(one.Items!.Select(i => (i.Sku, i.SpecialPriceText)), Is.EqualTo(new[] { ("S1", (string?)"¥12.34"), ("S2", null) }));
    }

    [Test]
    public void A_staff_members_lock_shows_only_while_it_lasts()
    {
        StaffMember Member(long? lockedUntil, string role) => new() { Id = 1, Login = "li", Name = "李", Role = role, LockedUntilMs = lockedUntil, CreatedAtMs = NowMs };
        var locked = _mapper.MapAt<StaffApi.StaffDto>(Member(NowMs + 60_000, "finance"), new At(Now));
        var expired = _mapper.MapAt<StaffApi.StaffDto>(Member(NowMs, "clerk"), new At(Now));
        Assert.That((locked.LockedUntil, locked.RoleLabel), Is.EqualTo(((string?)"2026-03-05T10:01:00+08:00", "财务")));
        Assert.That((expired.LockedUntil, expired.RoleLabel), Is.EqualTo(((string?)null, "内勤")));
        Assert.That(_mapper.MapAt<StaffApi.StaffDto>(Member(null, "someone"), new At(Now)).RoleLabel, Is.EqualTo("someone"), "an unknown role shows as stored");
    }

    [Test]
    public void The_dashboard_lists_every_open_queue_in_flow_order_and_names_the_channels()
    {
        var d = new Dashboard(new DateOnly(2026, 3, 5), new DashboardTotals(3, 123_456), new DashboardTotals(40, 9_876_543),
            [new DashboardDay(new DateOnly(2026, 3, 1), 5, 100)], [new DashboardChannel("proxy", 4, 200), new DashboardChannel("self", 6, 300)],
            [new DashboardCustomer { CustomerId = 9, Code = "C9", Name = "好邻居", Orders = 2, RevenueFen = 5_000 }],
            new Dictionary<string, long> { [OrderStatus.PendingOutbound] = 4 });
        var dto = _mapper.Map<DashboardDto>(d);
        Assert.That(dto.Today, Is.EqualTo("2026-03-05"));
        Assert.That(dto.TodayTotals.Revenue, Is.EqualTo(new MoneyDto(123_456, "¥1,234.56")));
        Assert.That(dto.Month.Revenue.Text, Is.EqualTo("¥98,765.43"));
        Assert.That(dto.Days.Single().Date, Is.EqualTo("2026-03-01"));
        Assert.That(dto.Channels.Select(c => c.Label), Is.EqualTo(new[] { "代客下单", "自助订货" }));
        Assert.That(dto.Open.Select(o => (o.Status, o.Label, o.Count)), Is.EqualTo(new[]
        {
            // the store's own steps first (issue #17/#16: they hold stock too), then the back office's
            (OrderStatus.PendingOwnerApproval, "待店主审核", 0L), (OrderStatus.PendingPayment, "待付款", 0L),
            (OrderStatus.PendingSalesReview, "待业务审核", 0L), (OrderStatus.PendingFinanceReview, "待财务审核", 0L),
            (OrderStatus.PendingOutbound, "待出库", 4L), (OrderStatus.PendingShipment, "待发货", 0L),
        }));
    }

    [Test]
    public void A_categorys_depth_counts_its_ancestors_and_a_balance_without_a_limit_has_no_available_credit()
    {
        var cats = _mapper.Map<IReadOnlyList<CategoryDto>>(new[] { new CategoryRow { Path = "/1/" }, new CategoryRow { Path = "/1/4/" }, new CategoryRow { Path = "/1/4/9/" } });
        Assert.That(cats.Select(c => c.Depth), Is.EqualTo(new[] { 0, 1, 2 }));

        var noLimit = _mapper.Map<BalanceDto>(new AccountBalance(1, 50_000, 20_000, 0));
        Assert.That((noLimit.AvailableCredit, noLimit.HasCreditLimit), Is.EqualTo(((AmountDto?)null, false)));
        // 1,000.00 limit − 500.00 owed − 200.00 open = 300.00 still available.
        var limited = _mapper.Map<BalanceDto>(new AccountBalance(1, 50_000, 20_000, 100_000));
        Assert.That(limited.AvailableCredit, Is.EqualTo(new AmountDto(30_000, "¥300.00")));
        Assert.That(limited.HasCreditLimit, Is.True);
    }
}
