namespace OrderHub.Api.WeChat;

/// <summary>WeChat: mini-program login and binding, subscribe messages, WeChat Work contacts and hand-over.</summary>
public static class WeChatModule
{
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapWeChatApi(this IEndpointRouteBuilder app) => app;
}
