using System.ComponentModel;
using OrderHub.Application.Reports;
using OrderHub.Application.Visits;
using OrderHub.Domain;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

// Flat records the mini-program and the console read. Money: *Fen (integer fen) with a *Text ("¥1,234.50") beside it.
// Dates: yyyy-MM-dd (Shanghai); instants: ISO 8601 with +08:00.

/// <param name="At">When it happened: ISO 8601; without an offset it is read as Beijing time. Default now.</param>
public sealed record VisitRequest(
    [property: Description("类型：store_visit 巡店、call 电话回访 / Kind: store_visit or call")] string? Kind,
    [property: Description("发生时间：ISO 8601，不带时区按北京时间；默认现在 / When it happened: ISO 8601, read as Beijing time without an offset; default now")] string? At,
    [property: Description("纬度 / Latitude")] double? Latitude,
    [property: Description("经度 / Longitude")] double? Longitude,
    [property: Description("备注 / Note")] string? Note,
    [property: Description("他处保存的照片地址 (旧版客户端) / Links to photos kept elsewhere (older clients)")] List<string>? PhotoUrls,
    [property: Description("本业务员用 POST /api/agent/visit-photos 上传的照片 id / Photos this agent uploaded with POST /api/agent/visit-photos")] List<long>? PhotoIds = null);

/// <summary>A visit photo: the picture and its thumbnail.</summary>
public sealed record VisitPhotoDto(
    [property: Description("照片 id / Photo id")] long Id,
    [property: Description("原图地址 / The picture's URL")] string Url,
    [property: Description("缩略图地址 / The thumbnail's URL")] string ThumbnailUrl,
    [property: Description("宽 (像素) / Width in pixels")] int Width,
    [property: Description("高 (像素) / Height in pixels")] int Height);

public sealed record VisitDto(
    [property: Description("记录 id / Visit id")] long Id,
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("业务员 id / Agent id")] long AgentId,
    [property: Description("业务员 / Agent name")] string AgentName,
    [property: Description("类型：store_visit 巡店、call 电话回访 / Kind: store_visit or call")] string Kind,
    [property: Description("类型文字 / The kind as text")] string KindLabel,
    [property: Description("时间 (上海时间) / When (Asia/Shanghai)")] string At,
    [property: Description("纬度 / Latitude")] double? Latitude,
    [property: Description("经度 / Longitude")] double? Longitude,
    [property: Description("备注 / Note")] string? Note,
    [property: Description("所有照片地址 (上传的与旧版客户端的链接) / Every photo's URL: uploaded ones and links from older clients")] IReadOnlyList<string> PhotoUrls,
    [property: Description("记录时间 (上海时间) / Recorded at (Asia/Shanghai)")] string CreatedAt,
    [property: Description("上传的照片及缩略图 / The uploaded photos with their thumbnails")] IReadOnlyList<VisitPhotoDto> Photos);

public sealed record VisitPageDto(
    [property: Description("本页条目 / The items of this page")] IReadOnlyList<VisitDto> Items,
    [property: Description("下一页：作为 before 传回；没有更多为 null / Next page: send as before; null when there is no more")] long? Next);

public sealed record SalesRowDto(
    [property: Description("分组键 / Group key")] string Key,
    [property: Description("分组名称 / Group label")] string Label,
    [property: Description("订单数 / Number of orders")] long Orders,
    [property: Description("销售额 (分，扣除退货) / Revenue in fen, returns deducted")] long RevenueFen,
    [property: Description("销售额文字 / Revenue as text")] string RevenueText,
    [property: Description("订单金额 (分，未扣退货) / Order totals in fen, before returns")] long GrossFen,
    [property: Description("退货金额 (分)；按行口径时为 null / Returns in fen; null on the lines basis")] long? ReturnsFen);

public sealed record SalesTotalsDto(
    [property: Description("订单数 / Number of orders")] long Orders,
    [property: Description("销售额 (分，扣除退货) / Revenue in fen, returns deducted")] long RevenueFen,
    [property: Description("销售额文字 / Revenue as text")] string RevenueText,
    [property: Description("订单金额 (分，未扣退货) / Order totals in fen, before returns")] long GrossFen,
    [property: Description("退货金额 (分) / Returns in fen")] long ReturnsFen);

