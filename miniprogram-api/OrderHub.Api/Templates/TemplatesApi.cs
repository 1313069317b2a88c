using System.ComponentModel;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Ordering;
using OrderHub.Application.Customers;
using OrderHub.Application.Ordering;
using OrderHub.Application.Templates;
using OrderHub.Domain;

namespace OrderHub.Api.Templates;

/// <summary>
/// Order templates (常用单) and recurring orders (定期订货) of a store: save the cart as a template, apply one to the cart at
/// today's prices (as 再来一单), order straight from one, schedule one to come back as a draft or an order. A head office
/// names the branch with <c>?branchId=</c>, as on the cart. An agent keeps the templates of its assigned stores under
/// <c>/api/agent/customers/{customerId}/templates</c> (the same templates the store sees; any other store is a 404) and
/// places a proxy order from one, which the store sees and is told of. Saving, scheduling and ordering take an
/// Idempotency-Key: a retry answers the first result, the same key with another request is a 422.
/// </summary>
public static class TemplatesApi
{
    private const string NoTemplate = "常用单不存在 / No such order template";
    private const string Busy = "同一请求正在处理，请稍后重试 / The same request is being handled; retry in a moment";

    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/templates").WithTags("Order templates").RequireAuthorization(Policies.Customer).WithBranchTarget();
        var agent = app.MapGroup("/api/agent/customers/{customerId:long}/templates").WithTags("Order templates").RequireAuthorization(Policies.Agent).ProducesStoreNotFound();
        foreach (var (r, who) in new[] { (g, ""), (agent, "Agent") })
        {
            var of = who == "" ? "This store's" : "An assigned store's";
            r.MapGet("", List).WithName($"{who}ListOrderTemplates").WithSummary($"{of} order templates with their lines and schedules");
            r.MapPost("", SaveCart).WithIdempotencyKey().ProducesConflict(Busy).WithName($"{who}SaveCartAsTemplate")
                .WithSummary(who == "" ? "Save the cart as a named template (the same name replaces that template's lines; Idempotency-Key required)"
                    : "Save the agent's cart for the store as the store's template (the same name replaces that template's lines; Idempotency-Key required)");
            r.MapDelete("/{id:long}", Delete).WithName($"{who}DeleteOrderTemplate").ProducesNotFound(NoTemplate).WithSummary("Delete a template and its schedules");
            r.MapPost("/{id:long}/apply", Apply).WithName($"{who}ApplyOrderTemplate").ProducesNotFound(NoTemplate)
                .WithSummary("Put the template's lines into the cart at today's prices; reports dropped items and price changes");
            r.MapPost("/{id:long}/orders", Order).WithIdempotencyKey().WithName($"{who}OrderFromTemplate").ProducesNotFound(NoTemplate).ProducesConflict("库存不足 / Not enough stock")
                .WithSummary(who == "" ? "Place an order from the template at today's prices, leaving the cart alone (Idempotency-Key required)"
                    : "代订货 from a template: a proxy order for the store at its prices today; the store sees it and is notified (Idempotency-Key required)");
        }
        // Schedules belong to a store user (the draft goes into that user's cart): the store's own routes only.
        g.MapPost("/{id:long}/schedules", AddSchedule).WithIdempotencyKey().WithName("AddTemplateSchedule").ProducesNotFound(NoTemplate).ProducesConflict(Busy)
            .WithSummary("定期订货: on weekdays or every N days (Asia/Shanghai), as a draft to confirm or submitted automatically (Idempotency-Key required)");
        g.MapDelete("/{id:long}/schedules/{scheduleId:long}", RemoveSchedule).WithName("RemoveTemplateSchedule").ProducesNotFound("定期订货不存在 / No such schedule").WithSummary("Stop a recurring order");
        return app;
    }

    /// <summary>A caller's idempotency keys are its own: the scope names the write and who makes it.</summary>
    private static IdempotentWrite KeyOf(StoreTarget t, string what, string key) => new($"{what}:{t.Caller.Actor.Kind}:{t.Caller.Actor.Id}", key);

    private static async Task<Ok<IReadOnlyList<OrderTemplateDto>>> List(HttpContext http, OrderTemplates templates, CustomerContextQuery customers, IMapper mapper)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        return TypedResults.Ok(mapper.Map<IReadOnlyList<OrderTemplateDto>>(await templates.ListAsync(t.Customer)));
    }

    private static async Task<Results<Created<OrderTemplateDto>, Ok<OrderTemplateDto>, ProblemHttpResult>> SaveCart(SaveTemplateRequest body, HttpContext http,
        OrderTemplates templates, CustomerContextQuery customers, IMapper mapper)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var t = await StoreTarget.ResolveAsync(http, customers);
        var saved = await templates.SaveCartAsync(t.Owner, t.Customer, t.Caller.Actor, body.Name, KeyOf(t, "template-save", key!));
        var dto = mapper.Map<OrderTemplateDto>(saved.Value);
        return saved.Replayed ? Replay(http, dto) : TypedResults.Created($"/api/templates/{saved.Value.Id}", dto);
    }

    /// <summary>A retry's answer: the first result again, 200 with <c>Idempotent-Replayed: true</c> (as order submit answers).</summary>
    private static Ok<T> Replay<T>(HttpContext http, T dto)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(dto);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, HttpContext http, OrderTemplates templates, CustomerContextQuery customers)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        return await templates.DeleteAsync(t.Customer, id) ? TypedResults.NoContent() : Problems.NotFound("常用单不存在", "No such order template");
    }

    private static async Task<Results<Ok<ReorderResultDto>, ProblemHttpResult>> Apply(long id, HttpContext http, OrderTemplates templates, CustomerContextQuery customers, IMapper mapper)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        return await templates.ApplyAsync(t.Owner, t.Customer, id) is { } r ? TypedResults.Ok(mapper.Map<ReorderResultDto>(r)) : Problems.NotFound("常用单不存在", "No such order template");
    }
    private static async Task<Results<Created<OrderDetailDto>, Ok<OrderDetailDto>, ProblemHttpResult>> Order(long id, TemplateOrderRequest body, HttpContext http,
        OrderTemplates templates, OrderQueries queries, CustomerContextQuery customers, IMapper mapper)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var t = await StoreTarget.ResolveAsync(http, customers);
        if (await templates.OrderAsync(t.Owner, t.Customer, t.Caller.Actor, t.ProxyAgentId, id, body.AddressId, body.Note, body.InvoiceTitleId, key!) is not { } placed)
            return Problems.NotFound("常用单不存在", "No such order template");
        var dto = mapper.Map<OrderDetailDto>(await queries.GetAsync(t.Caller.Scope, placed.Order.OrderId, null));
        return placed.Order.Replayed ? Replay(http, dto) : TypedResults.Created($"/api/orders/{placed.Order.OrderNo}", dto);
    }

    private static async Task<Results<Created<TemplateScheduleDto>, Ok<TemplateScheduleDto>, ProblemHttpResult>> AddSchedule(long id, AddScheduleRequest body, HttpContext http,
        RecurringOrders recurring, OrderTemplates templates, CustomerContextQuery customers, IMapper mapper)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var t = await StoreTarget.ResolveAsync(http, customers);
        // Another store's template is a 404 whatever the body says (the authorization sweep checks it).
        if (await templates.GetAsync(t.Customer, id) is null) return Problems.NotFound("常用单不存在", "No such order template");
        DateOnly? start = null;
        if (body.StartDay is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", out var d)) return Problems.BadRequest("开始日期格式应为 yyyy-MM-dd", "startDay must be yyyy-MM-dd");
            start = d;
        }
        var weekdays = body.Weekdays is { Count: > 0 } days ? ToMask(days) : null;
        if (body.Weekdays is { Count: > 0 } && weekdays is null) return Problems.BadRequest("每周几应为 1（周一）到 7（周日）", "weekdays are 1 (Monday) to 7 (Sunday)");
        var s = await recurring.AddAsync(t.Customer, t.Caller.Actor.Id ?? 0, id, new NewSchedule(weekdays, body.EveryDays, start, body.Mode ?? RecurringMode.Draft, body.AddressId),
            KeyOf(t, "template-schedule", key!));
        if (s is null) return Problems.NotFound("常用单不存在", "No such order template");
        var dto = mapper.Map<TemplateScheduleDto>(s.Value);
        return s.Replayed ? Replay(http, dto) : TypedResults.Created($"/api/templates/{id}/schedules/{s.Value.Id}", dto);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveSchedule(long id, long scheduleId, HttpContext http, RecurringOrders recurring, CustomerContextQuery customers)
    {
        var t = await StoreTarget.ResolveAsync(http, customers);
        return await recurring.RemoveAsync(t.Customer, id, scheduleId) ? TypedResults.NoContent() : Problems.NotFound("定期订货不存在", "No such schedule");
    }

    /// <summary>1 = Monday … 7 = Sunday → the schedule's mask (bit 0 = Monday); null when a day is out of range.</summary>
    private static int? ToMask(IReadOnlyList<int> days) =>
        days.All(d => d is >= 1 and <= 7) ? days.Aggregate(0, (m, d) => m | 1 << (d - 1)) : null;

    internal static IReadOnlyList<int> FromMask(int? mask) =>
        mask is { } m ? Enumerable.Range(1, 7).Where(d => (m & 1 << (d - 1)) != 0).ToList() : [];
}

