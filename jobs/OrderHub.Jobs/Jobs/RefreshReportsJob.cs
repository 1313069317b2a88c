using Microsoft.Extensions.Logging;
using OrderHub.Application.Data;
using OrderHub.Application.Reports;
using Quartz;

namespace OrderHub.Jobs.Jobs;

/// <summary>
/// Recomputes the report aggregates of the days marked dirty since the last run (see <see cref="ReportAggregates"/>), so a
/// whole-company report rarely has to do it itself. Reports refresh before reading anyway: this job only keeps them fast.
/// After an upgrade its first run is the backfill of every day with orders.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RefreshReportsJob(Db db, ILogger<RefreshReportsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var r = await new ReportAggregates(db).RefreshAsync(ct);
        if (r.Days > 0)
            log.LogDebug("Report aggregates: {Days} day(s) recomputed from {Marks} mark(s)", r.Days, r.Marks);
    }
}
