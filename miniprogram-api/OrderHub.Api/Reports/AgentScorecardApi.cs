using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Insight;
using OrderHub.Application.Reports;
using OrderHub.Application.Statements;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Reports;

/// <summary>
/// 业务员记分卡 (issue #18): per agent, gross profit, active stores, stores moved to self-ordering, categories grown, visits,
/// ranked by gross profit; the agent sees its own row and rank. Also the console's 报表 export: any report table as XLSX.
/// </summary>
public static class AgentScorecardApi
{
    public static IEndpointRouteBuilder MapAgentScorecardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/reports/agent-scorecard", Admin).WithTags("Insight for growth (back office)").RequireAuthorization(Policies.Staff)
            .WithName("AdminAgentScorecard").WithSummary("Agent scorecard: gross profit, active stores, stores moved to self-ordering, categories grown, visits; ranked by gross profit");
        app.MapGet("/api/agent/reports/scorecard", Mine).WithTags("Insight for growth (agent)").RequireAuthorization(Policies.Agent)
            .WithName("AgentScorecard").WithSummary("My scorecard for a period and my rank among the agents");
        app.MapPost("/api/admin/reports/download", Xlsx).WithTags("Insight for growth (back office)").RequireAuthorization(Policies.Staff)
            .WithName("AdminReportXlsx").WithSummary("A report table as the console shows it (title, columns, rows) written as an XLSX workbook");
        return app;
    }

    public sealed class Deps(AgentScorecardReport scorecard, IMapper mapper, TimeProvider clock)
    {
        public AgentScorecardReport Scorecard { get; } = scorecard;
        public IMapper Mapper { get; } = mapper;
        public TimeProvider Clock { get; } = clock;
        public DateOnly Today => ShanghaiTime.Today(Clock);
    }

    private static async Task<Results<Ok<AgentScorecardDto>, ValidationProblem>> Admin(string? from, string? to, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        return TypedResults.Ok(d.Mapper.Map<AgentScorecardDto>(await d.Scorecard.GetAsync(period)));
    }

    private static async Task<Results<Ok<AgentScorecardDto>, ValidationProblem>> Mine(string? from, string? to, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        var all = d.Mapper.Map<AgentScorecardDto>(await d.Scorecard.GetAsync(period));
        var me = user.UserId_();
        return TypedResults.Ok(all with { Agents = all.Agents.Where(a => a.AgentId == me).ToList() });
    }

    private static Results<FileContentHttpResult, ValidationProblem> Xlsx(ReportTableRequest? body)
    {
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交报表 / Send the report table as JSON"] });
        var table = new ReportTable(body.Title ?? "", body.Columns?.Select(c => new ReportColumn(c.Label ?? "", c.Kind ?? ReportColumnKinds.Text)).ToList() ?? [],
            body.Rows?.Select(r => (IReadOnlyList<object?>)(r ?? []).Select(Value).ToList()).ToList() ?? []);
        if (ReportWorkbook.Validate(table) is { Count: > 0 } errors) return Problems.Validation(errors);
        return TypedResults.File(ReportWorkbook.ToXlsx(table), StatementExport.XlsxContentType, ReportWorkbook.FileName(table.Title));
    }


    private static object? Value(System.Text.Json.JsonElement v) => v.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Number => v.GetDecimal(),
        System.Text.Json.JsonValueKind.String => v.GetString(),
        System.Text.Json.JsonValueKind.True => "是",
        System.Text.Json.JsonValueKind.False => "否",
        System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };
}

public sealed record ReportColumnRequest(
    [property: Description("列名 / Column header")] string? Label,
    [property: Description("text 文字、money 金额 (分 → 元)、number 数字、percent 比例 (0.25 = 25%) / Kind of the column")] string? Kind);

public sealed record ReportTableRequest(
    [property: Description("报表标题 (也是文件名) / Title, also the file name")] string? Title,
    [property: Description("列 / Columns")] IReadOnlyList<ReportColumnRequest>? Columns,
    [property: Description("行：每行的值与列一一对应；金额为分 / Rows, one value per column; money in fen")] IReadOnlyList<IReadOnlyList<System.Text.Json.JsonElement>>? Rows);
