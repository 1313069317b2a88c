using OrderHub.Application.Statements;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Reports;

/// <summary>
/// A report period: Shanghai calendar dates, both inclusive, at most <see cref="MaxDays"/> days. An order belongs to it when
/// it was placed at or after Shanghai midnight starting <see cref="From"/> and before Shanghai midnight ending <see cref="To"/>.
/// </summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public long StartMs => ShanghaiTime.StartOfDayMs(From);
    public long EndMs => ShanghaiTime.StartOfDayMs(To.AddDays(1));
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length that ends the day before this one starts.</summary>
    public ReportPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>yyyy-MM-dd from/to; with neither, this Shanghai month so far. Errors are per field, "中文 / English".</summary>
    public static (ReportPeriod? Period, Dictionary<string, string[]> Errors) Parse(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
            return (new ReportPeriod(new DateOnly(today.Year, today.Month, 1), today), errors);
        var f = StatementPeriod.ParseDate("from", "开始日期", from, errors);
        var t = StatementPeriod.ParseDate("to", "结束日期", to, errors);
        if (f is { } a && t is { } b)
        {
            if (a > b) errors["to"] = ["结束日期不能早于开始日期 / to must not be before from"];
            else if (b.DayNumber - a.DayNumber + 1 > MaxDays)
                errors["to"] = [$"报表期间不能超过 {MaxDays} 天 / The period must be at most {MaxDays} days"];
        }
        return errors.Count > 0 ? (null, errors) : (new ReportPeriod(f!.Value, t!.Value), errors);
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
    public const string CountsAsRevenue = "o.status NOT IN ('rejected', 'cancelled')";
}
