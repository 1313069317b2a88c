using OrderHub.Application.Reports;
using OrderHub.Application.Visits;
using OrderHub.Domain;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

// Flat records the mini-program and the console read. Money: *Fen (integer fen) with a *Text ("¥1,234.50") beside it.
// Dates: yyyy-MM-dd (Shanghai); instants: ISO 8601 with +08:00.

/// <param name="At">When it happened: ISO 8601; without an offset it is read as Beijing time. Default now.</param>
/// <param name="PhotoIds">Photos this agent uploaded with POST /api/agent/visit-photos (巡店拍照).</param>
/// <param name="PhotoUrls">Links to photos kept elsewhere (older clients).</param>
public sealed record VisitRequest(string? Kind, string? At, double? Latitude, double? Longitude, string? Note, List<string>? PhotoUrls,
    List<long>? PhotoIds = null);

/// <summary>A visit photo: the picture and its thumbnail.</summary>
public sealed record VisitPhotoDto(long Id, string Url, string ThumbnailUrl, int Width, int Height);

/// <param name="PhotoUrls">Every photo's URL: the uploaded ones (as in <c>Photos</c>) and links sent by older clients.</param>
/// <param name="Photos">The uploaded photos with their thumbnails.</param>
public sealed record VisitDto(long Id, long CustomerId, long AgentId, string AgentName, string Kind, string KindLabel, string At,
    double? Latitude, double? Longitude, string? Note, IReadOnlyList<string> PhotoUrls, string CreatedAt, IReadOnlyList<VisitPhotoDto> Photos)
{
    public static VisitDto Of(Visit v, OrderHub.Application.Media.ImageStore store)
    {
        var photos = v.Photos.Select(p => new VisitPhotoDto(p.Id, store.Url(p), store.ThumbnailUrl(p), p.Width, p.Height)).ToList();
        return new(v.Id, v.CustomerId, v.AgentId, v.AgentName, v.Kind, VisitKinds.Label(v.Kind), ShanghaiTime.Format(v.AtMs),
            v.Latitude, v.Longitude, v.Note, [.. photos.Select(p => p.Url), .. v.PhotoUrls], ShanghaiTime.Format(v.CreatedAtMs), photos);
    }
}

public sealed record VisitPageDto(IReadOnlyList<VisitDto> Items, long? Next);

public sealed record SalesRowDto(string Key, string Label, long Orders, long RevenueFen, string RevenueText, long GrossFen, long? ReturnsFen)
{
    public static SalesRowDto Of(SalesRow r) => new(r.Key, r.Label, r.Orders, r.RevenueFen, Money.Format(r.RevenueFen), r.GrossFen, r.ReturnsFen);
}

public sealed record SalesTotalsDto(long Orders, long RevenueFen, string RevenueText, long GrossFen, long ReturnsFen);

/// <param name="Basis">orders: rows are order totals less returns; lines: rows are line amounts before order-level discounts (returns name no product).</param>
public sealed record SalesReportDto(string From, string To, string GroupBy, string Basis, IReadOnlyList<SalesRowDto> Rows, SalesTotalsDto Totals)
{
    public static SalesReportDto Of(SalesReport r, string groupByName) => new(D(r.Period.From), D(r.Period.To), groupByName,
        r.GroupBy.IsLineBased() ? "lines" : "orders", r.Rows.Select(SalesRowDto.Of).ToList(),
        new SalesTotalsDto(r.Totals.Orders, r.Totals.RevenueFen, Money.Format(r.Totals.RevenueFen), r.Totals.GrossFen, r.Totals.ReturnsFen));
    internal static string D(DateOnly d) => ReportCalendar.DayKey(d);
}

public sealed record TopProductDto(int Rank, long ProductId, string Sku, string Name, string? Brand, long Quantity, long AmountFen, string AmountText, long Orders);
public sealed record TopProductsDto(string From, string To, IReadOnlyList<TopProductDto> Items)
{
    public static TopProductsDto Of(ReportPeriod p, IReadOnlyList<TopProduct> items) => new(SalesReportDto.D(p.From), SalesReportDto.D(p.To),
        items.Select(t => new TopProductDto(t.Rank, t.ProductId, t.Sku, t.Name, t.Brand, t.Quantity, t.AmountFen, Money.Format(t.AmountFen), t.Orders)).ToList());
}

