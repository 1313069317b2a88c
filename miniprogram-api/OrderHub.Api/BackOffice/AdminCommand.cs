using OrderHub.Application.Common;
using OrderHub.Application.Staff;

namespace OrderHub.Api.BackOffice;

/// <summary>
/// <c>dotnet OrderHub.Api.dll admin create &lt;login&gt;</c>: creates an administrator with the password given on standard input
/// (one line; nothing is echoed or logged), then exits. For a first run without the Bootstrap settings, or a lost password.
/// </summary>
public static class AdminCommand
{
    public static async Task<int> CreateAsync(IServiceProvider services, string login, TextReader input, TextWriter output)
    {
        var staff = services.GetRequiredService<StaffAccounts>();
        var password = (await input.ReadLineAsync())?.TrimEnd('\r') ?? "";
        var errors = staff.Validate(login, "管理员", "admin", password, creating: true);
        if (errors.Count > 0)
        {
            foreach (var e in errors.Values.SelectMany(v => v)) await output.WriteLineAsync(e);
            return 2;
        }
        try
        {
            var admin = await staff.CreateAsync(login, "管理员", "admin", password);
            await output.WriteLineAsync($"管理员 {admin.Login} 已创建 / Administrator {admin.Login} created (id {admin.Id})");
            return 0;
        }
        catch (AppProblem p)
        {
            await output.WriteLineAsync(p.Message);
            return 1;
        }
    }
}
