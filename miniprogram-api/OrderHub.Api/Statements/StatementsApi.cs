using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Statements;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Statements;

/// <summary>Statements (对账 / 往来账): one ledger per customer, payments and credits, period statements with CSV/XLSX download.</summary>
public static class StatementsApi
{
    public static IEndpointRouteBuilder MapStatementsApi(this IEndpointRouteBuilder app)
    {
        // A store's own account: the customer never names a customer, so it can only ever see its own.
        var mine = app.MapGroup("/api").WithTags("Statements").RequireAuthorization(Policies.Customer);
        mine.MapGet("/statement", MyStatement).WithName("MyStatement").ProducesNotFound("门店不存在 / No such store").WithSummary("My statement for a period (from/to: Shanghai dates, inclusive; default this month)");
        mine.MapGet("/statement/download", MyStatementDownload).WithName("MyStatementDownload").ProducesNotFound("门店不存在 / No such store").WithSummary("My statement as a file (format=csv|xlsx)");
        mine.MapGet("/balance", MyBalance).WithName("MyBalance").ProducesNotFound("门店不存在 / No such store").WithSummary("What I owe, my credit limit and the credit still available");

        // Back office: any staff may read; finance (or admin) may write.
        var admin = app.MapGroup("/api/admin/customers").WithTags("Statements (back office)").RequireAuthorization(Policies.Staff);
        admin.MapGet("", Customers).WithName("AdminCustomers").WithSummary("Customers with balance and credit limit (q, agentId, groupId; keyset paging by code)");
        admin.MapGet("/{id:long}", Customer).WithName("AdminCustomer").ProducesNotFound("客户不存在 / No such customer").WithSummary("A customer: users, agent, group, credit limit, balance, open order total");
        admin.MapGet("/{id:long}/statement", CustomerStatement).WithName("AdminCustomerStatement").ProducesNotFound("客户不存在 / No such customer").WithSummary("A customer's statement for a period");
        admin.MapGet("/{id:long}/statement/download", CustomerStatementDownload).WithName("AdminCustomerStatementDownload").ProducesNotFound("客户不存在 / No such customer").WithSummary("A customer's statement as a file (format=csv|xlsx)");
        admin.MapGet("/{id:long}/ledger", CustomerLedger).WithName("AdminCustomerLedger").ProducesNotFound("客户不存在 / No such customer").WithSummary("A customer's ledger entries, newest first (keyset paging)");
        admin.MapGet("/{id:long}/ledger/{entryId:long}", CustomerLedgerEntry).WithName("AdminCustomerLedgerEntry").ProducesNotFound("客户或账目不存在 / No such customer or ledger entry").WithSummary("One ledger entry");
        admin.MapPost("/{id:long}/payments", RecordPayment).RequireAuthorization(Policies.Finance).WithIdempotencyKey().WithName("AdminRecordPayment").ProducesNotFound("客户不存在 / No such customer").WithSummary("Record a payment (收款); Idempotency-Key required");
        admin.MapPost("/{id:long}/credits", RecordCredit).RequireAuthorization(Policies.Finance).WithIdempotencyKey().WithName("AdminRecordCredit").ProducesNotFound("客户不存在 / No such customer").WithSummary("Record a return, credit note or adjustment (lowers the balance); Idempotency-Key required");

        // Agents: statements of their own stores only; any other customer is a 404.
        var agent = app.MapGroup("/api/agent/customers").WithTags("Statements (agent)").RequireAuthorization(Policies.Agent);
        agent.MapGet("/{id:long}/statement", AgentStatement).WithName("AgentCustomerStatement").ProducesStoreNotFound().WithSummary("The statement of a store assigned to me");
        return app;
    }

    /// <summary>The services every statements handler uses, bound from DI as one bundle.</summary>
    public sealed class Deps(StatementService statements, LedgerService ledger, CustomerAccountsQuery accounts, CustomerContextQuery customers, TimeProvider clock, IMapper mapper)
    {
        public StatementService Statements { get; } = statements;
        public LedgerService Ledger { get; } = ledger;
        public CustomerAccountsQuery Accounts { get; } = accounts;
        public CustomerContextQuery Customers { get; } = customers;
        public TimeProvider Clock { get; } = clock;
        public IMapper Mapper { get; } = mapper;
        public DateOnly Today => ShanghaiTime.Today(Clock);
    }

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    // ---- the store's own account -------------------------------------------------------------------------------------

