using System.ComponentModel;

namespace OrderHub.Api.Reports;

public sealed record ScorecardStoreDto(
    [property: Description("客户 id / Customer id")] long CustomerId,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("客户名称 / Customer name")] string Name);

public sealed record ScorecardCategoryDto(
    [property: Description("一级品类 id (0 = 无品类) / Top-level category id, 0 for none")] long CategoryId,
    [property: Description("品类名称 / Category name")] string Name,
    [property: Description("上期毛利 (分) / Gross profit of the previous period, fen")] long PreviousGrossProfitFen,
    [property: Description("本期毛利 (分) / Gross profit of the period, fen")] long GrossProfitFen);

public sealed record ScorecardRowDto(
    [property: Description("按毛利排名 (1 = 最高) / Rank by gross profit, 1 is the highest")] int Rank,
    [property: Description("业务员 id / Agent id")] long AgentId,
    [property: Description("业务员编码 / Agent code")] string Code,
    [property: Description("业务员姓名 / Agent name")] string Name,
    [property: Description("在职 / Active")] bool Active,
    [property: Description("收入 (分，所辖门店发货行金额) / Revenue in fen: shipped line amounts of the agent's stores")] long RevenueFen,
    [property: Description("成本 (分) / Cost in fen")] long CostFen,
    [property: Description("毛利 (分) / Gross profit, fen")] long GrossProfitFen,
    [property: Description("毛利率 (0.2214 = 22.14%) / Margin")] decimal? Margin,
    [property: Description("无成本价的行数 / Lines with no cost from the ERP")] int LinesWithoutCost,
    [property: Description("上期毛利 (分，等长的上一期间) / Gross profit of the previous period of the same length, fen")] long PreviousGrossProfitFen,
    [property: Description("活跃门店数 (本期有下单) / Stores that ordered in the period")] int ActiveStores,
    [property: Description("转为自助订货的门店数 (上期自助 ≤ 一半，本期 > 一半) / Stores moved to self-ordering: self-placed orders at most half last period, more than half now")] int MovedToSelfOrderingCount,
    [property: Description("转为自助订货的门店 / The stores moved to self-ordering")] IReadOnlyList<ScorecardStoreDto> MovedToSelfOrdering,
    [property: Description("毛利增长的品类数 / Top-level categories whose gross profit rose")] int CategoriesGrownCount,
    [property: Description("毛利增长的品类 / The categories whose gross profit rose")] IReadOnlyList<ScorecardCategoryDto> CategoriesGrown,
    [property: Description("巡店次数 / Store visits logged")] long StoreVisits,
    [property: Description("电话回访次数 / Follow-up calls logged")] long Calls);

public sealed record AgentScorecardDto(
    [property: Description("开始日期 / First day")] string From,
    [property: Description("结束日期 / Last day")] string To,
    [property: Description("上期开始日期 / First day of the previous period")] string PreviousFrom,
    [property: Description("上期结束日期 / Last day of the previous period")] string PreviousTo,
    [property: Description("参与排名的业务员数 / Agents ranked")] int AgentsRanked,
    [property: Description("业务员 (按毛利排名；业务员本人只看到自己的一行) / Agents by rank; an agent sees its own row only")] IReadOnlyList<ScorecardRowDto> Agents);
