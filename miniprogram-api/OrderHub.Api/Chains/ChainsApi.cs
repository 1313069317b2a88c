using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Statements;
using OrderHub.Application.Chains;
using OrderHub.Application.Customers;
using OrderHub.Application.Statements;
using OrderHub.Domain;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Chains;

/// <summary>
/// Chains (连锁): a head office's branches and its consolidated statement (合并对账单), and the back office's setting of
/// who is whose branch. A head office orders for a branch with <c>?branchId=</c> on the cart and order endpoints (the store
/// access resolver lets a head office act for its branches) and sees the branches' orders in its order list.
/// </summary>
public static class ChainsApi
{
    public static IEndpointRouteBuilder MapChainsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/chain").WithTags("Chains").RequireAuthorization(Policies.Customer);
        mine.MapGet("/branches", Branches).WithName("ChainBranches").ProducesNotFound("门店不存在 / No such store").WithSummary("My branches (a head office's branch picker); empty for a store that is not a head office");
        mine.MapGet("/statement", Statement).WithName("ChainStatement").ProducesNotFound("门店不存在 / No such store").WithSummary("合并对账单: one statement for the head office and all its branches, a subtotal per store (from/to: Shanghai dates, inclusive)");
        mine.MapGet("/statement/download", StatementDownload).WithName("ChainStatementDownload").ProducesNotFound("门店不存在 / No such store").WithSummary("The consolidated statement as a file (format=csv|xlsx)");

        var admin = app.MapGroup("/api/admin/customers").WithTags("Chains (back office)").RequireAuthorization(Policies.Admin);
        admin.MapPut("/{id:long}/head-office", SetHeadOffice).WithName("AdminSetHeadOffice").ProducesNotFound("客户不存在 / No such customer")
            .WithSummary("Make a customer a branch of a head office (headOfficeId), or a store of its own (null) — for ERPs that do not hold the relation");
        admin.MapGet("/{id:long}/branches", AdminBranches).WithName("AdminChainBranches").WithSummary("A head office's branches");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ChainBranchDto>>, ProblemHttpResult>> Branches(ClaimsPrincipal user, ChainAdmin chains, CustomerContextQuery customers, IMapper mapper)
    {
        var (own, problem) = await StoreAccess.ResolveAsync(user, null, customers);
        if (own is null) return problem!;
        return TypedResults.Ok(mapper.Map<IReadOnlyList<ChainBranchDto>>((await chains.BranchesAsync(own.CustomerId)).Where(b => b.Active).ToList()));
    }

    private static async Task<Results<Ok<ChainStatementDto>, ValidationProblem, ProblemHttpResult>> Statement(
        ClaimsPrincipal user, string? from, string? to, ChainStatements statements, CustomerContextQuery customers, TimeProvider clock, IMapper mapper)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, ShanghaiTime.Today(clock));
        if (period is null) return Problems.Validation(errors);
        var (own, problem) = await StoreAccess.ResolveAsync(user, null, customers);
        if (own is null) return problem!;
        var s = await statements.GetAsync(own.CustomerId, period);
        return s is null ? Problems.NotFound("门店不存在", "No such store") : TypedResults.Ok(mapper.Map<ChainStatementDto>(s));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> StatementDownload(
        ClaimsPrincipal user, string? from, string? to, string? format, ChainStatements statements, CustomerContextQuery customers, TimeProvider clock)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, ShanghaiTime.Today(clock));
        var fmt = string.IsNullOrWhiteSpace(format) ? "csv" : format.Trim().ToLowerInvariant();
        if (!StatementExport.Formats.Contains(fmt)) errors["format"] = ["文件格式应为 csv 或 xlsx / format must be csv or xlsx"];
        if (period is null || errors.Count > 0) return Problems.Validation(errors);
        var (own, problem) = await StoreAccess.ResolveAsync(user, null, customers);
        if (own is null) return problem!;
        var s = await statements.GetAsync(own.CustomerId, period);
        if (s is null) return Problems.NotFound("门店不存在", "No such store");
        return fmt == "xlsx"
            ? TypedResults.File(ChainStatementExport.ToXlsx(s), StatementExport.XlsxContentType, ChainStatementExport.FileName(s, fmt))
            : TypedResults.File(ChainStatementExport.ToCsv(s), StatementExport.CsvContentType, ChainStatementExport.FileName(s, fmt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetHeadOffice(long id, SetHeadOfficeRequest body, ChainAdmin chains) =>
        await chains.SetHeadOfficeAsync(id, body.HeadOfficeId) ? TypedResults.NoContent() : Problems.NotFound("客户不存在", "No such customer");

    private static async Task<Ok<IReadOnlyList<ChainBranchDto>>> AdminBranches(long id, ChainAdmin chains, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<ChainBranchDto>>(await chains.BranchesAsync(id)));
}

public sealed record SetHeadOfficeRequest(
    [property: Description("总部客户 id；null 表示独立门店 / The head office's customer id; null: a store of its own")] long? HeadOfficeId);

public sealed record ChainBranchDto(
    [property: Description("分店客户 id (下单时作为 branchId) / The branch's customer id (send as branchId)")] long Id,
    [property: Description("客户编码 / Customer code")] string Code,
    [property: Description("门店名称 / Store name")] string Name,
    [property: Description("是否启用 / Active")] bool Active);

public sealed record ChainStatementStoreDto(
    [property: Description("是否总部自己 / The head office itself")] bool IsHeadOffice,
    [property: Description("该门店的对账单，合计即小计 / The store's statement; its totals are the store's subtotal")] StatementDto Statement);

public sealed record ChainStatementDto(
    [property: Description("总部 / The head office")] StatementCustomerDto HeadOffice,
    [property: Description("开始日期 yyyy-MM-dd (含) / First day, yyyy-MM-dd (inclusive)")] string From,
    [property: Description("结束日期 yyyy-MM-dd (含) / Last day, yyyy-MM-dd (inclusive)")] string To,
    [property: Description("总部在前，分店按编码 / The head office first, then the branches by code")] IReadOnlyList<ChainStatementStoreDto> Stores,
    [property: Description("合计期初余额 (分) / The chain's opening balance, in fen")] long OpeningFen,
    [property: Description("合计借方 (分) / The chain's debits, in fen")] long DebitTotalFen,
    [property: Description("合计贷方 (分) / The chain's credits, in fen")] long CreditTotalFen,
    [property: Description("合计期末余额 (分) / The chain's closing balance, in fen")] long ClosingFen,
    [property: Description("合计期末余额文字 / The chain's closing balance as text")] string ClosingText);