    private static async Task<Results<Ok<StatementDto>, ValidationProblem, ProblemHttpResult>> MyStatement(
        ClaimsPrincipal user, string? from, string? to, [AsParameters] Deps d)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        var (customerId, problem) = await OwnCustomerAsync(user, d);
        if (problem is not null) return problem;
        var s = await d.Statements.GetAsync(customerId, period);
        return s is null ? NoSuchCustomer() : TypedResults.Ok(d.Mapper.Map<StatementDto>(s));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> MyStatementDownload(
        ClaimsPrincipal user, string? from, string? to, string? format, [AsParameters] Deps d)
    {
        var (period, fmt, errors) = ParseDownload(from, to, format, d.Today);
        if (period is null) return Problems.Validation(errors);
        var (customerId, problem) = await OwnCustomerAsync(user, d);
        if (problem is not null) return problem;
        var s = await d.Statements.GetAsync(customerId, period);
        return s is null ? NoSuchCustomer() : File(s, fmt!);
    }

    private static async Task<Results<Ok<BalanceDto>, ProblemHttpResult>> MyBalance(ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (customerId, problem) = await OwnCustomerAsync(user, d);
        if (problem is not null) return problem;
        var b = await d.Accounts.BalanceAsync(customerId);
        return b is null ? NoSuchCustomer() : TypedResults.Ok(d.Mapper.Map<BalanceDto>(b));
    }

