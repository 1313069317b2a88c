namespace OrderHub.Api.Statements;

/// <summary>Statements (对账 / 往来账): one ledger per customer, payments and credits, period statements with CSV/XLSX download.</summary>
public static class StatementsModule
{
    public static IServiceCollection AddStatements(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStatementsApi(this IEndpointRouteBuilder app) => app;
}
