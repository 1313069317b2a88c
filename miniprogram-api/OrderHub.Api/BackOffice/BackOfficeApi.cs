using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using OrderHub.Application.Staff;

namespace OrderHub.Api.BackOffice;

/// <summary>
/// The back-office web console (static files under wwwroot/console, served at /console/), staff sign-in with passwords,
/// and the admin APIs the console needs beyond orders and statements: staff, agents, catalog administration, dashboard.
/// </summary>
public static class BackOfficeApi
{
    public const string ConsolePath = "/console";

    /// <summary>
    /// Passwords hashed with ASP.NET Core Identity's hasher (the back-office services come from AddOrderHub), and the first
    /// administrator from the Bootstrap settings (after the demo data, so a demo's own admin is never doubled).
    /// </summary>
    public static IServiceCollection AddPasswordSignIn(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<StaffMember>, PasswordHasher<StaffMember>>();
        services.AddSingleton<IStaffPasswordHasher, AspNetStaffPasswordHasher>();
        services.AddSingleton<OrderHub.Application.Data.IDatabaseSeed, BootstrapAdmin>();
        return services;
    }

    /// <summary>Serves the console: /console → /console/, /console/ → index.html, the rest as static files. No build step.</summary>
    public static WebApplication UseBackOffice(this WebApplication app)
    {
        var root = ConsoleRoot(app.Environment);
        if (root is null)
        {
            app.Logger.LogWarning("Back-office console files not found (wwwroot/console); /console is not served");
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = ConsolePath, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = ConsolePath,
            FileProvider = files,
            OnPrepareResponse = ctx =>
            {
                var h = ctx.Context.Response.Headers;
                // Always revalidate: a new release is picked up at the next load, without cache-busting names.
                h.CacheControl = "no-cache";
                h["X-Content-Type-Options"] = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                if (ctx.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    h["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                    h["X-Frame-Options"] = "DENY";
                }
            },
        });
        return app;
    }

    /// <summary>wwwroot/console under the content root (dotnet run, tests) or beside the binaries (publish).</summary>
    private static string? ConsoleRoot(IWebHostEnvironment env)
    {
        foreach (var candidate in new[] { env.WebRootPath, Path.Combine(env.ContentRootPath, "wwwroot"), Path.Combine(AppContext.BaseDirectory, "wwwroot") })
        {
            if (string.IsNullOrEmpty(candidate)) continue;
            var dir = Path.Combine(candidate, "console");
            if (File.Exists(Path.Combine(dir, "index.html"))) return dir;
        }
        return null;
    }

    public static IEndpointRouteBuilder MapBackOfficeApi(this IEndpointRouteBuilder app)
    {
        app.MapStaffApi();
        app.MapPeopleApi();
        app.MapGoLiveApi();
        app.MapBackOfficeAdminApi();
        app.MapCatalogAdminApi();
        return app;
    }
}
