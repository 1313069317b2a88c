using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Media;
using OrderHub.Application.Common;
using OrderHub.Application.Media;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Returns;
using OrderHub.Domain.People;

namespace OrderHub.Api.Returns;

/// <summary>
/// Returns and after-sales (退货 / 退款): a store (or its agent) asks to return lines of a shipped order with a reason and
/// photos, follows it, and may withdraw it while it waits for review; the back office reviews (clerk), receives the
/// goods with the quantities that came (warehouse) and credits / refunds (finance). Roles are checked by
/// <see cref="ReturnService"/>: a wrong role is a 403, an impossible move a 409.
/// </summary>
public static class ReturnsApi
{
    private const string ReturnNotFound = "退货单不存在或不属于调用者 / No such return, or not the caller's";
    private const string OrderNotFound = "订单不存在或不属于调用者 / No such order, or not the caller's";
    private const string MoveConflict = "退货单当前状态不能这样操作，或刚被他人处理 / The return's status does not allow this, or someone else just changed it";

    /// <summary>The service (needs the payments of <c>AddPayments</c> for refunds).</summary>
    public static IServiceCollection AddReturns(this IServiceCollection services)
    {
        services.AddSingleton<ReturnService>();
        return services;
    }

    public static IEndpointRouteBuilder MapReturnsApi(this IEndpointRouteBuilder app)
    {
        var limit = new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<MediaOptions>().MaxUploadBytes + 64 * 1024);

