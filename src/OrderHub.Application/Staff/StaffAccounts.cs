using OrderHub.Domain.People;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Staff;

/// <summary>Hashes and checks passwords. The host supplies ASP.NET Core's <c>PasswordHasher</c> (PBKDF2, salted, versioned).</summary>
public interface IStaffPasswordHasher
{
    string Hash(string password);
    PasswordCheck Verify(string hash, string password);
}

public enum PasswordCheck { Failed, Success, SuccessRehashNeeded }

/// <summary>Staff sign-in settings (section <c>BackOffice</c>).</summary>
public sealed class StaffSignInOptions
{
    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    public int MaxFailedLogins { get; set; } = 5;
    /// <summary>How long a locked account stays locked.</summary>
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Password given to the demo staff (admin, clerk, finance, warehouse) when Demo:Seed is on and they have none.</summary>
    public string DemoPassword { get; set; } = "demo1234";
    public int MinPasswordLength { get; set; } = 8;
}

public sealed class StaffMember
{
    public long Id { get; init; }
    public string Login { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public bool Active { get; init; }
    public int FailedLogins { get; init; }
    public long? LockedUntilMs { get; init; }
    public bool HasPassword { get; init; }
    public long CreatedAtMs { get; init; }
}

public abstract record StaffSignInResult
{
    public sealed record Success(StaffMember Staff) : StaffSignInResult;
    /// <summary>Unknown login, inactive account or wrong password: the caller answers all three the same way.</summary>
    public sealed record Invalid : StaffSignInResult;
    public sealed record Locked(long UntilMs) : StaffSignInResult;
}

/// <summary>
/// Back-office staff: password sign-in with lockout after repeated failures, and the admin's create / set-password.
/// The failure counter is bumped with one conditional UPDATE, so parallel guesses cannot slip past the limit.
/// </summary>
public sealed class StaffAccounts(Db db, IStaffPasswordHasher hasher, PasswordSignIn signIn, StaffSignInOptions options, TimeProvider clock)
{
    private const string Select = """
        SELECT id AS Id, login AS Login, name AS Name, role AS Role, active AS Active, failed_logins AS FailedLogins,
               locked_until AS LockedUntilMs, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS HasPassword, created_at AS CreatedAtMs
        FROM staff
        """;

    public StaffSignInOptions Options => options;

    public async Task<StaffSignInResult> SignInAsync(string login, string password, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, string? Hash, long? LockedUntil)?>(
            "SELECT id, password_hash, locked_until FROM staff WHERE login = @login AND active = TRUE", new { login = login.Trim() });
        var (outcome, lockedUntil) = await signIn.CheckAsync(c, PasswordSignIn.Staff, row, password);
        return outcome switch
        {
            PasswordSignInOutcome.Success => new StaffSignInResult.Success((await GetAsync(row!.Value.Id, ct))!),
            PasswordSignInOutcome.Locked => new StaffSignInResult.Locked(lockedUntil!.Value),
            _ => new StaffSignInResult.Invalid(),
        };
    }

    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<StaffMember>(Select + " ORDER BY id")).AsList();
    }

    public async Task<StaffMember?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StaffMember>(Select + " WHERE id = @id", new { id });
    }

    /// <summary>Per-field problems ("中文 / English") with a new staff member or a new password; empty when all is well.</summary>
    public Dictionary<string, string[]> Validate(string? login, string? name, string? role, string? password, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating)
        {
            if (string.IsNullOrWhiteSpace(login) || login.Trim().Length > 64 || login.Trim().Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
                errors["login"] = ["请填写登录名 (最长 64 个字符, 不含空格) / login is required: up to 64 characters, no spaces"];
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 64)
                errors["name"] = ["请填写姓名 (最长 64 个字符) / name is required, up to 64 characters"];
            if (role is null || Roles.Parse(role) is not { } r || !r.IsStaff())
                errors["role"] = ["角色应为 clerk、finance、warehouse 或 admin / role must be clerk, finance, warehouse or admin"];
        }
        if (password is null || password.Length < options.MinPasswordLength || password.Length > 128)
            errors["password"] = [$"密码长度应为 {options.MinPasswordLength} 到 128 个字符 / password must be {options.MinPasswordLength} to 128 characters"];
        return errors;
    }

    public async Task<StaffMember> CreateAsync(string login, string name, string role, string password, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = hasher.Hash(password);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff WHERE login = @login", new { login = login.Trim() }, tx);
        if (exists > 0) throw AppProblem.Conflict($"登录名 {login.Trim()} 已存在", $"Login {login.Trim()} is taken");
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO staff (login, name, role, password_hash, active, failed_logins, created_at)
            VALUES (@login, @name, @role, @hash, TRUE, 0, @now) RETURNING id
            """, new { login = login.Trim(), name = name.Trim(), role, hash, now }, tx);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Sets a new password and lifts any lock.</summary>
    public async Task<StaffMember?> SetPasswordAsync(long id, string password, CancellationToken ct = default)
    {
        var hash = hasher.Hash(password);
        await using var c = await db.OpenAsync(ct);
        var n = await c.ExecuteAsync("UPDATE staff SET password_hash = @hash, failed_logins = 0, locked_until = NULL WHERE id = @id", new { id, hash });
        return n == 0 ? null : await GetAsync(id, ct);
    }

    /// <summary>Disables or enables a staff member (a disabled one cannot sign in); null when there is no such member.</summary>
    public async Task<StaffMember?> SetActiveAsync(long id, bool active, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var n = await c.ExecuteAsync("UPDATE staff SET active = @active WHERE id = @id", new { id, active });
        return n == 0 ? null : await GetAsync(id, ct);
    }

    /// <summary>Demo only: gives every staff member without a password the demo password.</summary>
    public async Task<int> SetDemoPasswordsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var ids = (await c.QueryAsync<long>("SELECT id FROM staff WHERE password_hash IS NULL")).AsList();
        foreach (var id in ids)
            await c.ExecuteAsync("UPDATE staff SET password_hash = @hash WHERE id = @id AND password_hash IS NULL",
                new { id, hash = hasher.Hash(options.DemoPassword) });
        return ids.Count;
    }
}
