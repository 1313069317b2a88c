using Microsoft.Extensions.DependencyInjection;
using OrderHub.Application.Common.Scheduling;
using Quartz;

namespace OrderHub.Jobs;

/// <summary>Runs one registered <see cref="IScheduledWork"/> as a Quartz job, never twice at the same time.</summary>
[DisallowConcurrentExecution]
public sealed class ScheduledWorkJob<TWork>(IServiceProvider services) : IJob where TWork : class, IScheduledWork
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TWork>().RunAsync(ct);
    }
}
