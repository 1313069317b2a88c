using Microsoft.Extensions.Logging;
using OrderHub.Application.Common;
using OrderHub.WeChat.Pay;

namespace OrderHub.Application.Payments;

/// <summary>Hands out the WeChat Pay client (keys read once); a switched-off WeChat Pay is a 503 problem.</summary>
public sealed class WeChatPayGateway(WeChatPaySettings settings, Func<HttpClient> http, ILoggerFactory loggers, TimeProvider clock)
{
    private readonly Lazy<WeChatPayOptions> _options = new(settings.ToClientOptions);

    public WeChatPaySettings Settings { get; } = settings;

    public WeChatPayClient Client() => Settings.Enabled
        ? new WeChatPayClient(http(), _options.Value, loggers.CreateLogger<WeChatPayClient>(), clock)
        : throw new AppProblem(503, "未启用微信支付（请在设置中配置并启用）", "WeChat Pay is not enabled (configure and enable it in the settings)");

    public static AppProblem ToProblem(WeChatPayException e) => e.IsTransient
        ? new AppProblem(503, "微信支付暂时不可用，请稍后再试", "WeChat Pay is unavailable right now; try again later", new Dictionary<string, object?> { ["code"] = e.Code })
        : new AppProblem(502, $"微信支付拒绝了请求（{e.Code}）", $"WeChat Pay refused the request ({e.Code})", new Dictionary<string, object?> { ["code"] = e.Code });
}
