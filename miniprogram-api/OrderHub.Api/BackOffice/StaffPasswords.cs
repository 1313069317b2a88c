using Microsoft.AspNetCore.Identity;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Staff;

namespace OrderHub.Api.BackOffice;

/// <summary>Staff passwords with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, salted, versioned format).</summary>
public sealed class AspNetStaffPasswordHasher(IPasswordHasher<StaffMember> hasher) : IStaffPasswordHasher
{
    private static readonly StaffMember Nobody = new();

    public string Hash(string password) => hasher.HashPassword(Nobody, password);

    public PasswordCheck Verify(string hash, string password)
    {
        try
        {
            return hasher.VerifyHashedPassword(Nobody, hash, password) switch
            {
                PasswordVerificationResult.Success => PasswordCheck.Success,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SuccessRehashNeeded,
                _ => PasswordCheck.Failed,
            };
        }
        catch (FormatException) { return PasswordCheck.Failed; }
    }
}

/// <summary>
/// Demo only (Demo:Seed = true): at start, staff without a password get BackOffice:DemoPassword (default demo1234),
/// so the demo console can be signed into. Runs after the database is migrated and seeded, before requests are served.
/// </summary>
public sealed class DemoStaffPasswords(DemoOptions demo, StaffAccounts staff, ILogger<DemoStaffPasswords> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!demo.Seed) return;
        var n = await staff.SetDemoPasswordsAsync(ct);
        if (n > 0) log.LogInformation("Demo: {Count} staff member(s) got the demo password", n);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
