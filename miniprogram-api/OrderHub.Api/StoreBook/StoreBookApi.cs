using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Ordering;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Domain.People;

namespace OrderHub.Api.StoreBook;

/// <summary>
/// A store's own book: its invoice titles (发票抬头) and delivery addresses (收货地址), kept by the store in the mini-program
/// (我的 → 发票抬头 / 收货地址) or by its agent for it. Which store: <see cref="StoreAccess"/> — a store only its own, an agent
/// only its assigned stores (any other is a 404), staff none (the back office reads the copy on each order).
/// Reading the addresses stays where it was (<c>GET /api/addresses</c>, <see cref="OrdersApi"/>).
/// </summary>
public static class StoreBookApi
{
    public sealed record InvoiceTitleRequest(
        [property: Description("normal 普票 / special 专票 / normal or special (VAT) invoice")] string? Kind,
        [property: Description("抬头 (单位名称) / Invoice title (company name)")] string? Title,
        [property: Description("税号 (专票必填) / Tax number (required for special)")] string? TaxNo,
        [property: Description("开户行 (专票必填) / Bank (required for special)")] string? BankName,
        [property: Description("银行账号 (专票必填) / Bank account (required for special)")] string? BankAccount,
        [property: Description("注册地址 (专票必填) / Registered address (required for special)")] string? Address,
        [property: Description("注册电话 (专票必填) / Registered phone (required for special)")] string? Phone,
        [property: Description("设为默认 / Make it the default")] bool IsDefault);
    public sealed record InvoiceTitleDto(
        [property: Description("抬头 id / Invoice title id")] long Id,
        [property: Description("normal 普票 / special 专票 / normal or special (VAT) invoice")] string Kind,
        [property: Description("普票 或 专票 / The kind as text")] string KindText,
        [property: Description("抬头 (单位名称) / Invoice title (company name)")] string Title,
        [property: Description("税号 / Tax number")] string? TaxNo,
        [property: Description("开户行 / Bank")] string? BankName,
        [property: Description("银行账号 / Bank account")] string? BankAccount,
        [property: Description("注册地址 / Registered address")] string? Address,
        [property: Description("注册电话 / Registered phone")] string? Phone,
        [property: Description("默认抬头 / The default title")] bool IsDefault);
    public sealed record AddressRequest(
        [property: Description("标签，如 门店、仓库 / Label, e.g. store or warehouse")] string? Label,
        [property: Description("收货人 / Contact name")] string? ContactName,
        [property: Description("收货电话 / Contact phone")] string? Phone,
        [property: Description("收货地址 / Address")] string? Address,
        [property: Description("设为默认 / Make it the default")] bool IsDefault);

