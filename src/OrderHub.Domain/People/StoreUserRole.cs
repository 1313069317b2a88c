namespace OrderHub.Domain.People;

/// <summary>
/// A store user's role within its store (customer_users.role): 店主 owner or 店员 clerk. The owner manages the store's
/// users, its invoice titles and the amount above which a clerk's order waits for the owner's approval (待店主审核).
/// Who is owner: the first user bound to the store (WeChat binding or the back office), or whom an owner or the back
/// office makes owner; a store may have several owners but never loses its last one.
/// </summary>
public static class StoreUserRole
{
    public const string Owner = "owner";
    public const string Clerk = "clerk";

    public static readonly string[] All = [Owner, Clerk];

    public static bool IsKnown(string? role) => role is Owner or Clerk;

    public static string Label(string role) => role switch
    {
        Owner => "店主",
        Clerk => "店员",
        _ => role,
    };

    /// <summary>Whether a clerk's order of <paramref name="totalFen"/> waits for the owner: only strictly above a set threshold
    /// (an order equal to the threshold goes on; 0 or null switches the approval off).</summary>
    public static bool NeedsOwnerApproval(string role, long? thresholdFen, long totalFen) =>
        role == Clerk && thresholdFen is > 0 && totalFen > thresholdFen.Value;
}
