using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Erp.Kingdee;
using OrderHub.Erp.SqlDatabase;
using OrderHub.Erp.Tryton;

namespace OrderHub.Jobs.Erp;

/// <summary>Settings of the Tryton adapter (section <c>Erp:Tryton</c>), made into <see cref="TrytonOptions"/>.</summary>
public sealed class TrytonSettings
{
    public string Url { get; set; } = "http://127.0.0.1:8000";
    public string Database { get; set; } = "tryton";
    public string Username { get; set; } = "admin";
    public string Password { get; set; } = "";
    public List<string>? WarehouseCodes { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
    public int PageSize { get; set; } = 200;
    public string Language { get; set; } = "en";
    public bool AcceptConfirmWarnings { get; set; }
    public bool RoundSubFenPrices { get; set; }

    public TrytonOptions ToOptions() => new(Url, Database, Username, Password, WarehouseCodes is { Count: > 0 } ? WarehouseCodes : null,
        TimeoutSeconds, PageSize, Language, AcceptConfirmWarnings, RoundSubFenPrices);
}

/// <summary>
/// Makes the <see cref="IErpAdapter"/> chosen by <c>Erp:Adapter</c>: Demo (default), Tryton, Kingdee or SqlDatabase, each
/// from its own section (<c>Erp:Demo</c>, <c>Erp:Tryton</c>, <c>Erp:Kingdee</c>, <c>Erp:SqlDatabase</c>).
/// Logs which adapter and which server, never a password, secret or connection string.
/// </summary>
public sealed class ErpAdapterFactory(IServiceProvider services, IConfiguration config, TimeProvider clock, ILogger<ErpAdapterFactory> log)
{
    public static readonly string[] Adapters = ["Demo", "Tryton", "Kingdee", "SqlDatabase"];

    public static string Chosen(IConfiguration config) => string.IsNullOrWhiteSpace(config["Erp:Adapter"]) ? "Demo" : config["Erp:Adapter"]!.Trim();

    public IErpAdapter Create()
    {
        var chosen = Chosen(config);
        IErpAdapter adapter;
        switch (chosen.ToLowerInvariant())
        {
            case "demo":
                adapter = new SeededDemoErpAdapter(services.GetRequiredService<DemoErpHost>());
                log.LogInformation("ERP adapter: demo ERP (in process)");
                break;
            case "tryton":
                var tryton = (config.GetSection("Erp:Tryton").Get<TrytonSettings>() ?? new TrytonSettings()).ToOptions();
                adapter = new TrytonErpAdapter(tryton);
                log.LogInformation("ERP adapter: Tryton at {Url}, database {Database}, user {User}", tryton.Url, tryton.Database, tryton.Username);
                break;
            case "kingdee":
                var kingdee = config.GetSection("Erp:Kingdee").Get<KingdeeOptions>() ?? new KingdeeOptions();
                adapter = new KingdeeErpAdapter(new KingdeeWebApiClient(new HttpClient(), kingdee), kingdee, clock);
                log.LogInformation("ERP adapter: Kingdee K/3 Cloud at {Url}, data centre {AcctId}", kingdee.ServerUrl, kingdee.AcctId);
                break;
            case "sqldatabase":
                var sql = config.GetSection("Erp:SqlDatabase").Get<SqlDatabaseErpOptions>() ?? new SqlDatabaseErpOptions();
                adapter = new SqlDatabaseErpAdapter(sql, services.GetRequiredService<SyncIssueCollector>(), clock);
                log.LogInformation("ERP adapter: the ERP's own {Provider} database", sql.Provider);
                break;
            default:
                throw new InvalidOperationException($"Erp:Adapter '{chosen}' is not one of {string.Join(", ", Adapters)}.");
        }
        return adapter;
    }
}
