using Microsoft.Extensions.Logging;
using OrderHub.Jobs.Erp;
using Quartz;

namespace OrderHub.Jobs.Jobs;

/// <summary>Only with the demo adapter: the simulated ERP moves stock, confirms and ships pushed orders, books payments.</summary>
[DisallowConcurrentExecution]
public sealed class DemoErpTickJob(DemoErpHost demo, ILogger<DemoErpTickJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        await demo.EnsureSeededAsync(ct);
        var tick = await demo.Simulator.TickAsync(ct: ct);
        log.LogDebug("Demo ERP tick: {Moves} stock moves, {Confirmed} confirmed, {Shipped} shipped, {Payments} payments",
            tick.StockMoves, tick.OrdersConfirmed, tick.OrdersShipped, tick.Payments);
    }
}
