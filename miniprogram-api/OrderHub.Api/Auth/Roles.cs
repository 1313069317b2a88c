using System.Security.Claims;

namespace OrderHub.Api.Auth;

/// <summary>Who is calling. Customer users act for one store; agents for their assigned stores; staff by role.</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Clerk = "clerk";
    public const string Finance = "finance";
    public const string Warehouse = "warehouse";
    public const string Admin = "admin";

    public static readonly string[] Staff = [Clerk, Finance, Warehouse, Admin];
}

public static class OrderHubClaims
{
    public const string UserId = "uid";
    public const string CustomerId = "cid";

    public static long UserId_(this ClaimsPrincipal p) => long.Parse(p.FindFirstValue(UserId)!);
    public static long? CustomerIdOf(this ClaimsPrincipal p) => long.TryParse(p.FindFirstValue(CustomerId), out var v) ? v : null;
    public static string Role(this ClaimsPrincipal p) => p.FindFirstValue(ClaimTypes.Role) ?? "";
    public static bool IsStaff(this ClaimsPrincipal p) => Roles.Staff.Contains(p.Role());
}
