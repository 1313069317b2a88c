using System.Security.Claims;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

public static class OrderHubClaims
{
    public const string UserId = "uid";
    public const string CustomerId = "cid";
    /// <summary>The sign-in session (<c>auth_sessions</c>) every token belongs to.</summary>
    public const string SessionId = "sid";
    /// <summary>The refresh sequence number: a refresh token is good only while it equals the session's.</summary>
    public const string RefreshSeq = "rseq";

    public static string? SessionIdOf(this ClaimsPrincipal p) => p.FindFirstValue(SessionId);

    public static long UserId_(this ClaimsPrincipal p) => long.Parse(p.FindFirstValue(UserId)!);
    public static long? CustomerIdOf(this ClaimsPrincipal p) => long.TryParse(p.FindFirstValue(CustomerId), out var v) ? v : null;
    /// <summary>The role claim's text ("" when none); see <see cref="Roles"/>.</summary>
    public static string Role(this ClaimsPrincipal p) => p.FindFirstValue(ClaimTypes.Role) ?? "";
    public static bool IsStaff(this ClaimsPrincipal p) => Roles.Parse(p.Role())?.IsStaff() == true;
}
