using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Hosting;

// The same scheduled work as the API host runs, without the HTTP API: pulls from the ERP, the order push, the nightly full
// resync, the report refresh. The same composition root and settings as the API (Database, Erp, Sync, Jobs, OrderFlow, …);
// environment variables override appsettings.json.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOrderHub(builder.Configuration);

var host = builder.Build();
await host.Services.PrepareDatabaseAsync();
host.Services.GetRequiredService<ILogger<Program>>().LogInformation("OrderHub worker: ERP adapter {Adapter}", ErpAdapters.Chosen(builder.Configuration));
await host.RunAsync();
