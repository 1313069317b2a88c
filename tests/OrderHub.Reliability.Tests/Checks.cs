using System.Collections.Concurrent;

namespace OrderHub.Reliability.Tests;

/// <summary>The end state every reliability test demands.</summary>
public static class Checks
{
    /// <summary>
    /// Every acknowledged order exists once in OrderHub (one per key, no order nobody was told about), reached the demo ERP
    /// exactly once, the outbox is drained, and every reservation equals the open order lines. Returns (orders, ERP orders).
    /// </summary>
    public static async Task<(int Orders, int InErp)> NothingLostNothingTwiceAsync(World world, IReadOnlyCollection<Ack> acks,
        long maxOrderIdBefore, TimeSpan drainWithin)
    {
        Assert.That(acks.Select(a => a.Key).Distinct().Count(), Is.EqualTo(acks.Count), "a key was acknowledged twice");
        Assert.That(acks.Select(a => a.OrderNo).Distinct().Count(), Is.EqualTo(acks.Count), "two keys were acknowledged with one order");

        var made = await world.Query<string>("SELECT order_no FROM orders WHERE id > @maxOrderIdBefore", new { maxOrderIdBefore });
        var acked = acks.Select(a => a.OrderNo).ToHashSet();
        Assert.That(made.Count, Is.EqualTo(made.Distinct().Count()));
        Assert.That(acked.Except(made), Is.Empty, "acknowledged orders missing in OrderHub (lost)");
        Assert.That(made.Except(acked), Is.Empty, "orders in OrderHub that no client was acknowledged (a second order for a key?)");

        var keys = await world.Query<long>(
            "SELECT COUNT(*) FROM idempotency_keys k JOIN orders o ON o.id = k.resource_id WHERE o.id > @maxOrderIdBefore GROUP BY o.id",
            new { maxOrderIdBefore });
        Assert.That(keys, Has.All.EqualTo(1L), "an order is the resource of more than one idempotency key");

        var open = await world.WaitForOutboxToDrainAsync(drainWithin);
        Assert.That(open, Is.Zero, $"outbox rows not sent within {drainWithin.TotalSeconds} s: " +
            string.Join("; ", await world.Query<string>("SELECT status || ' ' || attempts || ' ' || COALESCE(last_error, '') FROM outbox WHERE status <> 'sent' LIMIT 5")));

        var erp = await world.ErpOrdersAsync();
        Assert.That(erp.Values, Has.All.EqualTo(1L), "an order number is in the demo ERP more than once");
        Assert.That(acked.Where(no => !erp.ContainsKey(no)), Is.Empty, "acknowledged orders that never reached the ERP");
        var pushed = await world.Query<string>("SELECT o.order_no FROM outbox x JOIN orders o ON o.id = x.aggregate_id WHERE x.topic = 'erp.push_order'");
        Assert.That(pushed.Where(no => !erp.ContainsKey(no)), Is.Empty, "orders marked sent but not in the ERP");

        var mismatches = await world.ReservationMismatchesAsync();
        Assert.That(mismatches, Is.Empty, "stock.reserved differs from the open orders' lines");
        return (made.Count, acked.Count(erp.ContainsKey));
    }

    public static List<Ack> ToList(this ConcurrentBag<Ack> bag) => [.. bag];
}
