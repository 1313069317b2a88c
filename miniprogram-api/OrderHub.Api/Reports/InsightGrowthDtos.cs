using System.ComponentModel;

namespace OrderHub.Api.Reports;

public sealed record RestockItemDto(
    [property: Description("商品 id / Product id")] long ProductId,
    [property: Description("商品编码 / SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("单位 / Unit")] string Unit,
    [property: Description("通常间隔天数 (购买日间隔中位数) / Usual interval in days (median gap between purchase days)")] double UsualIntervalDays,
    [property: Description("通常数量 (加入购物车的数量) / Usual quantity, what 加入购物车 puts in the cart")] long UsualQuantity,
    [property: Description("距上次购买天数 / Days since the last purchase")] int DaysSinceLastPurchase,
    [property: Description("上次购买日期 (上海) / Last purchase date (Asia/Shanghai)")] string LastPurchaseDate,
    [property: Description("状态：Due 该补货、AlreadyReminded 已提醒、Muted 多次忽略已停止提醒 / State: Due, AlreadyReminded, Muted (ignored reminders, no more pushes)")] string State,
    [property: Description("提醒文字 / Reminder text (Chinese)")] string Reason,
    [property: Description("提醒文字 (英文) / Reminder text (English)")] string ReasonEn);

public sealed record StageCountDto(
    [property: Description("阶段 New/Growing/Mature/Declining/Dormant/Churned / Stage")] string Stage,
    [property: Description("阶段名称 新客/成长/成熟/衰退/休眠/流失 / Stage label")] string Label,
    [property: Description("门店数 / Stores")] int Stores);

public sealed record StoreStageDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("阶段 / Stage")] string Stage,
    [property: Description("阶段名称 / Stage label")] string StageLabel,
    [property: Description("原因 / Why (Chinese)")] string Reason,
    [property: Description("原因 (英文) / Why (English)")] string ReasonEn,
    [property: Description("距上次下单天数 / Days since the last order")] int? DaysSinceLastOrder,
    [property: Description("近一周期订货日数 / Ordering days in the recent window")] int RecentOrderDays,
    [property: Description("上一周期订货日数 / Ordering days in the previous window")] int PreviousOrderDays,
    [property: Description("近一周期毛利 (分) / Gross profit of the recent window, fen")] long RecentGrossProfitFen,
    [property: Description("上一周期毛利 (分) / Gross profit of the previous window, fen")] long PreviousGrossProfitFen,
    [property: Description("变化前阶段 / The stage before the last change")] string? PreviousStage,
    [property: Description("变化日期 / Date of the last change")] string? ChangedOn,
    [property: Description("刚下滑 (成长/成熟 → 衰退/休眠/流失) / Just slipped to a worse stage")] bool Slipped);

public sealed record LifecycleDto(
    [property: Description("各阶段门店数 / Stores per stage")] IReadOnlyList<StageCountDto> Stages,
    [property: Description("门店 (刚下滑的在前) / Stores, those that just slipped first")] IReadOnlyList<StoreStageDto> Stores);

public sealed record ProfitRowDto(
    [property: Description("分组键 (id 或 yyyy-MM) / Group key: id or yyyy-MM")] string Key,
    [property: Description("名称 / Label")] string Label,
    [property: Description("订单数 / Orders")] int Orders,
    [property: Description("收入 (分，发货行金额) / Revenue in fen (shipped line amounts)")] long RevenueFen,
    [property: Description("成本 (分，发货时成本价 × 数量) / Cost in fen (unit cost when shipped × quantity)")] long CostFen,
    [property: Description("毛利 (分) / Gross profit, fen")] long GrossProfitFen,
    [property: Description("毛利率 (0.2214 = 22.14%) / Margin")] decimal? Margin,
    [property: Description("无成本价的行数 / Lines with no cost from the ERP")] int LinesWithoutCost);

public sealed record ProfitReportDto(
    [property: Description("开始日期 / First day")] string From,
    [property: Description("结束日期 / Last day")] string To,
    [property: Description("分组 store/agent/product/category/month / Grouped by")] string GroupBy,
    [property: Description("行 / Rows")] IReadOnlyList<ProfitRowDto> Rows,
    [property: Description("合计 / Total")] ProfitRowDto Total);

public sealed record CohortCellDto(
    [property: Description("首单后第几个月 / Months after the first order")] int Months,
    [property: Description("仍在订货的门店数 (该月未过完为 null) / Stores still ordering; null until that month is over")] int? Stores,
    [property: Description("留存率 (该月未过完为 null) / Share still ordering; null until that month is over")] decimal? Share);

public sealed record CohortDto(
    [property: Description("首单月份 yyyy-MM / Month of the first order")] string Month,
    [property: Description("新客数 / New stores")] int Stores,
    [property: Description("1、3、6、12 个月后的留存 / Retention after 1, 3, 6, 12 months (a cell's figures are null until its month is over)")] IReadOnlyList<CohortCellDto> Retained);

public sealed record RetentionDto(
    [property: Description("月度新客队列 / Monthly cohorts")] IReadOnlyList<CohortDto> Cohorts,
    [property: Description("流失门店数 / Churned stores")] int ChurnedStores,
    [property: Description("流失门店此前一年的销售额 (分) / Revenue of churned stores in the year before their last order, fen")] long ChurnedRevenueFen);

public sealed record CrossSellGapDto(
    [property: Description("Category 整个品类 / Product 单品 / Kind of gap")] string Kind,
    [property: Description("品类或商品 id / Category or product id")] long Id,
    [property: Description("名称 / Name")] string Name,
    [property: Description("所属品类 / Category")] string CategoryName,
    [property: Description("商品编码 (单品) / SKU, for a product")] string? Sku,
    [property: Description("购买它的相似门店数 / Similar stores buying it")] int PeersBuying,
    [property: Description("相似门店数 / Similar stores")] int Peers,
    [property: Description("渗透率 / Share of similar stores buying it")] decimal Adoption,
    [property: Description("购买门店平均毛利 (分) / Mean gross profit per buying store, fen")] long AverageGrossProfitFen,
    [property: Description("预期毛利 (分) = 渗透率 × 平均毛利 / Expected gross profit, fen")] long ExpectedGrossProfitFen);

public sealed record VisitTodayDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name,
    [property: Description("阶段名称 / Stage label")] string StageLabel,
    [property: Description("为什么今天去 / Why visit today (Chinese)")] string Reason);
