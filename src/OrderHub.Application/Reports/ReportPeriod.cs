using OrderHub.Application.Statements;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <summary>
/// A report period: Shanghai calendar dates, both inclusive, at most <see cref="MaxDays"/> days. An order belongs to it when
/// it was placed at or after Shanghai midnight starting <see cref="From"/> and before Shanghai midnight ending <see cref="To"/>.
/// </summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = StatementPeriod.MaxDays;

    public long StartMs => ShanghaiTime.StartOfDayMs(From);
    public long EndMs => ShanghaiTime.StartOfDayMs(To.AddDays(1));
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length that ends the day before this one starts.</summary>
    public ReportPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>yyyy-MM-dd from/to; with neither, this Shanghai month so far. Errors are per field, "中文 / English".</summary>
    public static (ReportPeriod? Period, Dictionary<string, string[]> Errors) Parse(string? from, string? to, DateOnly today)
    {
        var (range, errors) = StatementPeriod.ParseRange(from, to, today, "报表期间");
        return (range is { } r ? new ReportPeriod(r.From, r.To) : null, errors);
    }

    public override string ToString() => $"{StatementPeriod.Format(From)} 至 {StatementPeriod.Format(To)}";
}

/// <summary>Whose customers a report covers: all (staff) or one agent's assigned customers (customers.agent_id).</summary>
public sealed record ReportScope(long? AgentId)
{
    public static readonly ReportScope All = new((long?)null);
    public static ReportScope OfAgent(long agentId) => new(agentId);
}

/// <summary>SQL shared by the reports.</summary>
internal static class ReportSql
{
    /// <summary>Orders that count as revenue: everything but rejected and cancelled (alias o).</summary>
    public static readonly string CountsAsRevenue = OrderStatusSql.CountsAsRevenue("o");
}
