using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using OrderHub.Api.Auth;
using OrderHub.Api.Catalog;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Domain.Pricing;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

// Settings (every one is documented in appsettings.template.json).
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(new Db(config["Database:ConnectionString"] ?? "Data Source=data/orderhub.db"));
builder.Services.AddSingleton(config.GetSection("Pricing").Get<PricingOptions>() ?? new PricingOptions());
builder.Services.AddSingleton(config.GetSection("Catalog").Get<CatalogOptions>() ?? new CatalogOptions());
builder.Services.AddSingleton(config.GetSection("Demo").Get<DemoOptions>() ?? new DemoOptions());

// Application services.
builder.Services.AddSingleton<PriceResolver>();
builder.Services.AddSingleton<CatalogService>();
builder.Services.AddSingleton<CustomerContextQuery>();

// API boundary: problem details, JSON, OpenAPI, AutoMapper (licence key from settings).
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddOpenApi();
builder.Services.AddAutoMapper(cfg => cfg.LicenseKey = config["AutoMapper:LicenseKey"], typeof(CatalogMappingProfile));

// Sign-in: ASP.NET Core bearer tokens (no JWT package needed).
builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
    .AddBearerToken(o =>
    {
        o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("Auth:AccessTokenMinutes", 60));
        o.RefreshTokenExpiration = TimeSpan.FromDays(config.GetValue("Auth:RefreshTokenDays", 14));
    });
builder.Services.AddAuthorization();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
app.MapAuthApi(app.Environment);
app.MapCatalogApi();

app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
