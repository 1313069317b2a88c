using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderHub.Hosting;
using OrderHub.Testing;

namespace OrderHub.Tests.Architecture;

/// <summary>A wrong setting stops the start with a message naming the setting, instead of a default used in silence.</summary>
public class SettingsValidationTests
{
    private static Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = TestDatabase.NewConnectionString(TestDatabase.Sqlite),
            ["Jobs:Enabled"] = "false",
        }.Concat(settings).ToDictionary());
        var e = Assert.CatchAsync(async () =>
        {
            builder.Services.AddOrderHub(builder.Configuration);
            using var host = builder.Build();
            await host.StartAsync();
        });
        return Task.FromResult(e switch
        {
            OptionsValidationException o => string.Join("\n", o.Failures),
            _ => e!.Message,
        });
    }

    [Test]
    public async Task A_misspelt_setting_is_named_and_the_known_ones_are_listed()
    {
        var message = await StartFailureAsync(new() { ["Ordering:AllowOversel"] = "true" });
        Assert.That(message, Does.Contain("Setting Ordering:AllowOversel is not a setting of this section").And.Contain("AllowOversell"));
    }

    [Test]
    public async Task A_value_out_of_range_is_named()
    {
        var message = await StartFailureAsync(new() { ["Sync:MaxPagesPerRun"] = "0" });
        Assert.That(message, Does.Contain("Setting Sync:MaxPagesPerRun must be at least 1"));
    }

    [Test]
    public async Task A_value_of_the_wrong_type_names_the_setting()
    {
        var message = await StartFailureAsync(new() { ["Catalog:StockDisplay"] = "Exactly" });
        Assert.That(message, Does.Contain("Catalog:StockDisplay"));
    }

    [Test]
    public async Task Kingdee_without_sales_organisation_and_salesman_does_not_start()
    {
        var message = await StartFailureAsync(new()
        {
            ["Erp:Adapter"] = "Kingdee", ["Erp:Kingdee:ServerUrl"] = "http://127.0.0.1:1/k3cloud/", ["Erp:Kingdee:AcctId"] = "A1",
            ["Erp:Kingdee:Username"] = "api", ["Erp:Kingdee:Password"] = "x",
        });
        Assert.That(message, Does.Contain("Erp:Kingdee:OrgNumber is required").And.Contain("Erp:Kingdee:SalerNumber"));
    }

    [Test]
    public async Task An_unknown_ERP_adapter_is_named_with_the_ones_there_are()
    {
        var message = await StartFailureAsync(new() { ["Erp:Adapter"] = "Yonyou" });
        Assert.That(message, Does.Contain("Erp:Adapter 'Yonyou' is not one of Demo, Tryton, Kingdee, SqlDatabase"));
    }
}
