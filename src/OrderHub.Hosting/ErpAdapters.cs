using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Demo;
using OrderHub.Erp.Kingdee;
using OrderHub.Erp.SqlDatabase;
using OrderHub.Erp.Tryton;

namespace OrderHub.Hosting;

/// <summary>
/// The ERP adapters a host can run, by the name <c>Erp:Adapter</c> gives: each registers itself (its settings section,
/// validated at start, and its <see cref="OrderHub.Erp.IErpAdapter"/>). Only the chosen adapter's registration runs,
/// so the others are never configured, constructed or connected. To add an ERP: a project under erp-adapters/ with an
/// <c>AddXxxErp</c> method, and one line here.
/// </summary>
public static class ErpAdapters
{
    public static readonly IReadOnlyDictionary<string, Func<IServiceCollection, IServiceCollection>> All =
        new Dictionary<string, Func<IServiceCollection, IServiceCollection>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Demo"] = s => s.AddDemoErp(),
            ["Tryton"] = s => s.AddTrytonErp(),
            ["Kingdee"] = s => s.AddKingdeeErp(),
            ["SqlDatabase"] = s => s.AddSqlDatabaseErp(),
        };

    /// <summary>The adapter named by <c>Erp:Adapter</c> (default Demo).</summary>
    public static string Chosen(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["Erp:Adapter"]) ? "Demo" : configuration["Erp:Adapter"]!.Trim();

    public static IServiceCollection AddChosenErpAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        var chosen = Chosen(configuration);
        if (!All.TryGetValue(chosen, out var register))
            throw new InvalidOperationException($"设置错误 Setting Erp:Adapter '{chosen}' is not one of {string.Join(", ", All.Keys)}.");
        return register(services);
    }
}
