using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Customers;
using OrderHub.Application.Warehouse;
using OrderHub.Domain;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Warehouse;

/// <summary>
/// The warehouse's paper for chosen orders: the pick list (拣货单, summed by warehouse, bin and product, gifts counted) and
/// the delivery notes (发货单, one per order). The console's print page (<c>#/print/pick-list?ids=…</c>,
/// <c>#/print/delivery-notes?ids=…</c>) draws them for A4 or 241 mm continuous paper. Any staff member may read them.
/// </summary>
public static class WarehousePaperApi
{
    public sealed record PaperOrderDto(long Id, string OrderNo, string Status, string StatusLabel, string CustomerCode, string CustomerName,
        string ContactName, string ContactPhone, string DeliveryAddress, string? Note, string WarehouseName,
        long GoodsFen, long DiscountFen, long TotalFen, string TotalText, string CreatedAt, string? InvoiceKindText, string? InvoiceTitle, string? InvoiceTaxNo);
    public sealed record PickRowDto(string WarehouseCode, string WarehouseName, string? Location, string Sku, string Name, string? Spec, string Unit,
        long Quantity, long GiftQuantity, long OrderCount);
    public sealed record PickListDto(string PrintedAt, IReadOnlyList<PaperOrderDto> Orders, IReadOnlyList<PickRowDto> Rows, long TotalQuantity, long GiftQuantity);
    public sealed record PaperLineDto(int LineNo, string Sku, string Name, string? Spec, string Unit, long Quantity, bool IsGift,
        long UnitPriceFen, long AmountFen, string? Location);
    public sealed record DeliveryNoteDto(PaperOrderDto Order, IReadOnlyList<PaperLineDto> Lines, long Quantity, long GiftQuantity);
    public sealed record DeliveryNotesDto(string PrintedAt, IReadOnlyList<DeliveryNoteDto> Notes);

    public static IEndpointRouteBuilder MapWarehousePaperApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin/orders").WithTags("Back office: warehouse paper").RequireAuthorization(Policies.Staff);
        g.MapGet("/pick-list", PickList).WithName("AdminPickList").ProducesNotFound("订单不存在 / An order in ids does not exist")
            .WithSummary("拣货单 for the orders in ids (comma-separated, at most 200): quantities summed by warehouse, bin (where known) and product, gifts included");
        g.MapGet("/delivery-notes", DeliveryNotes).WithName("AdminDeliveryNotes").ProducesNotFound("订单不存在 / An order in ids does not exist")
            .WithSummary("发货单 for each order in ids (comma-separated, at most 200): lines, quantities, gifts, the order's delivery address and note");
        return app;
    }

    private static async Task<Results<Ok<PickListDto>, ProblemHttpResult>> PickList(string? ids, WarehousePaper paper, TimeProvider clock, IMapper mapper)
    {
        var (list, problem) = Ids(ids);
        if (problem is not null) return problem;
        var p = await paper.PickListAsync(list!);
        if (p is null) return NoSuchOrder();
        return TypedResults.Ok(mapper.MapAt<PickListDto>(p, clock));
    }

    private static async Task<Results<Ok<DeliveryNotesDto>, ProblemHttpResult>> DeliveryNotes(string? ids, WarehousePaper paper, TimeProvider clock, IMapper mapper)
    {
        var (list, problem) = Ids(ids);
        if (problem is not null) return problem;
        var notes = await paper.DeliveryNotesAsync(list!);
        if (notes is null) return NoSuchOrder();
        return TypedResults.Ok(new DeliveryNotesDto(ShanghaiTime.Format(clock.GetUtcNow().ToUnixTimeMilliseconds()), mapper.Map<IReadOnlyList<DeliveryNoteDto>>(notes)));
    }

    private static (IReadOnlyList<long>? Ids, ProblemHttpResult? Problem) Ids(string? ids)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var list = new List<long>();
        foreach (var part in parts)
        {
            if (!long.TryParse(part, out var id) || id <= 0) return (null, Problems.BadRequest($"订单编号无效：{part}", $"Not an order id: '{part}'"));
            if (!list.Contains(id)) list.Add(id);
        }
        if (list.Count is 0 or > WarehousePaper.MaxOrders)
            return (null, Problems.BadRequest($"请选择 1 到 {WarehousePaper.MaxOrders} 个订单", $"ids must name between 1 and {WarehousePaper.MaxOrders} orders"));
        return (list, null);
    }

    private static ProblemHttpResult NoSuchOrder() => Problems.NotFound("订单不存在", "An order in ids does not exist");
}
