using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Erp;
using OrderHub.Settings;

namespace OrderHub.Erp.SqlDatabase;

public static class SqlDatabaseErpRegistration
{
    /// <summary>The adapter over the ERP's own database as this process's <see cref="IErpAdapter"/>, from section <paramref name="section"/>.</summary>
    public static IServiceCollection AddSqlDatabaseErp(this IServiceCollection services, string section = "Erp:SqlDatabase")
    {
        services.AddSettings<SqlDatabaseErpOptions>(section, rules: SettingsProblems);
        services.AddSingleton<IErpAdapter>(sp =>
        {
            var options = sp.GetRequiredService<SqlDatabaseErpOptions>();
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Erp").LogInformation("ERP adapter: the ERP's own {Provider} database", options.Provider);
            return new SqlDatabaseErpAdapter(options, sp.GetService<IErpDataIssues>(), sp.GetService<TimeProvider>());
        });
        return services;
    }

    private static IEnumerable<string> SettingsProblems(SqlDatabaseErpOptions o)
    {
        if (o.Provider is not (SqlDatabaseErpOptions.SqlServer or SqlDatabaseErpOptions.PostgreSql))
            yield return $"Provider '{o.Provider}' must be {SqlDatabaseErpOptions.SqlServer} or {SqlDatabaseErpOptions.PostgreSql}";
        if (string.IsNullOrWhiteSpace(o.ConnectionString)) yield return "ConnectionString must point at the ERP's database";
        if (o.PageSize < 1) yield return "PageSize must be at least 1";
        if (TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _) is false) yield return $"TimeZone '{o.TimeZone}' is not a known time zone (e.g. Asia/Shanghai)";
    }
}
