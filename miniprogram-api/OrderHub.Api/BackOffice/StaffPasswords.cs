using Microsoft.AspNetCore.Identity;
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
