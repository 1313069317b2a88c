using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>
/// Fallback for when no Quartz job does the work: every WeChat:Dispatch:IntervalSeconds, sends due subscribe messages
/// and follows up WeChat Work hand-overs. It stays idle when WeChat and WeCom are both off, when the interval is 0,
/// or when <see cref="DispatchWeChatMessages"/> is scheduled work and Jobs:Enabled is not false (Quartz runs it then).
/// </summary>
public sealed class WeChatDispatchLoop(IServiceProvider services, WeChatSettings weChat, WeComSettings weCom, IConfiguration configuration,
    TimeProvider clock, ILogger<WeChatDispatchLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if ((!weChat.IsConfigured && !weCom.IsConfigured) || weChat.Dispatch.IntervalSeconds <= 0) return;
        if (services.GetServices<ScheduledWork>().Any(w => w.WorkType == typeof(DispatchWeChatMessages)) && configuration.GetValue("Jobs:Enabled", true))
        {
            log.LogInformation("WeChat messages are sent by the scheduled job {Job}", nameof(DispatchWeChatMessages));
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
