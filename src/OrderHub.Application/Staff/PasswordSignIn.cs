using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;

namespace OrderHub.Application.Staff;

/// <summary>The outcome of one password check, whatever the account table.</summary>
public enum PasswordSignInOutcome { Success, Invalid, Locked }

/// <summary>
/// Password sign-in with lockout, the one rule for every kind of account: staff by login, store users and agents by mobile
/// number. After <see cref="StaffSignInOptions.MaxFailedLogins"/> wrong passwords in a row the account is locked for
/// <see cref="StaffSignInOptions.LockoutMinutes"/>; the failure counter moves with one conditional UPDATE, so parallel
/// guesses cannot slip past the limit; an unknown account is checked against a dummy hash so timing reveals nothing.
/// </summary>
public sealed class PasswordSignIn(IStaffPasswordHasher hasher, StaffSignInOptions options, TimeProvider clock)
{
    /// <summary>The tables with password columns (password_hash, failed_logins, locked_until).</summary>
    public const string Staff = "staff", CustomerUsers = "customer_users", Agents = "agents";

    private readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    public string Hash(string password) => hasher.Hash(password);

    /// <param name="account">The account found (id, stored hash, lock), or null when none matched.</param>
    /// <returns>The outcome and, when locked, until when.</returns>
    public async Task<(PasswordSignInOutcome Outcome, long? LockedUntilMs)> CheckAsync(DbConnection c, string table,
        (long Id, string? Hash, long? LockedUntil)? account, string password)
    {
        if (table is not (Staff or CustomerUsers or Agents)) throw new ArgumentOutOfRangeException(nameof(table));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (account is not { } a)
        {
            hasher.Verify(_dummyHash.Value, password);
            return (PasswordSignInOutcome.Invalid, null);
        }
        if (a.LockedUntil is { } until && until > now) return (PasswordSignInOutcome.Locked, until);

        var check = a.Hash is null ? PasswordCheck.Failed : hasher.Verify(a.Hash, password);
        if (check == PasswordCheck.Failed)
        {
            if (a.Hash is null) hasher.Verify(_dummyHash.Value, password);
            var lockUntil = now + options.LockoutMinutes * 60_000L;
            // An expired lock starts a fresh count.
            var after = await c.QuerySingleAsync<(long Failed, long? LockedUntil)>($"""
                UPDATE {table} SET
                    failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failed_logins + 1 END,
                    locked_until = CASE
                        WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failed_logins + 1 END) >= @max THEN @lockUntil
                        WHEN locked_until IS NOT NULL AND locked_until <= @now THEN NULL
                        ELSE locked_until END
                WHERE id = @id
                RETURNING failed_logins, locked_until
                """, new { id = a.Id, now, max = Math.Max(1, options.MaxFailedLogins), lockUntil });
            return after.LockedUntil is { } lu && lu > now ? (PasswordSignInOutcome.Locked, lu) : (PasswordSignInOutcome.Invalid, null);
        }

        var newHash = check == PasswordCheck.SuccessRehashNeeded ? hasher.Hash(password) : null;
        await c.ExecuteAsync($"UPDATE {table} SET failed_logins = 0, locked_until = NULL, password_hash = COALESCE(@newHash, password_hash) WHERE id = @id",
            new { id = a.Id, newHash });
        return (PasswordSignInOutcome.Success, null);
    }
}