/// <param name="Basis">orders: rows are order totals less returns; lines: rows are line amounts before order-level discounts (returns name no product).</param>
public sealed record SalesReportDto(
    [property: Description("开始日期 yyyy-MM-dd (上海，含) / First day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (上海，含) / Last day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string To,
    [property: Description("汇总方式 / How rows are grouped")] string GroupBy,
    [property: Description("口径：orders 订单金额减退货；lines 行金额 (未分摊整单优惠) / Basis: orders (order totals less returns) or lines (line amounts before order discounts)")] string Basis,
    [property: Description("各组 / The rows")] IReadOnlyList<SalesRowDto> Rows,
    [property: Description("合计 / Totals")] SalesTotalsDto Totals);

public sealed record TopProductDto(
    [property: Description("排名 / Rank")] int Rank,
    [property: Description("商品 id / Product id")] long ProductId,
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("品牌 / Brand")] string? Brand,
    [property: Description("数量 / Quantity")] long Quantity,
    [property: Description("金额 (分) / Amount in fen")] long AmountFen,
    [property: Description("金额文字 / Amount as text")] string AmountText,
    [property: Description("包含该商品的订单数 / Orders containing the item")] long Orders);
public sealed record TopProductsDto(
    [property: Description("开始日期 yyyy-MM-dd (上海，含) / First day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (上海，含) / Last day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string To,
    [property: Description("商品，按金额排名 / Items ranked by amount")] IReadOnlyList<TopProductDto> Items);

public sealed record AgeingBucketsDto(
    [property: Description("账龄 0-30 天 (分) / Owed 0-30 days, in fen")] long Days0To30Fen,
    [property: Description("账龄 31-60 天 (分) / Owed 31-60 days, in fen")] long Days31To60Fen,
    [property: Description("账龄 61-90 天 (分) / Owed 61-90 days, in fen")] long Days61To90Fen,
    [property: Description("账龄 90 天以上 (分) / Owed over 90 days, in fen")] long Over90Fen,
    [property: Description("合计 (分) / Total in fen")] long TotalFen,
    [property: Description("合计文字 / Total as text")] string TotalText);
public sealed record CustomerAgeingDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("业务员 id / Agent id")] long? AgentId,
    [property: Description("业务员 / Agent name")] string? AgentName,
    [property: Description("欠款余额 (分) / Balance owed in fen")] long BalanceFen,
    [property: Description("欠款余额文字 / Balance owed as text")] string BalanceText,
    [property: Description("按账龄 / By age")] AgeingBucketsDto Buckets);
public sealed record AgeingReportDto(
    [property: Description("截至 (上海时间) / As of (Asia/Shanghai)")] string AsOf,
    [property: Description("按账龄合计 / Totals by age")] AgeingBucketsDto Totals,
    [property: Description("预收或多付合计 (分) / Credit balances in total, in fen")] long CreditTotalFen,
    [property: Description("有欠款的客户数 / Customers owing")] int CustomerCount,
    [property: Description("客户 / Customers")] IReadOnlyList<CustomerAgeingDto> Customers);

public sealed record KeyCustomerDto(
    [property: Description("排名 / Rank")] int Rank,
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("销售额 (分，扣除退货) / Revenue in fen, returns deducted")] long RevenueFen,
    [property: Description("销售额文字 / Revenue as text")] string RevenueText,
    [property: Description("占总销售额比例 (0-1) / Share of total revenue (0-1)")] decimal Share,
    [property: Description("累计占比 (0-1) / Cumulative share (0-1)")] decimal CumulativeShare,
    [property: Description("本期新进入重点客户 / Newly among the key customers this period")] bool Entered);
public sealed record KeyCustomerChangeDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("销售额 (分，扣除退货) / Revenue in fen, returns deducted")] long RevenueFen,
    [property: Description("上期销售额 (分) / Revenue of the previous period, in fen")] long PreviousRevenueFen);