public sealed record AgeingBucketsDto(long Days0To30Fen, long Days31To60Fen, long Days61To90Fen, long Over90Fen, long TotalFen, string TotalText)
{
    public static AgeingBucketsDto Of(AgeingBuckets b) => new(b.Days0To30Fen, b.Days31To60Fen, b.Days61To90Fen, b.Over90Fen, b.TotalFen, Money.Format(b.TotalFen));
}
public sealed record CustomerAgeingDto(long CustomerId, string Code, string Name, long? AgentId, string? AgentName, long BalanceFen, string BalanceText, AgeingBucketsDto Buckets);
public sealed record AgeingReportDto(string AsOf, AgeingBucketsDto Totals, long CreditTotalFen, int CustomerCount, IReadOnlyList<CustomerAgeingDto> Customers)
{
    public static AgeingReportDto Of(AgeingReport r) => new(SalesReportDto.D(r.AsOf), AgeingBucketsDto.Of(r.Totals), r.CreditTotalFen, r.CustomerCount,
        r.Customers.Select(c => new CustomerAgeingDto(c.CustomerId, c.Code, c.Name, c.AgentId, c.AgentName, c.BalanceFen, Money.Format(c.BalanceFen), AgeingBucketsDto.Of(c.Buckets))).ToList());
}

public sealed record KeyCustomerDto(int Rank, long CustomerId, string Code, string Name, long RevenueFen, string RevenueText, decimal Share, decimal CumulativeShare, bool Entered);
public sealed record KeyCustomerChangeDto(long CustomerId, string Code, string Name, long RevenueFen, long PreviousRevenueFen);
public sealed record KeyCustomersDto(string From, string To, string PreviousFrom, string PreviousTo, decimal Threshold, long TotalRevenueFen, string TotalRevenueText,
    int CustomersWithRevenue, int KeyCount, IReadOnlyList<KeyCustomerDto> Customers, long PreviousTotalRevenueFen, int PreviousKeyCount,
    IReadOnlyList<KeyCustomerChangeDto> Entered, IReadOnlyList<KeyCustomerChangeDto> Left)
{
    public static KeyCustomersDto Of(KeyCustomersReport r)
    {
        static KeyCustomerChangeDto C(KeyCustomerChange c) => new(c.CustomerId, c.Code, c.Name, c.RevenueFen, c.PreviousRevenueFen);
        return new(SalesReportDto.D(r.Period.From), SalesReportDto.D(r.Period.To), SalesReportDto.D(r.PreviousPeriod.From), SalesReportDto.D(r.PreviousPeriod.To),
            r.Threshold, r.TotalRevenueFen, Money.Format(r.TotalRevenueFen), r.CustomersWithRevenue, r.Key.Count,
            r.Key.Select(k => new KeyCustomerDto(k.Rank, k.CustomerId, k.Code, k.Name, k.RevenueFen, Money.Format(k.RevenueFen), k.Share, k.CumulativeShare, k.New)).ToList(),
            r.PreviousTotalRevenueFen, r.PreviousKeyCount, r.Entered.Select(C).ToList(), r.Left.Select(C).ToList());
    }
}

public sealed record AgentPerformanceDto(long AgentId, string Code, string Name, bool Active, long AttributedOrders, long AttributedFen, string AttributedText,
    long ProxyFen, long OwnerFen, long ShareLinkFen, long Customers, long SelfOrderingCustomers, long ConvertedCustomers, long StoreVisits, long Calls);
public sealed record AgentsReportDto(string From, string To, IReadOnlyList<AgentPerformanceDto> Agents)
{
    public static AgentsReportDto Of(AgentPerformanceReport r) => new(SalesReportDto.D(r.Period.From), SalesReportDto.D(r.Period.To),
        r.Agents.Select(a => new AgentPerformanceDto(a.AgentId, a.Code, a.Name, a.Active, a.AttributedOrders, a.AttributedFen, Money.Format(a.AttributedFen),
            a.ProxyFen, a.OwnerFen, a.ShareLinkFen, a.Customers, a.SelfOrderingCustomers, a.ConvertedCustomers, a.StoreVisits, a.Calls)).ToList());
}

