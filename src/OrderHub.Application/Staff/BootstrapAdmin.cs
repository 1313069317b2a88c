using Dapper;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Data;
using OrderHub.Settings;

namespace OrderHub.Application.Staff;

/// <summary>
/// Section <c>Bootstrap</c>: the first administrator of a fresh install. Used only while no staff member exists; ignored
/// afterwards (change passwords in the console). Put the password in the environment (Bootstrap__AdminPassword), never in a file.
/// </summary>
public sealed class BootstrapOptions : IValidatedSettings
{
    public string? AdminLogin { get; set; }
    /// <summary>Secret: never logged.</summary>
    public string? AdminPassword { get; set; }
    public string AdminName { get; set; } = "管理员";

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(AdminLogin) && string.IsNullOrEmpty(AdminPassword))
            yield return "AdminPassword is required with AdminLogin (set Bootstrap__AdminPassword in the environment)";
    }

    public override string ToString() => $"BootstrapOptions {{ AdminLogin = {AdminLogin}, AdminPassword = ***, AdminName = {AdminName} }}";
}

/// <summary>With <c>Bootstrap:AdminLogin</c> and <c>Bootstrap:AdminPassword</c>: creates that admin when the staff table is empty.</summary>
public sealed class BootstrapAdmin(BootstrapOptions options, StaffAccounts staff, Db db, ILogger<BootstrapAdmin> log) : IDatabaseSeed
{
    public async Task SeedAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.AdminLogin) || string.IsNullOrEmpty(options.AdminPassword)) return;
        await using (var c = await db.OpenAsync(ct))
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff") > 0) return;
        var errors = staff.Validate(options.AdminLogin, options.AdminName, "admin", options.AdminPassword, creating: true);
        if (errors.Count > 0)
            throw new InvalidOperationException("设置错误 Setting Bootstrap: " + string.Join("; ", errors.Values.SelectMany(v => v)));
        var admin = await staff.CreateAsync(options.AdminLogin, options.AdminName, "admin", options.AdminPassword, ct);
        log.LogInformation("First administrator {Login} created from the Bootstrap settings", admin.Login);
    }
}
