using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Domain.Ordering;
using OrderHub.Jobs;
using OrderHub.Jobs.Erp;

// The same jobs as the API host runs, without the HTTP API: pulls from the ERP, the order push, the nightly full resync.
// Same settings as the API (Database, Erp, Sync, Jobs, OrderFlow); environment variables override appsettings.json.
var builder = Host.CreateApplicationBuilder(args);
var config = builder.Configuration;

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => new Db(config["Database:ConnectionString"] ?? "Data Source=data/orderhub.db"));
builder.Services.AddSingleton(_ => config.GetSection("OrderFlow").Get<OrderFlowOptions>() ?? new OrderFlowOptions());
builder.Services.AddSingleton<OrderFlowService>();
builder.Services.AddErpBridge();
builder.Services.AddOrderHubJobs(config);

var host = builder.Build();
var applied = await new Migrator(host.Services.GetRequiredService<Db>()).MigrateAsync();
host.Services.GetRequiredService<ILogger<Program>>().LogInformation("OrderHub worker: {Count} migration(s) applied, ERP adapter {Adapter}",
    applied.Count, ErpAdapterFactory.Chosen(config));
await host.RunAsync();
