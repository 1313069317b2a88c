namespace OrderHub.Api.BackOffice;

/// <summary>The back-office web console (served by this host) and staff sign-in.</summary>
public static class BackOfficeModule
{
    public static IServiceCollection AddBackOffice(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Middleware the console needs (static files); called before authentication.</summary>
    public static WebApplication UseBackOffice(this WebApplication app) => app;

    public static IEndpointRouteBuilder MapBackOfficeApi(this IEndpointRouteBuilder app) => app;
}