    public static IEndpointRouteBuilder MapStoreBookApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api").WithTags("Store book: invoice titles and addresses").RequireAuthorization(Policies.Customer);
        var agent = app.MapGroup("/api/agent/customers/{customerId:long}").WithTags("Store book: invoice titles and addresses").RequireAuthorization(Policies.Agent).ProducesStoreNotFound();
        foreach (var (g, who) in new[] { (mine, ""), (agent, "Agent") })
        {
            var of = who == "" ? "this store's" : "an assigned store's";
            g.MapGet("/invoice-titles", ListTitles).WithName($"{who}ListInvoiceTitles").WithSummary($"发票抬头: {of} invoice titles, the default first");
            g.MapPost("/invoice-titles", CreateTitle).WithIdempotencyKey().ProducesConflict("发票抬头已达上限，或同一请求正在处理 / At most so many invoice titles per store, or the same request is being handled").WithName($"{who}CreateInvoiceTitle").WithSummary($"Add an invoice title to {of} book (普票 normal / 专票 special; Idempotency-Key required)");
            g.MapGet("/invoice-titles/{id:long}", GetTitle).ProducesNotFound("发票抬头不存在 / No such invoice title").WithName($"{who}GetInvoiceTitle").WithSummary($"One of {of} invoice titles");
            g.MapPut("/invoice-titles/{id:long}", UpdateTitle).ProducesNotFound("发票抬头不存在 / No such invoice title").WithName($"{who}UpdateInvoiceTitle").WithSummary($"Change one of {of} invoice titles (orders keep the copy they were placed with)");
            g.MapDelete("/invoice-titles/{id:long}", RemoveTitle).ProducesNotFound("发票抬头不存在 / No such invoice title").WithName($"{who}RemoveInvoiceTitle").WithSummary($"Remove one of {of} invoice titles (orders keep their copy)");
            g.MapPost("/addresses", CreateAddress).WithIdempotencyKey().ProducesConflict("收货地址已达上限，或同一请求正在处理 / At most so many addresses per store, or the same request is being handled").WithName($"{who}CreateAddress").WithSummary($"Add a delivery address to {of} book (Idempotency-Key required)");
            g.MapPut("/addresses/{id:long}", UpdateAddress).ProducesNotFound("收货地址不存在 / No such delivery address").WithName($"{who}UpdateAddress").WithSummary($"Change one of {of} delivery addresses, or make it the default (orders keep their copy)");
            g.MapDelete("/addresses/{id:long}", RemoveAddress).ProducesNotFound("收货地址不存在 / No such delivery address").WithName($"{who}RemoveAddress").WithSummary($"Remove one of {of} delivery addresses (orders keep their copy)");
        }
        return app;
    }

    public sealed class Deps(InvoiceTitles titles, DeliveryAddresses addresses, CustomerContextQuery customers, IMapper mapper)
    {
        public IMapper Mapper { get; } = mapper;
        public InvoiceTitles Titles { get; } = titles;
        public DeliveryAddresses Addresses { get; } = addresses;
        public CustomerContextQuery Customers { get; } = customers;
    }

    /// <summary>The store the caller keeps the book of: its own, or the route's customerId for an agent.</summary>
    private static async Task<(long CustomerId, ProblemHttpResult? Problem)> StoreAsync(HttpContext http, Deps d)
    {
        var user = http.User;
        long? routeCustomer = long.TryParse(http.GetRouteValue("customerId")?.ToString(), out var id) ? id : null;
        var (customer, problem) = await StoreAccess.ResolveAsync(user, Roles.Parse(user.Role()) == Role.Agent ? routeCustomer : null, d.Customers, staffAllowed: false);
        return (customer?.CustomerId ?? 0, problem);
    }

    private static string KeyScope(HttpContext http, string what)
    {
        var caller = Caller.From(http.User);
        return $"{what}:{caller.Actor.Kind}:{caller.Actor.Id}";
    }

    private static InvoiceTitleInput Input(InvoiceTitleRequest b) => new(b.Kind?.Trim(), b.Title, b.TaxNo, b.BankName, b.BankAccount, b.Address, b.Phone, b.IsDefault);

    private static ProblemHttpResult NoSuchTitle() => Problems.NotFound("发票抬头不存在", "No such invoice title");
    private static ProblemHttpResult NoSuchAddress() => Problems.NotFound("收货地址不存在", "No such delivery address");

    // ---- invoice titles ------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<IReadOnlyList<InvoiceTitleDto>>, ProblemHttpResult>> ListTitles(HttpContext http, [AsParameters] Deps d)
    {
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        return TypedResults.Ok(d.Mapper.Map<IReadOnlyList<InvoiceTitleDto>>(await d.Titles.ListAsync(customerId)));
    }

    private static async Task<Results<Ok<InvoiceTitleDto>, ProblemHttpResult>> GetTitle(long id, HttpContext http, [AsParameters] Deps d)
    {
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        return await d.Titles.GetAsync(customerId, id) is { } t ? TypedResults.Ok(d.Mapper.Map<InvoiceTitleDto>(t)) : NoSuchTitle();
    }

    private static async Task<Results<Created<InvoiceTitleDto>, ValidationProblem, ProblemHttpResult>> CreateTitle(InvoiceTitleRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        if (await PreReview.StoreOwnerCheck.DenyClerkAsync(http) is { } clerk) return clerk; // only the owner manages invoice titles
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交发票抬头 / Send the invoice title as JSON"] });
        var input = Input(body);
        var errors = InvoiceTitles.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var id = await d.Titles.CreateAsync(customerId, input, KeyScope(http, "invoice-title"), key!);
            var t = await d.Titles.GetAsync(customerId, id);
            return t is null ? NoSuchTitle() : TypedResults.Created($"{http.Request.Path}/{id}", d.Mapper.Map<InvoiceTitleDto>(t));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<InvoiceTitleDto>, ValidationProblem, ProblemHttpResult>> UpdateTitle(long id, InvoiceTitleRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        if (await PreReview.StoreOwnerCheck.DenyClerkAsync(http) is { } clerk) return clerk; // only the owner manages invoice titles
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        if (await d.Titles.GetAsync(customerId, id) is null) return NoSuchTitle();
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交发票抬头 / Send the invoice title as JSON"] });
        var input = Input(body);
        var errors = InvoiceTitles.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!await d.Titles.UpdateAsync(customerId, id, input)) return NoSuchTitle();
        return await d.Titles.GetAsync(customerId, id) is { } t ? TypedResults.Ok(d.Mapper.Map<InvoiceTitleDto>(t)) : NoSuchTitle();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveTitle(long id, HttpContext http, [AsParameters] Deps d)
    {
        if (await PreReview.StoreOwnerCheck.DenyClerkAsync(http) is { } clerk) return clerk; // only the owner manages invoice titles
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        return await d.Titles.RemoveAsync(customerId, id) ? TypedResults.NoContent() : NoSuchTitle();
    }

    // ---- delivery addresses --------------------------------------------------------------------------------------------

    private static DeliveryAddressInput Input(AddressRequest b) => new(b.Label, b.ContactName, b.Phone, b.Address, b.IsDefault);

    private static async Task<Results<Created<AddressDto>, ValidationProblem, ProblemHttpResult>> CreateAddress(AddressRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交收货地址 / Send the address as JSON"] });
        var input = Input(body);
        var errors = DeliveryAddresses.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var id = await d.Addresses.CreateAsync(customerId, input, KeyScope(http, "address"), key!);
            var a = await d.Addresses.GetAsync(customerId, id);
            return a is null ? NoSuchAddress() : TypedResults.Created($"{http.Request.Path}/{id}", d.Mapper.Map<AddressDto>(a));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<AddressDto>, ValidationProblem, ProblemHttpResult>> UpdateAddress(long id, AddressRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        if (await d.Addresses.GetAsync(customerId, id) is null) return NoSuchAddress();
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交收货地址 / Send the address as JSON"] });
        var input = Input(body);
        var errors = DeliveryAddresses.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!await d.Addresses.UpdateAsync(customerId, id, input)) return NoSuchAddress();
        return await d.Addresses.GetAsync(customerId, id) is { } a ? TypedResults.Ok(d.Mapper.Map<AddressDto>(a)) : NoSuchAddress();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAddress(long id, HttpContext http, [AsParameters] Deps d)
    {
        var (customerId, problem) = await StoreAsync(http, d);
        if (problem is not null) return problem;
        return await d.Addresses.RemoveAsync(customerId, id) ? TypedResults.NoContent() : NoSuchAddress();
    }
}
