using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using OrderHub.Api.Auth;
using OrderHub.Api.BackOffice;
using OrderHub.Api.Catalog;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.MiniProgram;
using OrderHub.Api.OrderFlow;
using OrderHub.Api.Ordering;
using OrderHub.Api.Reports;
using OrderHub.Api.Statements;
using OrderHub.Api.Sync;
using OrderHub.Api.WeChat;
using OrderHub.Demo;
using OrderHub.Hosting;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

// Every feature, the demo, the ERP adapter chosen by Erp:Adapter and the scheduler: one composition root shared with the
// worker and the test hosts. Settings are bound once and validated at start (appsettings.template.json documents them).
builder.Services.AddOrderHub(config, features: s => s.AddWeChat(config));
builder.Services.AddPasswordSignIn().AddDemoStaffPasswords();

// API boundary: problem details, JSON, OpenAPI, AutoMapper (licence key from settings).
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<AppProblemHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
    // Strict input: an unknown or repeated field is a 400, never silently ignored.
    o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.AllowDuplicateProperties = false;
});
builder.Services.AddOpenApi();
builder.Services.AddAutoMapper(cfg => cfg.LicenseKey = string.IsNullOrWhiteSpace(config["AutoMapper:LicenseKey"]) ? null : config["AutoMapper:LicenseKey"], typeof(CatalogMappingProfile));

// Sign-in: ASP.NET Core bearer tokens (no JWT package needed).
builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
    .AddBearerToken(o =>
    {
        o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("Auth:AccessTokenMinutes", 60));
        o.RefreshTokenExpiration = TimeSpan.FromDays(config.GetValue("Auth:RefreshTokenDays", 14));
    });
builder.Services.AddAuthorization(Policies.Add);
// The key ring that protects tokens lives in the database: shared by every node, kept across restarts.
builder.Services.AddSingleton<DatabaseKeyRing>();
builder.Services.AddSingleton<ClientRateLimit>();
builder.Services.AddDataProtection().SetApplicationName("OrderHub");
builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
    .Configure<DatabaseKeyRing>((o, ring) => o.XmlRepository = ring);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = config.GetValue<long>("Limits:MaxRequestBodyBytes", 1_048_576));

var app = builder.Build();
await app.Services.PrepareDatabaseAsync();

// `dotnet OrderHub.Api.dll admin create <login>`: the first (or another) administrator, password read from standard input.
if (args is ["admin", "create", var adminLogin, ..])
    return await AdminCommand.CreateAsync(app.Services, adminLogin, Console.In, Console.Out);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseBackOffice();
app.UseMiddleware<RequestLimits>();
app.UseAuthentication();
app.UseMiddleware<ActiveUserCheck>();
app.UseMiddleware<InitialImportGate>();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
app.MapAuthApi(app.Environment);
app.MapMobileLoginApi();
app.MapCatalogApi();
app.MapStatementsApi();
app.MapCartApi();
app.MapOrdersApi();
app.MapAgentApi();
app.MapBackOfficeOrdersApi();
app.MapSyncApi();
app.MapWeChatApi();
app.MapBackOfficeApi();
app.MapReportsApi();
app.MapMiniProgramApi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
