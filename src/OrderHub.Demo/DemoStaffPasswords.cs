using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Staff;

namespace OrderHub.Demo;

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