public sealed record KeyCustomersDto(
    [property: Description("开始日期 yyyy-MM-dd (上海，含) / First day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (上海，含) / Last day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string To,
    [property: Description("上期开始日期 / First day of the previous period")] string PreviousFrom,
    [property: Description("上期结束日期 / Last day of the previous period")] string PreviousTo,
    [property: Description("二八法则的阈值 (如 0.8) / The Pareto threshold (e.g. 0.8)")] decimal Threshold,
    [property: Description("总销售额 (分) / Total revenue in fen")] long TotalRevenueFen,
    [property: Description("总销售额文字 / Total revenue as text")] string TotalRevenueText,
    [property: Description("有销售额的客户数 / Customers with revenue")] int CustomersWithRevenue,
    [property: Description("重点客户数 / Number of key customers")] int KeyCount,
    [property: Description("重点客户 (约 80% 销售额) / The key customers (about 80% of revenue)")] IReadOnlyList<KeyCustomerDto> Customers,
    [property: Description("上期总销售额 (分) / Previous total revenue in fen")] long PreviousTotalRevenueFen,
    [property: Description("上期重点客户数 / Previous number of key customers")] int PreviousKeyCount,
    [property: Description("本期新进入重点客户 / Customers new among the key customers")] IReadOnlyList<KeyCustomerChangeDto> Entered,
    [property: Description("本期退出重点客户 / No longer among the key customers")] IReadOnlyList<KeyCustomerChangeDto> Left);

public sealed record AgentPerformanceDto(
    [property: Description("业务员 id / Agent id")] long AgentId,
    [property: Description("业务员编码 / Agent code")] string Code,
    [property: Description("业务员姓名 / Agent name")] string Name,
    [property: Description("在职 / Active")] bool Active,
    [property: Description("归属订单数 / Orders credited")] long AttributedOrders,
    [property: Description("归属销售额 (分) / Revenue credited, in fen")] long AttributedFen,
    [property: Description("归属销售额文字 / Revenue credited, as text")] string AttributedText,
    [property: Description("代订货金额 (分) / Proxy orders, in fen")] long ProxyFen,
    [property: Description("所辖门店自助订货金额 (分) / Own stores' self-orders, in fen")] long OwnerFen,
    [property: Description("分享链接带来的金额 (分) / From share links, in fen")] long ShareLinkFen,
    [property: Description("所辖门店数 / Stores assigned")] long Customers,
    [property: Description("自助下单的门店数 / Stores ordering by themselves")] long SelfOrderingCustomers,
    [property: Description("由代订转为自助的门店数 / Stores converted from proxy to self-ordering")] long ConvertedCustomers,
    [property: Description("巡店次数 / Store visits")] long StoreVisits,
    [property: Description("回访电话次数 / Follow-up calls")] long Calls);
public sealed record AgentsReportDto(
    [property: Description("开始日期 yyyy-MM-dd (上海，含) / First day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (上海，含) / Last day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string To,
    [property: Description("业务员 / Agents")] IReadOnlyList<AgentPerformanceDto> Agents);

public sealed record RevenueDto(
    [property: Description("开始日期 yyyy-MM-dd (上海，含) / First day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (上海，含) / Last day, yyyy-MM-dd (Asia/Shanghai, inclusive)")] string To,
    [property: Description("订单数 / Number of orders")] long Orders,
    [property: Description("订单金额 (分) / Order totals in fen")] long OrdersFen,
    [property: Description("退货金额 (分) / Returns in fen")] long ReturnsFen,
    [property: Description("销售额 (分，扣除退货) / Revenue in fen, returns deducted")] long RevenueFen,
    [property: Description("销售额文字 / Revenue as text")] string RevenueText);
public sealed record InsightItemDto(
    [property: Description("商品 id / Product id")] long ProductId,
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("数量 / Quantity")] long Quantity,
    [property: Description("金额 (分) / Amount in fen")] long AmountFen,
    [property: Description("金额文字 / Amount as text")] string AmountText,
    [property: Description("包含该商品的订单数 / Orders containing the item")] long Orders);
public sealed record CadenceDto(
    [property: Description("有下单的天数 / Days with an order")] int OrderDays,
    [property: Description("通常的下单间隔 (天) / Usual days between orders")] double? UsualIntervalDays,
    [property: Description("上次下单日期 / Last order date")] string? LastOrderDate,
    [property: Description("距上次下单天数 / Days since the last order")] int? DaysSinceLastOrder,
    [property: Description("提醒 / Alerts")] IReadOnlyList<AlertReasonDto> Alerts);
public sealed record AlertReasonDto(
    [property: Description("提醒类型：overdue 超期未订、value_drop 订单金额下降 / Alert kind: overdue or value_drop")] string Kind,
    [property: Description("提醒原因 (中文) / The reason in Chinese")] string ReasonZh,
    [property: Description("提醒原因 (英文) / The reason in English")] string ReasonEn,
    [property: Description("通常的下单间隔 (天) / Usual days between orders")] double? UsualIntervalDays,
    [property: Description("距上次下单天数 / Days since the last order")] int DaysSinceLastOrder,
    [property: Description("超过该天数未下单即提醒 / Alert after this many days without an order")] double? OverdueAfterDays,
    [property: Description("上次订单金额 (分) / Last order total in fen")] long LastOrderFen,
    [property: Description("之前订单金额的中位数 (分) / Median of the previous orders, in fen")] long? PreviousMedianFen,
    [property: Description("比较的之前订单数 / Previous orders compared")] int? PreviousOrdersCompared);

public sealed record InsightDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("业务员 id / Agent id")] long? AgentId,
    [property: Description("业务员 / Agent name")] string? AgentName,
    [property: Description("统计时间 (上海时间) / As of (Asia/Shanghai)")] string AsOf,
    [property: Description("今年 / This year")] RevenueDto ThisYear,
    [property: Description("上月 / Last month")] RevenueDto LastMonth,
    [property: Description("本月 / This month")] RevenueDto ThisMonth,
    [property: Description("订单数 / Number of orders")] long OrderCount,
    [property: Description("上次订单号 / Last order number")] string? LastOrderNo,
    [property: Description("上次下单时间 / Last order time")] string? LastOrderAt,
    [property: Description("上次订单金额 (分) / Last order total in fen")] long? LastOrderFen,
    [property: Description("上次订单金额文字 / Last order total as text")] string? LastOrderText,
    [property: Description("平均下单间隔 (天) / Average days between orders")] double? AverageIntervalDays,
    [property: Description("应收 (分) / Receivable in fen")] long ReceivableFen,
    [property: Description("应收文字 / Receivable as text")] string ReceivableText,
    [property: Description("上次联系时间 (巡店或电话) / Last contact (visit or call)")] string? LastContactAt,
    [property: Description("距上次联系天数 / Days since the last contact")] int? DaysSinceLastContact,
    [property: Description("本月巡店 / Store visits this month")] long StoreVisitsThisMonth,
    [property: Description("累计巡店 / Store visits in all")] long StoreVisitsAllTime,
    [property: Description("本月回访 / Calls this month")] long CallsThisMonth,
    [property: Description("累计回访 / Calls in all")] long CallsAllTime,
    [property: Description("自助订单数 / Self-orders")] long SelfOrders,
    [property: Description("代订货订单数 / Proxy orders")] long ProxyOrders,
    [property: Description("自助订单占比 (0-1) / Share of self-orders (0-1)")] decimal? SelfOrderShare,
    [property: Description("常购商品 / Items bought most")] IReadOnlyList<InsightItemDto> TopItems,
    [property: Description("下单节奏 / Ordering cadence")] CadenceDto Cadence);

public sealed record AlertDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("提醒类型：overdue 超期未订、value_drop 订单金额下降 / Alert kind: overdue or value_drop")] string Kind,
    [property: Description("提醒原因 (中文) / The reason in Chinese")] string ReasonZh,
    [property: Description("提醒原因 (英文) / The reason in English")] string ReasonEn,
    [property: Description("通常的下单间隔 (天) / Usual days between orders")] double? UsualIntervalDays,
    [property: Description("距上次下单天数 / Days since the last order")] int DaysSinceLastOrder,
    [property: Description("超过该天数未下单即提醒 / Alert after this many days without an order")] double? OverdueAfterDays,
    [property: Description("上次下单日期 / Last order date")] string? LastOrderDate,
    [property: Description("上次订单金额 (分) / Last order total in fen")] long LastOrderFen,
    [property: Description("上次订单金额文字 / Last order total as text")] string LastOrderText,
    [property: Description("之前订单金额的中位数 (分) / Median of the previous orders, in fen")] long? PreviousMedianFen,
    [property: Description("比较的之前订单数 / Previous orders compared")] int? PreviousOrdersCompared,
    [property: Description("上次联系时间 (巡店或电话) / Last contact (visit or call)")] string? LastContactAt,
    [property: Description("距上次联系天数 / Days since the last contact")] int? DaysSinceLastContact);
