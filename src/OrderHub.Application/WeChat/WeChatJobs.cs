using Quartz;

namespace OrderHub.Application.WeChat;

/// <summary>Sends due subscribe messages (see <see cref="SubscribeMessageDispatcher"/>). Does nothing while WeChat is off.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchWeChatMessagesJob(SubscribeMessageDispatcher dispatcher) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await dispatcher.DispatchDueAsync(ct);
}

/// <summary>Follows up WeChat Work hand-overs: reads transfer_result and sends again where WeChat Work says to (see <see cref="AgentHandOver"/>).</summary>
[DisallowConcurrentExecution]
public sealed class FollowUpWeComHandOversJob(AgentHandOver handOver) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await handOver.FollowUpDueAsync(ct);
}
