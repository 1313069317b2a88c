using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;

namespace OrderHub.Demo;

/// <summary>Only with the demo adapter: the simulated ERP moves stock, confirms and ships pushed orders, books payments.</summary>
public sealed class DemoErpTick(DemoErpHost demo, ILogger<DemoErpTick> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        await demo.EnsureSeededAsync(ct);
        var tick = await demo.Simulator.TickAsync(ct: ct);
        log.LogDebug("Demo ERP tick: {Moves} stock moves, {Confirmed} confirmed, {Shipped} shipped, {Payments} payments",
            tick.StockMoves, tick.OrdersConfirmed, tick.OrdersShipped, tick.Payments);
    }
}
