using OrderHub.Application.Sync;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>ERP order states → OrderHub's order flow.</summary>
public sealed class OrderStatusTests
{
    [TestCaseSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
    public async Task Shipping_in_the_ERP_ships_the_order_with_a_timeline_event_and_releases_its_reservation(string kind)
    {
        var w = await SyncWorld.CreateAsync(kind);
        var order = await w.OrderAsync("C00010", lines: 1);
        var (productId, warehouseId, qty) = await Line(w, order.OrderId);
        var reservedBefore = await Stock(w, "reserved", productId, warehouseId);
        var onHandBefore = await Stock(w, "on_hand", productId, warehouseId);
        Assert.That(reservedBefore, Is.GreaterThanOrEqualTo(qty));
        await w.Push.PushDueAsync();

        w.Clock.Advance(TimeSpan.FromSeconds(11));
        await w.Simulator.TickAsync();                       // the ERP confirms it
        var confirmed = await w.Sync.PullOrderStatusAsync();
        w.Clock.Advance(TimeSpan.FromSeconds(60));
        await w.Simulator.TickAsync();                       // and ships it
        var shipped = await w.Sync.PullOrderStatusAsync();
        var onHandAfter = await Stock(w, "on_hand", productId, warehouseId);
        var reservedAfter = await Stock(w, "reserved", productId, warehouseId);
        var again = await w.FullResync.RunAsync();           // every state change once more: nothing moves twice

        Assert.That(confirmed.Error, Is.Null);
        Assert.That(shipped.RowsChanged, Is.EqualTo(1));
        Assert.That(again.Single(r => r.Feed == SyncFeed.OrderStatus).RowsChanged, Is.Zero);
        Assert.That(await w.Scalar<string>("SELECT status FROM orders WHERE id = @OrderId", order), Is.EqualTo("shipped"));
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @OrderId AND action = 'erp_confirmed' AND note LIKE 'ERP 已确认%'", order), Is.EqualTo(1));
        Assert.That(await w.Scalar<string>("SELECT actor_kind || ' ' || actor_name || ' ' || from_status || ' ' || to_status FROM order_events WHERE order_id = @OrderId AND to_status = 'shipped'", order),
            Is.EqualTo($"erp {w.Erp.Name} pending_outbound shipped"));
        Assert.That(reservedAfter, Is.EqualTo(reservedBefore - qty));
        Assert.That(onHandAfter, Is.EqualTo(onHandBefore - qty), "the goods left");
        Assert.That(await w.Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE order_id = @OrderId AND kind = 'order'", order), Is.EqualTo(1));
    }

    private static async Task<(long ProductId, long WarehouseId, long Qty)> Line(SyncWorld w, long orderId) => (
        await w.Scalar<long>("SELECT MIN(product_id) FROM order_lines WHERE order_id = @orderId", new { orderId }),
        await w.Scalar<long>("SELECT warehouse_id FROM orders WHERE id = @orderId", new { orderId }),
        await w.Scalar<long>("SELECT SUM(quantity) FROM order_lines WHERE order_id = @orderId AND product_id = (SELECT MIN(product_id) FROM order_lines WHERE order_id = @orderId)", new { orderId }));

    private static Task<long> Stock(SyncWorld w, string column, long productId, long warehouseId) =>
        w.Scalar<long>($"SELECT {column} FROM stock WHERE product_id = @productId AND warehouse_id = @warehouseId", new { productId, warehouseId });
}
