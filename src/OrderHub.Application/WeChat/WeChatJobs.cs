using OrderHub.Application.Common.Scheduling;

namespace OrderHub.Application.WeChat;

/// <summary>Sends due subscribe messages (see <see cref="SubscribeMessageDispatcher"/>). Does nothing while WeChat is off.</summary>
public sealed class DispatchWeChatMessages(SubscribeMessageDispatcher dispatcher) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => await dispatcher.DispatchDueAsync(ct);
}

/// <summary>Follows up WeChat Work hand-overs: reads transfer_result and sends again where WeChat Work says to (see <see cref="AgentHandOver"/>).</summary>
public sealed class FollowUpWeComHandOvers(AgentHandOver handOver) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct) => await handOver.FollowUpDueAsync(ct);
}