public sealed record SaveTemplateRequest(
    [property: Description("常用单名称 (1–40 字)；同名则覆盖 / Template name (1–40 characters); the same name replaces it")] string Name);

public sealed record TemplateOrderRequest(
    [property: Description("收货地址 id (见 /api/addresses) / Delivery address id (see /api/addresses)")] long AddressId,
    [property: Description("订单备注 (最多 500 字)，默认 常用单：名称 / Order note (at most 500 characters); default 常用单：<name>")] string? Note,
    [property: Description("发票抬头 id (可选) / Optional invoice title id")] long? InvoiceTitleId = null);

public sealed record AddScheduleRequest(
    [property: Description("每周几：1=周一 … 7=周日 (与 everyDays 二选一) / Weekdays, 1 = Monday … 7 = Sunday (or everyDays)")] IReadOnlyList<int>? Weekdays,
    [property: Description("每隔几天 (与 weekdays 二选一) / Every N days (or weekdays)")] int? EveryDays,
    [property: Description("开始日期 yyyy-MM-dd，默认今天 / First day, yyyy-MM-dd; default today")] string? StartDay,
    [property: Description("draft：放入购物车待确认；submit：自动提交 / draft: into the cart to confirm; submit: placed automatically")] string? Mode,
    [property: Description("收货地址 id，默认门店默认地址 / Delivery address id; default the store's default address")] long? AddressId);

