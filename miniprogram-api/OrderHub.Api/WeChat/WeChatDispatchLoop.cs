using OrderHub.Application.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>
/// Fallback for when no Quartz job does the work: every WeChat:Dispatch:IntervalSeconds, sends due subscribe messages
/// and follows up WeChat Work hand-overs. It stays idle when WeChat and WeCom are both off, when the interval is 0,
/// or when <see cref="DispatchWeChatMessagesJob"/> is registered and Jobs:Enabled is not false (Quartz runs it then).
/// </summary>
public sealed class WeChatDispatchLoop(IServiceProvider services, WeChatSettings weChat, WeComSettings weCom, IConfiguration configuration,
    TimeProvider clock, ILogger<WeChatDispatchLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if ((!weChat.IsConfigured && !weCom.IsConfigured) || weChat.Dispatch.IntervalSeconds <= 0) return;
        if (services.GetService<DispatchWeChatMessagesJob>() is not null && configuration.GetValue("Jobs:Enabled", true))
        {
            log.LogInformation("WeChat messages are sent by the Quartz job {Job}", nameof(DispatchWeChatMessagesJob));
            return;
        }
        log.LogInformation("WeChat messages are sent by the built-in loop every {Seconds} s", weChat.Dispatch.IntervalSeconds);
        var dispatcher = services.GetRequiredService<SubscribeMessageDispatcher>();
        var handOver = services.GetRequiredService<AgentHandOver>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                await handOver.FollowUpDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { log.LogWarning(ex, "WeChat dispatch run failed; trying again next time"); }
            try { await Task.Delay(TimeSpan.FromSeconds(weChat.Dispatch.IntervalSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
