using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.GoLive;
using OrderHub.Application.Sync;
using OrderHub.Erp;

namespace OrderHub.Api.BackOffice;

/// <summary>Go live (README → Go live): the checklist, the ERP connection test, the first import, and the warehouse rule.</summary>
public static class GoLiveApi
{
    public sealed record ImportResult(InitialImportStatus Status, IReadOnlyList<FeedRunResult> Feeds);
    public sealed record WarehouseChoice(string? Code);

    public static IEndpointRouteBuilder MapGoLiveApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin").WithTags("Back office: go live").RequireAuthorization(Policies.Staff);
        g.MapGet("/go-live", Checklist).WithName("GoLiveChecklist").WithSummary("上线检查 / The go-live checklist: ERP, first import, warehouses, agents, staff, WeChat");
        g.MapPost("/go-live/test-connection", TestConnection).RequireAuthorization(Policies.Admin).WithName("GoLiveTestConnection")
            .WithSummary("测试 ERP 连接 / Sign in to the ERP and read what the sync needs; says what is missing");
        g.MapPost("/go-live/import", Import).RequireAuthorization(Policies.Admin).WithName("GoLiveImport")
            .WithSummary("首次导入 / Pull every feed to its end in dependency order now; the catalog opens when all succeeded");
        g.MapGet("/warehouses/stores", Warehouses).WithName("AdminWarehouseStores").WithSummary("仓库 / Warehouses with products in stock and stores served");
        g.MapPut("/warehouses/default", SetDefault).RequireAuthorization(Policies.Admin).WithName("AdminSetDefaultWarehouse").ProducesNotFound("仓库不存在 / No warehouse with that code")
            .WithSummary("默认仓库 / The warehouse of stores the ERP ties to none (code; null clears it); those stores move at once");
        g.MapPut("/customers/{customerId:long}/warehouse", SetStoreWarehouse).RequireAuthorization(Policies.Admin).WithName("AdminSetStoreWarehouse").ProducesNotFound("门店或仓库不存在 / No such store or warehouse")
            .WithSummary("门店仓库 / Tie a store to a warehouse (kept by the sync unless the ERP names one); null hands it back to the default rule");
        return app;
    }

    private static async Task<Ok<GoLiveStatus>> Checklist(GoLiveChecklist checklist, CancellationToken ct) => TypedResults.Ok(await checklist.StatusAsync(ct));

    private static async Task<Ok<ErpConnectionReport>> TestConnection(GoLiveChecklist checklist, CancellationToken ct) =>
        TypedResults.Ok(await checklist.TestConnectionAsync(ct));

    private static async Task<Ok<ImportResult>> Import(InitialImport import, CancellationToken ct)
    {
        var (feeds, status) = await import.RunAsync(ct);
        return TypedResults.Ok(new ImportResult(status, feeds));
    }

    private static async Task<Ok<IReadOnlyList<WarehouseRow>>> Warehouses(WarehouseRule rule, CancellationToken ct) => TypedResults.Ok(await rule.ListAsync(ct));

    private static async Task<Results<Ok<IReadOnlyList<WarehouseRow>>, ProblemHttpResult>> SetDefault(WarehouseChoice? body, WarehouseRule rule, CancellationToken ct) =>
        await rule.SetDefaultAsync(body?.Code?.Trim() is { Length: > 0 } code ? code : null, ct)
            ? TypedResults.Ok(await rule.ListAsync(ct))
            : Problems.NotFound($"没有编码为 {body?.Code} 的仓库", $"No warehouse with code {body?.Code}");

    private static async Task<Results<NoContent, ProblemHttpResult>> SetStoreWarehouse(long customerId, WarehouseChoice? body, WarehouseRule rule, CancellationToken ct) =>
        await rule.SetForStoreAsync(customerId, body?.Code?.Trim() is { Length: > 0 } code ? code : null, ct) switch
        {
            null => Problems.NotFound("门店不存在", "No such store"),
            false => Problems.NotFound($"没有编码为 {body?.Code} 的仓库", $"No warehouse with code {body?.Code}"),
            true => TypedResults.NoContent(),
        };
}
