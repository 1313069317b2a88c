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
            return new KingdeeErpAdapter(new KingdeeWebApiClient(new HttpClient(), options), options, sp.GetService<TimeProvider>());
        });
        return services;
    }

    private static IEnumerable<string> SettingsProblems(KingdeeOptions options)
    {
        string? problem = null;
        try { options.Validate(); }
        catch (ArgumentException e) { problem = e.Message; }
        if (problem is not null) yield return problem;
    }
}
