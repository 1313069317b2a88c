using Microsoft.Extensions.Logging;
using OrderHub.Application.Common.Scheduling;

namespace OrderHub.Application.Reports;

/// <summary>
/// Recomputes the report aggregates of the days marked dirty since the last run (see <see cref="ReportAggregates"/>), so a
/// whole-company report rarely has to do it itself. Reports refresh before reading anyway: this only keeps them fast.
/// After an upgrade its first run is the backfill of every day with orders.
/// </summary>
public sealed class RefreshReportAggregates(ReportAggregates aggregates, ILogger<RefreshReportAggregates> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var r = await aggregates.RefreshAsync(ct);
        if (r.Days > 0)
            log.LogDebug("Report aggregates: {Days} day(s) recomputed from {Marks} mark(s)", r.Days, r.Marks);
    }
}
