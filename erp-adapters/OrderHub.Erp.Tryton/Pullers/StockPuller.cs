using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Stock on hand per warehouse for goods products. Tryton keeps no per-product "quantity changed" time, so the
/// change detector is <c>stock.move</c> (any move created or written, e.g. done, touches its product); for every
/// product touched the current quantity is read per warehouse. Feed key: the product id.
/// </summary>
internal sealed class StockPuller
{
    private static readonly object?[] Goods = [D("template.type", "=", "goods")];
    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonMasterData _masterData;
    private readonly ChangeFeed _feed;

    public StockPuller(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options)
    {
        (_rpc, _masterData) = (rpc, masterData);
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("product.product", [.. Goods], [], ChangeFeed.KeyFromField("id")),
            new ChangeSource("stock.move", [], ["product"], ChangeFeed.KeyFromField("product")),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpStockLevel>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var changedAt = page.Keys.ToDictionary(k => int.Parse(k.Key), k => k.At);
        var codes = await _masterData.ProductCodesAsync(changedAt.Keys, ct);
        var items = new List<ErpStockLevel>();
        foreach (var warehouse in await _masterData.WarehousesAsync(ct))
        {
            // "quantity" is computed for the locations in the context (their children included), as of today.
            var context = new Dictionary<string, object?> { ["locations"] = new[] { warehouse.Id } };
            var rows = await _rpc.ReadAsync("product.product", codes.Keys, ["quantity", "create_date", "write_date"], ct, context);
            foreach (var row in rows)
            {
                var at = ChangeFeed.Latest(changedAt[row.Id], row.ChangedAt);
                items.Add(new ErpStockLevel(codes[row.Id], warehouse.Code,
                    (long)Math.Round(row.Double("quantity")), new DateTimeOffset(at, TimeSpan.Zero)));
            }
        }
        return new ErpPage<ErpStockLevel>(items, page.NextCursor, page.HasMore);
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct) =>
        (await _rpc.SearchAsync("product.product", [.. Goods, D("code", "!=", null)], ct)).Select(id => id.ToString());
}
