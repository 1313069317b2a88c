using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Erp;
using OrderHub.Settings;

namespace OrderHub.Erp.Kingdee;

public static class KingdeeErpRegistration
{
    /// <summary>The Kingdee K/3 Cloud WebAPI adapter as this process's <see cref="IErpAdapter"/>, from section <paramref name="section"/>.</summary>
    public static IServiceCollection AddKingdeeErp(this IServiceCollection services, string section = "Erp:Kingdee")
    {
        services.AddSettings<KingdeeOptions>(section, rules: SettingsProblems);
        services.AddSingleton<IErpAdapter>(sp =>
        {
            var options = sp.GetRequiredService<KingdeeOptions>();
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Erp").LogInformation(
                "ERP adapter: Kingdee K/3 Cloud at {Url}, data centre {AcctId}", options.ServerUrl, options.AcctId);
            // The client keeps the login's whole cookie jar itself (session, ASP.NET_SessionId, a load balancer's cookies).
            var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
            return new KingdeeErpAdapter(new KingdeeWebApiClient(http, options), options, sp.GetService<TimeProvider>(), sp.GetService<IErpDataIssues>());
        });
        return services;
    }

    /// <summary>KingdeeOptions.Validate() names each setting as "Erp:Kingdee:X …"; AddSettings adds the section itself.</summary>
    private static IEnumerable<string> SettingsProblems(KingdeeOptions options) =>
        options.Validate().Select(p => p.StartsWith("Erp:Kingdee:", StringComparison.Ordinal) ? p["Erp:Kingdee:".Length..] : p);
}
