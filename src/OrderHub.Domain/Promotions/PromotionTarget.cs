namespace OrderHub.Domain.Promotions;

/// <summary>
/// Whom a promotion is for — everyone (all), one customer group (group) or one customer (customer) — and the one rule
/// that decides whether it reaches a given store. Catalog (from memory) and ordering (from the database) both ask
/// <see cref="Reaches"/>; SQL only narrows by time, never by target.
/// </summary>
public static class PromotionTarget
{
    public const string All = "all";
    public const string Group = "group";
    public const string Customer = "customer";

    public static readonly string[] Known = [All, Group, Customer];

    /// <summary>Live at <paramref name="nowMs"/> (window [starts, ends)) and aimed at everyone, this store's group, or this store.</summary>
    public static bool Reaches(string target, long? targetGroupId, long? targetCustomerId, long startsAtMs, long endsAtMs,
        long customerId, long? groupId, long nowMs) =>
        startsAtMs <= nowMs && endsAtMs > nowMs && target switch
        {
            All => true,
            Group => targetGroupId is not null && targetGroupId == groupId,
            Customer => targetCustomerId == customerId,
            _ => false,
        };
}
