namespace OrderHub.Api.Reports;

/// <summary>Customer insight, agent work (visits, cadence alerts, 80/20) and the reports API.</summary>
public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app) => app;
}