public sealed record TemplateLineDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("数量 / Quantity")] long Quantity,
    [property: Description("保存时的单价 (分) / Unit price when saved, in fen")] long UnitPriceFen);

public sealed record TemplateScheduleDto(
    [property: Description("定期订货 id / Schedule id")] long Id,
    [property: Description("每周几，1=周一 … 7=周日 / Weekdays, 1 = Monday … 7 = Sunday")] IReadOnlyList<int> Weekdays,
    [property: Description("每隔几天 / Every N days")] int? EveryDays,
    [property: Description("开始日期 / First day")] string StartDay,
    [property: Description("draft 或 submit / draft or submit")] string Mode,
    [property: Description("收货地址 id / Delivery address id")] long? AddressId,
    [property: Description("是否在执行 / Running")] bool Active,
    [property: Description("中文说明，如 每周一、周四 / Described in Chinese, e.g. 每周一、周四")] string Text);

public sealed record OrderTemplateDto(
    [property: Description("常用单 id / Template id")] long Id,
    [property: Description("名称 / Name")] string Name,
    [property: Description("商品行 / Lines")] IReadOnlyList<TemplateLineDto> Lines,
    [property: Description("保存时的合计 (分) / Total when saved, in fen")] long TotalFen,
    [property: Description("保存时的合计文字 / Total when saved, as text")] string TotalText,
    [property: Description("定期订货 / Recurring orders")] IReadOnlyList<TemplateScheduleDto> Schedules);

/// <summary>Order templates → API contract (AutoMapper at the API boundary only).</summary>
public sealed class TemplatesMappingProfile : Profile
{
    public TemplatesMappingProfile()
    {
        CreateMap<TemplateLine, TemplateLineDto>();
        CreateMap<TemplateSchedule, TemplateScheduleDto>()
            .ForCtorParam(nameof(TemplateScheduleDto.Weekdays), o => o.MapFrom(s => TemplatesApi.FromMask(s.Weekdays)))
            .ForCtorParam(nameof(TemplateScheduleDto.Text), o => o.MapFrom(s => Recurrence.Describe(s.Weekdays, s.EveryDays)));
        CreateMap<OrderTemplate, OrderTemplateDto>()
            .ForCtorParam(nameof(OrderTemplateDto.TotalText), o => o.MapFrom(s => Money.Format(s.TotalFen)));
    }
}
