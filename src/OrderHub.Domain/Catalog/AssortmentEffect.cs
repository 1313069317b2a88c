namespace OrderHub.Domain.Catalog;

/// <summary>What an assortment rule (千人千面 可见范围) does to the products it matches, and its one text in the database
/// (assortment_rules.effect) and the API: allow (可见) or deny (屏蔽).</summary>
public static class AssortmentEffect
{
    public const string Allow = "allow";
    public const string Deny = "deny";

    public static bool IsKnown(string? effect) => effect is Allow or Deny;

    public static string Label(string effect) => effect == Allow ? "可见" : "屏蔽";
}
