using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Orders;

/// <summary>
/// Reports the current state of sales that carry a <c>reference</c> (i.e. came from OrderHub) whenever the sale or
/// one of its customer shipments changed. The same state can be reported again (a sale is written for other
/// reasons too); consumers should ignore a repeated state. Drafts and quotations are not reported.
/// Mapping: cancelled → Cancelled; done or shipment_state "sent" → Shipped; a shipment picked/packed → Picked;
/// confirmed/processing → Confirmed. Tryton 6.0 has no delivery confirmation, so Delivered is never reported.
/// Feed key: the sale id.
/// </summary>
internal sealed class OrderStatusPuller
{
    private static readonly object?[] FromOrderHub = [D("reference", "!=", null)];
    private readonly TrytonJsonRpcClient _rpc;
    private readonly ChangeFeed _feed;

    public OrderStatusPuller(TrytonJsonRpcClient rpc, TrytonOptions options)
    {
        _rpc = rpc;
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("sale.sale", [.. FromOrderHub], [], ChangeFeed.KeyFromField("id")),
            new ChangeSource("stock.shipment.out", [], [], SalesOfShipmentsAsync),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpOrderStatusChange>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var changedAt = page.Keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var sales = await _rpc.ReadAsync("sale.sale", changedAt.Keys,
            ["reference", "state", "shipment_state", "shipments", "create_date", "write_date"], ct);
        var shipmentStates = (await _rpc.ReadAsync("stock.shipment.out",
                sales.SelectMany(s => s.Ids("shipments")).Distinct().ToList(), ["state"], ct))
            .ToDictionary(s => s.Id, s => s.String("state"));

        var items = new List<ErpOrderStatusChange>();
        foreach (var sale in sales.Where(s => s.String("reference") is not null))
        {
            var state = sale.String("state");
            var shipmentState = sale.String("shipment_state");
            var shipments = sale.Ids("shipments").Select(id => shipmentStates.GetValueOrDefault(id)).ToList();
            ErpOrderState? mapped = state switch
            {
                "cancelled" => ErpOrderState.Cancelled,
                "done" => ErpOrderState.Shipped,
                "confirmed" or "processing" when shipmentState == "sent" => ErpOrderState.Shipped,
                "confirmed" or "processing" when shipments.Any(s => s is "picked" or "packed") => ErpOrderState.Picked,
                "confirmed" or "processing" => ErpOrderState.Confirmed,
                _ => null, // draft, quotation
            };
            if (mapped is null) continue;
            var at = ChangeFeed.Latest(changedAt[sale.Id], sale.ChangedAt);
            items.Add(new ErpOrderStatusChange(sale.String("reference")!, sale.Id.ToString(), mapped.Value,
                new DateTimeOffset(at, TimeSpan.Zero), $"state={state}; shipment_state={shipmentState}"));
        }
        return new ErpPage<ErpOrderStatusChange>(items, page.NextCursor, page.HasMore);
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct) =>
        (await _rpc.SearchAsync("sale.sale", [.. FromOrderHub], ct)).Select(id => id.ToString());

    private async Task<IEnumerable<(string, DateTime)>> SalesOfShipmentsAsync(IReadOnlyList<TrytonRecord> shipments, CancellationToken ct)
    {
        var changedAt = shipments.ToDictionary(s => s.Id, s => s.ChangedAt);
        // sale.sale.shipments is a computed field, but it can be searched and read.
        var sales = await _rpc.SearchReadAsync("sale.sale",
            [.. FromOrderHub, D("shipments", "in", changedAt.Keys.ToList())], ["shipments"], ct);
        return sales.Select(sale => (sale.Id.ToString(),
            sale.Ids("shipments").Where(changedAt.ContainsKey).Max(id => changedAt[id])));
    }
}