public sealed record RevenueDto(string From, string To, long Orders, long OrdersFen, long ReturnsFen, long RevenueFen, string RevenueText)
{
    public static RevenueDto Of(RevenueFigure r) => new(SalesReportDto.D(r.From), SalesReportDto.D(r.To), r.Orders, r.OrdersFen, r.ReturnsFen, r.RevenueFen, Money.Format(r.RevenueFen));
}
public sealed record InsightItemDto(long ProductId, string Sku, string Name, long Quantity, long AmountFen, string AmountText, long Orders);
public sealed record CadenceDto(int OrderDays, double? UsualIntervalDays, string? LastOrderDate, int? DaysSinceLastOrder, IReadOnlyList<AlertReasonDto> Alerts);
public sealed record AlertReasonDto(string Kind, string ReasonZh, string ReasonEn, double? UsualIntervalDays, int DaysSinceLastOrder, double? OverdueAfterDays,
    long LastOrderFen, long? PreviousMedianFen, int? PreviousOrdersCompared)
{
    public static AlertReasonDto Of(CadenceAlert a) => new(a.Kind == CadenceAlertKind.Overdue ? "overdue" : "value_drop", a.ReasonZh, a.ReasonEn,
        a.UsualIntervalDays, a.DaysSinceLastOrder, a.OverdueAfterDays, a.LastOrderFen, a.PreviousMedianFen, a.PreviousOrdersCompared);
}

public sealed record InsightDto(
    long CustomerId, string Code, string Name, long? AgentId, string? AgentName, string AsOf,
    RevenueDto ThisYear, RevenueDto LastMonth, RevenueDto ThisMonth,
    long OrderCount, string? LastOrderNo, string? LastOrderAt, long? LastOrderFen, string? LastOrderText, double? AverageIntervalDays,
    long ReceivableFen, string ReceivableText, string? LastContactAt, int? DaysSinceLastContact,
    long StoreVisitsThisMonth, long StoreVisitsAllTime, long CallsThisMonth, long CallsAllTime,
    long SelfOrders, long ProxyOrders, decimal? SelfOrderShare, IReadOnlyList<InsightItemDto> TopItems, CadenceDto Cadence)
{
    public static InsightDto Of(CustomerInsight i) => new(i.CustomerId, i.Code, i.Name, i.AgentId, i.AgentName, SalesReportDto.D(i.AsOf),
        RevenueDto.Of(i.ThisYear), RevenueDto.Of(i.LastMonth), RevenueDto.Of(i.ThisMonth),
        i.OrderCount, i.LastOrderNo, ShanghaiTime.Format(i.LastOrderAtMs), i.LastOrderFen, i.LastOrderFen is { } f ? Money.Format(f) : null, i.AverageIntervalDays,
        i.ReceivableFen, Money.Format(i.ReceivableFen), ShanghaiTime.Format(i.LastContactAtMs), i.DaysSinceLastContact,
        i.StoreVisitsThisMonth, i.StoreVisitsAllTime, i.CallsThisMonth, i.CallsAllTime,
        i.SelfOrders, i.ProxyOrders, i.SelfOrderShare,
        i.TopItems.Select(t => new InsightItemDto(t.ProductId, t.Sku, t.Name, t.Quantity, t.AmountFen, Money.Format(t.AmountFen), t.Orders)).ToList(),
        new CadenceDto(i.Cadence.OrderDays, i.Cadence.UsualIntervalDays, i.Cadence.LastOrderDay is { } d ? SalesReportDto.D(d) : null,
            i.Cadence.DaysSinceLastOrder, i.Cadence.Alerts.Select(AlertReasonDto.Of).ToList()));
}

public sealed record AlertDto(long CustomerId, string Code, string Name, string Kind, string ReasonZh, string ReasonEn,
    double? UsualIntervalDays, int DaysSinceLastOrder, double? OverdueAfterDays, string? LastOrderDate, long LastOrderFen, string LastOrderText,
    long? PreviousMedianFen, int? PreviousOrdersCompared, string? LastContactAt, int? DaysSinceLastContact)
{
    public static AlertDto Of(CustomerAlert c)
    {
        var a = AlertReasonDto.Of(c.Alert);
        return new(c.CustomerId, c.Code, c.Name, a.Kind, a.ReasonZh, a.ReasonEn, a.UsualIntervalDays, a.DaysSinceLastOrder, a.OverdueAfterDays,
            c.LastOrderDay is { } d ? SalesReportDto.D(d) : null, a.LastOrderFen, Money.Format(a.LastOrderFen), a.PreviousMedianFen, a.PreviousOrdersCompared,
            ShanghaiTime.Format(c.LastContactAtMs), c.DaysSinceLastContact);
    }
}
