namespace OrderHub.Api.Sync;

/// <summary>The ERP bridge in the server: the chosen adapter, the Quartz sync and push jobs, and the sync-health API.</summary>
public static class SyncModule
{
    public static IServiceCollection AddErpSync(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app) => app;
}