    /// <summary>The store of a signed-in customer user (from its token, never from the request), by <see cref="StoreAccess"/>.</summary>
    private static async Task<(long CustomerId, ProblemHttpResult? Problem)> OwnCustomerAsync(ClaimsPrincipal user, Deps d)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, null, d.Customers, staffAllowed: false);
        return customer is null ? (0, problem) : (customer.CustomerId, null);
    }

    // ---- back office -------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<CustomerListDto>, ValidationProblem>> Customers(
        string? q, long? agentId, long? groupId, string? after, int? limit, [AsParameters] Deps d)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is { } l && (l < 1 || l > MaxPageSize))
            errors["limit"] = [$"limit 必须在 1 到 {MaxPageSize} 之间 / limit must be between 1 and {MaxPageSize}"];
        if (q is { Length: > 100 }) errors["q"] = ["搜索词不能超过 100 个字符 / q must be at most 100 characters"];
        if (after is { Length: > 64 }) errors["after"] = ["分页游标无效 / after is not a valid cursor"];
        if (agentId is <= 0) errors["agentId"] = ["agentId 必须为正数 / agentId must be positive"];
        if (groupId is <= 0) errors["groupId"] = ["groupId 必须为正数 / groupId must be positive"];
        if (errors.Count > 0) return Problems.Validation(errors);
        var page = await d.Accounts.ListAsync(new CustomerListFilter(q, agentId, groupId, after, limit ?? DefaultPageSize));
        return TypedResults.Ok(d.Mapper.Map<CustomerListDto>(page));
    }

    private static async Task<Results<Ok<CustomerDetailDto>, ProblemHttpResult>> Customer(long id, [AsParameters] Deps d) =>
        await d.Accounts.GetAsync(id) is { } c ? TypedResults.Ok(d.Mapper.Map<CustomerDetailDto>(c)) : NoSuchCustomer();

    private static async Task<Results<Ok<StatementDto>, ValidationProblem, ProblemHttpResult>> CustomerStatement(
        long id, string? from, string? to, [AsParameters] Deps d)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        var s = await d.Statements.GetAsync(id, period);
        return s is null ? NoSuchCustomer() : TypedResults.Ok(d.Mapper.Map<StatementDto>(s));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> CustomerStatementDownload(
        long id, string? from, string? to, string? format, [AsParameters] Deps d)
    {
        var (period, fmt, errors) = ParseDownload(from, to, format, d.Today);
        if (period is null) return Problems.Validation(errors);
        var s = await d.Statements.GetAsync(id, period);
        return s is null ? NoSuchCustomer() : File(s, fmt!);
    }

    private static async Task<Results<Ok<LedgerPageDto>, ValidationProblem, ProblemHttpResult>> CustomerLedger(
        long id, string? after, int? limit, [AsParameters] Deps d)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is { } l && (l < 1 || l > MaxPageSize))
            errors["limit"] = [$"limit 必须在 1 到 {MaxPageSize} 之间 / limit must be between 1 and {MaxPageSize}"];
        if (!string.IsNullOrEmpty(after) && !LedgerService.TryParseCursor(after, out _, out _))
            errors["after"] = ["分页游标无效 / after is not a valid cursor"];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await d.Accounts.BalanceAsync(id) is null) return NoSuchCustomer();
        var page = await d.Ledger.EntriesAsync(id, after, limit ?? DefaultPageSize);
        return TypedResults.Ok(d.Mapper.Map<LedgerPageDto>(page));
    }

    private static async Task<Results<Ok<LedgerEntryDto>, ProblemHttpResult>> CustomerLedgerEntry(long id, long entryId, [AsParameters] Deps d) =>
        await d.Ledger.GetAsync(id, entryId) is { } e
            ? TypedResults.Ok(d.Mapper.Map<LedgerEntryDto>(e))
            : Problems.NotFound($"账目 {entryId} 不存在", $"Ledger entry {entryId} not found");

    private static async Task<Results<Created<LedgerEntryDto>, ValidationProblem, ProblemHttpResult>> RecordPayment(
        long id, PaymentRequest? body, HttpContext http, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交收款信息 / Send the payment as JSON"] });
        var input = new PaymentInput(body.AmountFen, body.PaidOn, body.Method, body.Reference, body.Note);
        var errors = LedgerService.Validate(input, d.Today);
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var result = await d.Ledger.RecordPaymentAsync(id, input, Caller.From(user).Actor, key!);
            return result is null ? NoSuchCustomer() : Created(http, id, result, d.Mapper);
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Created<LedgerEntryDto>, ValidationProblem, ProblemHttpResult>> RecordCredit(
        long id, CreditRequest? body, HttpContext http, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交退货/贷项信息 / Send the credit as JSON"] });
        var input = new CreditInput(body.Kind, body.AmountFen, body.Reference, body.Note, body.OccurredOn);
        var errors = LedgerService.Validate(input, d.Today);
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var result = await d.Ledger.RecordCreditAsync(id, input, Caller.From(user).Actor, key!);
            return result is null ? NoSuchCustomer() : Created(http, id, result, d.Mapper);
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    /// <summary>201 with the entry; a replay answers the same, marked with <c>Idempotent-Replayed: true</c>.</summary>
    private static Created<LedgerEntryDto> Created(HttpContext http, long customerId, LedgerWriteResult result, IMapper mapper)
    {
        if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/admin/customers/{customerId}/ledger/{result.Entry.Id}", mapper.Map<LedgerEntryDto>(result.Entry));
    }

    // ---- agents ------------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<StatementDto>, ValidationProblem, ProblemHttpResult>> AgentStatement(
        long id, string? from, string? to, ClaimsPrincipal user, [AsParameters] Deps d)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, d.Today);
        if (period is null) return Problems.Validation(errors);
        if ((await StoreAccess.ResolveAsync(user, id, d.Customers)).Problem is not null) return NoSuchCustomer();
        var s = await d.Statements.GetAsync(id, period);
        return s is null ? NoSuchCustomer() : TypedResults.Ok(d.Mapper.Map<StatementDto>(s));
    }

    // ---- shared ------------------------------------------------------------------------------------------------------

    private static (StatementPeriod? Period, string? Format, Dictionary<string, string[]> Errors) ParseDownload(string? from, string? to, string? format, DateOnly today)
    {
        var (period, errors) = StatementPeriod.Parse(from, to, today);
        var fmt = string.IsNullOrWhiteSpace(format) ? "csv" : format.Trim().ToLowerInvariant();
        if (!StatementExport.Formats.Contains(fmt))
        {
            errors["format"] = ["文件格式应为 csv 或 xlsx / format must be csv or xlsx"];
            return (null, null, errors);
        }
        return (period, fmt, errors);
    }

    private static FileContentHttpResult File(Statement s, string format) => format == "xlsx"
        ? TypedResults.File(StatementExport.ToXlsx(s), StatementExport.XlsxContentType, StatementExport.FileName(s, "xlsx"))
        : TypedResults.File(StatementExport.ToCsv(s), StatementExport.CsvContentType, StatementExport.FileName(s, "csv"));

    private static ProblemHttpResult NoSuchCustomer() => Problems.NotFound("客户不存在", "No such customer");
}
