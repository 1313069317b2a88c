using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Staff;
using OrderHub.Domain.People;

namespace OrderHub.Application.People;

public abstract record MobileSignInResult
{
    /// <param name="CustomerId">The store, for a store user.</param>
    public sealed record Success(Role Role, long UserId, string Name, long? CustomerId) : MobileSignInResult;
    /// <summary>Unknown mobile number, no password set, inactive account or wrong password: all answered alike.</summary>
    public sealed record Invalid : MobileSignInResult;
    public sealed record Locked(long UntilMs) : MobileSignInResult;
}

/// <summary>
/// Sign-in with mobile number and password, for store users (门店, e.g. ordering from a PC, or before WeChat binding) and
/// agents outside WeChat Work. A mobile number with a password belongs to one account (enforced when a password is set).
/// </summary>
public sealed class MobileSignIn(Db db, PasswordSignIn signIn)
{
    public async Task<MobileSignInResult> SignInAsync(string mobile, string password, CancellationToken ct = default)
    {
        var phone = PeopleRules.NormaliseMobile(mobile);
        await using var c = await db.OpenAsync(ct);
        var user = phone is null ? null : await c.QuerySingleOrDefaultAsync<(long Id, string? Hash, long? LockedUntil, string Name, long CustomerId)?>("""
            SELECT u.id, u.password_hash, u.locked_until, u.name, u.customer_id FROM customer_users u JOIN customers cu ON cu.id = u.customer_id
            WHERE u.phone = @phone AND u.password_hash IS NOT NULL AND u.active = TRUE AND cu.active = TRUE
            """, new { phone });
        if (user is { } u)
        {
            var (outcome, until) = await signIn.CheckAsync(c, PasswordSignIn.CustomerUsers, (u.Id, u.Hash, u.LockedUntil), password);
            return Result(outcome, until, Role.Customer, u.Id, u.Name, u.CustomerId);
        }
        var agent = phone is null ? null : await c.QuerySingleOrDefaultAsync<(long Id, string? Hash, long? LockedUntil, string Name)?>(
            "SELECT id, password_hash, locked_until, name FROM agents WHERE phone = @phone AND password_hash IS NOT NULL AND active = TRUE", new { phone });
        var (o, lu) = await signIn.CheckAsync(c, PasswordSignIn.Agents, agent is { } a ? (a.Id, a.Hash, a.LockedUntil) : null, password);
        return Result(o, lu, Role.Agent, agent?.Id ?? 0, agent?.Name ?? "", null);
    }

    private static MobileSignInResult Result(PasswordSignInOutcome outcome, long? until, Role role, long id, string name, long? customerId) => outcome switch
    {
        PasswordSignInOutcome.Success => new MobileSignInResult.Success(role, id, name, customerId),
        PasswordSignInOutcome.Locked => new MobileSignInResult.Locked(until!.Value),
        _ => new MobileSignInResult.Invalid(),
    };
}

/// <summary>Checks shared by the people services.</summary>
public static class PeopleRules
{
    /// <summary>A mainland mobile number as stored: 11 digits starting with 1; "+86 138-0013-8000" → "13800138000". Null when it is not one.</summary>
    public static string? NormaliseMobile(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal)) digits = digits[2..];
        return digits.Length == 11 && digits[0] == '1' && text.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '-' or '+') ? digits : null;
    }

    public static bool IsName(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= 64 && !name.Any(char.IsControl);

    public static bool IsCode(string? code) =>
        !string.IsNullOrWhiteSpace(code) && code.Trim().Length <= 32 && code.Trim().All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');
}
