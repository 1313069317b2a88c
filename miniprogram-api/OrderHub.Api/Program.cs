using OrderHub.Api.Community;
using OrderHub.Api.PreReview;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using OrderHub.Api.Auth;
using OrderHub.Api.BackOffice;
using OrderHub.Api.Chains;
using OrderHub.Api.Catalog;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Media;
using OrderHub.Api.OrderFlow;
using OrderHub.Api.Ordering;
using OrderHub.Api.Payments;
using OrderHub.Api.Returns;
using OrderHub.Api.Reports;
using OrderHub.Api.Statements;
using OrderHub.Api.Sync;
using OrderHub.Api.Templates;
using OrderHub.Api.StoreBook;
using OrderHub.Api.Warehouse;
using OrderHub.Api.WeChat;
using OrderHub.Api.ChatCommerce;
using OrderHub.Demo;
using OrderHub.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

// Every feature, the demo, the ERP adapter chosen by Erp:Adapter and the scheduler: one composition root shared with the
// worker and the test hosts. Settings are bound once and validated at start (appsettings.template.json documents them).
builder.Services.AddOrderHub(config, features: s => s.AddWeChat(config).AddChatCommerce(config).AddCommunity().AddPayments(config).AddReturns());
builder.Services.AddPasswordSignIn().AddDemoStaffPasswords();
// Image URLs use Media:PublicBaseUrl, else the address the request came to.
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<OrderHub.Application.Media.IRequestBaseUrl, RequestBaseUrl>();

// API boundary: problem details, JSON, OpenAPI, AutoMapper (licence key from settings).
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<AppProblemHandler>();
// A body or parameter that cannot be read is thrown to AppProblemHandler, which names the field in a 400 problem.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
    // No control characters in any JSON string (InputGuard does the same for query, route and headers).
    o.SerializerOptions.Converters.Add(new StrictStringConverter());
    // Strict input: an unknown or repeated field is a 400, never silently ignored.
    o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.AllowDuplicateProperties = false;
});
builder.Services.AddOpenApi(o => ApiContract.Configure(o));
// Phones on slow networks: JSON, the console's pages and scripts compressed (Brotli, else gzip) unless Api:CompressResponses is false.
var compress = config.GetValue("Api:CompressResponses", true);
if (compress)
    builder.Services.AddResponseCompression(o =>
    {
        o.EnableForHttps = true; // the mini-program only speaks HTTPS; no response mixes a secret with text an attacker chose
        o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
        o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
        o.MimeTypes = ["application/json", "application/problem+json", "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"];
    })
    .Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest)
    .Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
builder.Services.AddAutoMapper(cfg => cfg.LicenseKey = string.IsNullOrWhiteSpace(config["AutoMapper:LicenseKey"]) ? null : config["AutoMapper:LicenseKey"], typeof(CatalogMappingProfile));

// Sign-in: ASP.NET Core bearer tokens (no JWT package needed).
builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
    .AddBearerToken(o =>
    {
        o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("Auth:AccessTokenMinutes", 60));
        o.RefreshTokenExpiration = TimeSpan.FromDays(config.GetValue("Auth:RefreshTokenDays", 14));
    });
// A token this node has already decrypted is remembered for Auth:RememberTokenSeconds (RememberedAccessTokens).
if (config.GetValue("Auth:RememberTokenSeconds", 300) is var rememberSeconds and > 0)
    builder.Services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme).PostConfigure<TimeProvider>((o, clock) =>
        o.BearerTokenProtector = new RememberedAccessTokens(o.BearerTokenProtector, clock, TimeSpan.FromSeconds(rememberSeconds)));
builder.Services.AddAuthorization(Policies.Add);
// Every sign-in starts a revocable session (auth_sessions); tokens carry its id.
builder.Services.AddSingleton<OrderHub.Application.Common.AuthSessions>();
builder.Services.AddScoped<Microsoft.AspNetCore.Authentication.IAuthenticationService, SessionSignIn>();
// The key ring that protects tokens lives in the database: shared by every node, kept across restarts.
builder.Services.AddSingleton<DatabaseKeyRing>();
builder.Services.AddSingleton<ClientRateLimit>();
builder.Services.AddDataProtection().SetApplicationName("OrderHub");
builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
    .Configure<DatabaseKeyRing>((o, ring) => o.XmlRepository = ring);
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = config.GetValue<long>("Limits:MaxRequestBodyBytes", 1_048_576);
    // Kestrel answers its own 414/431 with an empty body: it gets twice our limits, and RequestLimits answers with a problem.
    k.Limits.MaxRequestLineSize = Math.Max(k.Limits.MaxRequestLineSize, 2 * RequestLimits.MaxUrlBytes(config) + 1024);
    k.Limits.MaxRequestHeadersTotalSize = Math.Max(k.Limits.MaxRequestHeadersTotalSize, 2 * RequestLimits.MaxHeaderBytes(config));
});
// Where to listen: ASPNETCORE_URLS, --urls, Urls= or Kestrel:Endpoints when given; otherwise Api:DefaultUrls (127.0.0.1:5080).
// (A "Urls" in appsettings.json would override ASPNETCORE_URLS, so the default lives here and yields to any of them.)
if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"]) && string.IsNullOrEmpty(config["https_ports"])
    && !config.GetSection("Kestrel:Endpoints").GetChildren().Any())
    builder.WebHost.UseUrls(config["Api:DefaultUrls"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:5080");

var app = builder.Build();
await app.Services.PrepareDatabaseAsync();

// `dotnet OrderHub.Api.dll admin create <login>`: the first (or another) administrator, password read from standard input.
if (args is ["admin", "create", var adminLogin, ..])
    return await AdminCommand.CreateAsync(app.Services, adminLogin, Console.In, Console.Out);

if (compress) app.UseResponseCompression();
// Tests that run this server as a child process record every answer for the contract check (Development only).
ResponseRecording.Use(app);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseBackOffice();
app.UseChatToolbarPage();
app.UseMiddleware<RequestLimits>();
app.UseMiddleware<InputGuard>();
app.UseAuthentication();
app.UseMiddleware<ActiveUserCheck>();
app.UseMiddleware<InitialImportGate>();
app.UseAuthorization();
app.UseMiddleware<ConditionalGet>();

// The OpenAPI document and the interactive docs (/docs): on in Development, elsewhere only with Api:PublishOpenApi.
if (config.GetValue("Api:PublishOpenApi", app.Environment.IsDevelopment()))
{
    app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
    app.MapScalarApiReference("/docs", o => o.WithTitle("OrderHub API 接口文档").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
}
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
app.MapAuthApi(app.Environment);
app.MapMobileLoginApi();
app.MapCatalogApi();
app.MapFavouritesApi();
app.MapStatementsApi();
app.MapCartApi();
app.MapOrdersApi();
app.MapStoreAccountsApi();
app.MapNotificationsApi();
app.MapAgentApi();
app.MapBackOfficeOrdersApi();
app.MapWarehousePaperApi();
app.MapStoreBookApi();
app.MapSyncApi();
app.MapWeChatApi();
app.MapChatCommerceApi();
app.MapMassMessagesApi();
app.MapCommunityApi();
app.MapPaymentsApi();
app.MapBackOfficeApi();
app.MapReportsApi();
app.MapInsightGrowthApi();
app.MapAgentScorecardApi();
app.MapMediaApi();
app.MapReturnsApi();
app.MapStoreReportsApi();
app.MapChainsApi();
app.MapTemplatesApi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
