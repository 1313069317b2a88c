using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Erp;
using OrderHub.Settings;

namespace OrderHub.Erp.Tryton;

/// <summary>Settings of the Tryton adapter (section <c>Erp:Tryton</c>), made into <see cref="TrytonOptions"/>.</summary>
public sealed class TrytonSettings : IValidatedSettings
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
    /// <summary>Round (default: half-up to the fen, with a data issue) or Refuse (the row is left out, with a data issue).</summary>
    public SubFenPolicy SubFenPrices { get; set; } = SubFenPolicy.Round;
    /// <summary>Which parties are stores: <c>Receivable</c> (default), <c>Category:&lt;name&gt;</c> or <c>AnyCode</c>; see CONNECT.md.</summary>
    public string CustomerRule { get; set; } = TrytonCustomerRule.Default;
    /// <summary>KeepOrderPrice (default), UseTrytonPrice or Refuse: what a push does when OrderHub's price differs from Tryton's.</summary>
    public TrytonPriceMismatch PriceMismatch { get; set; } = TrytonPriceMismatch.KeepOrderPrice;
    /// <summary>Chains: the party category whose sub-categories, named by head-office codes, make branches; empty = no chain import.</summary>
    public string? ChainCategory { get; set; }

    public TrytonOptions ToOptions() => new(Url, Database, Username, Password, WarehouseCodes is { Count: > 0 } ? WarehouseCodes : null,
        TimeoutSeconds, PageSize, Language, AcceptConfirmWarnings, SubFenPrices, CustomerRule.Trim(), PriceMismatch,
        string.IsNullOrWhiteSpace(ChainCategory) ? null : ChainCategory.Trim());

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            yield return $"Url '{Url}' must be an absolute http(s) address of trytond, e.g. http://127.0.0.1:8000";
        if (string.IsNullOrWhiteSpace(Database)) yield return "Database must name the Tryton database";
        if (string.IsNullOrWhiteSpace(Username)) yield return "Username must name a Tryton user";
        if (TimeoutSeconds is < 1 or > 600) yield return "TimeoutSeconds must be 1..600";
        if (PageSize is < 1 or > 5000) yield return "PageSize must be 1..5000";
        if (TrytonCustomerRule.Problem(CustomerRule) is { } rule) yield return rule;
        if (!Enum.IsDefined(PriceMismatch)) yield return "PriceMismatch must be KeepOrderPrice, UseTrytonPrice or Refuse";
        if (WarehouseCodes?.Any(string.IsNullOrWhiteSpace) == true) yield return "WarehouseCodes must not contain empty codes";
    }
}

public static class TrytonErpRegistration
{
    /// <summary>The Tryton 6.0 adapter over JSON-RPC as this process's <see cref="IErpAdapter"/>, from section <paramref name="section"/>.</summary>
    public static IServiceCollection AddTrytonErp(this IServiceCollection services, string section = "Erp:Tryton")
    {
        services.AddSettings<TrytonSettings>(section);
        services.AddSingleton<IErpAdapter>(sp =>
        {
            var options = sp.GetRequiredService<TrytonSettings>().ToOptions();
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("OrderHub.Erp").LogInformation(
                "ERP adapter: Tryton at {Url}, database {Database}, user {User}", options.Url, options.Database, options.Username);
            return new TrytonErpAdapter(options, issues: sp.GetService<IErpDataIssues>());
        });
        // The go-live checklist's connection check is the same adapter instance.
        services.AddSingleton<IErpConnectionCheck>(sp => (IErpConnectionCheck)sp.GetRequiredService<IErpAdapter>());
        return services;
    }
}