        var mine = app.MapGroup("/api").WithTags("Returns").RequireAuthorization(Policies.Customer);
        mine.MapPost("/returns/photos", UploadPhoto).WithMetadata(limit, ImageUpload.Part).WithIdempotencyKey(optional: true).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("UploadReturnPhoto").WithSummary("Upload one photo of goods to return (multipart, part 'file'; JPEG, PNG or WebP), then send its id in photoIds");
        mine.MapGet("/orders/{orderNo}/returnable", Returnable).ProducesNotFound(OrderNotFound).WithName("ReturnableLines").WithSummary("What may still be returned of each line of my order");
        mine.MapPost("/returns", Create).WithIdempotencyKey().ProducesNotFound(OrderNotFound).ProducesConflict("订单未发货，或退货数量超过可退数量 / The order is not shipped, or a quantity is more than may be returned")
            .WithName("CreateReturn").WithSummary("Ask to return lines of a shipped order (reason, photos); Idempotency-Key required");
        mine.MapGet("/returns", List).WithName("ListReturns").WithSummary("My returns, newest first (optional status)");
        mine.MapGet("/returns/{id:long}", Get).ProducesNotFound(ReturnNotFound).WithName("GetReturn").WithSummary("One of my returns with lines, photos, timeline and refunds");
        mine.MapPost("/returns/{id:long}/cancel", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Cancel, body?.Reason, null, false, h, d))
            .ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict).WithName("CancelReturn").WithSummary("Withdraw my return while it waits for review");

        var agent = app.MapGroup("/api/agent").WithTags("Returns (agent)").RequireAuthorization(Policies.Agent);
        agent.MapPost("/return-photos", UploadPhoto).WithMetadata(limit, ImageUpload.Part).WithIdempotencyKey(optional: true).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AgentUploadReturnPhoto").WithSummary("Upload one photo of goods a store returns (multipart, part 'file'), then send its id in photoIds");
        agent.MapGet("/orders/{orderNo}/returnable", Returnable).ProducesNotFound(OrderNotFound).WithName("AgentReturnableLines").WithSummary("What may still be returned of an order of one of my stores");
        agent.MapPost("/returns", Create).WithIdempotencyKey().ProducesNotFound(OrderNotFound).ProducesConflict("订单未发货，或退货数量超过可退数量 / The order is not shipped, or a quantity is more than may be returned")
            .WithName("AgentCreateReturn").WithSummary("Ask, for one of my stores, to return lines of a shipped order; Idempotency-Key required");
        agent.MapGet("/returns", List).WithName("AgentListReturns").WithSummary("Returns of my stores, newest first (optional status)");
        agent.MapGet("/returns/{id:long}", Get).ProducesNotFound(ReturnNotFound).WithName("AgentGetReturn").WithSummary("One return of my stores");
        agent.MapPost("/returns/{id:long}/cancel", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Cancel, body?.Reason, null, false, h, d))
            .ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict).WithName("AgentCancelReturn").WithSummary("Withdraw a return of my store while it waits for review");

        var admin = app.MapGroup("/api/admin/returns").WithTags("Back office: returns").RequireAuthorization(Policies.Staff);
        admin.MapGet("", List).WithName("AdminListReturns").WithSummary("Returns queue: optional status and orderId, newest first");
        admin.MapGet("/counts", Counts).WithName("AdminReturnCounts").WithSummary("How many returns are in each status");
        admin.MapGet("/{id:long}", Get).ProducesNotFound(ReturnNotFound).WithName("AdminGetReturn").WithSummary("One return with lines, photos, timeline and refunds");
        admin.MapPost("/{id:long}/approve", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Approve, body?.Reason, null, false, h, d))
            .ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict).WithName("AdminApproveReturn").WithSummary("业务审核: approve (clerk or admin) → 待收货");
        admin.MapPost("/{id:long}/reject", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Reject, body?.Reason, null, false, h, d))
            .ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict).WithName("AdminRejectReturn").WithSummary("业务审核: reject with a reason (clerk or admin)");
        admin.MapPost("/{id:long}/receive", (long id, ReceiveReturnRequest? body, HttpContext h, [AsParameters] Deps d) =>
                Act(id, ReturnAction.Receive, body?.Note, body?.Lines?.Select(l => new ReceivedLineInput(l.ReturnLineId, l.ReceivedQuantity)).ToList() ?? [], true, h, d))
            .WithIdempotencyKey().ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict)
            .WithName("AdminReceiveReturn").WithSummary("仓库收货: the quantities actually received go back on hand (warehouse or admin); Idempotency-Key required");
        admin.MapPost("/{id:long}/refund", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Refund, body?.Reason, null, true, h, d))
            .WithIdempotencyKey().ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict + "；或可退金额不足 / or the payment has less left to refund")
            .WithName("AdminRefundReturn").WithSummary("财务退款/冲账: credit the ledger for the received goods and refund what was paid online (finance or admin); Idempotency-Key required");
        admin.MapPost("/{id:long}/cancel", (long id, ReturnNoteRequest? body, HttpContext h, [AsParameters] Deps d) => Act(id, ReturnAction.Cancel, body?.Reason, null, false, h, d))
            .ProducesNotFound(ReturnNotFound).ProducesConflict(MoveConflict).WithName("AdminCancelReturn").WithSummary("Cancel a return before its goods are received (clerk or admin)");
        return app;
    }

    public sealed class Deps(ReturnService returns, ImageStore images, IMapper mapper)
    {
        public ReturnService Returns { get; } = returns;
        public ImageStore Images { get; } = images;
        public IMapper Mapper { get; } = mapper;
    }

    private static async Task<ReturnDto> ToDtoAsync(ReturnView v, Deps d)
    {
        var dto = d.Mapper.Map<ReturnDto>(v);
        var photos = new List<MediaDto>();
        foreach (var id in v.PhotoIds)
            if (await d.Images.GetAsync(id) is { } img) photos.Add(d.Mapper.Map<MediaDto>(img, d.Images));
        return dto with { Photos = photos };
    }

    private static async Task<Results<Created<MediaDto>, ValidationProblem, ProblemHttpResult>> UploadPhoto(HttpContext http, ImageStore store, IMapper mapper, CancellationToken ct)
    {
        string? key = null;
        if (http.Request.Headers.ContainsKey(IdempotencyHeader.Name))
        {
            var (k, problem) = IdempotencyHeader.Read(http.Request);
            if (problem is not null) return problem;
            key = k;
        }
        var (file, notForm) = await ImageUpload.ReadAsync(http.Request, ct);
        if (notForm is not null) return notForm;
        if (file is null) return Problems.Validation(new() { ["file"] = ["请选择照片 (multipart 字段 file) / Send the photo as the multipart part 'file'"] });
        var caller = Caller.From(http.User);
        var owner = caller.Role == Role.Agent ? MediaOwner.Agent(caller.Actor.Id!.Value) : MediaOwner.StoreUser(caller.Actor.Id!.Value);
        try
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, MediaPurpose.ReturnPhoto, owner, key, ct);
            if (saved.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created(store.Url(saved.Image), mapper.Map<MediaDto>(saved.Image, store));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<ReturnableDto>, ProblemHttpResult>> Returnable(string orderNo, ClaimsPrincipal user, [AsParameters] Deps d, CancellationToken ct)
    {
        var lines = await d.Returns.ReturnableAsync(Caller.From(user).Scope, orderNo, ct);
        return lines is null ? Problems.NotFound("订单不存在", "Order not found") : TypedResults.Ok(new ReturnableDto(orderNo, d.Mapper.Map<List<ReturnableLineDto>>(lines)));
    }

    private static async Task<Results<Created<ReturnDto>, Ok<ReturnDto>, ValidationProblem, ProblemHttpResult>> Create(CreateReturnRequest? body, HttpContext http, [AsParameters] Deps d)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var input = new ReturnInput(body?.OrderNo, body?.Lines?.Select(l => new ReturnLineInput(l.OrderLineId, l.Quantity)).ToList(), body?.Reason, body?.PhotoIds);
        var errors = ReturnService.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        var caller = Caller.From(http.User);
        try
        {
            var result = await d.Returns.CreateAsync(caller.Scope, caller.Actor, input, key!, http.RequestAborted);
            var dto = await ToDtoAsync(result.Return, d);
            if (result.Replayed) { http.Response.Headers["Idempotent-Replayed"] = "true"; return TypedResults.Ok(dto); }
            var prefix = caller.Role == Role.Agent ? "/api/agent/returns/" : "/api/returns/";
            return TypedResults.Created(prefix + dto.Id, dto);
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<ReturnListDto>, ProblemHttpResult>> List(string? status, long? orderId, int? limit, ClaimsPrincipal user, [AsParameters] Deps d, CancellationToken ct)
    {
        if (status is not null && !ReturnStatus.IsKnown(status))
            return Problems.BadRequest($"状态无效，可选 {string.Join('|', ReturnStatus.All)}", $"status must be one of {string.Join('|', ReturnStatus.All)}");
        var list = await d.Returns.ListAsync(Caller.From(user).Scope, status, orderId, Math.Clamp(limit ?? 50, 1, 200), ct);
        var items = new List<ReturnDto>();
        foreach (var v in list) items.Add(await ToDtoAsync(v, d));
        return TypedResults.Ok(new ReturnListDto(items));
    }

    private static async Task<Results<Ok<ReturnDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, [AsParameters] Deps d, CancellationToken ct) =>
        await d.Returns.GetAsync(Caller.From(user).Scope, id, ct) is { } v ? TypedResults.Ok(await ToDtoAsync(v, d)) : Problems.NotFound("退货单不存在", "Return not found");

    private static async Task<Ok<List<ReturnCountDto>>> Counts(ReturnService returns, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<List<ReturnCountDto>>(await returns.CountsAsync(ct)));

    private static async Task<Results<Ok<ReturnDto>, ProblemHttpResult>> Act(long id, ReturnAction action, string? reason, IReadOnlyList<ReceivedLineInput>? received,
        bool keyed, HttpContext http, Deps d)
    {
        string? key = null;
        if (keyed)
        {
            var (k, problem) = IdempotencyHeader.Read(http.Request);
            if (problem is not null) return problem;
            key = k;
        }
        var caller = Caller.From(http.User);
        try
        {
            var result = await d.Returns.ActAsync(new ReturnActionRequest(id, action, caller.Actor, caller.Role, caller.Scope, reason, received, key), http.RequestAborted);
            if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(await ToDtoAsync(result.Return, d));
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }
}
