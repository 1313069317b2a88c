using OrderHub.Application.Customers;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.Ordering;
using OrderHub.Domain.Ordering;

namespace OrderHub.Api.Ordering;

/// <summary>Carts, order placement, 订单流转, reorder, share links and agents' stores: the services and their settings.</summary>
public static class OrderingModule
{
    public static IServiceCollection AddOrdering(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Ordering").Get<OrderingOptions>() ?? new OrderingOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("OrderFlow").Get<OrderFlowOptions>() ?? new OrderFlowOptions());
        services.AddSingleton<OrderQuoter>();
        services.AddSingleton<CartService>();
        services.AddSingleton<OrderPlacement>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderFlowService>();
        services.AddSingleton<Reorder>();
        services.AddSingleton<ShareLinks>();
        services.AddSingleton<AgentCustomers>();
        return services;
    }
}
